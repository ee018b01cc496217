"""The maps of one build: the prefecture map each night, a body's map only when its package changed.

A body's map is one unit (pipeline.site.incremental) named by its page, maps/<code>.html: the map document
(maps/frame/<code>.html) and the page around it, both made from the body's package alone. A unit whose print
holds is linked from last night's site with last night's "made" flag; the others are made tonight. The
prefecture map counts every body's cases, so it is made each night.
"""

import functools
from typing import Any

from .mapframes import FRAMES, body_page, write_body_frame, write_prefecture_map
from .names import body_names
from .pages import Page


def map_page_path(code: str) -> str:
    return f"maps/{code}.html"


def _print(generator: Any, package: Any) -> str:
    """What a body's map and its page are made from: the package, the body's view of the site-wide values
    (without the map flags, which the unit itself sets), the names of the bodies and the language."""
    page = Page(map_page_path(package.code), "map.html", body=package.code)
    portal = {k: v for k, v in generator.portal_for(page).items() if k != "maps"}
    return str(generator.ledger.print_of("map", generator.lang, page.path, package, portal,
                                         generator.root_for(page), body_names(generator.data)))


def _make(generator: Any, package: Any) -> bool | None:
    """A body's map document and, when it was made, its page (the page shows the body's own map flag)."""
    flag = write_body_frame(generator, package)
    if flag:
        generator.context["portal"]["maps"][package.code] = True
        page = body_page(package)
        generator.write(page.path, generator.render(page))
    return flag


def write_body_maps(generator: Any) -> None:
    """Write or link the maps under the generator's language root (the bodies' maps on every core). Sets
    portal["maps"] (code -> whether its map was made, "prefecture" first) and generator.map_pages (the body
    map pages, for the sitemap)."""
    ledger = generator.ledger
    made: dict[str, bool] = {"prefecture": write_prefecture_map(generator)}
    if made["prefecture"]:
        ledger.always(generator.unit_name(f"{FRAMES}prefecture.html"))
    generator.context["portal"]["maps"] = made
    names = {p.code: generator.unit_name(map_page_path(p.code)) for p in generator.data.bodies}
    for package in generator.data.bodies:
        ledger.defer(names[package.code], _print(generator, package), functools.partial(_make, generator, package))
    ledger.make_pending()
    # why: a new dict in body order (a page's print sees it), whichever maps were made tonight or linked
    made = {"prefecture": made["prefecture"]}
    for package in generator.data.bodies:
        flag = ledger.value(names[package.code])
        if flag is not None:
            made[package.code] = bool(flag)
    generator.context["portal"]["maps"] = made
    generator.map_pages = [map_page_path(p.code) for p in generator.data.bodies if made.get(p.code)]
