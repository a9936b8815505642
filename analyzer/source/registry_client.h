// SPDX-License-Identifier: Apache-2.0
/// An OCI Distribution client for one repository: the /v2/ ping that picks
/// the scheme and learns the auth challenge, anonymous or credentialed Bearer
/// tokens (and Basic), manifest GETs with the four manifest media types,
/// verified blob reads, streamed layer blobs with their size enforced, retries
/// with backoff on 429/5xx honouring Retry-After, and redirects to blob
/// storage followed without the registry's Authorization header.
///
/// Credentials only ever go to the registry's own API host and to the token
/// realm its challenge names (over TLS, or plain HTTP on loopback) — never to
/// a redirect target — and never appear in a message.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "analyzer/image/byte_source.h"
#include "analyzer/source/credentials.h"
#include "analyzer/source/http.h"
#include "analyzer/source/image_ref.h"

namespace imglint {

struct RegistryOptions {
  /// --insecure-registry HOST[:PORT]: unverified TLS, or plain HTTP.
  std::set<std::string> insecure_hosts;
  /// PEM trusted in addition to the system CAs (--registry-ca and the
  /// certs.d directories for the host).
  std::string extra_ca_pem;
  const CredentialStore* credentials = nullptr;  // null = anonymous only
  int max_attempts = 4;                          // per request, on 429/5xx/timeouts
  double max_retry_wait_seconds = 60;            // cap for Retry-After
  long stall_timeout_seconds = 60;
  /// Waits between attempts; tests make it instant.
  std::function<void(double seconds)> sleep;
};

/// A manifest or index as the registry served it.
struct FetchedManifest {
  std::string bytes;
  std::string media_type;  // Content-Type
  std::string digest;      // sha256 of bytes (verified against a pinned reference)
};

class RegistryClient {
 public:
  RegistryClient(ImageRef ref, RegistryOptions options);
  ~RegistryClient();

  /// "registry 127.0.0.1:5000" — for the text output and messages.
  std::string Describe() const;
  const ImageRef& ref() const { return ref_; }

  /// GET /v2/<repo>/manifests/<reference> (tag or digest), at most `limit`
  /// bytes. A digest reference is verified against the bytes.
  bool GetManifest(const std::string& reference, std::uint64_t limit, FetchedManifest* out,
                   std::string* err);

  /// A whole (small) blob such as a config, verified against `digest`.
  bool GetBlob(const std::string& digest, std::uint64_t limit, std::string* out, std::string* err);

  /// Streams blob `digest`. When `expected_size` is non-zero the stream fails
  /// as soon as the server sends more, or ends with fewer, bytes. The caller
  /// hashes the bytes (the layer decoder does while it reads).
  std::unique_ptr<ByteSource> OpenBlob(const std::string& digest, std::uint64_t expected_size,
                                       std::string* err);

 private:
  struct Response;
  bool Ping(std::string* err);
  /// GET `path` with retries. `body_limit` 0 leaves the body in out->stream;
  /// otherwise the body (at most `body_limit` bytes for a 200, a short error
  /// document else) is read into out->body, and a transfer that breaks off
  /// mid-body is retried like a failed request: nothing consumed it yet.
  bool Send(const std::string& path, const std::string& accept, std::uint64_t body_limit,
            Response* out, std::string* err);
  bool Authorize(const std::string& challenge_header, std::string* err);
  bool FetchToken(const std::string& realm, const std::string& service, const std::string& scope,
                  const Credential* credential, std::string* token, std::string* err);
  HttpRequest BaseRequest(const std::string& url) const;
  /// The message for an error answer; `attempts` > 1 says the client
  /// retried a retryable status before giving up.
  std::string ErrorFromBody(long status, const std::string& body, const std::string& what,
                            int attempts = 1) const;
  void Wait(double seconds) const;

  ImageRef ref_;
  RegistryOptions options_;
  std::string api_host_;  // "registry-1.docker.io", "127.0.0.1:5000"
  std::string base_;      // "https://127.0.0.1:5000"
  bool pinged_ = false;
  bool insecure_ = false;
  mutable std::mutex auth_mutex_;
  std::string authorization_;      // "Bearer …" / "Basic …"; guarded by auth_mutex_
  std::string credential_origin_;  // where the credential in use came from; "" = anonymous
};

/// Reads the first WWW-Authenticate challenge a registry error answer gave
/// and the Retry-After delay (seconds or an HTTP date), for tests.
double ParseRetryAfter(const std::string& value, double fallback);

}  // namespace imglint
