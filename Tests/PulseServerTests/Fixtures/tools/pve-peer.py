"""A Proxmox VE peer for the polling tests: fakepve (PyPI) in this process, driven over stdin.

    pve-peer.py DIR [--nodes N] [--guests M] [--host 127.0.0.1] [--port 0] [--ceph] [--backups] [--extra-token ID]...

Starts a fakepve cluster of N nodes (pve1..pveN) holding M guests spread over them (every third one
a container, every tenth one stopped, every other VM with a guest agent), with an API token `pulse@pve!monitor`, on PORT (a free
one by default; PVE's own is 8006) with a certificate written into DIR. Like pveproxy it serves its web GUI's start page at `/`
to anyone (what network discovery reads). Prints one JSON line when it listens:
    {"url": ..., "cafile": ..., "fingerprint": "AA:BB:...", "tokenId": ..., "tokenSecret": ...}
then reads commands, one per line, answering each with one line ("ok ..." or "error ..."):
    offline NODE | online NODE        node answers 595 / answers again
    latency SECS [NODE]               added delay (real seconds) for every response (or one node's)
    fail METHOD SUFFIX STATUS MSG     requests whose path ends with SUFFIX fail (until clear)
    clear                             no failures, no latency, quorum back, Ceph healthy
    revoke-tickets                    every login ticket is forgotten (next request: 401)
    lose-quorum                       the cluster loses quorum
    ceph-down                         Ceph is unreachable
    requests                          "ok N": requests served since the last `requests`
The peer ends when stdin closes.
"""

import argparse
import asyncio
import hashlib
import json
import secrets
import ssl
import sys

from fakepve import FakePve
from fakepve.certs import make_cert


def populate(pve, nodes, guests, ceph, backups):
    names = ['pve{0}'.format(i + 1) for i in range(nodes)]
    for name in names:
        pve.add_node(name)
    for i in range(guests):
        vmid = 100 + i
        node = names[i % nodes]
        status = 'stopped' if i % 10 == 9 else 'running'
        if i % 3 == 2:
            pve.add_ct(vmid, 'ct{0}'.format(vmid), node=node, status=status,
                       config={'rootfs': 'local-lvm:vm-{0}-disk-0,size=8G'.format(vmid), 'memory': 512,
                               'cores': 1, 'tags': 'web;prod', 'net0': 'name=eth0,bridge=vmbr0,ip=dhcp'})
        else:
            vm = pve.add_vm(vmid, 'vm{0}'.format(vmid), node=node, status=status,
                            config={'scsi0': 'local-lvm:vm-{0}-disk-0,size=32G'.format(vmid), 'memory': 2048,
                                    'cores': 2, 'tags': 'db', 'agent': '1'})
            # Every other VM runs a guest agent (fakepve answers with plausible defaults).
            if i % 2 == 0:
                vm.agent = {}
            if i == 0:
                vm.snapshots['before-upgrade'] = {'snaptime': 1795000000, 'description': 'pre 9.1'}
    if ceph:
        pve.add_ceph_storage('ceph-pool', 'rbd')
    if backups:
        for i in range(min(guests, 5)):
            pve.store_file('local', 'dump/vzdump-qemu-{0}-2026_11_20-01_00_00.vma.zst'.format(100 + i),
                           1024 ** 3, content='backup')


def login_page(pve):
    """The web GUI's start page as pveproxy serves it at / without a login (pve-manager's
    www/index.html.tpl): titled `<node> - Proxmox Virtual Environment`, loading the GUI script with
    `?ver=<pve-manager version>`."""
    from aiohttp import web
    node = next(iter(pve.nodes), 'pve')
    page = ('<!DOCTYPE html>\n<html>\n  <head>\n    <title>{0} - Proxmox Virtual Environment</title>\n'
            '    <script type="text/javascript" src="/pve2/js/pvemanagerlib.js?ver={1}"></script>\n'
            '  </head>\n  <body></body>\n</html>\n').format(node, pve.version)
    return web.Response(text=page, content_type='text/html', headers={'Server': 'pve-api-daemon/3.0'})


async def commands(pve, out):
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    seen = len(pve.requests)
    while True:
        line = await reader.readline()
        if not line:
            return
        words = line.decode().split()
        if not words:
            continue
        verb, args = words[0], words[1:]
        try:
            if verb == 'offline':
                pve.set_node_offline(args[0])
            elif verb == 'online':
                pve.set_node_offline(args[0], offline=False)
            elif verb == 'latency':
                # fakepve scales its delays by time_scale; 1 makes them real seconds.
                pve.time_scale = 1.0
                pve.slow_network(float(args[0]), node=args[1] if len(args) > 1 else None)
            elif verb == 'fail':
                pve.fail(args[0], args[1], int(args[2]), ' '.join(args[3:]) or 'failure')
            elif verb == 'clear':
                pve.failures.clear()
                pve.network.update(latency=0.0, jitter=0.0, node_latency={})
                pve.time_scale = 0
                pve.regain_quorum()
                pve.ceph_recover()
                for node in pve.nodes:
                    pve.set_node_offline(node, offline=False)
            elif verb == 'revoke-tickets':
                pve.revoke_tickets()
            elif verb == 'lose-quorum':
                pve.lose_quorum()
            elif verb == 'ceph-down':
                pve.ceph_down()
            elif verb == 'requests':
                # pve.requests keeps the newest max_requests entries; count by the running total.
                total = pve.request_total
                out.write('ok {0}\n'.format(total - seen))
                out.flush()
                seen = total
                continue
            else:
                raise ValueError('unknown command ' + verb)
            out.write('ok\n')
        except Exception as error:  # the test reads the reason
            out.write('error {0}\n'.format(error))
        out.flush()


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('dir')
    parser.add_argument('--nodes', type=int, default=1)
    parser.add_argument('--guests', type=int, default=3)
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=0)
    parser.add_argument('--ceph', action='store_true')
    parser.add_argument('--backups', action='store_true')
    parser.add_argument('--extra-token', action='append', default=[],
                        help='another token ID (user@realm!name) accepted with the same secret')
    args = parser.parse_args()

    pve = FakePve(host=args.host, port=args.port)
    pve.time_scale = 0
    pve.max_requests = 100000
    token_secret = secrets.token_hex(16)
    pve.apitokens['pulse@pve!monitor'] = token_secret
    for token_id in args.extra_token:
        pve.apitokens[token_id] = token_secret
    populate(pve, args.nodes, args.guests, args.ceph, args.backups)

    # Count every request, whatever the size of the request log.
    pve.request_total = 0
    original = pve._build_app

    def counting_app():
        app = original()

        @__import__('aiohttp').web.middleware
        async def count(request, handler):
            pve.request_total += 1
            return await handler(request)
        app.middlewares.insert(0, count)

        # Before fakepve's own middleware, which asks every request for a login.
        @__import__('aiohttp').web.middleware
        async def start_page(request, handler):
            if request.path != '/' or request.method != 'GET':
                return await handler(request)
            return login_page(pve)
        app.middlewares.insert(1, start_page)
        return app
    pve._build_app = counting_app

    certfile, keyfile, der = make_cert(args.dir, hosts=(args.host,))
    await pve.start(certfile, keyfile)
    digest = hashlib.sha256(der).hexdigest().upper()
    print(json.dumps({'url': pve.url, 'cafile': certfile,
                      'fingerprint': ':'.join(digest[i:i + 2] for i in range(0, len(digest), 2)),
                      'tokenId': 'pulse@pve!monitor', 'tokenSecret': token_secret}), flush=True)
    try:
        await commands(pve, sys.stdout)
    finally:
        await pve.stop()


if __name__ == '__main__':
    asyncio.run(main())
