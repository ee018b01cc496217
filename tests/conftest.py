"""Suite-wide hooks: with MIERUKA_REQUIRE_BROWSER=1 (set by .ci/run) a browser test that would be
skipped (no chromium, no playwright) fails instead, so CI cannot pass without running them."""

import os
from collections.abc import Generator
from typing import Any

import pytest

REQUIRE_BROWSER = "MIERUKA_REQUIRE_BROWSER"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, None]:
    outcome = yield
    report = outcome.get_result()
    if (report.skipped and not hasattr(report, "wasxfail") and os.environ.get(REQUIRE_BROWSER) == "1"
            and item.get_closest_marker("browser") is not None):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"{REQUIRE_BROWSER}=1 but this browser test was skipped: {reason}"
