"""Time `load_content` on 1,000 generated condition files.

Run: .venv/bin/python bench/load_content.py   (or: make bench-load)

Uses a scratch database (spinesite_bench_load, dropped afterwards) on the server in
DATABASE_URL. Targets: first load under 10 s; an unchanged second run under 2 s with
no writes to the database.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spinesite.settings")
os.environ.setdefault("DEBUG", "true")
base_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/spinesite")
os.environ["DATABASE_URL"] = base_url.rsplit("/", 1)[0] + "/spinesite_bench_load"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

PAGES = 1000
REGIONS = ["lower-back", "neck", "upper-mid-back", "whole-spine"]
BODY = """## What is it?

Condition {n} is a made-up spine problem used to time the loader. It causes pain in
the {region} and sometimes down an arm or a leg.

## Symptoms

- Aching that gets worse when you sit for a long time
- Stiffness in the morning
- Tingling or numbness

## Treatment options

| Option | What it involves |
| --- | --- |
| Physical therapy | Exercises to make the muscles around the spine stronger |
| Medicines | Pain relievers for a short time |

## When to get help

!!! emergency "Call 911 or go to the ER now if you have"
    - Loss of bladder or bowel control
    - Numbness in the groin or inner thighs

!!! urgent "Call the clinic today if"
    - Pain keeps you from sleeping

!!! routine "Book a visit if"
    - Pain lasts more than a few weeks
"""


def write_files(folder):
    conditions = Path(folder) / "conditions"
    conditions.mkdir(parents=True)
    for n in range(PAGES):
        region = REGIONS[n % len(REGIONS)]
        related = "\n".join(f"  - bench-condition-{(n + k) % PAGES}" for k in (1, 2, 3))
        (conditions / f"bench-condition-{n}.md").write_text(
            f"---\ntitle: Bench condition {n}\nalso_called:\n  - Test name {n}\n"
            f"summary: A generated page for timing the loader, number {n}.\n"
            f"region: {region}\nstatus: published\nrelated:\n{related}\n---\n"
            + BODY.format(n=n, region=region)
        )


def timed_load(folder):
    writes = []

    def count_writes(execute, sql, params, many, context):
        if sql.lstrip().split(" ", 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"}:
            writes.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count_writes):
        start = time.perf_counter()
        call_command("load_content", folder, stdout=open(os.devnull, "w"))  # noqa: SIM115
        return time.perf_counter() - start, len(writes)


def drop_scratch_database():
    import psycopg

    db = connection.settings_dict
    with psycopg.connect(
        dbname="postgres",
        host=db["HOST"],
        port=db["PORT"] or None,
        user=db["USER"],
        password=db["PASSWORD"] or None,
        autocommit=True,
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db["NAME"]}" WITH (FORCE)')


def main():
    call_command("ensure_database", stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    with tempfile.TemporaryDirectory() as folder:
        write_files(folder)
        first, first_writes = timed_load(folder)
        second, second_writes = timed_load(folder)
    connection.close()
    drop_scratch_database()
    print(f"load_content, {PAGES} condition files, {os.cpu_count()} cores")
    print(f"  first load:     {first:6.2f} s  ({first_writes} writes)   target < 10 s")
    print(f"  unchanged rerun:{second:6.2f} s  ({second_writes} writes)   target < 2 s, 0 writes")
    ok = first < 10 and second < 2 and second_writes == 0
    print("  result: " + ("meets the targets" if ok else "MISSES a target"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
