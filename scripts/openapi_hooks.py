"""schemathesis hooks for scripts/test-openapi.sh.

The server limits requests per client address, and every generated request comes from one
loopback address, so most operations met 429 and their handlers saw few generated cases. The
server is started trusting 127.0.0.1 as a reverse proxy, and each request here names a client of
its own in X-Forwarded-For (10.0.0.1, 10.0.0.2, ...): the limits stay on, and each client's budget
is one request.
"""

import itertools

import schemathesis

_clients = itertools.count(1)


@schemathesis.hook
def before_call(context, case, kwargs):
    number = next(_clients) % (1 << 24)
    headers = dict(case.headers or {})
    headers['X-Forwarded-For'] = '10.{0}.{1}.{2}'.format(number >> 16, (number >> 8) & 255, number & 255)
    case.headers = headers
