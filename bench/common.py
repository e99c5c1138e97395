"""Made-up patient pages for the benchmarks: words, sentences, titles and queries.

Zipf-like: a few words are in nearly every page, most are rare, as in real text.
Seeded, so every run of a benchmark searches the same pages with the same queries.
"""

import itertools
import os
import random
import statistics
import time

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
# Summed once: random.choices() would sum the weights again on every call.
CUM_WEIGHTS = list(itertools.accumulate(WEIGHTS))


def words(count):
    return rng.choices(VOCABULARY, cum_weights=CUM_WEIGHTS, k=count)


def sentence():
    text = " ".join(words(rng.randint(7, 16)))
    return text[0].upper() + text[1:] + "."


def paragraph_text(sentences):
    return " ".join(sentence() for _ in range(sentences))


def title():
    return " ".join(word.capitalize() for word in rng.sample(SPINE, rng.randint(2, 3)))


def misspell(word):
    position = rng.randrange(1, len(word) - 1)
    return word[:position] + rng.choice("aeioukst") + word[position + 1 :]


def queries(names, count):
    """A fixed mix of what readers type; `names` are pages' "also called" texts."""
    common = [word for word in HEAD[:30] if word not in EVERYDAY]
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
    return [rng.choices(makers, weights)[0]() for _ in range(count)]


# Scratch databases and figures
# ------------------------------------------------------------------------------
def scratch_database_url(name):
    """DATABASE_URL with its database swapped for the scratch one `name`."""
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/spinesite")
    return base.rsplit("/", 1)[0] + "/" + os.environ.get("BENCH_DB", name)


def _server():
    from django.conf import settings

    db = settings.DATABASES["default"]
    params = {"host": db["HOST"], "port": db["PORT"] or 5432, "user": db["USER"]}
    if db["PASSWORD"]:
        params["password"] = db["PASSWORD"]
    return db["NAME"], params


def create_database():
    """Create the settings' database afresh (dropping any left from an earlier run)."""
    import psycopg
    from psycopg import sql

    name, params = _server()
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database():
    import psycopg
    from django.db import connection, connections
    from psycopg import sql

    name, params = _server()
    connections.close_all()
    pool = getattr(connection, "pool", None)
    if pool is not None:
        pool.close()
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def percentiles(times):
    """p50, p95, p99 and max of a list of milliseconds."""
    cuts = statistics.quantiles(times, n=100)
    return cuts[49], cuts[94], cuts[98], max(times)


def verdict(ok):
    return "PASS" if ok else "MISS"


def read_into_memory():
    """Read the whole database once (pg_prewarm, into the operating system's cache), so
    that the figures are those of a server that has run a while rather than of first
    reads from disk, which a fresh fill or another benchmark's writes leave behind
    (README, bench-scale: search p95 46 ms and p99 98 ms cold, 23 and 25 ms after)."""
    from django.db import DatabaseError, connection, transaction

    started = time.perf_counter()
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
            cursor.execute(
                "SELECT sum(pg_prewarm(oid, 'read') * current_setting('block_size')::bigint)"
                " FROM pg_class WHERE relkind IN ('r', 'i', 't', 'm') AND relpersistence = 'p'"
            )
            size = cursor.fetchone()[0]
    except DatabaseError as error:  # no pg_prewarm, or a user who may not add it
        print(f"Did not read the database into memory first (pg_prewarm: {error})".strip())
        return
    print(
        f"Read the database into memory first ({int(size) / 1e9:.2f} GB in "
        f"{time.perf_counter() - started:.0f} s, pg_prewarm)."
    )
