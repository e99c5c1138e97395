"""scripts/draw_figures.py draws what is committed: the README says to edit the script
and run it again, so a run must change nothing else, the spine map's translations
included."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAP = Path("conditions/templates/conditions/spine_map.html")


def test_a_run_draws_the_committed_figures_and_map(tmp_path):
    shutil.copytree(ROOT / "scripts", tmp_path / "scripts")
    (tmp_path / "static").mkdir()
    (tmp_path / MAP.parent).mkdir(parents=True)
    subprocess.run([sys.executable, "scripts/draw_figures.py"], cwd=tmp_path, check=True)

    drawn = sorted(path.name for path in (tmp_path / "static" / "figures").glob("*.svg"))
    assert drawn
    for name in drawn:
        committed = ROOT / "static" / "figures" / name
        assert (tmp_path / "static" / "figures" / name).read_text() == committed.read_text(), name
    assert (tmp_path / MAP).read_text() == (ROOT / MAP).read_text()
    assert "{% translate" in (tmp_path / MAP).read_text()
