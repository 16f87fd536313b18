"""A Prometheus-API engine stand-in for what no real engine can be made to do on demand:
check the credentials Pulse sends, answer 5xx or garbage, or answer too slowly. It serves
POST /api/v1/query_range (the only call Pulse makes) in the shape of the Prometheus HTTP API
(https://prometheus.io/docs/prometheus/latest/querying/api/#range-queries).

    query-range-fixture.py DIR [--bearer TOKEN | --basic USER:PASSWORD] [--tls]

Listens on 127.0.0.1 and a free port (with --tls over HTTPS, its self-signed certificate in
DIR); prints one JSON line {"url": ..., "ca": <the certificate's PEM file or null>}, then reads commands,
one per line, each answered "ok ...":
    mode ok|error|garbage|slow    answer a matrix (default), HTTP 503, a non-JSON 200, or a
                                  matrix after 3 s
    requests                      "ok <JSON list>": each request served since the last call,
                                  {method, path, query, contentType, authorized, form}
A request without the configured credentials answers 401. A matrix holds one series, labelled
id="h1", with one point at the request's start: 42.
The fixture ends when stdin closes.
"""

import argparse
import asyncio
import base64
import json
import ssl
import sys
import urllib.parse

from aiohttp import web
from fakepve.certs import make_cert


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('folder')
    parser.add_argument('--bearer')
    parser.add_argument('--basic')
    parser.add_argument('--tls', action='store_true')
    args = parser.parse_args()
    expected = None
    if args.bearer:
        expected = 'Bearer ' + args.bearer
    elif args.basic:
        expected = 'Basic ' + base64.b64encode(args.basic.encode()).decode()
    state = {'mode': 'ok', 'requests': []}

    async def query_range(request):
        body = await request.read()
        form = {k: v[0] for k, v in urllib.parse.parse_qs(body.decode('utf-8', 'replace')).items()}
        authorized = expected is None or request.headers.get('Authorization') == expected
        state['requests'].append({
            'method': request.method, 'path': request.path, 'query': request.query_string,
            'contentType': request.headers.get('Content-Type', ''), 'authorized': authorized, 'form': form,
        })
        if not authorized:
            return web.json_response({'status': 'error', 'errorType': 'unauthorized', 'error': 'unauthorized'}, status=401)
        mode = state['mode']
        if mode == 'error':
            return web.json_response({'status': 'error', 'errorType': 'unavailable', 'error': 'down'}, status=503)
        if mode == 'garbage':
            return web.Response(text='<html>not an engine</html>', content_type='text/html')
        if mode == 'slow':
            await asyncio.sleep(3)
        start = float(form.get('start', '0'))
        return web.json_response({'status': 'success', 'data': {'resultType': 'matrix', 'result': [
            {'metric': {'id': 'h1'}, 'values': [[start, '42']]}]}})

    async def run():
        app = web.Application()
        app.router.add_route('*', '/api/v1/query_range', query_range)
        runner = web.AppRunner(app)
        await runner.setup()
        context, certfile = None, None
        if args.tls:
            certfile, keyfile, _ = make_cert(args.folder, name='engine')
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(certfile, keyfile)
        site = web.TCPSite(runner, '127.0.0.1', 0, ssl_context=context)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        scheme = 'https' if args.tls else 'http'
        print(json.dumps({'url': f'{scheme}://127.0.0.1:{port}', 'ca': certfile}), flush=True)
        loop = asyncio.get_running_loop()
        reader = asyncio.StreamReader()
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
        while True:
            line = await reader.readline()
            if not line:
                break
            words = line.decode().split()
            if words[:1] == ['mode'] and len(words) == 2 and words[1] in ('ok', 'error', 'garbage', 'slow'):
                state['mode'] = words[1]
                answer = 'ok'
            elif words == ['requests']:
                answer = 'ok ' + json.dumps(state['requests'])
                state['requests'] = []
            else:
                answer = 'error unknown command'
            print(answer, flush=True)
        await runner.cleanup()

    asyncio.run(run())


if __name__ == '__main__':
    main()
