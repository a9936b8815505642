// SPDX-License-Identifier: Apache-2.0
/// HTTP on libcurl for registries and daemon sockets, in pull mode: a
/// response body is a ByteSource the layer decoder reads at its own pace, so
/// a multi-gigabyte blob streams through a bounded buffer (curl is paused
/// while the reader is behind) with no temporary file and no extra thread.
/// Redirects are never followed here: the caller decides per hop which
/// headers may go to the next host.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/image/byte_source.h"
#include "analyzer/text.h"

namespace imglint {

struct TlsSettings {
  bool verify = true;
  /// PEM certificates trusted in addition to the system's (--registry-ca,
  /// certs.d directories); empty = the system store only.
  std::string extra_ca_pem;
};

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::string> headers;  // "Accept: …"
  std::string body;                  // sent when non-empty (POST forms)
  /// Non-empty: connect to this unix socket instead of the URL's host.
  std::string unix_socket;
  TlsSettings tls;
  /// Bypass proxies from the environment (loopback hosts, unix sockets).
  bool direct = false;
  long connect_timeout_seconds = 30;
  /// The transfer is aborted when less than one byte a second arrives for
  /// this long: a hostile or stuck server cannot hang imglint.
  long stall_timeout_seconds = 60;
};

struct HttpResponse {
  long status = 0;
  std::string url;  // the URL that answered
  /// Header names in lower case; repeated headers keep every value.
  std::multimap<std::string, std::string> headers;

  /// The absolute URL a 3xx answer points at, resolved against `url`.
  std::string redirect_url;

  /// First value of `name` (lower case), or "".
  std::string Header(std::string_view name) const;
};

/// What went wrong below HTTP, so callers can tell "not listening" from
/// "TLS refused" without parsing messages.
enum class TransportError {
  kNone,
  kConnect,         // refused, unreachable, no such host, no such socket
  kTls,             // handshake or certificate verification failed
  kTlsVersusPlain,  // the server answered TLS with plain HTTP
  kTimeout,
  kOther,
};

/// One request whose body is read on demand.
class HttpStream : public ByteSource {
 public:
  ~HttpStream() override;
  HttpStream(const HttpStream&) = delete;
  HttpStream& operator=(const HttpStream&) = delete;

  /// Sends the request and waits for the response headers. On failure
  /// returns nullptr with *err ("cannot connect to 127.0.0.1:5000: Connection
  /// refused") and *kind.
  static std::unique_ptr<HttpStream> Open(const HttpRequest& request, std::string* err,
                                          TransportError* kind = nullptr);

  const HttpResponse& response() const { return response_; }

  bool Read(std::uint8_t* buf, std::size_t size, std::size_t* got, std::string* err) override;

  /// Reads the rest of the body, failing above `limit` bytes.
  bool ReadBody(std::uint64_t limit, std::string* out, std::string* err);

  /// Why the transfer failed after the headers (connection cut mid-body,
  /// stalled): kNone while it is fine. Lets a caller that has not consumed
  /// the body yet (a manifest read whole) tell a retryable break from, say,
  /// a body over its size limit.
  TransportError BodyError() const;

 private:
  struct Impl;
  explicit HttpStream(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  HttpResponse response_;
};

/// "host[:port]" of an absolute URL, lower case; "" when it has none.
std::string UrlAuthority(std::string_view url);

}  // namespace imglint
