"""Seconds of a build attributed to parts of the code, from a cProfile of one in-process build.

The pipeline's timings log has stage seconds per body but none per output format, nor for the
case view inside the site build; a profile of one serial build (every body in the one profiled
process) gives them. A part is a set of source files (a module, or a package folder); its seconds
are the cumulative time of its functions when called from the project's own code outside the part,
so time spent inside it (and in whatever it calls) counts once: a call of the part from a builtin
or a library (a generator run by `sum`, a function given to `DataFrame.apply`) comes from inside the
part in this code base and is not counted again. Profiling slows Python code more than C code: read the
shares, not the seconds.
"""

import pstats
from pathlib import Path
from typing import Any

Key = tuple[str, int, str]

# Parts reported as shares; each is a path fragment of the source files it covers.
FORMATS = {"Parquet": "pipeline/formats/parquet", "SQLite": "pipeline/formats/sqlite",
           "Open311": "pipeline/formats/open311", "DCAT": "pipeline/formats/dcat",
           "labelled Excel": "pipeline/formats/labelled"}
CASE_VIEW = "pipeline/site/casedetail"
METRICS = "pipeline/metrics/"
SITE_ENTRY = ("pipeline/site/build.py", "build_site")


def load(path: Path) -> dict[Key, Any]:
    """The raw stats table of a profile file: function -> (calls, primitive calls, own, cumulative, callers)."""
    return pstats.Stats(str(path)).stats  # type: ignore[attr-defined]


def _in(key: Key, fragment: str) -> bool:
    return fragment in Path(key[0]).as_posix()


def part_seconds(stats: dict[Key, Any], fragment: str, own_code: str = "/pipeline/") -> float:
    """Cumulative seconds of the part's functions called from the project's code outside the part (0 if it
    never ran)."""
    total = 0.0
    for key, (_cc, _nc, _tt, _ct, callers) in stats.items():
        if not _in(key, fragment):
            continue
        for caller, figures in callers.items():
            if _in(caller, own_code) and not _in(caller, fragment):
                total += figures[3]
    return total


def function_seconds(stats: dict[Key, Any], file_fragment: str, name: str) -> float:
    """Cumulative seconds of one function (summed over files matching the fragment; 0 if it never ran)."""
    return sum(v[3] for k, v in stats.items() if k[2] == name and _in(k, file_fragment))


def total_seconds(stats: dict[Key, Any]) -> float:
    """Seconds of the whole profiled call (the sum of every function's own time)."""
    return sum(v[2] for v in stats.values())


def found(stats: dict[Key, Any], fragment: str) -> bool:
    """Whether any function of the part is in the profile (a part that never ran, or was moved, is not)."""
    return any(_in(k, fragment) for k in stats)


def share(part: float, whole: float) -> float | None:
    """part / whole, or None when the whole is empty."""
    return part / whole if whole > 0 else None


def _label(key: Key) -> str:
    path = Path(key[0]).as_posix()
    for anchor in ("/pipeline/", "/site-packages/"):
        if anchor in path:
            path = path.split(anchor, 1)[1] if anchor == "/site-packages/" else "pipeline/" + path.split(anchor, 1)[1]
            break
    return f"{path}:{key[2]}"


def top_functions(stats: dict[Key, Any], count: int = 15, own: bool = True) -> list[tuple[str, float]]:
    """The functions with the most own (or cumulative) seconds, labelled file:function."""
    index = 2 if own else 3
    ranked = sorted(stats.items(), key=lambda kv: -kv[1][index])[:count]
    return [(_label(k), v[index]) for k, v in ranked]


def summarize(path: Path) -> dict[str, Any]:
    """Seconds and shares of one profiled full build: the packages stage, the site, formats, case view, metrics."""
    stats = load(path)
    total = total_seconds(stats)
    site = function_seconds(stats, *SITE_ENTRY)
    packages = total - site
    formats = {name: {"seconds": part_seconds(stats, frag), "share_of_packages": share(part_seconds(stats, frag),
                                                                                        packages),
                      "found": found(stats, frag)} for name, frag in FORMATS.items()}
    case_view = part_seconds(stats, CASE_VIEW)
    return {"total_s": total, "site_s": site, "packages_s": packages, "formats": formats,
            "case_view": {"seconds": case_view, "share_of_site": share(case_view, site),
                          "found": found(stats, CASE_VIEW)},
            "metrics_s": part_seconds(stats, METRICS),
            "top_own": top_functions(stats, 15, own=True)}
