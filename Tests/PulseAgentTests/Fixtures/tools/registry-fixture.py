#!/usr/bin/env python3
"""A container registry that misbehaves, from the Registry HTTP API v2's published shapes
(manifest HEAD, Bearer token challenge), for the agent's image update check.

usage: registry-fixture.py PORT
GET /v2/ answers 200 (the API version check). Repository name picks the behaviour for HEAD /v2/<name>/manifests/<tag>:
  token/app      401 with a Bearer challenge whose realm is /token on this server; /token hands out
                 "fixture-token" (anonymous); with "Authorization: Bearer fixture-token" the HEAD
                 answers 200 with Docker-Content-Digest sha256:77…7
  denied/app     401 with a Bearer challenge; the token is refused (401 again after it)
  limited/app    429 (Docker Hub's pull limit)
  redirect/app   302 to another host (never followed)
  evilrealm/app  401 with a challenge whose realm is file:///etc/passwd
Requests are logged to stdout as "METHOD PATH AUTH".
"""
import http.server
import sys

PORT = int(sys.argv[1])
DIGEST = "sha256:" + "7" * 64
TOKEN = "fixture-token"


class Handler(http.server.BaseHTTPRequestHandler):
    def reply(self, status, headers=(), body=b""):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def challenge(self, realm=None):
        realm = realm or f"http://127.0.0.1:{PORT}/token"
        return [("WWW-Authenticate", f'Bearer realm="{realm}",service="fixture",scope="repository:x:pull"')]

    def route(self):
        print(self.command, self.path, self.headers.get("Authorization", "-"), flush=True)
        path = self.path.split("?")[0]
        if path == "/v2/":
            return self.reply(200, [("Content-Type", "application/json")], b"{}")
        if path == "/token":
            return self.reply(200, [("Content-Type", "application/json")], ('{"token": "%s"}' % TOKEN).encode())
        if not path.startswith("/v2/"):
            return self.reply(404)
        name = path[4:].split("/manifests/")[0]
        authorized = self.headers.get("Authorization") == "Bearer " + TOKEN
        if name == "token/app":
            if authorized:
                return self.reply(200, [("Docker-Content-Digest", DIGEST), ("Content-Type", "application/vnd.oci.image.manifest.v1+json")])
            return self.reply(401, self.challenge())
        if name == "denied/app":
            return self.reply(401, self.challenge())
        if name == "limited/app":
            return self.reply(429, [("Retry-After", "3600")])
        if name == "redirect/app":
            return self.reply(302, [("Location", "http://127.0.0.2:1/v2/x/manifests/y")])
        if name == "evilrealm/app":
            return self.reply(401, self.challenge("file:///etc/passwd"))
        return self.reply(404)

    do_GET = route
    do_HEAD = route

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
