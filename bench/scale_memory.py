"""Memory for bench/scale.py: the RSS of each gunicorn worker after serving every page
of the scratch database once.

Imported by scale.py after django.setup(): it reverses the site's URLs and reads its
kinds of page; the server it starts inherits scale.py's environment (the scratch
database's DATABASE_URL among it) but not the DB_STATEMENT_TIMEOUT_MS=0 that scale.py
sets for the fill, so that it serves with the site's own statement limit.
"""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.request import urlopen

from django.urls import reverse

from bench.common import verdict
from spinesite import pagekinds

ROOT = Path(__file__).resolve().parent.parent
WORKER_RSS_MB = 250


def serve():
    """gunicorn as `make serve` runs it, on a free port, on this scratch database."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DB_STATEMENT_TIMEOUT_MS")
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, from our venv
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "--access-logfile",
            "/dev/null",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urlopen(f"{base}/healthz", timeout=2).read()  # noqa: S310 - our own server
            break
        except OSError:
            time.sleep(0.5)
    return server, base


def rss_mb(pid):
    for row in Path(f"/proc/{pid}/status").read_text().splitlines():
        if row.startswith("VmRSS:"):
            return int(row.split()[1]) / 1024
    return 0.0


def workers(server):
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    return [int(pid) for pid in children]


def bench_memory():
    """Every page once, as anonymous visitors (so into the page cache), 4 at a time."""
    urls = [reverse("home"), reverse("search") + "?q=pain"]
    for kind in pagekinds.kinds():
        index = reverse(kind.index_url_name)
        urls += [index, *(page.get_absolute_url() for page in kind.queryset().only("slug"))]
    limit = int(os.environ.get("BENCH_MEMORY_PAGES", 0)) or len(urls)
    urls = urls[:limit]
    server, base = serve()
    try:
        before = {pid: rss_mb(pid) for pid in workers(server)}
        failures, start = [], time.perf_counter()

        def fetch(part):
            for path in part:
                try:
                    urlopen(base + path, timeout=30).read()  # noqa: S310 - our own server
                except OSError as error:
                    failures.append((path, error))

        threads = [threading.Thread(target=fetch, args=(urls[n::4],)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - start
        after = {pid: rss_mb(pid) for pid in workers(server)}
    finally:
        os.killpg(server.pid, 15)
        server.wait()
    most = max(after.values())
    ok = most < WORKER_RSS_MB and not failures
    print("Memory, gunicorn with 2 workers:")
    print(
        f"  {len(urls):,} pages served once in {seconds:.0f} s ({len(failures)} failed); "
        "worker RSS "
        + ", ".join(f"{before.get(pid, 0):.0f} -> {mb:.0f} MB" for pid, mb in after.items())
        + f"   target < {WORKER_RSS_MB} MB: {verdict(ok)}"
    )
    return ok
