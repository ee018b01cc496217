"""Render only the pages whose inputs changed since last night; hard-link the rest from last night's site.

A body's pages (its municipality, cases, case view, works and map pages, its feed) and its files
(downloads, cases JSON, works CSVs) form units. Each unit has a print: sha256 over the code print
(code, theme, content, catalogues, libraries, site URL: fingerprint.code_fingerprint), the part of the
site-wide context the page sees, and the page's own context, in which a package counts by the hash of
its folder. The site records unit -> (print, files) in MANIFEST; the next night links a unit's files
from the previous site when its print is unchanged and renders it otherwise. A page about every body
(home, comparisons, data, dictionary, methodology, updates) is a unit too, printed with the whole
site-wide context: a night that leaves every figure it shows as it was links it. The sitemap, robots.txt
and the prefecture map are made every night. A body's pages are also one group, printed from what they are made
from (pages.body_inputs) before their contexts are built: a group whose print holds is linked whole, so an
unchanged body's pages cost only that print. The units to make are queued and made together on every core
(pipeline.site.forked), then recorded in queue order.
Equal prints give equal bytes because a unit's files are a function of exactly what its print covers.
"""

import dataclasses
import hashlib
import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from .. import hardlink
from . import forked

LOGGER = logging.getLogger(__name__)
MANIFEST = ".site-manifest.json"


class UnhashableContext(TypeError):
    """A page context holds a value the print does not know how to cover."""


def _plain(value: Any, prints: dict[str, str]) -> Any:
    """A page context -> JSON-able data that changes whenever the rendered page could change."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, dict):
        return [[_plain(k, prints), _plain(v, prints)] for k, v in value.items()]
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_plain(v, prints) for v in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, pd.DataFrame):
        return hashlib.sha256(value.to_csv(index=False).encode()).hexdigest()
    folder = getattr(value, "folder", None)
    if isinstance(folder, Path) and folder.name in prints:  # a loader.Package: its folder's hash
        return ["package", folder.name, prints[folder.name]]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [type(value).__name__, _plain({f.name: getattr(value, f.name) for f in dataclasses.fields(value)},
                                             prints)]
    raise UnhashableContext(f"a page context holds a {type(value).__name__}, which the page print cannot cover")


def _default(prints: dict[str, str]) -> Callable[[Any], Any]:
    """json.dumps' hook for the values JSON has no form of: as _plain sees them."""
    def default(value: Any) -> Any:
        if isinstance(value, (set, frozenset)):
            return sorted(value, key=repr)
        if isinstance(value, (date, pd.DataFrame)) or dataclasses.is_dataclass(value):
            return _plain(value, prints)
        folder = getattr(value, "folder", None)
        if isinstance(folder, Path) and folder.name in prints:
            return ["package", folder.name, prints[folder.name]]
        raise UnhashableContext(f"a page context holds a {type(value).__name__}, which the page print cannot cover")
    return default


def digest(*parts: Any, prints: dict[str, str] | None = None) -> str:
    """sha256 (hex) of the values written as JSON, each value JSON has no form of as _plain sees it.

    why: json's own encoder walks the plain dicts and lists (most of a context) many times faster than _plain;
    a dict key JSON cannot write (a tuple) falls back to the walk."""
    known = prints or {}
    try:
        text = json.dumps(list(parts), ensure_ascii=False, separators=(",", ":"), default=_default(known))
    except UnhashableContext:
        raise
    except TypeError:
        text = json.dumps(_plain(list(parts), known), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


@dataclasses.dataclass
class Ledger:
    """One site build: last night's units, tonight's, and which were rendered or reused."""

    output: Path
    code_print: str
    package_prints: dict[str, str]
    previous: Path | None = None
    old: dict[str, dict[str, Any]] = dataclasses.field(default_factory=dict)
    units: dict[str, dict[str, Any]] = dataclasses.field(default_factory=dict)
    rendered: list[str] = dataclasses.field(default_factory=list)
    reused: list[str] = dataclasses.field(default_factory=list)
    workers: int = 1  # processes that make the queued units (pipeline.site.forked)
    pending: list["Pending"] = dataclasses.field(default_factory=list)
    _capture: list[str] | None = None
    _groups: dict[str, list[str]] | None = None  # last night's groups: group -> its units

    def print_of(self, *parts: Any) -> str:
        return digest(self.code_print, *parts, prints=self.package_prints)

    def wrote(self, path: Path) -> None:
        """A file written under the site (recorded for the unit being made)."""
        if self._capture is not None:
            self._capture.append(path.relative_to(self.output).as_posix())

    @contextmanager
    def capture(self) -> Iterator[list[str]]:
        outer, self._capture = self._capture, []
        try:
            yield self._capture
        finally:
            self._capture = outer

    def _reusable(self, name: str, print_: str) -> list[str] | None:
        entry = self.old.get(name)
        if self.previous is None or entry is None or entry.get("print") != print_:
            return None
        files: list[str] = entry.get("files", [])
        return files if all((self.previous / f).is_file() for f in files) else None

    def link(self, name: str, print_: str) -> bool:
        """Link the unit's files from last night when its print holds; False when it must be made."""
        files = self._reusable(name, print_)
        if files is None or self.previous is None:
            return False
        for relative in files:
            target = self.output / relative
            if target.exists():  # why: a file two units share (a page's CSV slice) is linked once
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            hardlink.link_or_copy(str(self.previous / relative), str(target))
        self.reused.append(name)
        self.units[name] = self.old[name]
        return True

    def made(self, name: str, print_: str, files: list[str], value: Any = None, group: str = "") -> None:
        """Record a unit made tonight (group: the group of units it was made with, linked together next night)."""
        self.rendered.append(name)
        self.units[name] = {"print": print_, "files": sorted(set(files)), **({"value": value} if value is not None
                                                                            else {}), **({"group": group} if group
                                                                                         else {})}

    def remember(self, name: str, print_: str, compute: Callable[[], Any]) -> Any:
        """A value worked out from what print_ covers (JSON-able): last night's when its print holds, else
        compute()'s; kept in the manifest for the next night. It is no page: neither rendered nor reused."""
        if name not in self.units:
            entry = self.old.get(name)
            if self.previous is not None and entry is not None and entry.get("print") == print_ and "value" in entry:
                self.units[name] = entry
            else:
                self.units[name] = {"print": print_, "files": [], "value": compute()}
        return self.units[name]["value"]

    def value(self, name: str) -> Any:
        return self.units.get(name, {}).get("value")

    def defer(self, name: str, print_: str | None, make: Callable[[], Any]) -> None:
        """Link the unit's files from last night when its print holds, else queue it for make_pending.
        print_ None: a page made every night, not recorded as a unit."""
        if print_ is None or not self.link(name, print_):
            self.pending.append(Pending(name, print_, make))

    def link_group(self, group: str, print_: str) -> bool:
        """Link every unit last night made in the group when the group's print holds and all their files are there."""
        if self._groups is None:
            self._groups = {}
            for name, entry in self.old.items():
                if entry.get("group"):
                    self._groups.setdefault(entry["group"], []).append(name)
        members = self._groups.get(group, [])
        if not members or any(self._reusable(name, print_) is None for name in members):
            return False
        for name in members:
            self.link(name, print_)
        return True

    def defer_group(self, group: str, print_: str, members: Callable[[], list[tuple[str, Callable[[], Any], Any]]]
                    ) -> None:
        """Units made from the same inputs (one body's pages), printed once from those inputs: linked together when
        the print holds, else queued. members() gives each unit's name, make and value; it is called only when
        the group is made, so a linked group costs no more than its print."""
        if not self.link_group(group, print_):
            self.pending.append(Pending(group, print_, members, group=True))

    def _job(self, entry: "Pending") -> Callable[[], list[tuple[str, list[str], Any]]]:
        def made(name: str, make: Callable[[], Any], value: Any = None) -> tuple[str, list[str], Any]:
            with self.capture() as written:
                returned = make()
            return name, list(written), returned if value is None else value

        def job() -> list[tuple[str, list[str], Any]]:
            if entry.group:
                return [made(name, make, value) for name, make, value in entry.make()]
            return [made(entry.name, entry.make)]
        return job

    def make_pending(self) -> None:
        """Make every queued unit, on up to `workers` processes, and record them in queue order."""
        pending, self.pending = self.pending, []
        results = forked.run_all([self._job(entry) for entry in pending], self.workers)
        for entry, units in zip(pending, results, strict=True):
            for name, files, value in units:
                if entry.print_ is None:
                    self.always(name)
                else:
                    self.made(name, entry.print_, files, value, entry.name if entry.group else "")

    def always(self, name: str) -> None:
        """A page about every body, rendered each night."""
        self.rendered.append(name)

    def manifest(self) -> str:
        return json.dumps({"code": self.code_print, "units": dict(sorted(self.units.items()))},
                          ensure_ascii=False, sort_keys=True, indent=1) + "\n"


@dataclasses.dataclass
class Pending:
    """A unit queued to be made (or, with group, a group of units: make() then lists (name, make, value))."""

    name: str
    print_: str | None
    make: Callable[[], Any]
    group: bool = False


def previous_units(previous: Path | None, code_print: str) -> dict[str, dict[str, Any]]:
    """Last night's units, or {} when there is no manifest or the code, theme or site URL changed."""
    if previous is None:
        return {}
    try:
        recorded = json.loads((previous / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(recorded, dict) or recorded.get("code") != code_print:
        return {}
    units: dict[str, dict[str, Any]] = recorded.get("units", {})
    return units


_CURRENT: list[Ledger] = []


@contextmanager
def building(ledger: Ledger) -> Iterator[Ledger]:
    """Make ledger the one the generator of this build consults."""
    _CURRENT.append(ledger)
    try:
        yield ledger
    finally:
        _CURRENT.remove(ledger)


def current(output: Path) -> Ledger:
    """The ledger of the build writing under output; a throwaway one (render all) outside build_site."""
    for ledger in reversed(_CURRENT):
        if output == ledger.output or ledger.output in output.parents:
            return ledger
    return Ledger(output=output, code_print="", package_prints={})
