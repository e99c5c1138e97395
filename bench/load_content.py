"""Time `load_content` on 10,000 generated condition files.

Run: .venv/bin/python bench/load_content.py   (or: make bench-load)

Uses a scratch database (spinesite_bench_load, dropped afterwards; BENCH_DB names
another) on the server in DATABASE_URL. Targets: a first load under 20 s; an
unchanged second run under 2 s with no writes to the database; one changed file
among them under 3 s; the memory of the process and its workers together under
500 MB throughout. BENCH_FILES sets another number of files; --profile prints where
the first load's time goes.
"""

import contextlib
import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import scratch_database_url, verdict  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spinesite.settings")
os.environ.setdefault("DEBUG", "true")
os.environ["DATABASE_URL"] = scratch_database_url("spinesite_bench_load")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

PAGES = int(os.environ.get("BENCH_FILES", 10_000))
SAMPLE_EVERY = 0.5  # seconds between readings of the memory (MemorySampler)
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


def write_file(conditions, n, summary="A generated page for timing the loader"):
    region = REGIONS[n % len(REGIONS)]
    related = "\n".join(f"  - bench-condition-{(n + k) % PAGES}" for k in (1, 2, 3))
    (conditions / f"bench-condition-{n}.md").write_text(
        f"---\ntitle: Bench condition {n}\nalso_called:\n  - Test name {n}\n"
        f"summary: {summary}, number {n}.\n"
        f"region: {region}\nstatus: published\nrelated:\n{related}\n"
        "sources:\n  - '[NHS: Back pain](https://www.nhs.uk/conditions/back-pain/)'\n"
        "  - '[MedlinePlus: Back pain](https://medlineplus.gov/backpain.html)'\n---\n"
        + BODY.format(n=n, region=region)
    )


def write_files(folder):
    conditions = Path(folder) / "conditions"
    conditions.mkdir(parents=True)
    for n in range(PAGES):
        write_file(conditions, n)
    return conditions


def peak_mb(who=resource.RUSAGE_SELF):
    """Peak resident memory of this process, or of the largest of its workers (which
    share most of theirs with it: they are forked)."""
    return resource.getrusage(who).ru_maxrss / 1024


def pss_mb(pid):
    """A process's proportional set size: its private memory plus its share of the
    pages it shares (a forked worker with its parent, say). Summed over processes it
    counts each page once, as peak RSS x processes does not; None once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return None


class MemorySampler(threading.Thread):
    """The largest total PSS of this process and its children (the loader's workers),
    sampled every SAMPLE_EVERY seconds while the loads run. 0 where /proc has no
    smaps_rollup. The kernel walks a process's page tables for each reading: every
    0.1 s that was 2.6 s of this process's CPU in a first load, on cores the loader's
    workers needed; memory grows and falls over seconds, not tenths."""

    def __init__(self):
        super().__init__(daemon=True)
        self.peak, self.workers_at_peak, self.stopped = 0.0, 0, threading.Event()

    def children(self):
        found = []
        for task in Path(f"/proc/{os.getpid()}/task").glob("*"):
            with contextlib.suppress(OSError):
                found += (task / "children").read_text().split()
        return found

    def run(self):
        while not self.stopped.wait(SAMPLE_EVERY):
            own = pss_mb(os.getpid())
            if own is None:
                return
            sizes = [size for pid in self.children() if (size := pss_mb(pid)) is not None]
            if own + sum(sizes) > self.peak:
                self.peak, self.workers_at_peak = own + sum(sizes), len(sizes)


def cpu_seconds():
    """CPU time so far of this process, its finished workers (spinesite.parallel) and
    its database session's server process (when the server runs on this machine and
    /proc shows it; else 0): on a shared machine these say what an idle one would do
    better than the wall-clock time does."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    database = 0.0
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        database = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        pass
    return time.process_time(), children.ru_utime + children.ru_stime, database


def timed_load(folder):
    writes = []

    def count_writes(execute, sql, params, many, context):
        if sql.lstrip().split(" ", 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"}:
            writes.append(sql)
        return execute(sql, params, many, context)

    devnull = open(os.devnull, "w")  # noqa: SIM115
    before = cpu_seconds()
    with connection.execute_wrapper(count_writes):
        start = time.perf_counter()
        call_command("load_content", folder, stdout=devnull, stderr=devnull)
        elapsed = time.perf_counter() - start
    cpu = [after - then for after, then in zip(cpu_seconds(), before, strict=True)]
    return elapsed, len(writes), cpu


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
    sampler = MemorySampler()
    with tempfile.TemporaryDirectory() as folder:
        conditions = write_files(folder)
        sampler.start()
        if "--profile" in sys.argv:
            import cProfile
            import pstats

            with cProfile.Profile() as profile:
                first, first_writes, first_cpu = timed_load(folder)
            pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
        else:
            first, first_writes, first_cpu = timed_load(folder)
        second, second_writes, second_cpu = timed_load(folder)
        write_file(conditions, PAGES // 2, summary="An edited page for timing the loader")
        third, third_writes, third_cpu = timed_load(folder)
    sampler.stopped.set()
    sampler.join()
    connection.close()
    drop_scratch_database()
    # The workers are forked, so much of their memory is shared with this process and
    # counted in each one's RSS; their PSS total (sampled) counts it once. The old upper
    # bound, this process plus every worker at the largest one's peak RSS, is printed
    # beside it.
    from spinesite.parallel import workers as worker_count

    loader, largest_worker, count = peak_mb(), peak_mb(resource.RUSAGE_CHILDREN), worker_count()
    bound = loader + count * largest_worker if largest_worker else loader
    memory = sampler.peak or bound
    rows = [
        ("first load", first, first_writes, first < 20, "< 20 s", first_cpu),
        (
            "unchanged rerun",
            second,
            second_writes,
            second < 2 and not second_writes,
            "< 2 s, 0 writes",
            second_cpu,
        ),
        ("one changed file", third, third_writes, third < 3, "< 3 s", third_cpu),
    ]
    print(
        f"load_content, {PAGES:,} condition files, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    for label, seconds, writes, ok, target, _ in rows:
        print(
            f"  {label:<17}{seconds:7.2f} s  ({writes:,} writes)   target {target}: {verdict(ok)}"
        )
    measured = (
        f"sum of PSS of this process and its {sampler.workers_at_peak} workers, sampled"
        if sampler.peak
        else "upper bound from peak RSS"
    )
    print(
        f"  peak memory      {memory:7.0f} MB                target < 500 MB: {verdict(memory < 500)}"
        f"   ({measured}; peak RSS: this process {loader:.0f} MB + {count} workers x "
        f"{largest_worker:.0f} MB, the largest = {bound:.0f} MB at most)"
    )
    print("  CPU seconds (this process, its workers, the database's process):")
    for label, _, _, _, _, (own, workers, database) in rows:
        print(f"  {label:<17}{own:7.2f} + {workers:.2f} + {database:.2f} s")
    ok = all(row[3] for row in rows) and memory < 500
    print("  result: " + ("meets the targets" if ok else "MISSES a target"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
