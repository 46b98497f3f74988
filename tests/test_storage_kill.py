"""A process killed (SIGKILL) in the middle of a stream of autosaves leaves a
database that opens with every answer whose save had returned."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from sqlalchemy import text

from assessment.answers.model import Answer, new_assessment
from assessment.store.storage import open_store
from assessment.checklist.validate import parse_checklist

ROOT = Path(__file__).resolve().parent.parent

CHECKLIST = """\
schema_version: 1
id: gata
version: "1"
title: Gatuplan
scales:
  - id: impact
    steps:
      - {value: -1, label: Negativ}
      - {value: 0, label: Ingen}
      - {value: 1, label: Positiv}
sections:
  - id: rorelse
    title: Rörelse
    criteria:
      - id: gang
        text: Hur påverkas gångvägarna?
        type: impact
        scale: impact
      - id: anteckning
        text: Anteckning
        type: text
"""

# The writer: autosaves forever, printing each revision only after save_answer returned.
WRITER = """\
import sys
from assessment.answers.model import Answer
from assessment.store.storage import open_store
store = open_store(sys.argv[1])
revision = int(sys.argv[3])
n = 0
while True:
    n += 1
    revision = store.save_answer(sys.argv[2], revision, "anteckning", None, Answer(value=f"anteckning {n} å"), "W")
    print(revision, n, flush=True)
"""


def test_sigkill_during_autosave_loses_no_committed_answer(database_url: str):
    checklist, problems = parse_checklist(CHECKLIST, "gata.yaml")
    assert problems == []
    a = new_assessment(checklist, "Storgatan")
    with open_store(database_url) as store:
        store.create(a, "Anna")
    writer = subprocess.Popen([sys.executable, "-c", WRITER, database_url, a.id, "1"], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    committed: dict[int, int] = {}
    assert writer.stdout is not None
    # Only a hung writer is stopped by this: however slow the machine, the 150 saves are waited for.
    hang_guard = threading.Timer(600, writer.kill)
    hang_guard.start()
    try:
        while len(committed) < 150:
            line = writer.stdout.readline()
            if not line:  # the writer died (or hung and was stopped): its error says why
                break
            revision, n = map(int, line.split())
            committed[revision] = n
    finally:
        hang_guard.cancel()
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait(timeout=60)  # only a hang
    assert len(committed) >= 150, writer.stderr.read() if writer.stderr else ""

    with open_store(database_url) as store:
        if store.dialect == "sqlite":
            with store.engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        stored = store.load(a.id)
        last = max(committed)
        assert stored.revision >= last  # a save may have committed before its line was printed
        for revision, n in committed.items():
            assert store.version(a.id, revision).answer("anteckning").value == f"anteckning {n} å"
        # and the database takes the next autosave from where the killed session stopped
        assert store.save_answer(a.id, stored.revision, "gang", None, Answer(value=1), "Anna") == stored.revision + 1
        with store.engine.connect() as conn:
            count = conn.execute(text("SELECT count(*) FROM versions WHERE assessment_id = :id"), {"id": a.id})
            assert count.scalar() == stored.revision + 1
