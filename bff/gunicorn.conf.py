"""How gunicorn serves the BFF: `gunicorn -c bff/gunicorn.conf.py -b HOST:PORT 'bff:create_app()'`.

gevent workers, because the BFF sits at the edge and mostly waits (on Redis, on the API, on
slow clients). A greenlet per connection means a client that dribbles its headers, or holds a
keep-alive connection, parks a few KB instead of a thread or a whole worker; the sync and
gthread workers give every such socket a thread until the timeout, so a dozen slow sockets
stall them. The figures behind this choice are in the README ("Serving the BFF").

This file is read by the gunicorn master before the app is imported, and imports nothing of the
app, so gevent patches the standard library in each worker before Redis or ssl are used.
"""

import multiprocessing
import os

worker_class = "gevent"
# One worker per core: with gevent a worker never blocks on I/O, so more would only contend.
workers = int(os.environ.get("BFF_WORKERS", multiprocessing.cpu_count()))
worker_connections = int(os.environ.get("BFF_WORKER_CONNECTIONS", 1000))
keepalive = 5  # seconds an idle keep-alive connection is held
timeout = 30  # a worker silent this long is restarted
graceful_timeout = 5
