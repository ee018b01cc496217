"""Standalone, self-hosted, deterministic map documents built on folium.

The pieces `maps.py` assembles: a Figure that writes `<html lang>` and an escaped `<title>`, a folium
Map whose only scripts and stylesheets are the self-hosted Leaflet files, the GSI tile layer, a safe
JSON encoder for data handed to our own scripts, and counter-based element IDs.

Data never passes through folium's Popup/Tooltip/GeoJson text paths (they embed raw HTML, JavaScript
template literals and a second Jinja rendering). It goes into our own scripts as JSON in which every
character that could end a script, start markup or be read as a template (`< > & ' { } $ % \\``)
is a `\\uXXXX` escape, and the browser puts it on the page with `textContent` only.
"""

import functools
import html
import json
import re
from collections.abc import Callable
from typing import Any

import folium
from branca.element import Figure, MacroElement
from folium.template import Template

from . import catalogs

LANGS = ("ja", "en")

GSI_TILES = "https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png"
GSI_INDEX = "https://maps.gsi.go.jp/development/ichiran.html"

# why: a prefix goes verbatim into src/href attributes; allowing only path characters keeps it relative
# (no scheme, no host, no quotes) so the documents can never pull code from another origin.
_PREFIX = re.compile(r"^(?!/)[A-Za-z0-9._~/-]*$")

_JSON_ESCAPES = {c: f"\\u{ord(c):04x}" for c in "<>&'{}$%`"}
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_TEXT_ESCAPES = {"{": "&#123;", "}": "&#125;", "$": "&#36;", "%": "&#37;", "`": "&#96;"}
# why: str.translate replaces the characters in one pass in C (a cases map's JSON is megabytes)
_JSON_TABLE = str.maketrans(_JSON_ESCAPES)
_TEXT_TABLE = str.maketrans(_TEXT_ESCAPES)


def check_lang(lang: str) -> str:
    """Return `lang` if it is a page language of the portal, else raise ValueError."""
    if lang not in LANGS:
        raise ValueError(f"unsupported page language {lang!r}; expected one of {LANGS}")
    return lang


@functools.cache
def _messages(lang: str) -> dict[str, str | tuple[str, ...]]:
    if lang == LANGS[0]:
        return {}
    path = catalogs.TRANSLATIONS / lang / "LC_MESSAGES" / f"{catalogs.DOMAIN}.po"
    if not path.is_file():
        return {}
    return {m.id if isinstance(m.id, str) else m.id[0]: m.string if isinstance(m.string, str) else tuple(m.string)
            for m in catalogs.read(path) if m.id and m.string}


def translator(lang: str) -> Callable[[str], str]:
    """The page language's gettext for the map texts: Japanese source text -> text in `lang`.

    The texts are in the theme's catalogue (translations/<lang>/LC_MESSAGES/messages.po); a message
    without a translation stays in Japanese, as in the templates.
    """
    messages = _messages(check_lang(lang))

    def gettext(message: str) -> str:
        found = messages.get(message)
        return found if isinstance(found, str) and found else message

    return gettext


def check_asset_prefix(asset_prefix: str) -> str:
    """Return the relative vendor prefix, ending in '/', or raise ValueError for anything else."""
    if not _PREFIX.match(asset_prefix) or "//" in asset_prefix:
        raise ValueError(f"asset_prefix must be a relative URL path such as '../static/vendor/': "
                         f"{asset_prefix!r}")
    if asset_prefix and not asset_prefix.endswith("/"):
        asset_prefix += "/"
    return asset_prefix


def neutral_text(text: str) -> str:
    """Text -> HTML-escaped text in which template and template-literal syntax is inert too."""
    escaped = html.escape(text, quote=True)
    return escaped.translate(_TEXT_TABLE)


def script_json(value: Any) -> str:
    """Value -> JSON for a <script> element: inside strings, markup and template characters are escaped."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return _JSON_STRING.sub(lambda m: m.group(0).translate(_JSON_TABLE), text)


class Document(Figure):
    """A Figure that declares the page language and keeps the map script inside <body>."""

    _template = Template(
        "<!DOCTYPE html>\n"
        '<html lang="{{ this.lang }}">\n'
        "<head>\n"
        "<title>{{ this.safe_title }}</title>\n"
        "    {{ this.header.render(**kwargs) }}\n"
        "</head>\n"
        "<body>\n"
        "    {{ this.html.render(**kwargs) }}\n"
        "<script>\n"
        "    {{ this.script.render(**kwargs) }}\n"
        "</script>\n"
        "</body>\n"
        "</html>\n"
    )

    def __init__(self, lang: str, title: str) -> None:
        super().__init__(title=title)
        self._id = "0000"
        self.lang = check_lang(lang)
        self.safe_title = neutral_text(title)


class VendoredMap(folium.Map):
    """folium.Map that loads only the self-hosted Leaflet files and lets users zoom the page."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
            <meta name="viewport" content="width=device-width, initial-scale=1.0" />
            <style>
                html, body { width: 100%; height: 100%; margin: 0; padding: 0; }
                #{{ this.get_name() }} { position: absolute; inset: 0; }
                .leaflet-container { font-size: 1rem; }
            </style>
        {% endmacro %}

        {% macro html(this, kwargs) %}
            <div class="folium-map" id={{ this.get_name()|tojson }}></div>
        {% endmacro %}

        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.map(
                {{ this.get_name()|tojson }},
                {
                    center: {{ this.location|tojson }},
                    crs: L.CRS.{{ this.crs }},
                    ...{{ this.options|tojavascript }}
                }
            );
            {%- if this.control_scale %}
            L.control.scale({imperial: false}).addTo({{ this.get_name() }});
            {%- endif %}
        {% endmacro %}
        """
    )

    def __init__(self, asset_prefix: str, location: tuple[float, float], zoom: int) -> None:
        # why: quarter-step zoom lets fitBounds fill a wide, low iframe with the whole prefecture.
        super().__init__(location=location, zoom_start=zoom, tiles=None, control_scale=True, zoom_snap=0.25)
        self._id = "0001"
        prefix = check_asset_prefix(asset_prefix)
        self.default_js = [("leaflet", f"{prefix}leaflet/leaflet.js")]
        self.default_css = [("leaflet_css", f"{prefix}leaflet/leaflet.css")]


class GsiTiles(folium.TileLayer):
    """The GSI standard map (地理院タイル) as a tile layer with its attribution in the page language."""

    def __init__(self, lang: str) -> None:
        _ = translator(lang)
        name = html.escape(_("地理院タイル"))
        attribution = f'<a href="{GSI_INDEX}">{name}</a>'
        super().__init__(tiles=GSI_TILES, attr=attribution, name="gsi_std", min_zoom=5, max_zoom=18,
                         subdomains="")
        self._id = "0002"


def gsi_tiles(lang: str) -> folium.TileLayer:
    """The GSI standard map (地理院タイル) as a tile layer with its attribution."""
    return GsiTiles(lang)


class Script(MacroElement):
    """A fixed script of ours with pre-escaped JSON `payload`; `{{ this.map }}` is the map variable."""

    def __init__(self, name: str, template: str, payload: Any, **context: str) -> None:
        super().__init__()
        self._id = "0003"
        self._name = name
        self._template = Template("{% macro script(this, kwargs) %}" + template + "{% endmacro %}")
        self.payload = script_json(payload)
        self.context = context

    @property
    def map(self) -> str:
        parent = self._parent
        return parent.get_name() if parent is not None else "null"


class Header(MacroElement):
    """Fixed markup for <head> (styles)."""

    def __init__(self, name: str, markup: str) -> None:
        super().__init__()
        self._id = "0004"
        self._name = name
        self._template = Template("{% macro header(this, kwargs) %}" + markup + "{% endmacro %}")


def render(document: Document) -> str:
    """Render the document; its element IDs are fixed by each class above, so output is reproducible.

    why: branca names elements by random IDs (urandom); every element of a map document is one of ours,
    and each kind appears once per document except Script, whose instances differ by name.
    """
    return document.render()
