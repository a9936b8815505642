#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""A flaky registry in front of the `plain` test registry (issue 12).

Every request is forwarded to --upstream unchanged, except that the
repository name scripts failures first, so that each test picks its own
behaviour just by the name it pushes to (push to the plain registry, pull
through this one). The first component of the repository is a list of
rules separated by ".", each FAULT-ROUTE-TIMES:

  FAULT  429      429 Too Many Requests with Retry-After: 2 (longer than a
                  client's first backoff of 1 s, so a client that ignores
                  Retry-After retries visibly too early)
         503      503 Service Unavailable, no Retry-After
         503now   503 Service Unavailable with Retry-After: 0
         500      500 Internal Server Error
         cut      the upstream status and headers, half the body, then the
                  connection is closed (Content-Length still says the whole)
         barrierN the request is held until N requests of this rule and
                  repository are held at the same time (then this gate stays
                  open), or 10 s passed; then forwarded
  ROUTE  manifests  GET /v2/<repo>/manifests/<ref>
         blobs      GET /v2/<repo>/blobs/<digest>
         layers     blobs named as a layer by a manifest forwarded earlier
  TIMES  1, 2, …    the first TIMES matching requests of each path fail
         always

e.g. "503-manifests-1.500-layers-1/app-1f2e" or "cut-layers-always/app-9a".
Repositories whose first component is not such a list are only forwarded.

Every request is appended to --log as one JSON line, written just before the
last bytes of the response, so that a client holding a whole response (or a
cut one) always finds its request logged: method, path, repository, the rule
and fault applied (or null), the status, the body bytes sent, and
time.monotonic() stamps: `start` when the connection was taken up (before its
request line was read) and `last_write` when the line was logged (a client
cannot have the whole response before that moment). A request whose client
went away early is logged afterwards, with "client_gone". Standard library
only.
"""

import argparse
import http.client
import http.server
import json
import re
import socket
import threading
import time

RETRY_AFTER_429 = "2"
BARRIER_TIMEOUT_SECONDS = 10
CHUNK = 1 << 16
HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te",
              "trailer", "upgrade", "proxy-authorization", "proxy-authenticate"}

PATH_RE = re.compile(r"^/v2/(?P<repo>.+)/(?P<kind>manifests|blobs)/(?P<ref>[^/]+)$")
RULE_RE = re.compile(r"^(?P<fault>429|503now|503|500|cut|barrier(?P<n>[0-9]+))-"
                     r"(?P<route>manifests|blobs|layers)-(?P<times>[0-9]+|always)$")
STATUS_FAULTS = {
    "429": (429, "TOOMANYREQUESTS", {"Retry-After": RETRY_AFTER_429}),
    "503": (503, "UNAVAILABLE", {}),
    "503now": (503, "UNAVAILABLE", {"Retry-After": "0"}),
    "500": (500, "UNKNOWN", {}),
}


def parse_rules(repository: str):
    """The rules of `repository`'s first component; [] when it has none."""
    first = repository.split("/", 1)[0]
    rules = []
    for text in first.split("."):
        m = RULE_RE.match(text)
        if not m:
            return []
        times = m["times"]
        rules.append({"text": text, "fault": "barrier" if m["n"] else m["fault"],
                      "n": int(m["n"] or 0), "route": m["route"],
                      "times": None if times == "always" else int(times)})
    return rules


class State:
    """What all handler threads share: counters, learned layers, gates."""

    def __init__(self, upstream: str, log_path: str):
        self.upstream = upstream
        self.log_path = log_path
        self.lock = threading.Lock()
        self.gate = threading.Condition(self.lock)
        self.counts = {}  # (rule text, path) -> matching requests seen
        self.layers = set()  # digests manifests named as layers
        self.held = {}  # (rule text, repository) -> requests waiting at the gate
        self.opened = set()  # gates that have seen N requests at once

    def log(self, entry: dict):
        with self.lock, open(self.log_path, "a") as f:
            f.write(json.dumps(entry, sort_keys=True) + "\n")

    def learn(self, body: bytes):
        try:
            doc = json.loads(body)
        except ValueError:
            return
        layers = doc.get("layers") if isinstance(doc, dict) else None
        if not isinstance(layers, list):
            return
        with self.lock:
            for d in layers:
                if isinstance(d, dict) and isinstance(d.get("digest"), str):
                    self.layers.add(d["digest"])

    def matches(self, rule, kind: str, ref: str) -> bool:
        if rule["route"] == "manifests":
            return kind == "manifests"
        if rule["route"] == "blobs":
            return kind == "blobs"
        with self.lock:
            return kind == "blobs" and ref in self.layers

    def fires(self, rule, path: str) -> bool:
        """Counts a matching request; true while the rule still fails it."""
        with self.lock:
            key = (rule["text"], path)
            self.counts[key] = self.counts.get(key, 0) + 1
            return rule["times"] is None or self.counts[key] <= rule["times"]

    def wait_at_gate(self, rule, repository: str) -> str:
        key = (rule["text"], repository)
        with self.gate:
            self.held[key] = self.held.get(key, 0) + 1
            if self.held[key] >= rule["n"]:
                self.opened.add(key)
                self.gate.notify_all()
            ok = self.gate.wait_for(lambda: key in self.opened, BARRIER_TIMEOUT_SECONDS)
            self.held[key] -= 1
        return "opened" if ok else "timeout"


class Handler(http.server.BaseHTTPRequestHandler):
    state: State = None
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def handle_one_request(self):
        self.start = time.monotonic()
        super().handle_one_request()

    def serve(self):
        self.logged = False
        entry = {"start": self.start, "method": self.command, "path": self.path,
                 "repository": None, "rule": None, "fault": None, "status": 0, "bytes": 0,
                 "last_write": None}
        try:
            self.respond(entry)
        except (BrokenPipeError, ConnectionResetError):
            entry["client_gone"] = True
        finally:
            self.commit(entry)
            self.close_connection = True

    def commit(self, entry: dict):
        """Logs `entry` once; called right before the response's last write."""
        if not self.logged:
            self.logged = True
            entry["last_write"] = time.monotonic()
            self.state.log(entry)

    do_GET = serve
    do_HEAD = serve

    def respond(self, entry: dict):
        m = PATH_RE.match(self.path.split("?", 1)[0])
        rule = None
        if m:
            entry["repository"] = m["repo"]
            for r in parse_rules(m["repo"]):
                if self.state.matches(r, m["kind"], m["ref"]) and self.state.fires(r, self.path):
                    rule = r
                    break
        if rule is not None:
            entry["rule"] = rule["text"]
            entry["fault"] = rule["fault"]
        if rule is not None and rule["fault"] in STATUS_FAULTS:
            self.send_fault(entry, *STATUS_FAULTS[rule["fault"]])
            return
        if rule is not None and rule["fault"] == "barrier":
            entry["gate"] = self.state.wait_at_gate(rule, m["repo"])
        self.forward(entry, cut=rule is not None and rule["fault"] == "cut",
                     learn=bool(m) and m["kind"] == "manifests")

    def send_fault(self, entry: dict, status: int, code: str, headers: dict):
        body = json.dumps({"errors": [{"code": code,
                                       "message": f"flaky_server: scripted {status}"}]}).encode()
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        entry["status"] = status
        if self.command == "HEAD":
            self.commit(entry)
            self.end_headers()
            return
        self.end_headers()
        entry["bytes"] = len(body)
        self.commit(entry)
        self.wfile.write(body)
        self.wfile.flush()

    def forward(self, entry: dict, cut: bool, learn: bool):
        host, _, port = self.state.upstream.rpartition(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=60)
        headers = {k: v for k, v in self.headers.items()
                   if k.lower() not in HOP_BY_HOP and k.lower() != "host"}
        conn.request(self.command, self.path, headers=headers)
        upstream = conn.getresponse()
        length = upstream.getheader("Content-Length")
        body = None
        if self.command != "HEAD" and (length is None or learn):
            # Unknown length (chunked) or a manifest to learn layers from:
            # small, read whole and sent with a Content-Length.
            body = upstream.read()
            length = str(len(body))
            if learn and upstream.status == 200:
                self.state.learn(body)
        total = int(length or 0)
        self.send_response_only(upstream.status, upstream.reason)
        for name, value in upstream.getheaders():
            if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                self.send_header(name, value)
        self.send_header("Content-Length", str(total))
        self.send_header("Connection", "close")
        entry["status"] = upstream.status
        # A cut sends half (at least one byte, never all) and hangs up.
        limit = 0 if self.command == "HEAD" else max(1, total // 2) if cut and total > 1 else total
        entry["bytes"] = limit
        if cut:
            entry["cut"] = True
        if limit == 0:
            self.commit(entry)
        self.end_headers()
        sent = 0
        while sent < limit:
            if body is not None:
                chunk = body[sent:sent + CHUNK]
            else:
                chunk = upstream.read(min(CHUNK, total - sent))
                if not chunk:
                    break
            chunk = chunk[:limit - sent]
            if sent + len(chunk) >= limit:
                self.commit(entry)
            self.wfile.write(chunk)
            sent += len(chunk)
        self.wfile.flush()
        conn.close()
        if sent < limit:  # the upstream ended early: say what was really sent
            entry["bytes"] = sent
        if cut:
            self.connection.shutdown(socket.SHUT_RDWR)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", required=True, help="HOST:PORT")
    parser.add_argument("--upstream", required=True, help="HOST:PORT of the plain registry")
    parser.add_argument("--log", required=True)
    args = parser.parse_args()
    Handler.state = State(args.upstream, args.log)
    host, _, port = args.listen.rpartition(":")
    server = http.server.ThreadingHTTPServer((host, int(port)), Handler)
    server.daemon_threads = True
    server.serve_forever()


if __name__ == "__main__":
    main()
