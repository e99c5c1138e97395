"""Time site search on 10,000 generated condition pages and 2,000 videos.

Run: .venv/bin/python bench/search.py   (or: make bench-search)

Uses a scratch database (spinesite_bench_search, dropped afterwards) on the server in
DATABASE_URL. Fills it, then runs 1,000 mixed queries (common and rare words, several
words, "also called" names, websearch syntax, misspellings that need the trigram
fallback, words that match nothing) through spinesite.search, and again through the
whole /search/ page, and prints p50/p95/p99 latency. Target: p95 under 30 ms.
"""

import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import scratch_database_url  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spinesite.settings")
# Production settings, as far as a benchmark on plain HTTP allows.
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ["DATABASE_URL"] = scratch_database_url("spinesite_bench_search")
# Every search runs: the mix repeats common words, which the site would answer from
# the results it keeps (CACHES["searches"]) without searching again.
os.environ["SEARCH_CACHE_MAX_BYTES"] = "0"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test import Client  # noqa: E402

from bench.common import (  # noqa: E402
    create_database,
    drop_database,
    paragraph_text,
    queries,
    rng,
    sentence,
    title,
)
from conditions.models import Condition  # noqa: E402
from spinesite import search, searchtext, vocabulary  # noqa: E402
from videos.models import Video  # noqa: E402

CONDITIONS = 10_000
VIDEOS = 2_000
QUERIES = int(os.environ.get("BENCH_QUERIES", 1_000))
WARM_UP = 50


def fill():
    """Bulk-inserted rows: the plain-text fields search reads are filled directly."""
    pages = []
    for n in range(CONDITIONS):
        body = "\n".join(paragraph_text(rng.randint(3, 6)) for _ in range(rng.randint(5, 9)))
        pages.append(
            Condition(
                title=f"{title()} {n}",
                slug=f"condition-{n}",
                also_called="\n".join(title() for _ in range(rng.randint(1, 4))),
                summary=sentence()[:160],
                region=rng.choice(Condition.Region.values),
                body=body,
                body_html="".join(f"<p>{line}</p>" for line in body.splitlines()),
                body_text=body.replace("\n", " "),
                status=Condition.Status.PUBLISHED if n % 10 else Condition.Status.DRAFT,
            )
        )
    Condition.objects.bulk_create(pages, batch_size=500)
    videos = []
    for n in range(VIDEOS):
        transcript = "\n".join(paragraph_text(rng.randint(2, 5)) for _ in range(rng.randint(3, 8)))
        description = paragraph_text(2)
        videos.append(
            Video(
                title=f"{title()} video {n}",
                slug=f"video-{n}",
                description=description,
                description_text=description,
                source_url=f"https://youtu.be/bench{n:06d}",
                provider=Video.Provider.YOUTUBE,
                video_id=f"bench{n:06d}",
                duration=timedelta(minutes=rng.randint(1, 9)),
                thumbnail="bench.png",
                thumbnail_width=640,  # given, so Django does not open the file to measure it
                thumbnail_height=360,
                transcript=transcript,
                transcript_text=transcript.replace("\n", " "),
                status=Video.Status.PUBLISHED,
            )
        )
    Video.objects.bulk_create(videos, batch_size=500)
    vocabulary.rebuild_vocabulary()  # bulk_create skips the save() signal that keeps it
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def timed(run, mix):
    for query in mix[:WARM_UP]:
        run(query)
    times = []
    for query in mix[WARM_UP:]:
        start = time.perf_counter()
        run(query)
        times.append((time.perf_counter() - start) * 1000)
    if "--slowest" in sys.argv:
        for ms, query in sorted(zip(times, mix[WARM_UP:], strict=True), reverse=True)[:10]:
            print(f"    {ms:7.1f} ms  {query!r}")
    return times


def report(label, times):
    cuts = statistics.quantiles(times, n=100)
    print(
        f"{label:<28} p50 {cuts[49]:6.1f} ms   p95 {cuts[94]:6.1f} ms   "
        f"p99 {cuts[98]:6.1f} ms   max {max(times):6.1f} ms"
    )
    return cuts[94]


def main():
    keep = "--keep" in sys.argv  # leave the scratch database for EXPLAIN ANALYZE
    create_database()
    try:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        fill()
        print(
            f"Filled {CONDITIONS:,} condition pages ({Condition.objects.published().count():,} "
            f"published) and {VIDEOS:,} videos in {time.perf_counter() - started:.0f} s."
        )
        names = Condition.objects.published().order_by("?").values_list("also_called", flat=True)
        mix = queries(list(names[:200]), QUERIES + WARM_UP)
        found = sum(
            1 for query in mix[WARM_UP:] if search.search(searchtext.clean_query(query)[0]).hits
        )
        print(f"{QUERIES:,} queries, {found:,} with results, on {os.cpu_count()} CPU cores.")
        p95 = report("spinesite.search.search()", timed(lambda q: search.search(q), mix))
        client = Client()
        # A session cookie keeps every request out of the page cache (spinesite.pagecache),
        # as an editor's does: this times searching and rendering, not serving a page
        # from memory. (A cookie the site never sets would not: the cache ignores it.)
        client.cookies[settings.SESSION_COOKIE_NAME] = "bench-bypasses-the-page-cache"
        report(
            "GET /search/?q= (whole page)", timed(lambda q: client.get("/search/", {"q": q}), mix)
        )
        print(f"Target p95 < 30 ms for search(): {'met' if p95 < 30 else 'NOT MET'}.")
    finally:
        if keep:
            connections.close_all()
            print(
                f"Kept the scratch database {connection.settings_dict['NAME']}; drop it when done."
            )
        else:
            drop_database()


if __name__ == "__main__":
    main()
