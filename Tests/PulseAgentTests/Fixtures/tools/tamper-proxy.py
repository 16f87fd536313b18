#!/usr/bin/env python3
"""A man in the middle for the self-update tests: forwards every request to the real Pulse
server and spoils the agent download in one way.

usage: tamper-proxy.py PORT UPSTREAM MODE
  flip      flip one byte of the body, keep the server's X-Checksum-Sha256
  rehash    flip one byte of the body and send its SHA-256 as X-Checksum-Sha256 (what a man in
            the middle of an http:// server can do; the signature header is kept)
  nosig     drop X-Signature-Ed25519 and answer the .sig with 404
  strip     drop the X-Checksum-Sha256 header
  redirect  answer the download with a 302 to another origin (UPSTREAM with 127.0.0.2)
Prints "ready" once listening.
"""
import hashlib
import http.server
import sys
import urllib.error
import urllib.request

PORT, UPSTREAM, MODE = int(sys.argv[1]), sys.argv[2].rstrip("/"), sys.argv[3]


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        download = self.path.startswith("/download/pulse-agent")
        binary = self.path.split("?")[0] == "/download/pulse-agent"
        if MODE == "nosig" and self.path.split("?")[0] == "/download/pulse-agent.sig":
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if download and MODE == "redirect":
            self.send_response(302)
            self.send_header("Location", UPSTREAM.replace("127.0.0.1", "127.0.0.2") + self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        length = int(self.headers.get("Content-Length") or 0)
        request = urllib.request.Request(
            UPSTREAM + self.path, data=self.rfile.read(length) if length else None, method=self.command,
            headers={k: v for k, v in self.headers.items() if k.lower() != "host"})
        try:
            with urllib.request.urlopen(request) as reply:
                status, headers, body = reply.status, reply.getheaders(), reply.read()
        except urllib.error.HTTPError as error:
            status, headers, body = error.code, error.headers.items(), error.read()
        if binary and MODE in ("flip", "rehash") and body:
            body = body[:100] + bytes([body[100] ^ 0xFF]) + body[101:]
        self.send_response(status)
        for name, value in headers:
            lowered = name.lower()
            if lowered in ("content-length", "transfer-encoding", "connection", "date", "server"):
                continue
            if download and MODE == "strip" and lowered == "x-checksum-sha256":
                continue
            if binary and MODE == "rehash" and lowered == "x-checksum-sha256":
                value = hashlib.sha256(body).hexdigest()
            if download and MODE == "nosig" and lowered == "x-signature-ed25519":
                continue
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
print("ready", flush=True)
server.serve_forever()
