"""Time site search on 10,000 generated condition pages and 2,000 videos.

Run: .venv/bin/python bench/search.py   (or: make bench-search)

Uses a scratch database (spinesite_bench_search, dropped afterwards) on the server in
DATABASE_URL. Fills it, then runs 1,000 mixed queries (common and rare words, several
words, "also called" names, websearch syntax, misspellings that need the trigram
fallback, words that match nothing) through spinesite.search, and again through the
whole /search/ page, and prints p50/p95/p99 latency. Target: p95 under 30 ms.
"""

import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spinesite.settings")
# Production settings, as far as a benchmark on plain HTTP allows.
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
base_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/spinesite")
SCRATCH = "spinesite_bench_search"
os.environ["DATABASE_URL"] = base_url.rsplit("/", 1)[0] + "/" + SCRATCH

import django  # noqa: E402

django.setup()

import psycopg  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test import Client  # noqa: E402
from psycopg import sql  # noqa: E402

from conditions.models import Condition  # noqa: E402
from spinesite import search  # noqa: E402
from videos.models import Video  # noqa: E402

CONDITIONS = 10_000
VIDEOS = 2_000
QUERIES = int(os.environ.get("BENCH_QUERIES", 1_000))
WARM_UP = 50
rng = random.Random(42)  # noqa: S311 - made-up pages, not secrets

SPINE = [
    "pain", "back", "neck", "spine", "disc", "nerve", "leg", "arm", "lumbar",
    "cervical", "thoracic", "sciatica", "stenosis", "herniated", "bulging", "slipped",
    "pinched", "vertebra", "facet", "joint", "sacroiliac", "coccyx", "tailbone",
    "spondylolisthesis", "spondylosis", "radiculopathy", "myelopathy", "scoliosis",
    "kyphosis", "lordosis", "fracture", "osteoporosis", "arthritis", "degeneration",
    "inflammation", "numbness", "tingling", "weakness", "stiffness", "spasm",
    "muscle", "ligament", "tendon", "cartilage", "cord", "canal", "foramen", "root",
    "injection", "steroid", "epidural", "ablation", "stimulation", "stimulator",
    "implant", "surgery", "fusion", "laminectomy", "discectomy", "decompression",
    "physiotherapy", "exercise", "posture", "sitting", "standing", "walking",
    "lifting", "bending", "twisting", "sleep", "mattress", "ice", "heat", "massage",
    "acupuncture", "medicine", "opioid", "ibuprofen", "paracetamol", "scan", "mri",
    "xray", "ct", "diagnosis", "symptom", "treatment", "recovery", "rehab", "chronic",
    "acute", "flare", "bladder", "bowel", "emergency", "syndrome", "failed",
    "persistent", "whiplash",
]  # fmt: skip
EVERYDAY = [
    "the", "a", "and", "of", "to", "in", "is", "it", "you", "that", "your", "for",
    "with", "on", "can", "be", "may", "are", "this", "or", "as", "if", "have", "when",
    "not", "more", "most", "some", "they", "from", "help", "doctor", "often", "feel",
    "day", "week", "month", "time", "make", "get", "go", "take", "keep", "start",
    "stop", "try", "small", "long", "short", "good", "better", "worse", "hurt",
    "body", "people", "life", "work", "home", "family", "car", "chair", "bed", "desk",
    "phone", "hand", "foot", "hip", "knee", "shoulder",
]  # fmt: skip
# Zipf-like weights: a few words are in nearly every page, most are rare. Real pages
# use thousands of words; made-up ones ("bralomet") fill the long tail.
SYLLABLES = [
    "ba", "be", "bi", "bo", "bu", "ca", "co", "cu", "da", "de", "di", "do", "fa",
    "fe", "fi", "la", "le", "li", "lo", "lu", "ma", "me", "mi", "mo", "na", "ne",
    "ni", "no", "pa", "pe", "po", "ra", "re", "ri", "ro", "sa", "se", "si", "so",
    "ta", "te", "ti", "to", "va", "ve", "vi",
]  # fmt: skip
HEAD = SPINE + EVERYDAY
rng.shuffle(HEAD)
TAIL = sorted({"".join(rng.choices(SYLLABLES, k=rng.randint(3, 4))) + "t" for _ in range(3000)})
rng.shuffle(TAIL)
VOCABULARY = HEAD + TAIL
WEIGHTS = [1 / (rank + 1) for rank in range(len(VOCABULARY))]


def words(count):
    return rng.choices(VOCABULARY, WEIGHTS, k=count)


def sentence():
    text = " ".join(words(rng.randint(7, 16)))
    return text[0].upper() + text[1:] + "."


def paragraph_text(sentences):
    return " ".join(sentence() for _ in range(sentences))


def title():
    return " ".join(word.capitalize() for word in rng.sample(SPINE, rng.randint(2, 3)))


def create_database():
    db = settings.DATABASES["default"]
    params = {"host": db["HOST"], "port": db["PORT"] or 5432, "user": db["USER"]}
    if db["PASSWORD"]:
        params["password"] = db["PASSWORD"]
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(SCRATCH))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(SCRATCH)))
    return params


def drop_database(params):
    connections.close_all()
    pool = getattr(connection, "pool", None)
    if pool is not None:
        pool.close()
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(SCRATCH))
        )


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
    search.rebuild_vocabulary()  # bulk_create skips the save() signal that keeps it
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def misspell(word):
    position = rng.randrange(1, len(word) - 1)
    return word[:position] + rng.choice("aeioukst") + word[position + 1 :]


def queries():
    """A fixed mix of what readers type."""
    common = [word for word in HEAD[:30] if word not in EVERYDAY]
    names = list(
        Condition.objects.published().order_by("?").values_list("also_called", flat=True)[:200]
    )
    long_words = [word for word in SPINE if len(word) >= 7]
    kinds = [
        (0.25, lambda: rng.choice(common)),  # matches thousands of pages
        (0.10, lambda: rng.choice(SPINE)),
        (0.05, lambda: rng.choice(TAIL)),  # a rare word
        (0.15, lambda: " ".join(rng.sample(SPINE, rng.randint(2, 3)))),
        (0.10, lambda: rng.choice(names).splitlines()[0].lower()),
        (0.10, lambda: f'"{rng.choice(SPINE)} {rng.choice(SPINE)}" -{rng.choice(SPINE)}'),
        (0.15, lambda: misspell(rng.choice(long_words))),  # corrected by the fallback
        (0.10, lambda: f"zq{rng.randint(100, 999)}x nothing"),  # fallback, then nothing
    ]
    weights, makers = zip(*kinds, strict=True)
    return [rng.choices(makers, weights)[0]() for _ in range(QUERIES + WARM_UP)]


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
    params = create_database()
    try:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        fill()
        print(
            f"Filled {CONDITIONS:,} condition pages ({Condition.objects.published().count():,} "
            f"published) and {VIDEOS:,} videos in {time.perf_counter() - started:.0f} s."
        )
        mix = queries()
        found = sum(
            1 for query in mix[WARM_UP:] if search.search(search.clean_query(query)[0]).hits
        )
        print(f"{QUERIES:,} queries, {found:,} with results, on {os.cpu_count()} CPU cores.")
        p95 = report("spinesite.search.search()", timed(lambda q: search.search(q), mix))
        client = Client()
        # A cookie keeps every request out of the page cache (spinesite.pagecache):
        # this times searching and rendering, not serving a page from memory.
        client.cookies["bench"] = "no-page-cache"
        report(
            "GET /search/?q= (whole page)", timed(lambda q: client.get("/search/", {"q": q}), mix)
        )
        print(f"Target p95 < 30 ms for search(): {'met' if p95 < 30 else 'NOT MET'}.")
    finally:
        if keep:
            connections.close_all()
            print(f"Kept the scratch database {SCRATCH}; drop it when done.")
        else:
            drop_database(params)


if __name__ == "__main__":
    main()
