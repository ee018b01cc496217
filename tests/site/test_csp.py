"""Content-Security-Policy: every page gets one; only the page's own inline scripts are allowed."""

import base64
import hashlib

from pipeline.site.csp import policy, with_policy

PAGE = """<!DOCTYPE html><html lang="ja"><head><title>t</title>
<script type="application/json" id="data">{"a": 1}</script>
<script src="static/app.js"></script>
</head><body><header>x</header><script>
  var map = L.map("m");
</script></body></html>"""


def _hash(body: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"


def test_map_document_inline_script_allowed_by_hash_only() -> None:
    text = policy(PAGE, allow_inline=True)
    assert _hash('\n  var map = L.map("m");\n') in text
    assert _hash('{"a": 1}') not in text  # a data block is never executed
    assert "'unsafe-inline'" not in text.split("script-src")[1].split(";")[0]
    assert "object-src 'none'" in text
    assert "https://cyberjapandata.gsi.go.jp" in text


def test_meta_is_first_in_head_and_added_once() -> None:
    out = with_policy(PAGE)
    assert out.index('http-equiv="Content-Security-Policy"') < out.index("<title>")
    assert with_policy(out) == out
    assert out.count("Content-Security-Policy") == 1
    assert "<header>x</header>" in out


def test_script_in_a_data_page_is_never_allowed() -> None:
    hostile = PAGE.replace("<header>x</header>", "<header>x<script>alert(1)</script></header>")
    allowed = policy(hostile)
    assert _hash("alert(1)") not in allowed
    assert "sha256" not in allowed
    assert "script-src 'self';" in allowed
