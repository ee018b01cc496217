"""Inputs the scrubber's fuzzer (fuzz_scrub.py) once found, kept as regression tests that need no atheris:
scrubbing the scrubbed text again changes nothing (see docs/hostile-input.md)."""

import pytest

from pipeline.scrub import scrub


@pytest.mark.parametrize("text", ["066666666u6666", "+783858*085--\x7f0", "[電話番号]u6666", "[番号]*085",
                                  "de.jp453333", "p7le.jp75-0201 e", "㌳㎒Ｓ家宅㌳", "90-7-5{09-A-5{p e.jp0-4-5",
                                  "333331 m.jp333321 m.jp33Mm9-8.jp333331 m.jp333321 m.jp333361"])
def test_scrub_is_idempotent_on_fuzzer_findings(text: str) -> None:
    once = scrub(text).text
    assert scrub(once).text == once
