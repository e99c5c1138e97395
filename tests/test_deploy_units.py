"""The systemd units in deploy/ are valid, run what they say, and docs/deploy.md
names every value the Caddyfile reads."""

import re
import shutil
import subprocess

import pytest

from tests.production_support import BASE_DIR, manage, production_env

DEPLOY = BASE_DIR / "deploy"
UNITS = ["spinesite.service", "spinesite-worker.service"]


@pytest.mark.parametrize("unit", UNITS)
def test_units_pass_systemds_own_check(unit, tmp_path):
    # As installed on a server, with this checkout standing in for /srv/spinesite/app.
    text = (DEPLOY / unit).read_text().replace("/srv/spinesite/app", str(BASE_DIR))
    (tmp_path / unit).write_text(text)
    analyze = shutil.which("systemd-analyze") or "/usr/bin/systemd-analyze"
    result = subprocess.run(  # noqa: S603 - systemd's checker on our unit
        [analyze, "verify", str(tmp_path / unit)], capture_output=True, text=True, check=False
    )
    problems = [
        line
        for line in (result.stdout + result.stderr).splitlines()
        # Units it depends on that this machine does not have are not our problem.
        if unit in line or "Unknown" in line or "Invalid" in line
    ]
    assert problems == [], problems


def test_the_worker_unit_runs_the_worker_command():
    command = re.search(
        r"^ExecStart=\S+/python manage.py (.+)$", (DEPLOY / UNITS[1]).read_text(), re.M
    )
    assert command and command.group(1).split()[0] == "db_worker"
    result = manage("help", *command.group(1).split()[:1], env=production_env())
    assert result.returncode == 0 and "--no-reload" in result.stdout, result.stderr


def test_the_guide_names_every_value_the_caddyfile_reads():
    lines = (DEPLOY / "Caddyfile").read_text().splitlines()
    code = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
    names = set(re.findall(r"\{\$([A-Z_]+)", code))
    assert names >= {"SITE_ADDRESS", "MEDIA_ROOT", "UPSTREAM"}
    guide = (BASE_DIR / "docs" / "deploy.md").read_text()
    assert [name for name in sorted(names) if f"`{name}`" not in guide] == []
    for path in ["deploy/Caddyfile", *(f"deploy/{unit}" for unit in UNITS)]:
        assert path in guide
    assert "deploy/caddy.service.d/spinesite.conf" in guide
