"""Disk-full scenario, run inside a private mount namespace (`unshare -m`) by test_disk_full.py.

Mounts a small tmpfs at <root>/fs holding datapackages/, output/ and .work/, publishes a first release,
fills the disk (leaving `leave` bytes free), runs the next night's build, then frees the disk and runs it
again. Prints one JSON object: the exit codes, the second run's stderr, and digests of the live release
before and after. The mount disappears with the namespace.

    unshare -m python tests/security/disk_full_scenario.py ROOT RAW SIZE LEAVE [RAW2]

LEAVE is a number of bytes, or `+N`: N bytes more than the free space the build checks for before it
starts (so that it starts, and the disk fills while it runs). RAW2, if given, is the next night's raw
folder (a bigger export needs more room than the last release took).
"""

import errno
import hashlib
import json
import subprocess
import sys
from pathlib import Path

CHUNK = 1 << 16


def digest(folder: Path) -> str:
    """sha256 over every file's relative path and bytes."""
    out = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        out.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return out.hexdigest()


def build(fs: Path, raw: Path, date: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pipeline.cli", "build", "--raw", str(raw), "--packages",
               str(fs / "datapackages"), "--output", str(fs / "output"), "--date", date, "--executor", "serial"]
    return subprocess.run(command, capture_output=True, encoding="utf-8", errors="replace", check=False)


def fill(path: Path, leave: int) -> int:
    """Write zeros into `path` until the disk is full, then give `leave` bytes back; returns its size."""
    written = 0
    # why: unbuffered, so that nothing is left to write (and fail again) when the file is closed on a full disk
    with path.open("wb", buffering=0) as handle:
        try:
            while True:
                written += handle.write(b"\0" * CHUNK) or 0
        except OSError as exc:
            if exc.errno != errno.ENOSPC:
                raise
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.truncate(max(0, size - leave))
    return max(0, size - leave)


def main(root: Path, raw: Path, size: str, leave: str, raw2: Path) -> dict[str, object]:
    from pipeline.publish import Release, space_needed

    fs = root / "fs"
    fs.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(fs)], check=True)
    first = build(fs, raw, "2026-04-05")
    before = {"packages": digest(fs / "datapackages"), "output": digest(fs / "output")}
    needed = space_needed(Release(fs / ".work" / "release", fs / "datapackages", fs / "output"))
    filler = fs / "filler.bin"
    fill(filler, needed + int(leave[1:]) if leave.startswith("+") else int(leave))
    full = build(fs, raw2, "2026-04-06")
    after = {"packages": digest(fs / "datapackages"), "output": digest(fs / "output")}
    filler.unlink()
    again = build(fs, raw2, "2026-04-06")
    run = json.loads((fs / "datapackages" / "run.json").read_text(encoding="utf-8"))
    return {"first": first.returncode, "first_stderr": first.stderr, "full": full.returncode,
            "full_stdout": full.stdout, "full_stderr": full.stderr, "before": before, "after": after,
            "again": again.returncode, "again_stderr": again.stderr, "again_run_date": run["run_date"]}


if __name__ == "__main__":
    raw_first = Path(sys.argv[2])
    print(json.dumps(main(Path(sys.argv[1]), raw_first, sys.argv[3], sys.argv[4],
                          Path(sys.argv[5]) if len(sys.argv) > 5 else raw_first)))
