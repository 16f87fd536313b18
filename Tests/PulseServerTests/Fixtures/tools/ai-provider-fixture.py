"""A language model provider stand-in for the assistant's tests: it speaks the streamed shapes of
OpenAI's Chat Completions (https://platform.openai.com/docs/api-reference/chat-streaming),
Anthropic's Messages (https://docs.anthropic.com/en/api/messages-streaming) and Ollama's chat
(https://github.com/ollama/ollama/blob/main/docs/api.md#generate-a-chat-completion), with their
model lists. What a request gets is scripted by its model name:

    tool-then-answer  a call of get_state_summary, then (once a tool result is in the
                      conversation) an answer quoting the result, streamed in several pieces
    always-tools      a call of list_active_alerts every time
    echo-context      an answer repeating the system prompt, no tool call
    rate-limited      429 with the API's error body
    broken            500 with the API's error body
    slow              tool-then-answer, each reply 2 s late
    stall             no answer for 60 s (a request timeout's case)
    echo-key          401 whose message repeats the key it was sent

    ai-provider-fixture.py DIR     (DIR, the peers' scratch folder, is not used)

Listens on 127.0.0.1 and a free port: OpenAI at <url>/v1 (POST /v1/chat/completions, GET
/v1/models), Anthropic at <url> (POST /v1/messages, GET /v1/models with anthropic-version),
Ollama at <url> (POST /api/chat, GET /api/tags). Prints one JSON line {"url": ...}, then reads
commands, one per line:
    requests    "ok <JSON list>": each request since the last call, {path, model, authorization,
                apiKey, toolResults, tools}
Every reply counts fixed tokens: OpenAI 100 in / 20 out, Anthropic 110 / 21, Ollama 120 / 22.
The fixture ends when stdin closes.
"""

import argparse
import asyncio
import json
import sys

from aiohttp import web

USAGE = {'openai': (100, 20), 'anthropic': (110, 21), 'ollama': (120, 22)}
MODELS = ['tool-then-answer', 'always-tools', 'echo-context', 'rate-limited', 'broken', 'slow', 'stall', 'echo-key']


def tool_results(api, body):
    found = []
    for message in body.get('messages', []):
        if api == 'anthropic':
            content = message.get('content')
            if isinstance(content, list):
                found += [block.get('content', '') for block in content if block.get('type') == 'tool_result']
        elif message.get('role') == 'tool':
            found.append(message.get('content', ''))
    return found


def system_prompt(api, body):
    if api == 'anthropic':
        return body.get('system', '')
    return next((m.get('content', '') for m in body.get('messages', []) if m.get('role') == 'system'), '')


def script(api, body):
    """('error', status, message) or ('reply', text pieces, tool call or None)."""
    model = body.get('model', '')
    results = tool_results(api, body)
    if model == 'rate-limited':
        return ('error', 429, 'Rate limit reached for requests')
    if model == 'broken':
        return ('error', 500, 'The server had an error while processing your request')
    if model == 'always-tools':
        return ('reply', [], ('list_active_alerts', {}))
    if model == 'echo-context':
        return ('reply', ['Context: ', system_prompt(api, body)], None)
    if not results:
        return ('reply', [], ('get_state_summary', {}))
    return ('reply', ['Here is ', 'what the tool ', 'said: ', results[-1][:4000]], None)


def error_body(api, status, message):
    if api == 'anthropic':
        kind = 'rate_limit_error' if status == 429 else 'api_error' if status >= 500 else 'authentication_error'
        return {'type': 'error', 'error': {'type': kind, 'message': message}}
    if api == 'ollama':
        return {'error': message}
    return {'error': {'message': message, 'type': 'requests' if status == 429 else 'server_error', 'code': None}}


async def sse(request, events):
    response = web.StreamResponse(headers={'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache'})
    await response.prepare(request)
    for name, data in events:
        prefix = f'event: {name}\n' if name else ''
        await response.write(f'{prefix}data: {data if isinstance(data, str) else json.dumps(data)}\n\n'.encode())
        await asyncio.sleep(0.01)
    await response.write_eof()
    return response


def openai_events(pieces, call, usage):
    base = {'id': 'chatcmpl-1', 'object': 'chat.completion.chunk', 'created': 1700000000, 'model': 'fixture'}
    events = [(None, {**base, 'choices': [{'index': 0, 'delta': {'role': 'assistant', 'content': ''}, 'finish_reason': None}]})]
    for piece in pieces:
        events.append((None, {**base, 'choices': [{'index': 0, 'delta': {'content': piece}, 'finish_reason': None}]}))
    if call:
        name, arguments = call
        text = json.dumps(arguments)
        events.append((None, {**base, 'choices': [{'index': 0, 'delta': {'tool_calls': [
            {'index': 0, 'id': 'call_abc', 'type': 'function', 'function': {'name': name, 'arguments': ''}}]}, 'finish_reason': None}]}))
        for part in (text[:1], text[1:]):
            events.append((None, {**base, 'choices': [{'index': 0, 'delta': {'tool_calls': [
                {'index': 0, 'function': {'arguments': part}}]}, 'finish_reason': None}]}))
    events.append((None, {**base, 'choices': [{'index': 0, 'delta': {}, 'finish_reason': 'tool_calls' if call else 'stop'}]}))
    events.append((None, {**base, 'choices': [], 'usage': {
        'prompt_tokens': usage[0], 'completion_tokens': usage[1], 'total_tokens': usage[0] + usage[1]}}))
    events.append((None, '[DONE]'))
    return events


def anthropic_events(pieces, call, usage):
    events = [('message_start', {'type': 'message_start', 'message': {
        'id': 'msg_1', 'type': 'message', 'role': 'assistant', 'content': [], 'model': 'fixture', 'stop_reason': None,
        'usage': {'input_tokens': usage[0], 'output_tokens': 1}}})]
    index = 0
    if pieces:
        events.append(('content_block_start', {'type': 'content_block_start', 'index': 0, 'content_block': {'type': 'text', 'text': ''}}))
        events.append(('ping', {'type': 'ping'}))
        for piece in pieces:
            events.append(('content_block_delta', {'type': 'content_block_delta', 'index': 0, 'delta': {'type': 'text_delta', 'text': piece}}))
        events.append(('content_block_stop', {'type': 'content_block_stop', 'index': 0}))
        index = 1
    if call:
        name, arguments = call
        text = json.dumps(arguments)
        events.append(('content_block_start', {'type': 'content_block_start', 'index': index, 'content_block': {
            'type': 'tool_use', 'id': 'toolu_1', 'name': name, 'input': {}}}))
        for part in (text[:1], text[1:]):
            events.append(('content_block_delta', {'type': 'content_block_delta', 'index': index, 'delta': {
                'type': 'input_json_delta', 'partial_json': part}}))
        events.append(('content_block_stop', {'type': 'content_block_stop', 'index': index}))
    events.append(('message_delta', {'type': 'message_delta', 'delta': {
        'stop_reason': 'tool_use' if call else 'end_turn', 'stop_sequence': None}, 'usage': {'output_tokens': usage[1]}}))
    events.append(('message_stop', {'type': 'message_stop'}))
    return events


def ollama_lines(pieces, call, usage):
    lines = []
    for piece in pieces:
        lines.append({'model': 'fixture', 'created_at': '2026-01-01T00:00:00Z', 'message': {'role': 'assistant', 'content': piece}, 'done': False})
    if call:
        name, arguments = call
        lines.append({'model': 'fixture', 'created_at': '2026-01-01T00:00:00Z', 'message': {
            'role': 'assistant', 'content': '', 'tool_calls': [{'function': {'name': name, 'arguments': arguments}}]}, 'done': False})
    lines.append({'model': 'fixture', 'created_at': '2026-01-01T00:00:00Z', 'message': {'role': 'assistant', 'content': ''},
                  'done': True, 'done_reason': 'stop', 'prompt_eval_count': usage[0], 'eval_count': usage[1]})
    return lines


def main():
    argparse.ArgumentParser().add_argument('folder')
    state = {'requests': []}

    def record(api, request, body):
        state['requests'].append({
            'path': request.path, 'api': api, 'model': body.get('model', ''),
            'authorization': request.headers.get('Authorization', ''), 'apiKey': request.headers.get('x-api-key', ''),
            'toolResults': tool_results(api, body), 'tools': [t.get('name') or t.get('function', {}).get('name') for t in body.get('tools', [])],
        })

    async def chat(request, api):
        body = await request.json()
        record(api, request, body)
        if body.get('model') == 'slow':
            await asyncio.sleep(2)
        if body.get('model') == 'stall':
            await asyncio.sleep(60)
        if body.get('model') == 'echo-key':
            key = request.headers.get('x-api-key') or request.headers.get('Authorization', '').removeprefix('Bearer ')
            return web.json_response(error_body(api, 401, f'Incorrect API key provided: {key}'), status=401)
        outcome = script(api, body)
        if outcome[0] == 'error':
            return web.json_response(error_body(api, outcome[1], outcome[2]), status=outcome[1])
        _, pieces, call = outcome
        usage = USAGE[api]
        if api == 'openai':
            return await sse(request, openai_events(pieces, call, usage))
        if api == 'anthropic':
            return await sse(request, anthropic_events(pieces, call, usage))
        response = web.StreamResponse(headers={'Content-Type': 'application/x-ndjson'})
        await response.prepare(request)
        for line in ollama_lines(pieces, call, usage):
            await response.write((json.dumps(line) + '\n').encode())
            await asyncio.sleep(0.01)
        await response.write_eof()
        return response

    async def models(request):
        if request.headers.get('anthropic-version'):
            return web.json_response({'data': [{'type': 'model', 'id': m, 'display_name': m.title(), 'created_at': '2026-01-01T00:00:00Z'}
                                               for m in MODELS], 'has_more': False, 'first_id': MODELS[0], 'last_id': MODELS[-1]})
        return web.json_response({'object': 'list', 'data': [{'id': m, 'object': 'model', 'created': 1700000000, 'owned_by': 'fixture'}
                                                             for m in MODELS]})

    async def tags(request):
        return web.json_response({'models': [{'name': m, 'model': m, 'modified_at': '2026-01-01T00:00:00Z', 'size': 1, 'digest': 'sha256:0'}
                                             for m in MODELS]})

    async def run():
        app = web.Application()
        app.router.add_post('/v1/chat/completions', lambda r: chat(r, 'openai'))
        app.router.add_post('/v1/messages', lambda r: chat(r, 'anthropic'))
        app.router.add_post('/api/chat', lambda r: chat(r, 'ollama'))
        app.router.add_get('/v1/models', models)
        app.router.add_get('/api/tags', tags)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, '127.0.0.1', 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        print(json.dumps({'url': f'http://127.0.0.1:{port}'}), flush=True)
        loop = asyncio.get_running_loop()
        reader = asyncio.StreamReader()
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
        while True:
            line = await reader.readline()
            if not line:
                break
            if line.decode().split() == ['requests']:
                answer = 'ok ' + json.dumps(state['requests'])
                state['requests'] = []
            else:
                answer = 'error unknown command'
            print(answer, flush=True)
        await runner.cleanup()

    asyncio.run(run())


if __name__ == '__main__':
    main()
