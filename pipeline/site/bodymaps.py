"""The map documents of one build: the prefecture map each night, a body's map only when its package changed.

mapframes.write_maps makes the maps of the bodies it is given; the bodies whose map print holds are
linked from last night's site (pipeline.site.incremental) and keep last night's "made" flag.
"""

import dataclasses
from pathlib import Path
from typing import Any

from .loader import Package
from .mapframes import write_maps


class _Subset:
    """The generator, seen with only some bodies, and recording which map files it writes."""

    def __init__(self, generator: Any, bodies: list[Package]) -> None:
        self._generator = generator
        self.data = dataclasses.replace(generator.data, bodies=bodies)
        self.written: list[str] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._generator, name)

    def write(self, relative: str, text: str) -> None:
        self._generator.write(relative, text)
        self.written.append(relative)


def map_path(package: Package) -> str:
    return f"maps/{package.code}.html"


def write_body_maps(generator: Any) -> None:
    """Write or link the maps under the generator's language root; sets portal["maps"] as write_maps does."""
    ledger = generator.ledger
    prints = {p.code: ledger.print_of("map", generator.lang, map_path(p), p) for p in generator.data.bodies}
    names = {p.code: generator.unit_name(map_path(p)) for p in generator.data.bodies}
    linked = {p.code for p in generator.data.bodies if ledger.link(names[p.code], prints[p.code])}
    subset = _Subset(generator, [p for p in generator.data.bodies if p.code not in linked])
    write_maps(subset)
    made: dict[str, bool] = dict(generator.context["portal"]["maps"])
    for package in subset.data.bodies:
        path = map_path(package)
        files = [generator.unit_name(path)] if path in subset.written else []
        ledger.made(names[package.code], prints[package.code], files, made.get(package.code))
    ordered = {k: v for k, v in made.items() if k not in prints}
    for package in generator.data.bodies:
        value = made.get(package.code) if package.code not in linked else ledger.value(names[package.code])
        if value is not None:
            ordered[package.code] = bool(value)
    for path in subset.written:
        if Path(path).stem not in prints:
            ledger.always(generator.unit_name(path))
    generator.context["portal"]["maps"] = ordered
