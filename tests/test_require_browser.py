"""MIERUKA_REQUIRE_BROWSER=1 turns a skipped browser test into a failure; without it the test skips."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

CONFTEST = Path(__file__).with_name("conftest.py")
TESTS = """
import pytest

@pytest.mark.browser
def test_needs_a_browser_that_is_missing():
    pytest.skip("Debian chromium not installed at /usr/bin/chromium")

@pytest.mark.browser
@pytest.mark.skipif(True, reason="no chromium")
def test_skipped_by_a_marker():
    pass

def test_an_ordinary_skip():
    pytest.skip("not a browser test")
"""


@pytest.mark.parametrize(("value", "failed", "skipped"), [("1", 2, 1), (None, 0, 3), ("0", 0, 3)])
def test_browser_skips_fail_only_when_required(tmp_path: Path, value: str | None, failed: int, skipped: int) -> None:
    (tmp_path / "conftest.py").write_text(CONFTEST.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\nmarkers =\n    browser: needs chromium\n", encoding="utf-8")
    (tmp_path / "test_sample.py").write_text(TESTS, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "MIERUKA_REQUIRE_BROWSER"}
    if value is not None:
        env["MIERUKA_REQUIRE_BROWSER"] = value
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:xdist", "-rA"],
                          cwd=tmp_path, env=env, capture_output=True, encoding="utf-8", check=False)
    counts = {word: int(n) for n, word in re.findall(r"(\d+) (failed|errors?|skipped)", done.stdout.splitlines()[-1])}
    assert counts.get("failed", 0) + counts.get("error", 0) + counts.get("errors", 0) == failed, done.stdout[-2000:]
    assert counts.get("skipped", 0) == skipped, done.stdout[-2000:]
    assert ("MIERUKA_REQUIRE_BROWSER=1 but this browser test was skipped" in done.stdout) == bool(failed)
    assert done.returncode == (1 if failed else 0)
