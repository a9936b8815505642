#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Blob storage behind the `redirect` test registry (issue 12).

distribution's redirect storage middleware answers a blob GET with a 307 to
  http://127.0.0.2:P/docker/registry/v2/blobs/sha256/ab/abcd…/data
which is the storage driver's path of the blob, i.e. the file of that name
under the filesystem driver's rootdirectory (--root). This server serves those
files, like a CDN or S3 would, and:
  - answers 403 to any request carrying an Authorization header: a client
    that forwards the registry's credentials to another host fails loudly;
  - appends each request to --log as a JSON line: method, path, whether an
    Authorization header was present (never its value), status.
Standard library only.
"""

import argparse
import http.server
import json
import os
import shutil
import threading
import time
import urllib.parse


class Handler(http.server.BaseHTTPRequestHandler):
    root = ""
    log_path = ""
    log_lock = threading.Lock()
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def record(self, status: int, path: str):
        entry = {"time": time.time(), "method": self.command, "path": path,
                 "authorization": "Authorization" in self.headers, "status": status}
        with self.log_lock, open(self.log_path, "a") as f:
            f.write(json.dumps(entry, sort_keys=True) + "\n")

    def send_text(self, status: int, text: str):
        data = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def serve(self):
        path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        if path == "/healthz":
            self.send_text(200, "ok\n")
            return
        if "Authorization" in self.headers:
            self.record(403, path)
            self.send_text(403, "credentials sent to the blob host\n")
            return
        file = os.path.realpath(os.path.join(self.root, path.lstrip("/")))
        if not file.startswith(self.root + os.sep) or not os.path.isfile(file):
            self.record(404, path)
            self.send_text(404, "not found\n")
            return
        size = os.path.getsize(file)
        self.record(200, path)
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(size))
        self.end_headers()
        if self.command == "GET":
            with open(file, "rb") as f:
                shutil.copyfileobj(f, self.wfile, 1 << 16)

    do_GET = serve
    do_HEAD = serve


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", required=True, help="HOST:PORT")
    parser.add_argument("--root", required=True)
    parser.add_argument("--log", required=True)
    args = parser.parse_args()
    Handler.root = os.path.realpath(args.root)
    Handler.log_path = args.log
    host, _, port = args.listen.rpartition(":")
    server = http.server.ThreadingHTTPServer((host, int(port)), Handler)
    server.daemon_threads = True
    server.serve_forever()


if __name__ == "__main__":
    main()
