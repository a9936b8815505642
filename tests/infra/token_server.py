#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""A small Docker/OCI token issuer for the `token` test registry (issue 12).

distribution's auth.token answers 401 with
  WWW-Authenticate: Bearer realm="http://127.0.0.1:P/token",service="...",scope="repository:R:pull"
and clients fetch a JWT here:
  GET /token?service=S&scope=repository:R:pull,push[&scope=...]   (optional Basic auth)
  POST /token  grant_type=password&username=U&password=P&service=S&scope=...   (OAuth2 form)

Grants: a user from --users (user:password lines) gets pull and push on every
repository; anyone else gets pull on repositories under public/ only. Wrong
credentials get 401, as Docker Hub's auth does.

Tokens are RS256 JWTs signed with --key through the openssl CLI (Python's
standard library has no RSA); the header carries --cert in x5c, which the
registry verifies against its rootcertbundle (the same certificate).

Every request is appended to --log as one JSON line: method, path, query,
whether an Authorization header was present and its scheme, the user it
authenticated (a name, never a secret), the status and the access granted.
Standard library only.
"""

import argparse
import base64
import binascii
import http.server
import json
import os
import ssl
import subprocess
import threading
import time
import urllib.parse

TOKEN_LIFETIME_SECONDS = 300


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Issuer:
    def __init__(self, args):
        self.key = args.key
        self.issuer = args.issuer
        self.service = args.service
        with open(args.cert) as f:
            self.x5c = [base64.b64encode(ssl.PEM_cert_to_DER_cert(f.read())).decode()]
        self.users = {}
        with open(args.users) as f:
            for line in f:
                user, sep, password = line.rstrip("\n").partition(":")
                if sep:
                    self.users[user] = password
        self.log_path = args.log
        self.log_lock = threading.Lock()

    def sign(self, claims: dict) -> str:
        header = {"typ": "JWT", "alg": "RS256", "x5c": self.x5c}
        signing_input = (b64url(json.dumps(header, separators=(",", ":")).encode()) + "." +
                         b64url(json.dumps(claims, separators=(",", ":")).encode()))
        signature = subprocess.run(["openssl", "dgst", "-sha256", "-sign", self.key],
                                   input=signing_input.encode(), capture_output=True,
                                   check=True).stdout
        return signing_input + "." + b64url(signature)

    def grant(self, user: str, scopes: list) -> list:
        """The access entries for `scopes` ("repository:name:pull,push")."""
        access = []
        for scope in scopes:
            parts = scope.split(":")
            if len(parts) < 3 or parts[0] != "repository":
                continue
            name, actions = ":".join(parts[1:-1]), parts[-1].split(",")
            if user:
                allowed = [a for a in actions if a in ("pull", "push")]
            else:
                allowed = [a for a in actions if a == "pull" and name.startswith("public/")]
            if allowed:
                access.append({"type": "repository", "name": name, "actions": allowed})
        return access

    def token(self, user: str, service: str, scopes: list):
        now = int(time.time())
        access = self.grant(user, scopes)
        claims = {
            "iss": self.issuer,
            "sub": user,
            "aud": service or self.service,
            "exp": now + TOKEN_LIFETIME_SECONDS,
            "nbf": now - 10,
            "iat": now,
            "jti": binascii.hexlify(os.urandom(16)).decode(),
            "access": access,
        }
        return self.sign(claims), access

    def log(self, entry: dict):
        line = json.dumps(entry, sort_keys=True) + "\n"
        with self.log_lock, open(self.log_path, "a") as f:
            f.write(line)


class Handler(http.server.BaseHTTPRequestHandler):
    issuer: Issuer = None
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # stderr goes to server.log
        pass

    def reply(self, status: int, body: dict, extra_headers=None):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (extra_headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def basic_user(self):
        """(present, scheme, user or None when the credentials are wrong)."""
        header = self.headers.get("Authorization")
        if header is None:
            return False, "", ""
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "basic":
            return True, scheme.lower(), None
        try:
            user, _, password = base64.b64decode(value.strip()).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return True, "basic", None
        if self.issuer.users.get(user) != password:
            return True, "basic", None
        return True, "basic", user

    def handle_token(self, query: dict, form_user=None, form_password=None):
        present, scheme, user = self.basic_user()
        if form_user is not None:
            present, scheme = True, "form"
            user = form_user if self.issuer.users.get(form_user) == form_password else None
        entry = {"time": time.time(), "method": self.command, "path": urllib.parse.urlsplit(self.path).path,
                 "query": query, "authorization": present, "auth_scheme": scheme,
                 "user": user or ""}
        if user is None:
            entry["status"] = 401
            self.issuer.log(entry)
            self.reply(401, {"errors": [{"code": "UNAUTHORIZED", "message": "invalid credentials"}]},
                       {"WWW-Authenticate": 'Basic realm="imglint-token"'})
            return
        token, access = self.issuer.token(user, query.get("service", [""])[0], query.get("scope", []))
        entry["status"] = 200
        entry["granted"] = access
        self.issuer.log(entry)
        self.reply(200, {"token": token, "access_token": token, "expires_in": TOKEN_LIFETIME_SECONDS,
                         "issued_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())})

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/healthz":
            self.reply(200, {"ok": True})
        elif url.path == "/token":
            self.handle_token(urllib.parse.parse_qs(url.query))
        else:
            self.reply(404, {"error": "not found"})

    def do_POST(self):
        url = urllib.parse.urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(min(length, 1 << 20)).decode(errors="replace")
        if url.path != "/token":
            self.reply(404, {"error": "not found"})
            return
        form = urllib.parse.parse_qs(body)
        if form.get("grant_type", [""])[0] != "password":
            self.reply(400, {"error": "unsupported_grant_type"})
            return
        # The query logged is the form without the password.
        query = {k: v for k, v in form.items() if k != "password"}
        self.handle_token(query, form.get("username", [""])[0], form.get("password", [""])[0])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", required=True, help="HOST:PORT")
    parser.add_argument("--key", required=True)
    parser.add_argument("--cert", required=True)
    parser.add_argument("--users", required=True)
    parser.add_argument("--issuer", required=True)
    parser.add_argument("--service", required=True)
    parser.add_argument("--log", required=True)
    args = parser.parse_args()
    host, _, port = args.listen.rpartition(":")
    Handler.issuer = Issuer(args)
    server = http.server.ThreadingHTTPServer((host, int(port)), Handler)
    server.daemon_threads = True
    server.serve_forever()


if __name__ == "__main__":
    main()
