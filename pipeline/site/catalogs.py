"""gettext catalogs of the theme: extract messages from the templates, compile .po -> .mo.

The templates are written in Japanese; translations/<lang>/LC_MESSAGES/messages.po hold the other
languages. Run `python -m pipeline.site.catalogs` after changing template text: it adds new
messages to every .po (keeping existing translations) and drops unused ones.
"""

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

HERE = Path(__file__).resolve().parent
TRANSLATIONS = HERE / "translations"
TEMPLATES = HERE.parents[1] / "themes" / "portal" / "templates"
DOMAIN = "messages"
METHOD_MAP = [("**.html", "jinja2"), ("**.xml", "jinja2")]
OPTIONS = {"**": {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"}}


def po_files() -> list[Path]:
    return sorted(TRANSLATIONS.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def read(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def extract() -> list[str]:
    """Every message id used in the theme templates and the site's Python code, sorted."""
    from .i18n import python_messages  # why: i18n reads the catalogues through this module

    found = set(python_messages())
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(TEMPLATES), METHOD_MAP, OPTIONS):
        found.add(message if isinstance(message, str) else message[0])
    for _file, _line, message, _comments, _context in extract_from_dir(str(HERE), [("*.py", "python")]):
        found.add(message if isinstance(message, str) else message[0])
    return sorted(found)


def compile_all(locale_dir: Path) -> None:
    """Compile every committed .po into locale_dir/<lang>/LC_MESSAGES/messages.mo."""
    for po in po_files():
        lang = po.parents[1].name
        target = locale_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as handle:
            write_mo(handle, read(po))


def update() -> None:
    """Bring every .po up to date with the templates (new ids empty, unused ids removed)."""
    ids = extract()
    for po in po_files():
        old = read(po)
        # why: keep the header (and its dates) so that an update without new text changes nothing.
        new = Catalog(locale=old.locale, domain=DOMAIN, project="mieruka", fuzzy=False,
                      header_comment=old.header_comment, creation_date=old.creation_date,
                      revision_date=old.revision_date)
        for msgid in ids:
            existing = old.get(msgid)
            new.add(msgid, existing.string if existing else "")
        with po.open("wb") as handle:
            write_po(handle, new, width=0, omit_header=False, no_location=True, sort_output=True)


if __name__ == "__main__":
    update()
