"""Atom feed per body: the entry of its last data update and the latest cases received (no resident text)."""

from typing import Any

from .loader import Package
from .pages import Page, body_status, cases_rows

FEED_CASES = 20


def render(generator: Any, package: Package) -> str:
    """One body's Atom document in the generator's language."""
    portal = generator.portal_for(Page(f"feeds/{package.code}.atom.xml", "feed.xml", body=package.code))
    site_url = portal["site_url"]
    lang_root = "" if generator.lang == "ja" else "en/"
    base = f"{site_url}/{lang_root}" if site_url else f"/{lang_root}"
    template = generator.env.get_template("feed.xml")
    return str(template.render({
        **portal,
        "SITENAME": generator.settings.get("SITENAME", ""),
        "AUTHOR": generator.settings.get("AUTHOR", ""),
        "code": package.code,
        "base": base,
        "entry": body_status(generator.data).get(package.code, {}),
        "cases": cases_rows(package)[:FEED_CASES],
        "updated": body_status(generator.data).get(package.code, {}).get("last_good") or portal["data_date"],
    }))
