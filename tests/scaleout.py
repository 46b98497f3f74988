"""SKB as a region runs it, on loopback, for the scale-out and database-fault tests.

The pieces live in benchmarks/region.py, shared with `make load`: `Cluster`, a throwaway
PostgreSQL cluster (as tests/pg.py makes one) that a test may stop and start again on the same
port, as a database that goes away for a while would (the session-wide server of tests/pg.py is
shared by every storage test of the run, so it is never the one stopped); and `Nginx`, Debian's
nginx without root in a temporary prefix, running the shipped deploy/nginx/ configuration as it
is, with the test's app servers as its upstream and an `X-SKB-Upstream` header naming the server
that answered each request.
"""

from __future__ import annotations

from benchmarks.region import DEPLOY, NGINX, Cluster, Nginx

__all__ = ["Cluster", "Nginx", "NGINX", "DEPLOY"]
