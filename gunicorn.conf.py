"""Gunicorn settings for production: `gunicorn wsgi:app` reads this file from the working directory.

Sync workers, two per core by default: a worker waiting on PostgreSQL or Redis leaves the core to another, and no
thread shares a worker's interpreter lock (threaded workers measured slower on rendered pages: bench/pages).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count()))
worker_class = "sync"
max_requests = 0  # the workers' memory stays flat (bench/pages measures it): no periodic restarts needed
