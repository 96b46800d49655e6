"""gunicorn settings for ParIndex in production (`make serve`, docs/operations.md).

gunicorn listens on the loopback address only; a TLS-terminating reverse proxy (nginx)
on the same server forwards to it. Every value can be changed from the environment.
"""

import os

# 127.0.0.1 only: the proxy is the one public entry point.
bind = os.getenv("GUNICORN_BIND", f"127.0.0.1:{os.getenv('PORT', '8000')}")
# Two processes for a two-core server; each runs a few threads so that a slow request
# (a PDF report, an Excel import) does not hold up the pages queued behind it.
workers = int(os.getenv("GUNICORN_WORKERS", "2"))
worker_class = "gthread"
threads = int(os.getenv("GUNICORN_THREADS", "4"))
# Report rendering and Excel imports can take several seconds; nothing takes a minute.
timeout = int(os.getenv("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so that memory held by large imports is given back.
max_requests = int(os.getenv("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# The proxy on this machine may tell gunicorn that the original request was HTTPS
# (X-Forwarded-Proto); nobody else may.
forwarded_allow_ips = os.getenv("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
wsgi_app = "parindex.wsgi:application"
accesslog = os.getenv("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.getenv("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
proc_name = "parindex"


def post_worker_init(worker):
    """Load the URL configuration, the page templates and matplotlib before the first request
    (parindex/warmup.py), so that no user waits for them; then move what is loaded out of the
    garbage collector's reach (gc.freeze): those ~190 000 objects live as long as the worker,
    and a full collection walking them took ~100 ms of some unlucky request each time
    (docs/performance.md, load test)."""
    import gc

    from parindex.warmup import warm_up

    took = warm_up()
    gc.collect()
    gc.freeze()
    worker.log.info(
        "Tiến trình %s đã chuẩn bị trong %.2f s (%d đối tượng cố định)",
        worker.pid,
        took,
        gc.get_freeze_count(),
    )
