"""Backups: deploy/backup.sh makes a dump, deploy/restore-check.sh restores it."""

import os
import stat
import subprocess

import pytest
from django.db import connection

from tests.factories import ConditionFactory
from tests.production_support import BASE_DIR, database_url

pytestmark = pytest.mark.django_db(transaction=True)


def run(script, *args, env):
    return subprocess.run(  # noqa: S603 - our own scripts and interpreter
        [str(BASE_DIR / "deploy" / script), *args],
        env={"PATH": os.environ["PATH"], **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_backup_then_restore(tmp_path):
    ConditionFactory(title="Sciatica", slug="sciatica")
    ConditionFactory(title="Spinal stenosis", slug="spinal-stenosis")
    url = database_url(connection.settings_dict)

    backup = run("backup.sh", env={"DATABASE_URL": url, "BACKUP_DIR": str(tmp_path)})
    assert backup.returncode == 0, backup.stderr
    dump = backup.stdout.strip()
    assert dump.startswith(str(tmp_path / "spinesite-")) and dump.endswith(".dump")
    assert stat.S_IMODE(os.stat(dump).st_mode) == 0o600  # patients' requests inside

    scratch = f"{connection.settings_dict['NAME']}_restore_check"
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    restore = run(
        "restore-check.sh", dump, env={"ADMIN_DATABASE_URL": admin_url, "RESTORE_DB_NAME": scratch}
    )
    assert restore.returncode == 0, restore.stderr
    rows = dict(
        line.rsplit(" ", 1) for line in restore.stdout.splitlines() if line.count(" ") == 1
    )
    assert rows["conditions_condition"] == "2"
    assert "Restore check passed" in restore.stdout

    with connection.cursor() as cursor:  # the scratch database is gone again
        cursor.execute("SELECT count(*) FROM pg_database WHERE datname = %s", [scratch])
        assert cursor.fetchone()[0] == 0


def test_restore_check_fails_on_a_broken_dump(tmp_path):
    broken = tmp_path / "spinesite-broken.dump"
    broken.write_bytes(b"PGDMP not really")
    admin_url = database_url(connection.settings_dict).rsplit("/", 1)[0] + "/postgres"
    scratch = f"{connection.settings_dict['NAME']}_restore_check"
    result = run(
        "restore-check.sh",
        str(broken),
        env={"ADMIN_DATABASE_URL": admin_url, "RESTORE_DB_NAME": scratch},
    )
    assert result.returncode != 0
    assert "Restore check passed" not in result.stdout
