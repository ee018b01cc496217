"""Utility of the published locations on the bundled sample, measured (docs/privacy.md, "What it costs").

Run with -s to see the figures; `python -m pipeline.audit --raw R --packages P` prints the same."""

from pathlib import Path

from pipeline import audit


def test_location_utility_on_the_sample(sample_build: Path, raw_truth: dict[str, audit.Raw]) -> None:
    figures = audit.utility(sample_build / "datapackages", raw_truth)
    print("\nlocation utility on the bundled sample:")
    for key, value in figures.items():
        print(f"  {key:<28} {value}")
    assert figures["share_cases_1km_or_finer"] >= 0.70  # goal of the privacy work
    assert figures["on_map"] == figures["cases"]  # every case is counted on its body's map
    assert figures["share_cases_counted_on_maps"] == 1.0
    # located cases without a cell: private land (no location by rule) and cells of fewer than k in 10 km
    assert figures["share_located_in_a_cell"] >= 0.97
