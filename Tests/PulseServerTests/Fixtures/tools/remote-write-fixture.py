"""A remote write receiver that answers what the test tells it to, for the outcomes a real
engine will not produce on demand (503, 429 with Retry-After).

Prints one JSON line {"url": ...}, then reads commands on stdin, one per line, answering one line:
  status CODE [RETRY_AFTER]   answer every later request with CODE (and a Retry-After header)
  requests                    "ok N": requests received so far
  last                        "ok {json}": the newest request's headers and body size
The fixture ends when stdin closes. argv[1] is a private folder (unused).
"""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

lock = threading.Lock()
state = {"status": 204, "retry_after": None, "requests": 0, "last": None}


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        with lock:
            state["requests"] += 1
            state["last"] = {"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "bytes": len(body)}
            status, retry_after = state["status"], state["retry_after"]
        self.send_response(status)
        if retry_after is not None:
            self.send_header("Retry-After", retry_after)
        message = b"" if status < 300 else b"fixture says %d\n" % status
        self.send_header("Content-Length", str(len(message)))
        self.end_headers()
        self.wfile.write(message)

    def log_message(self, *args):
        pass


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(json.dumps({"url": "http://127.0.0.1:%d/api/v1/write" % server.server_address[1]}), flush=True)
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        with lock:
            if words[0] == "status" and len(words) in (2, 3):
                state["status"] = int(words[1])
                state["retry_after"] = words[2] if len(words) == 3 else None
                answer = "ok"
            elif words[0] == "requests":
                answer = "ok %d" % state["requests"]
            elif words[0] == "last":
                answer = "ok " + json.dumps(state["last"])
            else:
                answer = "error unknown command"
        print(answer, flush=True)
    server.shutdown()


if __name__ == "__main__":
    main()
