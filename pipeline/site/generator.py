"""Pelican plugin: renders the portal's data pages straight from Jinja templates and the packages.

Registered through PLUGINS in pelicanconf.py; runs once per language (the i18n subsite runs it again
with DEFAULT_LANG = "en"). Language-neutral files (downloads, cases JSON, sitemap) are written by the
main (Japanese) run only.
"""

import functools
import logging
import posixpath
import shutil
from pathlib import Path
from typing import Any

from pelican import signals
from pelican.generators import Generator

from pipeline import schema

from .. import hardlink
from . import casedetail, feeds, formatting, incremental, jsonld, labels, pages, safejson, works
from .bodymaps import write_body_maps
from .loader import Package, SiteData, load
from .names import body_names

LOGGER = logging.getLogger(__name__)
MAIN_LANG = "ja"
_CACHE: dict[str, SiteData] = {}


def site_data(packages_dir: Path) -> SiteData:
    """Load the packages once per build (both languages share them)."""
    key = str(packages_dir.resolve())
    if key not in _CACHE:
        _CACHE[key] = load(packages_dir)
    return _CACHE[key]


def clear_cache() -> None:
    _CACHE.clear()


def relative_root(path: str) -> str:
    """"municipalities/352152.html" -> "../": from a page back to its language root."""
    return "../" * path.count("/")


def portal_context(data: SiteData, lang: str, settings: dict[str, Any]) -> dict[str, Any]:
    """Site-wide values every template may use (also the Pelican content pages)."""
    min_n = int(settings.get("MIERUKA_MIN_N", 20))
    return {
        "lang": lang,
        "other_lang": "en" if lang == MAIN_LANG else MAIN_LANG,
        "to_other": "en/" if lang == MAIN_LANG else "../",
        "to_main": "" if lang == MAIN_LANG else "../",
        "synthetic": data.synthetic,
        "data_date": data.data_date,
        "site_url": settings.get("MIERUKA_SITE_URL", ""),
        "min_n": min_n,
        "fiscal_year": pages.report_year(data),
        "has_metrics": data.metrics is not None,
        "maps": {},
        # the Excel copy of the whole metrics resource, linked beside each table's CSV slice
        "metrics_excel": next((f"downloads/{data.combined.name}/excel/{p.name}" for p in
                               sorted((data.combined.folder / "excel").glob("*_metrics.csv"))), "")
        if data.combined else "",
    }


def template_globals(data: SiteData, lang: str) -> dict[str, Any]:
    names = body_names(data)
    return {
        "lbl": lambda resource, field, code: labels.label(resource, field, code, lang),
        "enum_labels": lambda resource, field: labels.enum_labels(resource, field, lang),
        "field_title": lambda resource, field: labels.field_title(resource, field, lang),
        "flag_label": lambda code: labels.flag_label(code, lang),
        "name_of": lambda code: names.get(code, {}).get(lang, code),
        "relative_root": relative_root,
        "schema_of": schema.load,
        "resource_title": lambda resource: labels.resource_title(resource, lang),
        "anonymization_settings": lambda parameters: labels.anonymization_settings(parameters, lang),
        "redaction_counts": lambda redactions: labels.redaction_counts(redactions, lang),
    }


def install(generator: Generator) -> None:
    """generator_init: give every generator of the run the portal's filters, globals and context."""
    lang = generator.settings["DEFAULT_LANG"]
    data = site_data(Path(generator.settings["MIERUKA_PACKAGES_DIR"]))
    generator.env.filters.update(formatting.filters(lang))
    generator.env.filters["tojson_safe"] = safejson.dumps_markup
    generator.env.filters["dataset_jsonld"] = jsonld.dataset
    generator.env.globals.update(template_globals(data, lang))
    if "portal" not in generator.context or generator.context["portal"]["lang"] != lang:
        generator.context["portal"] = portal_context(data, lang, generator.settings)


class PortalGenerator(Generator):
    """Writes the home, municipality, cases, compare, data, methodology and updates pages."""

    def generate_context(self) -> None:
        self.lang: str = self.settings["DEFAULT_LANG"]
        self.data = site_data(Path(self.settings["MIERUKA_PACKAGES_DIR"]))
        self.min_n = int(self.settings.get("MIERUKA_MIN_N", 20))
        self.ledger = incremental.current(Path(self.output_path).resolve())
        self.per_page = int(self.settings.get("MIERUKA_CASES_PER_PAGE", 50))
        self.remember_headlines()
        self.pages = pages.shared_pages(self.data, self.min_n)  # the body pages are made with write_body_pages
        self.map_pages: list[str] = []  # the body map pages (set by write_body_maps)
        self.context["portal"]["bodies"] = [
            b for b in pages.body_summaries(self.data, self.min_n) if b["has_page"]]

    def remember_headlines(self) -> None:
        """Each body's headline and its spending per year (the pages about every body show them all): last
        night's where what they are made from is as it was, so that a night that changed one body works out
        that body's alone."""
        for package in self.data.bodies:
            print_ = self.ledger.print_of("headline", pages.headline_inputs(self.data, package, self.min_n))
            plain = self.ledger.remember(f"headline/{package.code}", print_, functools.partial(
                self.headline_plain, package))
            pages.seed_headline(self.data, package, self.min_n, plain)
            rows = self.ledger.remember(f"works-spending/{package.code}", self.ledger.print_of("works", [package]),
                                        functools.partial(works.spending_rows, package))
            works.seed_spending_rows(package, rows)

    def headline_plain(self, package: Package) -> dict[str, Any]:
        return pages.headline_plain(pages.body_headline(self.data, package, self.min_n))

    def portal_for(self, page: pages.Page) -> dict[str, Any]:
        """The site-wide values a page sees. A body's page sees its body's data date and map, not every body's
        headline, so that a night that changes one body leaves the other bodies' pages as they were."""
        portal: dict[str, Any] = self.context["portal"]
        if not page.body:
            return portal
        kept = {k: v for k, v in portal.items() if k not in ("bodies", "maps", "data_date")}
        return {**kept, "data_date": pages.body_date(self.data, page.body),
                "maps": {k: v for k, v in portal["maps"].items() if k == page.body}}

    def render(self, page: pages.Page) -> str:
        template = self.env.get_template(page.template)
        portal = self.portal_for(page)
        context = {**self.context, **portal, **page.context, "portal": portal,
                   "page_path": page.path, "root": self.root_for(page)}
        return str(template.render(context))

    def root_for(self, page: pages.Page) -> str:
        """Link prefix from a page to its language root.

        why: the 404 page is served at whatever path was missing, so its links cannot be relative.
        """
        if page.path != "404.html":
            return relative_root(page.path)
        site_url = self.settings.get("MIERUKA_SITE_URL", "")
        return f"{site_url}/" + ("" if self.lang == MAIN_LANG else "en/")

    def write(self, relative: str, text: str) -> None:
        target = Path(self.output_path) / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        # why: the file may be a link to last night's site (a CSV slice two pages share); never write through it.
        target.unlink(missing_ok=True)
        target.write_text(text, encoding="utf-8", newline="\n")
        self.ledger.wrote(target)

    def unit_name(self, relative: str) -> str:
        """A page's name in the ledger: its path from the site root (en/… for English)."""
        return (Path(self.output_path) / relative).relative_to(self.ledger.output).as_posix()

    def make_page(self, page: pages.Page) -> None:
        """Render the page and write it (and, once, its attachments)."""
        self.write(page.path, self.render(page))
        if self.lang == MAIN_LANG:
            for path, text in page.attachments.items():
                self.write(path, text)

    def write_page(self, page: pages.Page) -> None:
        """Queue the page (and its attachments) to be rendered, or link it from last night when its print holds."""
        name = self.unit_name(page.path)
        attachments = page.attachments if self.lang == MAIN_LANG else {}
        try:
            print_: str | None = self.ledger.print_of(page.template, page.path, self.portal_for(page), page.context,
                                                      attachments, self.root_for(page), body_names(self.data))
        except incremental.UnhashableContext:
            if page.body:
                raise
            print_ = None  # why: a page about every body whose context the print cannot cover is made each night
        self.ledger.defer(name, print_, functools.partial(self.make_page, page))

    def write_body_pages(self, package: Package) -> None:
        """Queue the body's pages (pages.body_pages), or link them all from last night when what they are made from
        is as it was: printed from their inputs (pages.body_inputs), so unchanged bodies' pages are never built."""
        page = pages.Page(f"municipalities/{package.code}.html", "municipality.html", body=package.code)
        print_ = self.ledger.print_of("body-pages", self.lang, self.portal_for(page), body_names(self.data),
                                      pages.body_inputs(self.data, package, self.min_n, self.per_page))

        def members() -> list[tuple[str, Any, Any]]:
            return [(self.unit_name(p.path), functools.partial(self.make_page, p), [p.path, p.in_sitemap])
                    for p in pages.body_pages(self.data, package, self.min_n, self.per_page)]

        self.ledger.defer_group(self.unit_name(f"body-pages/{package.code}"), print_, members)

    def write_feed(self, package: Package) -> None:
        page = pages.Page(f"feeds/{package.code}.atom.xml", "feed.xml", body=package.code)
        print_ = self.ledger.print_of(page.path, self.portal_for(page), package, body_names(self.data),
                                      pages.body_status(self.data).get(package.code, {}),
                                      self.settings.get("SITENAME", ""), self.settings.get("AUTHOR", ""))
        self.ledger.defer(self.unit_name(page.path), print_,
                          lambda: self.write(page.path, feeds.render(self, package)))

    def generate_output(self, writer: Any) -> None:
        """The maps first (a page shows whether its body's map was made), then every page, feed and body's files
        on every core (the ledger's make_pending), then the files made from every body."""
        write_body_maps(self)
        # why: the heaviest jobs (a body's files, its pages) first, so that the workers finish together
        for package in self.data.bodies:
            if self.lang == MAIN_LANG:
                self.write_body_files(package)
            self.write_body_pages(package)
        for page in self.pages:
            self.write_page(page)
        for package in self.data.bodies:
            self.write_feed(package)
        self.ledger.make_pending()
        if self.lang == MAIN_LANG:
            self.write_shared_files()

    def write_body_files(self, package: Package) -> None:
        """One body's downloads, cases JSON and works CSVs (made from its package alone)."""
        out = Path(self.output_path)

        def make() -> None:
            target = out / "downloads" / package.name
            if target.exists():
                shutil.rmtree(target)
            hardlink.copy_tree(package.folder, target, exist_ok=True)
            for path in sorted(p for p in target.rglob("*") if p.is_file()):
                self.ledger.wrote(path)
            for _year, name, rows in pages.case_files(package):
                self.write(f"data/cases/{package.code}/{name}", safejson.dumps(pages.case_file_json(rows)))
            for name, content in casedetail.detail_files(package)[1]:
                self.write(f"data/cases/{package.code}/case/{name}", safejson.dumps(content))
            self.write(f"data/works/{package.code}_spending_by_contract_type.csv",
                       works.spending_csv([(package.code, works.spending_rows(package))]))
            self.write(f"data/works/{package.code}_contractors.csv",
                       works.contractors_csv(package.code, works.contractor_rows(package)))

        self.ledger.defer(f"files/{package.code}", self.ledger.print_of("body-files", package), make)

    def write_shared_files(self) -> None:
        """The combined package's downloads, the catalogue, the works CSV of every body, sitemap.xml and robots.txt:
        once, at the site root."""
        out = Path(self.output_path)
        if self.data.combined:
            target = out / "downloads" / self.data.combined.name
            if target.exists():
                shutil.rmtree(target)
            hardlink.copy_tree(self.data.combined.folder, target, exist_ok=True)
        if (self.data.root / "catalog.jsonld").is_file():  # the DCAT catalogue; its URLs are relative to it
            hardlink.link_or_copy(str(self.data.root / "catalog.jsonld"), str(out / "downloads" / "catalog.jsonld"))
        self.write("data/works/spending_by_contract_type.csv",
                   works.spending_csv([(p.code, works.spending_rows(p)) for p in self.data.bodies]))
        self.write("sitemap.xml", self.sitemap())
        site_url = self.settings.get("MIERUKA_SITE_URL", "")
        robots = "User-agent: *\nAllow: /\n" + (f"Sitemap: {site_url}/sitemap.xml\n" if site_url else "")
        self.write("robots.txt", robots)

    def body_page_paths(self) -> list[str]:
        """The bodies' pages listed in the sitemap (made tonight or linked: their units' values), in path order."""
        groups = {self.unit_name(f"body-pages/{package.code}") for package in self.data.bodies}
        return sorted(value[0] for entry in self.ledger.units.values() if entry.get("group") in groups
                      and isinstance(value := entry.get("value"), list) and value[1])

    def sitemap(self) -> str:
        site_url = self.settings.get("MIERUKA_SITE_URL", "")
        paths = [p.path for p in self.pages if p.in_sitemap] + self.body_page_paths() + self.map_pages
        paths += sorted(str(p.save_as) for p in self.context.get("pages", []) if p.save_as)
        urls = []
        for lang_root in ("", "en/"):
            urls += [posixpath.join(site_url or "/", lang_root + path) for path in paths]
        template = self.env.get_template("sitemap.xml")
        return str(template.render({"urls": urls, "data_date": self.data.data_date}))


def get_generators(pelican_object: Any) -> type[Generator]:
    return PortalGenerator


def register() -> None:
    signals.generator_init.connect(install)
    signals.get_generators.connect(get_generators)
