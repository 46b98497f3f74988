"""`make load` cannot rot: a short run of it, two people on two servers through nginx, must
answer, go next, save, and lose nothing (the figures themselves are make load's, never asserted).

Needs nginx and PostgreSQL; without them it skips with a loud reason (a failure under CI=true).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

try:  # tests/ is on sys.path under pytest's default import mode
    from pg import _pg_bin
    from scaleout import NGINX
except ImportError:  # tests/ made a package
    from tests.pg import _pg_bin
    from tests.scaleout import NGINX

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(NGINX is None, reason="LOAD SMOKE TEST NOT RUN: nginx is missing (apt-get install nginx)"),
    pytest.mark.skipif(_pg_bin() is None, reason="LOAD SMOKE TEST NOT RUN: PostgreSQL is missing "
                                                 "(apt-get install postgresql)"),
]


def test_make_load_drives_people_through_nginx_and_loses_nothing(tmp_path: Path) -> None:
    figures_file = tmp_path / "load.json"
    done = subprocess.run([sys.executable, "-m", "benchmarks.load", "--sessions", "2", "--servers", "2",
                           "--duration", "15", "--json", str(figures_file)], cwd=ROOT, capture_output=True,
                          text=True, timeout=900)  # a hang guard only
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert re.search(r"^servers\s+sessions\s+answers\b", done.stdout, re.M), done.stdout[-3000:]  # the table is printed
    (figures,) = json.loads(figures_file.read_text(encoding="utf-8"))["results"]
    assert figures["servers"] == 2 and figures["sessions"] == 2
    assert figures["answers"] >= 1 and figures["answers_checked"] >= 1  # answers were given and read back
    assert figures["errors"] == 0, figures["error_examples"]
    assert figures["lost_answers"] == 0
    assert len(figures["rss_mb_peak"]) == 2 and all(r > 0 for r in figures["rss_mb_peak"])
    assert figures["db_connections_peak"] >= 1
