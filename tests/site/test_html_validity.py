"""Every page of the built site passes the Nu Html Checker (vnu.jar from npm's vnu-jar, on Java 17+).

Runs wherever java and node_modules/vnu-jar are present; in CI (CI set) their absence is a failure, not a
skip: .ci/run installs Java and `npm ci` installs vnu-jar (a dev dependency in package.json)."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

pytestmark = pytest.mark.vnu


def _checker() -> list[str]:
    java = shutil.which("java")
    if java and VNU.is_file():
        # why: under the C locale Java writes its messages in ASCII; the report is read as UTF-8
        return [java, "-Dfile.encoding=UTF-8", "-Dstdout.encoding=UTF-8", "-Dstderr.encoding=UTF-8", "-jar", str(VNU)]
    missing = "java" if not java else f"{VNU} (npm ci)"
    if os.environ.get("CI"):
        pytest.fail(f"the Nu Html Checker cannot run in CI: {missing} is missing")
    pytest.skip(f"the Nu Html Checker needs {missing}")


def test_every_page_has_no_html_errors(site: Path) -> None:
    command = _checker()
    pages = sorted(str(p) for p in site.rglob("*.html") if "downloads" not in p.relative_to(site).parts)
    assert len(pages) > 40
    done = subprocess.run([*command, "--errors-only", "--format", "json", *pages],
                          capture_output=True, text=True, encoding="utf-8", check=False, timeout=600)
    messages = json.loads(done.stderr or done.stdout or '{"messages": []}')["messages"]
    errors = [(m.get("url", "").replace(site.as_uri(), ""), m.get("lastLine"), m.get("message"))
              for m in messages if m.get("type") == "error" or m.get("subType") == "fatal"]
    assert errors == []


def test_the_checker_finds_an_error_when_there_is_one(tmp_path: Path) -> None:
    command = _checker()
    page = tmp_path / "bad.html"
    page.write_text('<!DOCTYPE html><html lang="ja"><head><title>x</title></head><body><p>「<3」</p></body></html>',
                    encoding="utf-8")
    done = subprocess.run([*command, "--errors-only", "--format", "json", str(page)],
                          capture_output=True, text=True, encoding="utf-8", check=False, timeout=120)
    messages = json.loads(done.stderr or done.stdout)["messages"]
    assert any("Bad character" in m.get("message", "") for m in messages)
