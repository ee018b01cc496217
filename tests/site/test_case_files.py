"""The cases list cut into static files per fiscal year, newest first, in parts."""

from pathlib import Path

import pandas as pd

from pipeline import schema
from pipeline.site import pages
from pipeline.site.loader import Package


def package_with(years: dict[str, int]) -> Package:
    rows = []
    for year, count in years.items():
        for n in range(count):
            day = f"{year}-05-{1 + n % 28:02d}" if year != "" else "2020-05-01"
            rows.append(dict.fromkeys(schema.field_names("cases"), "") | {
                "service_request_id": f"c-{year}-{n:05d}", "requested_date": day, "fiscal_year": year})
    cases = pd.DataFrame(rows, dtype=str)
    return Package(folder=Path(), descriptor={"name": "352152_shunan"}, tables={"cases": cases})


def test_years_newest_first_cut_into_parts() -> None:
    package = package_with({"2023": 10, "2025": pages.CASES_PER_FILE + 5, "2024": 3, "": 2})
    files = pages.case_files(package)
    assert [(year, name, len(rows)) for year, name, rows in files] == [
        ("2025", "2025-1.json", pages.CASES_PER_FILE), ("2025", "2025-2.json", 5),
        ("2024", "2024-1.json", 3), ("2023", "2023-1.json", 10), ("unknown", "unknown-1.json", 2)]
    ordered = [row for _, _, rows in files for row in rows]
    assert ordered == pages.cases_rows(package)  # the parts in order are the whole list, newest first


def test_a_file_holds_column_names_once() -> None:
    rows = pages.cases_rows(package_with({"2025": 2}))
    data = pages.case_file_json(rows)
    assert data["columns"] == list(pages.CASE_COLUMNS)
    assert [dict(zip(data["columns"], values, strict=True)) for values in data["rows"]] == rows
