"""Which bodies a night builds: each raw folder <code>_<slug>/ with its adapter (or the standard format)."""

from pathlib import Path

from . import adapter as adapters
from .adapter import Adapter
from .portal import config as portal_config


def find_bodies(raw_dir: Path, adapters_dir: Path | None = None) -> list[tuple[Adapter, Path]]:
    """Each raw folder <code>_<slug>/ with its adapter; a folder without one uses the standard format.

    A broken adapter file, or a folder whose name is no <code>_<slug>, does not stop the others: its body comes
    back as a BrokenAdapter, which fails that body alone with the message (see build_body). Hidden folders
    (a leading dot) are not bodies."""
    found, broken = adapters.discover_isolated(adapters.adapters_dir(adapters_dir))
    group = portal_config()
    known = {a.package_name: a for a in found if group.includes(a.code)}
    bodies: list[tuple[Adapter, Path]] = []
    for folder in sorted(p for p in raw_dir.iterdir() if p.is_dir() and not p.name.startswith(".")):
        code, _, slug = folder.name.partition("_")
        if not group.includes(code):
            continue  # why: the portal's members are configuration (pipeline/portal.py)
        adapter = known.get(folder.name)
        if adapter is None and folder.name in broken:
            adapter = broken_adapter(folder.name, broken.pop(folder.name))
        if adapter is None:
            try:
                adapter = adapters.standard(code, slug)
            except adapters.AdapterError as exc:  # why: a misnamed folder fails alone, the other bodies go on
                adapter = broken_adapter(folder.name, exc)
        bodies.append((adapter, folder))
    present = {a.package_name for a, _ in bodies}
    # why: a body whose exports are fetched from its URL needs no folder in the drop beforehand
    bodies += [(a, raw_dir / name) for name, a in sorted(known.items())
               if name not in present and any(s.url for s in a.sources.values())]
    # why: an adapter without its folder that cannot even be read is reported, not silently skipped
    bodies += [(broken_adapter(stem, error), raw_dir / stem) for stem, error in sorted(broken.items())]
    return sorted(bodies, key=lambda pair: pair[0].package_name)


def broken_adapter(stem: str, error: adapters.AdapterError) -> Adapter:
    """A stand-in for a body whose adapter file is invalid: building it fails with the adapter's message."""
    code, _, slug = stem.partition("_")
    return Adapter(code=code, slug=slug, path=Path(stem + ".toml"), sources={}, values={}, pii_drop=(),
                   broken=str(error))
