"""Every export is recorded before it exists: `kill -9` at each step of the export pipeline leaves
either no file under the name the user chose, or the file and its "export" audit entry with the
file's SHA-256, and the audit trail still verifies.

Each export runs as its own process, as the user runs it. The pipeline's fault hook
(CANTEEN_FAULT_EXPORT_STOP=STEP) makes the process SIGKILL itself right after that step, so every
moment is hit deterministically: started (the temporary file exists, empty), rendered and synced
(the temporary file is complete), recorded (the audit entry is committed, the file not yet
renamed), placed (the file is under its name)."""

from __future__ import annotations

import hashlib
import signal

import pytest

from canteen.services.export_pipeline import STEPS, STOP_VARIABLE
from faults.export_support import demo_canteen, export_command, export_entries, file_name, run  # noqa: F401  (fixture)

pytestmark = pytest.mark.faults

# Every step for the archive and a workbook; for the other documents, which go through the same
# pipeline, the three moments that differ in what they leave (kept short: each kill is a process).
EVERY_MOMENT = [(document, step) for document in ("archive", "xlsx") for step in STEPS]
THREE_MOMENTS = [(document, step) for document in ("daily-sheet", "sample-labels", "disclosure", "csv")
                 for step in ("rendered", "recorded", "placed")]


@pytest.mark.parametrize("document, step", EVERY_MOMENT + THREE_MOMENTS)
def test_a_killed_export_leaves_no_file_or_the_file_and_its_entry(demo_canteen, tmp_path, document, step):
    database = demo_canteen.copy_to(tmp_path)
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / file_name(document)

    killed = run(export_command(document, database, demo_canteen, target), **{STOP_VARIABLE: step})

    assert killed.returncode == -signal.SIGKILL, killed.stderr
    entries, problems = export_entries(database)
    assert problems == 0
    if target.exists():
        digest = hashlib.sha256(target.read_bytes()).hexdigest()
        assert [(e["file"], e["sha256"], e["bytes"]) for e in entries] == [(target.name, digest, target.stat().st_size)]
    else:
        assert all(e["file"] == target.name for e in entries)
    assert target.exists() == (step == "placed")
    assert len(entries) == (1 if step in ("recorded", "placed") else 0)
    leftovers = [p.name for p in target.parent.iterdir() if p != target]
    assert all(name.startswith(f".{target.name}.") and name.endswith(".part") for name in leftovers)


def test_after_a_kill_the_same_export_is_made_and_recorded(demo_canteen, tmp_path):
    database = demo_canteen.copy_to(tmp_path)
    target = tmp_path / "deliveries.xlsx"
    assert run(export_command("xlsx", database, demo_canteen, target), **{STOP_VARIABLE: "recorded"}).returncode < 0

    again = run(export_command("xlsx", database, demo_canteen, target))

    assert again.returncode == 0 and again.stdout.startswith(f"Wrote {target}")
    entries, problems = export_entries(database)
    assert problems == 0 and len(entries) == 2
    assert entries[-1]["sha256"] == hashlib.sha256(target.read_bytes()).hexdigest()
