"""gunicorn settings for `make serve` and production: threads, and slow clients cost none.

Every value comes from the environment (see .env.example). The proxy in front must
still buffer requests and responses (README: "Run it in production").
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:" + os.environ.get("PORT", "8000"))
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# gthread, but a connection gets a thread only once its request head has arrived
# (handreiking/gunicorn_worker.py): a client sending its request slowly holds no thread,
# so the thread count is chosen for latency alone. More threads per worker only make
# the slowest responses wait longer for the GIL: on two cores, p99 was 20 ms with 3
# threads and 35 ms with 6. The proxy's buffering stays the first defence (README:
# "Run it in production").
worker_class = "handreiking.gunicorn_worker.HeadFirstThreadWorker"
threads = int(os.environ.get("GUNICORN_THREADS", "3"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Small request limits: the site has no uploads, and a query longer than this is refused.
limit_request_line = 8190
limit_request_fields = 60
limit_request_field_size = 8190
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Spread connections over the workers evenly (the kernel balances SO_REUSEPORT sockets);
# otherwise one worker can end up holding most keep-alive connections.
reuse_port = True


def post_fork(server, worker):
    """Switch threads every millisecond, not every 5: short requests do not wait behind others."""
    import sys

    sys.setswitchinterval(float(os.environ.get("GUNICORN_SWITCH_INTERVAL", "0.001")))
