"""gunicorn settings for spinesite; gunicorn reads this file from the working directory.

Run `gunicorn` from the project directory (`make serve` does). Environment:

* GUNICORN_BIND (default 127.0.0.1:8000): where to listen. Behind a proxy on another
  machine, a private address such as 10.0.0.5:8000; never a public one.
* WEB_CONCURRENCY: worker processes; default 2 x CPU cores + 1, at most 12.
* GUNICORN_THREADS (default 4): requests each worker process serves at once. Keep
  DB_POOL_MAX_SIZE at least this large (each thread may hold a pooled connection).
* GUNICORN_TIMEOUT (default 30): seconds before a stuck worker is killed and replaced;
  PostgreSQL's statement timeout (DB_STATEMENT_TIMEOUT_MS) is shorter, so a slow
  query normally ends with an error page first.
* FORWARDED_ALLOW_IPS (read by gunicorn itself): the proxy's address, so that its
  X-Forwarded-Proto counts and Django sees HTTPS requests as secure.
"""

import gc
import multiprocessing
import os

wsgi_app = "spinesite.wsgi:application"
proc_name = "spinesite"
bind = [os.environ.get("GUNICORN_BIND") or "127.0.0.1:8000"]

# Threaded workers (gthread), chosen for slow clients. A sync worker is given a
# connection from its first byte to its last: a client that sends its headers or
# body slowly, or reads a large response slowly, holds the whole process, and five
# such clients took a 5-worker site down. A gthread worker keeps waiting connections
# (new and keep-alive ones) in a poller and gives one to a thread only once its
# request has arrived, and drains leftover bodies with a deadline. Bodies and
# responses are buffered by Caddy in front (deploy/Caddyfile), which also serves the
# large files in /media/, so a thread is busy only while the site works on a
# request. Threads rather than an async worker (gevent): Django's ORM and psycopg
# are synchronous here, and threads need no monkey-patching.
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * multiprocessing.cpu_count() + 1, 12))
threads = int(os.environ.get("GUNICORN_THREADS") or 4)
# Each worker listens on a socket of its own and the kernel spreads new connections
# over them. On one shared socket the first worker to wake could take a whole burst
# of connections and, kept alive, serve them all on one core while the others idled
# (bench/http.sh: the same cached page at 1,100 or 3,400 requests/s from one run to
# the next). The price: connections waiting for a worker that dies are reset, and a
# second gunicorn started by mistake on the same port shares it instead of failing.
# Not on a unix socket, which SO_REUSEPORT cannot share (see on_starting).
reuse_port = True
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 30)
graceful_timeout = 30
# Workers are not replaced after some number of requests (max_requests): what they
# keep in memory is bounded (the page cache by PAGE_CACHE_MAX_BYTES, the fragments
# kept per content version by FRAGMENT_CACHE_MAX_BYTES, search results by
# SEARCH_CACHE_MAX_BYTES, the pool by its
# max_size), and a new worker must import Django and fill its page cache again, which under load
# (1000 requests is under a second) would cost more than the requests themselves.

# Heartbeat files in memory, not on a disk that may be slow or full.
if os.path.isdir("/dev/shm"):  # noqa: S108 - gunicorn's own advice; not a shared file
    worker_tmp_dir = "/dev/shm"  # noqa: S108
# No control socket (gunicorn 25+): nothing uses it, and two servers on one machine
# would share its default path.
control_socket_disable = True

# Logs to stdout/stderr for the process manager (systemd's journal, docker logs).
# The access log shows the path without the query string (%(U)s, not %(r)s), and no
# referrer: either can carry what a patient searched for or typed.
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'


def on_starting(server):
    """No reuse_port on a unix socket: every worker would exit at start (EOPNOTSUPP).
    Decided here, from the addresses in force (GUNICORN_BIND, -b or GUNICORN_CMD_ARGS),
    before gunicorn opens them."""
    if any(str(address).startswith("unix:") for address in server.cfg.bind):
        server.cfg.set("reuse_port", False)


def post_worker_init(worker):
    """Keep what the worker has loaded (Django, the site's code) out of the garbage
    collector's sight. It lives as long as the worker, yet every full collection would
    walk all of it: a pause of about 30 ms that lands on some unlucky request."""
    gc.freeze()
