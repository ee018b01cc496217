"""The pseudonym secret, read from MIERUKA_SECRET_FILE, appears in no form (raw, hex, base64) in any file the
build writes (packages, site, work folder, logs, run manifest) nor in its output, with a failing body too."""

import base64
import os
import subprocess
import sys
from pathlib import Path

from pipeline.sample import write_sample

ROOT = Path(__file__).resolve().parents[2]
SECRET = b"k9-Qv2#mieruka-test-secret-5d1e"


def _forms(secret: bytes) -> list[bytes]:
    return [secret, secret.hex().encode(), secret.hex().upper().encode(), base64.b64encode(secret),
            base64.urlsafe_b64encode(secret), base64.b64encode(secret).rstrip(b"=")]


def test_secret_in_no_form_in_any_written_file_or_output(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    write_sample(raw, ("352152", "352071"), scale=0.05)  # real data: no sample marker, the secret is required
    (raw / "352071_kudamatsu" / "要望受付台帳.csv").write_bytes(b"\x00broken")  # a failing body, logged
    secret_file = tmp_path / "secret"
    secret_file.write_bytes(SECRET + b"\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MIERUKA_SECRET_FILE": str(secret_file)}
    env.pop("MIERUKA_SECRET", None)
    done = subprocess.run([sys.executable, "-m", "pipeline.cli", "nightly", "--raw", str(raw), "--packages",
                           str(tmp_path / "www" / "datapackages"), "--output", str(tmp_path / "www" / "output"),
                           "--date", "2026-04-06", "--executor", "serial", "--site-url", "https://example.jp"],
                          cwd=ROOT, env=env, capture_output=True, check=False)
    assert done.returncode == 1, done.stderr  # one body failed, the other published
    written = [p for p in (tmp_path / "www").rglob("*") if p.is_file()]
    assert any(p.suffix == ".html" for p in written) and any(p.name == "run.json" for p in written)
    assert any("quarantine" in p.name for p in written), "the private log is written under .work/logs"
    for form in _forms(SECRET):
        assert form not in done.stdout + done.stderr
        for path in written:
            assert form not in path.read_bytes(), (path, form)
