"""Names of bodies (prefecture, cities, towns) in both languages, from the published municipalities tables."""

from .loader import SiteData


def body_names(data: SiteData) -> dict[str, dict[str, str]]:
    """{code: {"ja": name_ja, "en": name_en}} from every package's municipalities table (worked out once per
    build; callers must not modify it)."""
    if "body_names" in data.derived:
        found: dict[str, dict[str, str]] = data.derived["body_names"]
        return found
    names: dict[str, dict[str, str]] = {}
    packages = [*data.bodies, *([data.combined] if data.combined else [])]
    for package in packages:
        for row in package.tables["municipalities"].to_dict("records"):
            code = row.get("municipality_code", "")
            if code:
                names[code] = {"ja": row.get("name_ja") or code, "en": row.get("name_en") or code}
    for package in data.bodies:  # a body outside the reference names itself in its descriptor
        own = package.mieruka.get("names") or {}
        if package.code not in names and own:
            names[package.code] = {"ja": own.get("ja") or package.code, "en": own.get("en") or package.code}
    for body in data.run.get("bodies", []):
        names.setdefault(body["code"], {"ja": body["code"], "en": body["code"]})
    data.derived["body_names"] = names
    return names
