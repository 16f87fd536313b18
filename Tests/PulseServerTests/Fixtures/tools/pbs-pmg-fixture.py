"""Proxmox Backup Server and Mail Gateway fixtures for the polling tests (no fake of either
exists). Each answers the read paths Pulse polls, in the shapes of the PBS 3 / PMG 8 API
documentation (api-viewer), under /api2/json with {"data": ...} envelopes, over TLS, with API
token auth (`PBSAPIToken=user@realm!name:secret`, `PMGAPIToken=...`) and ticket logins.

    pbs-pmg-fixture.py DIR [--pbs HOST:PORT] [--pmg HOST:PORT] [--other HOST:PORT]

Each listens on 127.0.0.1 and a free port unless given an address (the products' own ports are
8007 for PBS, 8006 for PMG). Like the real servers, each serves its web GUI's start page at `/` to
anyone (what network discovery reads). `--other` adds a TLS server that is no Proxmox product (a
generic web page), for discovery to pass over. Prints one JSON line when all listen:
    {"pbs": {"url", "fingerprint", "tokenId", "tokenSecret"}, "pmg": {...}}
then reads commands, one per line, each answered "ok" or "error ...":
    fail pbs|pmg PATH STATUS      requests for PATH (without /api2/json) answer STATUS
    clear                         no failures
    requests pbs|pmg              "ok N": requests served since the last call
The fixtures end when stdin closes.
"""

import argparse
import asyncio
import hashlib
import json
import secrets
import ssl
import sys
import time

from aiohttp import web
from fakepve.certs import make_cert

NOW = int(time.time())
GIB = 1024 ** 3


def pbs_routes():
    snapshots = {
        ('main', ''): [
            {'backup-type': 'vm', 'backup-id': '100', 'backup-time': NOW - 86400, 'size': 12 * GIB, 'protected': False,
             'owner': 'root@pam', 'comment': 'nightly', 'verification': {'state': 'ok', 'upid': 'UPID:pbs:1'},
             'files': [{'filename': 'index.json.blob', 'size': 512}]},
            {'backup-type': 'ct', 'backup-id': '102', 'backup-time': NOW - 3600, 'size': 2 * GIB, 'protected': True,
             'owner': 'root@pam', 'files': []},
        ],
        ('main', 'prod'): [
            {'backup-type': 'vm', 'backup-id': '200', 'backup-time': NOW - 7200, 'size': 40 * GIB, 'protected': False,
             'owner': 'sync@pbs', 'verification': {'state': 'failed', 'upid': 'UPID:pbs:2'}, 'files': []},
        ],
        ('offsite', ''): [],
    }
    return {
        '/version': {'version': '3.2.7', 'release': '3.2', 'repoid': 'fixture'},
        '/nodes': [{'node': 'localhost'}],
        '/nodes/localhost/status': {
            'cpu': 0.125, 'wait': 0.0, 'loadavg': [0.5, 0.4, 0.3], 'uptime': 86400, 'kversion': 'Linux 6.8.12-1-pve',
            'memory': {'total': 16 * GIB, 'used': 4 * GIB, 'free': 12 * GIB},
            'swap': {'total': 8 * GIB, 'used': 0, 'free': 8 * GIB},
            'root': {'total': 64 * GIB, 'used': 10 * GIB, 'avail': 54 * GIB},
            'cpuinfo': {'model': 'Fixture CPU', 'cpus': 8, 'sockets': 1},
            'info': {'fingerprint': '00:11'}},
        '/admin/datastore': [{'store': 'main', 'comment': 'primary'}, {'store': 'offsite'}],
        '/admin/datastore/main/status': {'total': 1000 * GIB, 'used': 250 * GIB, 'avail': 750 * GIB},
        '/admin/datastore/offsite/status': {'total': 2000 * GIB, 'used': 0, 'avail': 2000 * GIB},
        '/admin/datastore/main/gc': {'index-data-bytes': 1000 * GIB, 'disk-bytes': 250 * GIB, 'disk-chunks': 1000,
                                     'removed-bytes': 0, 'pending-bytes': 0, 'upid': 'UPID:pbs:gc1',
                                     'last-run-state': 'ok', 'last-run-endtime': NOW - 600},
        '/admin/datastore/offsite/gc': {'index-data-bytes': 0, 'disk-bytes': 0},
        '/admin/datastore/main/namespace': [{'ns': ''}, {'ns': 'prod'}],
        '/admin/datastore/offsite/namespace': [{'ns': ''}],
        '/admin/sync': [{'id': 's-offsite', 'store': 'offsite', 'remote': 'peer', 'remote-store': 'main',
                         'schedule': 'daily', 'last-run-state': 'ok', 'last-run-endtime': NOW - 3000, 'next-run': NOW + 80000}],
        '/admin/verify': [{'id': 'v-main', 'store': 'main', 'schedule': 'weekly', 'last-run-state': 'ERROR: 1 failed',
                           'last-run-endtime': NOW - 5000, 'next-run': NOW + 500000}],
        '/admin/prune': [{'id': 'p-main', 'store': 'main', 'schedule': 'daily', 'last-run-state': 'ok',
                          'last-run-endtime': NOW - 4000, 'next-run': NOW + 82000}],
        '/nodes/localhost/tasks': [
            {'upid': 'UPID:pbs:backup1', 'worker_type': 'backup', 'worker_id': 'main:vm/100', 'user': 'root@pam',
             'starttime': NOW - 86400, 'endtime': NOW - 86000, 'status': 'OK'}],
        'snapshots': snapshots,
    }


def pmg_routes():
    return {
        '/version': {'version': '8.1.4', 'release': '8.1', 'repoid': 'fixture'},
        '/config/cluster/status': [
            {'cid': 1, 'name': 'pmg1', 'type': 'master', 'ip': '192.0.2.21', 'hostrsapubkey': 'x'},
            {'cid': 2, 'name': 'pmg2', 'type': 'node', 'ip': '192.0.2.22', 'hostrsapubkey': 'x'}],
        '/statistics/mail': {'count': 1200, 'count_in': 1000, 'count_out': 200, 'spamcount_in': 150, 'spamcount_out': 2,
                             'viruscount_in': 3, 'viruscount_out': 0, 'bounces_in': 10, 'bounces_out': 4,
                             'bytes_in': 52428800, 'bytes_out': 10485760, 'avptime': 0.42, 'junk_in': 40,
                             'glcount': 5, 'rbl_rejects': 30, 'pregreet_rejects': 12},
        '/statistics/mailcount': [
            {'index': i, 'time': NOW - NOW % 3600 - (23 - i) * 3600, 'count': 50, 'count_in': 40, 'count_out': 10,
             'spamcount_in': 6, 'spamcount_out': 0, 'viruscount_in': 0, 'viruscount_out': 0, 'bounces_in': 1, 'bounces_out': 0}
            for i in range(24)],
        '/statistics/spamscores': [{'level': level, 'count': count, 'ratio': count / 200.0}
                                   for level, count in ((0, 120), (1, 30), (3, 20), (5, 15), (10, 15))],
        '/quarantine/spamstatus': {'count': 42, 'avgbytes': 20480, 'avgspam': 7.5, 'mbytes': 0.8},
        '/quarantine/virusstatus': {'count': 3, 'avgbytes': 102400, 'mbytes': 0.3},
        '/nodes/pmg1/postfix/queue': [{'queue': 'active', 'count': 2}, {'queue': 'deferred', 'count': 5},
                                      {'queue': 'hold', 'count': 1}, {'queue': 'incoming', 'count': 0}],
        '/nodes/pmg2/postfix/queue': [{'queue': 'active', 'count': 0}, {'queue': 'deferred', 'count': 0},
                                      {'queue': 'hold', 'count': 0}, {'queue': 'incoming', 'count': 0}],
    }


def start_page(kind, routes):
    """The start page each product serves at / without a login: proxmox-backup's www/index.hbs
    (`<node> - Proxmox Backup Server`, no version in it) and pmg-gui's pmg-index.html.tt
    (`<node> - Proxmox Mail Gateway`, the GUI script loaded with `?ver=<pmg-gui version>`)."""
    if kind == 'pbs':
        title, script = 'localhost - Proxmox Backup Server', '/js/proxmox-backup-gui.js'
    elif kind == 'pmg':
        title = '{0} - Proxmox Mail Gateway'.format(routes['/config/cluster/status'][0]['name'])
        script = '/pve2/js/pmgmanagerlib.js?ver={0}'.format(routes['/version']['version'])
    else:
        title, script = 'Welcome to nginx!', '/app.js'
    return ('<!DOCTYPE html>\n<html>\n  <head>\n    <title>{0}</title>\n'
            '    <script type="text/javascript" src="{1}"></script>\n  </head>\n  <body></body>\n</html>\n').format(title, script)


class Fixture:
    def __init__(self, kind, routes, address='127.0.0.1:0'):
        self.kind = kind
        self.routes = routes
        self.host, port = address.rsplit(':', 1)
        self.port = int(port)
        self.scheme = 'PBSAPIToken' if kind == 'pbs' else 'PMGAPIToken'
        self.cookie = 'PBSAuthCookie' if kind == 'pbs' else 'PMGAuthCookie'
        self.token_id = 'pulse@pbs!monitor' if kind == 'pbs' else 'pulse@pmg!monitor'
        self.token_secret = secrets.token_hex(16)
        self.password = 'fixture-password'
        self.tickets = set()
        self.failures = {}
        self.requests = 0

    def authorised(self, request):
        auth = request.headers.get('Authorization', '')
        if auth == '{0}={1}:{2}'.format(self.scheme, self.token_id, self.token_secret):
            return True
        return request.cookies.get(self.cookie) in self.tickets

    async def handle(self, request):
        self.requests += 1
        if request.path == '/' and request.method == 'GET':
            return web.Response(text=start_page(self.kind, self.routes), content_type='text/html')
        path = request.path[len('/api2/json'):] if request.path.startswith('/api2/json') else None
        if path is None:
            return web.json_response({'data': None}, status=404)
        if path in self.failures:
            return web.json_response({'data': None, 'message': 'fixture failure'}, status=self.failures[path])
        if path == '/access/ticket' and request.method == 'POST':
            form = await request.post()
            if form.get('password') != self.password:
                return web.json_response({'data': None}, status=401)
            ticket = '{0}:{1}::{2}'.format(self.kind.upper(), form.get('username'), secrets.token_hex(8))
            self.tickets.add(ticket)
            return web.json_response({'data': {'ticket': ticket, 'CSRFPreventionToken': 'csrf', 'username': form.get('username')}})
        if not self.authorised(request):
            return web.json_response({'data': None}, status=401)
        if self.kind == 'pbs' and path.startswith('/admin/datastore/') and path.endswith('/snapshots'):
            store = path.split('/')[3]
            key = (store, request.query.get('ns', ''))
            if key not in self.routes['snapshots']:
                return web.json_response({'data': None, 'message': 'no such datastore'}, status=400)
            return web.json_response({'data': self.routes['snapshots'][key]})
        if path in self.routes:
            return web.json_response({'data': self.routes[path]})
        return web.json_response({'data': None, 'message': 'Method \'GET {0}\' not implemented'.format(path)}, status=501)

    async def start(self, directory):
        certfile, keyfile, der = make_cert(directory, name=self.kind, hosts=(self.host,))
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(certfile, keyfile)
        app = web.Application()
        app.router.add_route('*', '/{tail:.*}', self.handle)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, self.host, self.port, ssl_context=context)
        await site.start()
        port = self.runner.addresses[0][1]
        digest = hashlib.sha256(der).hexdigest().upper()
        return {'url': 'https://{0}:{1}'.format(self.host, port), 'tokenId': self.token_id, 'tokenSecret': self.token_secret,
                'password': self.password, 'fingerprint': ':'.join(digest[i:i + 2] for i in range(0, len(digest), 2))}


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('dir')
    parser.add_argument('--pbs', default='127.0.0.1:0')
    parser.add_argument('--pmg', default='127.0.0.1:0')
    parser.add_argument('--other')
    args = parser.parse_args()
    directory = args.dir
    fixtures = {'pbs': Fixture('pbs', pbs_routes(), args.pbs), 'pmg': Fixture('pmg', pmg_routes(), args.pmg)}
    if args.other:
        fixtures['other'] = Fixture('other', {}, args.other)
    info = {kind: await fixture.start(directory) for kind, fixture in fixtures.items()}
    print(json.dumps(info), flush=True)
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    seen = {kind: 0 for kind in fixtures}
    while True:
        line = await reader.readline()
        if not line:
            break
        words = line.decode().split()
        try:
            if words[0] == 'fail':
                fixtures[words[1]].failures[words[2]] = int(words[3])
                answer = 'ok'
            elif words[0] == 'clear':
                for fixture in fixtures.values():
                    fixture.failures.clear()
                answer = 'ok'
            elif words[0] == 'requests':
                fixture = fixtures[words[1]]
                answer = 'ok {0}'.format(fixture.requests - seen[words[1]])
                seen[words[1]] = fixture.requests
            else:
                answer = 'error unknown command'
        except (IndexError, KeyError, ValueError) as error:
            answer = 'error {0}'.format(error)
        print(answer, flush=True)
    for fixture in fixtures.values():
        await fixture.runner.cleanup()


if __name__ == '__main__':
    asyncio.run(main())
