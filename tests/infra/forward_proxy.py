#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""An HTTP forward proxy for the proxy tests (issue 12).

Speaks what http_proxy / https_proxy clients send: absolute-form requests
("GET http://host:port/path HTTP/1.1") and CONNECT host:port tunnels. Host
names are resolved here, not by the client, and only these are served:

  --domain D and every name under it (D = registry.test: x.registry.test)
             go to 127.0.0.1, same port; no resolver knows these names, so a
             client that bypasses the proxy cannot reach them;
  localhost and 127.0.0.0/8 literals, so that a client which wrongly proxies
             a loopback registry still works and shows up in the log.

Anything else gets 403: nothing leaves the machine. `GET /healthz` (origin
form) answers 200 for the fixture's readiness check.

Every request is appended to --log as one JSON line when it arrives: time
(time.monotonic()), method, host ("name:port" as the client named it), and
for absolute-form requests the path. Standard library only.
"""

import argparse
import http.client
import http.server
import ipaddress
import json
import select
import socket
import threading
import time
import urllib.parse

CHUNK = 1 << 16
HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te",
              "trailer", "upgrade", "proxy-authorization", "proxy-authenticate"}


def split_host_port(authority: str, default_port: int):
    if authority.startswith("["):
        host, _, rest = authority[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else ""
    else:
        host, _, port = authority.rpartition(":") if ":" in authority else (authority, "", "")
    return host.lower(), int(port) if port.isdigit() else default_port


class Handler(http.server.BaseHTTPRequestHandler):
    domain = ""
    log_path = ""
    log_lock = threading.Lock()
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def record(self, host: str, path):
        entry = {"time": time.monotonic(), "method": self.command, "host": host, "path": path}
        with self.log_lock, open(self.log_path, "a") as f:
            f.write(json.dumps(entry, sort_keys=True) + "\n")

    def address_of(self, host: str):
        """Where `host` goes, or None when the proxy does not serve it."""
        if host == self.domain or host.endswith("." + self.domain) or host == "localhost":
            return "127.0.0.1"
        try:
            if ipaddress.ip_address(host).is_loopback:
                return host
        except ValueError:
            pass
        return None

    def refuse(self, status: int, text: str):
        data = (text + "\n").encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)
        self.close_connection = True

    def do_CONNECT(self):
        host, port = split_host_port(self.path, 443)
        self.record(f"{host}:{port}", None)
        address = self.address_of(host)
        if address is None:
            self.refuse(403, f"forward_proxy: {host} is not a test host")
            return
        try:
            upstream = socket.create_connection((address, port), timeout=10)
        except OSError as e:
            self.refuse(502, f"forward_proxy: cannot connect to {host}:{port}: {e}")
            return
        self.send_response(200, "Connection established")
        self.end_headers()
        self.wfile.flush()
        self.close_connection = True
        self.relay(self.connection, upstream)

    @staticmethod
    def relay(client: socket.socket, upstream: socket.socket):
        sockets = [client, upstream]
        try:
            while True:
                readable, _, _ = select.select(sockets, [], [], 120)
                if not readable:
                    return
                for s in readable:
                    data = s.recv(CHUNK)
                    if not data:
                        return
                    (upstream if s is client else client).sendall(data)
        except OSError:
            return
        finally:
            upstream.close()

    def forward(self):
        url = urllib.parse.urlsplit(self.path)
        if not url.scheme:
            if self.path == "/healthz":
                self.refuse(200, "ok")
            else:
                self.refuse(400, "forward_proxy: not an absolute-form request")
            return
        host, port = split_host_port(url.netloc.rpartition("@")[2], 80)
        path = url.path + (f"?{url.query}" if url.query else "")
        self.record(f"{host}:{port}", path)
        address = self.address_of(host)
        if url.scheme != "http" or address is None:
            self.refuse(403, f"forward_proxy: {url.scheme}://{host} is not a test host")
            return
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        conn = http.client.HTTPConnection(address, port, timeout=60)
        try:
            conn.request(self.command, path or "/", body=body, headers=headers)
            upstream = conn.getresponse()
        except OSError as e:
            self.refuse(502, f"forward_proxy: {host}:{port}: {e}")
            return
        length = upstream.getheader("Content-Length")
        data = None
        if length is None and self.command != "HEAD":
            data = upstream.read()  # chunked: small, sent with a length
            length = str(len(data))
        self.send_response_only(upstream.status, upstream.reason)
        for name, value in upstream.getheaders():
            if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                self.send_header(name, value)
        self.send_header("Content-Length", length or "0")
        self.send_header("Connection", "close")
        self.end_headers()
        if data is not None:
            self.wfile.write(data)
        elif self.command != "HEAD":
            while chunk := upstream.read(CHUNK):
                self.wfile.write(chunk)
        self.wfile.flush()
        self.close_connection = True
        conn.close()

    do_GET = forward
    do_HEAD = forward
    do_POST = forward


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", required=True, help="HOST:PORT")
    parser.add_argument("--domain", required=True, help="the made-up name mapped to 127.0.0.1")
    parser.add_argument("--log", required=True)
    args = parser.parse_args()
    Handler.domain = args.domain.lower()
    Handler.log_path = args.log
    host, _, port = args.listen.rpartition(":")
    server = http.server.ThreadingHTTPServer((host, int(port)), Handler)
    server.daemon_threads = True
    server.serve_forever()


if __name__ == "__main__":
    main()
