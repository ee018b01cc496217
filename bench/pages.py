"""Page weight and map readiness of a built site in headless Chromium, for the benchmark report.

Uses the same measurement as the suite's browser test (tests/site/weigh.py): bytes transferred on a
first load with an empty cache, requests to other hosts (map tiles) refused and not counted, lazy map
frames scrolled into view; a map is ready when its cases and legend are drawn.
"""

import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "site"))

import weigh  # noqa: E402


def measure(output: Path, map_runs: int = 3) -> dict[str, Any]:
    """{pages, heaviest: [(path, bytes)], over_budget, map, map_kb, map_ready_s (best of map_runs)}."""
    from playwright.sync_api import sync_playwright

    paths = sorted(p.relative_to(output).as_posix() for p in output.rglob("*.html")
                   if not {"downloads", "maps"} & set(p.relative_to(output).parts))
    biggest_map = max(output.glob("maps/*.html"), key=lambda p: p.stat().st_size)
    with weigh.serve(output) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(weigh.CHROMIUM), args=weigh.ARGS)
        try:
            weights = {path: sum(weigh.weigh(browser, base, path).values()) for path in paths}
            ready = min(weigh.map_ready_seconds(browser, base, biggest_map.relative_to(output).as_posix())
                        for _ in range(map_runs))
        finally:
            browser.close()
    heaviest = sorted(weights.items(), key=lambda kv: -kv[1])[:3]
    return {"pages": len(weights), "heaviest": heaviest,
            "over_budget": sum(1 for size in weights.values() if size > weigh.BUDGET),
            "map": biggest_map.name, "map_kb": biggest_map.stat().st_size // 1024, "map_ready_s": ready}
