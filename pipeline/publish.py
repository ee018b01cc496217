"""Atomic publishing: a night's packages and site are built aside, then swapped in.

A release is built in `<work>/next/` (datapackages/ and output/). Publishing renames the live
folders away and the new ones in, with a journal file written first: if the process dies half
way, `recover()` (run at the start of every build) puts the previous release back, so readers
always find a complete site and a complete set of packages.
"""

import errno
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from .faults import fault_point

JOURNAL = "publish-journal.json"
# why: files in the live packages folder that the build does not make (its README) stay.
KEPT_FILES = ("README.md",)
MB = 1 << 20
MARGIN = 4 * MB  # logs, run.json and growth of the data since the last release


@dataclass(frozen=True)
class Release:
    """Where a night's build is staged and where it goes live."""

    work: Path
    live_packages: Path
    live_output: Path

    @property
    def packages(self) -> Path:
        return self.work / "next" / "datapackages"

    @property
    def output(self) -> Path:
        return self.work / "next" / "output"

    @property
    def journal(self) -> Path:
        return self.work / JOURNAL

    def pairs(self) -> list[tuple[Path, Path, Path]]:
        """(staged, live, parked) for each published folder."""
        parked = self.work / "previous"
        return [(self.packages, self.live_packages, parked / "datapackages"),
                (self.output, self.live_output, parked / "output")]


class DiskFull(OSError):
    """Too little free space to build a release aside; nothing was written, the live release stays."""

    def __init__(self, message: str, path: Path) -> None:
        super().__init__(errno.ENOSPC, message, str(path))


def prepare(release: Release) -> None:
    """Finish or undo an interrupted publish, clear the staging area, and check there is room for a release."""
    recover(release)
    shutil.rmtree(release.work / "next", ignore_errors=True)
    ensure_space(release)
    release.packages.mkdir(parents=True)
    release.output.mkdir(parents=True)


def tree_bytes(folder: Path) -> int:
    """Bytes of the files under folder, each hard-linked file counted once."""
    seen: set[tuple[int, int]] = set()
    total = 0
    for path in folder.rglob("*") if folder.is_dir() else ():
        info = path.lstat()
        if path.is_file() and (info.st_dev, info.st_ino) not in seen:
            seen.add((info.st_dev, info.st_ino))
            total += info.st_size
    return total


def space_needed(release: Release) -> int:
    """The least room a new release takes beside the live one: a whole site, plus a margin.

    why: packages of bodies whose inputs did not change are hard links (no room); changed ones need
    room that only writing them tells, so a disk that fills during the build is caught there too."""
    return tree_bytes(release.live_output) + MARGIN


def ensure_space(release: Release) -> None:
    """DiskFull, before anything is written, when the staging folder's disk cannot hold a release."""
    release.work.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(release.work).free
    needed = space_needed(release)
    if free < needed:
        raise DiskFull(f"not enough free disk space for a new release: {free / MB:.1f} MB free, about "
                       f"{needed / MB:.1f} MB needed", release.work)


def recover(release: Release) -> str:
    """Undo a publish that was cut off; returns what was done ('none' or 'restored')."""
    if not release.journal.is_file():
        return "none"
    for _staged, live, parked in release.pairs():
        if parked.exists():
            if live.exists():
                shutil.rmtree(live)
            parked.replace(live)
        fault_point(f"recover:restored-{parked.name}")
    release.journal.unlink()
    return "restored"


def publish(release: Release) -> None:
    """Swap the staged folders in; the previous release is removed only once both are live."""
    for staged, live, _parked in release.pairs():
        for name in KEPT_FILES:
            if (live / name).is_file() and not (staged / name).exists():
                shutil.copy2(live / name, staged / name)
    parked_root = release.work / "previous"
    shutil.rmtree(parked_root, ignore_errors=True)
    parked_root.mkdir(parents=True)
    fault_point("publish:previous-cleared")
    release.journal.write_text(json.dumps({"state": "swapping"}) + "\n", encoding="utf-8")
    fault_point("publish:journal-written")
    for staged, live, parked in release.pairs():
        if live.exists():
            live.replace(parked)
        fault_point(f"publish:parked-{staged.name}")
        live.parent.mkdir(parents=True, exist_ok=True)
        staged.replace(live)
        fault_point(f"publish:swapped-{staged.name}")
    release.journal.unlink()
    fault_point("publish:journal-removed")
    shutil.rmtree(parked_root, ignore_errors=True)
    fault_point("publish:done")
