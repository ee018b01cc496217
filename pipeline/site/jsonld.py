"""schema.org Dataset descriptions of the published packages (embedded as JSON-LD on the data page)."""

from typing import Any

from .i18n import _


def dataset(descriptor: dict[str, Any], lang: str, site_url: str) -> dict[str, Any]:
    """datapackage.json -> a schema.org Dataset in the page language, with its downloads."""
    name = str(descriptor.get("name", ""))
    english = lang == "en"
    base = f"{site_url}/downloads/{name}/" if site_url else f"/downloads/{name}/"
    licenses = descriptor.get("licenses", [])
    return {
        "@type": "Dataset",
        "name": descriptor.get("title_en" if english else "title") or descriptor.get("title", name),
        "description": descriptor.get("description_en" if english else "description")
        or descriptor.get("description", ""),
        "identifier": name,
        "version": descriptor.get("version", ""),
        "dateModified": str(descriptor.get("created", ""))[:10],
        "inLanguage": "ja",
        "isAccessibleForFree": True,
        "license": licenses[0].get("path", "") if licenses else "",
        "spatialCoverage": {"@type": "Place", "name": _("山口県", lang)},
        "distribution": [
            {"@type": "DataDownload", "encodingFormat": resource.get("mediatype", "text/csv"),
             "contentUrl": base + str(resource.get("path", "")), "name": resource.get("name", "")}
            for resource in descriptor.get("resources", [])
        ],
    }
