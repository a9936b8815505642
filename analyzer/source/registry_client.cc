// SPDX-License-Identifier: Apache-2.0
#include "analyzer/source/registry_client.h"

#include <chrono>
#include <cmath>
#include <ctime>
#include <nlohmann/json.hpp>
#include <thread>

#include "analyzer/image/digest.h"
#include "analyzer/image/json_limits.h"
#include "analyzer/source/base64.h"
#include "analyzer/source/www_authenticate.h"
#include "analyzer/text.h"

namespace imglint {
namespace {

constexpr int kMaxRedirects = 10;
constexpr std::uint64_t kMaxErrorBody = 64 * 1024;
constexpr std::uint64_t kMaxTokenBody = 1 << 20;

constexpr const char* kManifestAccept =
    "Accept: application/vnd.oci.image.index.v1+json, "
    "application/vnd.oci.image.manifest.v1+json, "
    "application/vnd.docker.distribution.manifest.list.v2+json, "
    "application/vnd.docker.distribution.manifest.v2+json";

bool IsRetryableStatus(long status) {
  return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

bool IsRetryableTransport(TransportError kind) {
  return kind == TransportError::kTimeout || kind == TransportError::kOther;
}

// " (gave up after 4 attempts)" once a request was retried, else "".
std::string GaveUp(int attempts) {
  return attempts > 1 ? " (gave up after " + std::to_string(attempts) + " attempts)" : "";
}

std::string StatusText(long status) {
  switch (status) {
    case 401:
      return "401 Unauthorized";
    case 403:
      return "403 Forbidden";
    case 404:
      return "404 Not Found";
    case 429:
      return "429 Too Many Requests";
    case 500:
      return "500 Internal Server Error";
    case 502:
      return "502 Bad Gateway";
    case 503:
      return "503 Service Unavailable";
    case 504:
      return "504 Gateway Timeout";
    default:
      return "HTTP " + std::to_string(status);
  }
}

// Enforces a blob's descriptor size while it streams and keeps the
// HttpStream (and its redirect chain's last hop) alive.
class SizedBlobSource : public ByteSource {
 public:
  SizedBlobSource(std::unique_ptr<HttpStream> stream, std::uint64_t expected)
      : stream_(std::move(stream)), expected_(expected) {}

  bool Read(std::uint8_t* buf, std::size_t size, std::size_t* got, std::string* err) override {
    if (!stream_->Read(buf, size, got, err)) {
      // The decoder has consumed what came before the break, and the stream
      // cannot be rewound for it: say so rather than leave "retries" a lie.
      *err += " (a layer is decoded while it streams, so a broken transfer is not retried)";
      return false;
    }
    seen_ += *got;
    if (expected_ != 0 && seen_ > expected_) {
      *err = "size mismatch (the descriptor declares " + std::to_string(expected_) +
             " bytes, the registry sends more)";
      return false;
    }
    if (*got == 0 && expected_ != 0 && seen_ != expected_) {
      *err = "size mismatch (the descriptor declares " + std::to_string(expected_) +
             " bytes, the registry sent " + std::to_string(seen_) + ")";
      return false;
    }
    return true;
  }

 private:
  std::unique_ptr<HttpStream> stream_;
  std::uint64_t expected_;
  std::uint64_t seen_ = 0;
};

}  // namespace

double ParseRetryAfter(const std::string& value, double fallback) {
  if (value.empty()) return fallback;
  bool digits = true;
  for (char c : value) digits = digits && c >= '0' && c <= '9';
  if (digits && value.size() < 10) return std::stod(value);
  // An HTTP date: "Wed, 21 Oct 2015 07:28:00 GMT".
  std::tm tm{};
  if (strptime(value.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm) == nullptr) return fallback;
  double wait = std::difftime(timegm(&tm), std::time(nullptr));
  return wait > 0 ? wait : 0;
}

struct RegistryClient::Response {
  std::unique_ptr<HttpStream> stream;
  long status = 0;
  int attempts = 1;          // requests sent, retries included
  std::string body;          // when Send was asked to read it
  bool body_failed = false;  // Send failed while reading the body
};

RegistryClient::RegistryClient(ImageRef ref, RegistryOptions options)
    : ref_(std::move(ref)), options_(std::move(options)), api_host_(RegistryApiHost(ref_.domain)) {
  insecure_ = options_.insecure_hosts.count(ref_.domain) != 0 ||
              options_.insecure_hosts.count(api_host_) != 0;
}

RegistryClient::~RegistryClient() = default;

std::string RegistryClient::Describe() const { return "registry " + ref_.domain; }

void RegistryClient::Wait(double seconds) const {
  if (options_.sleep) {
    options_.sleep(seconds);
  } else {
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  }
}

HttpRequest RegistryClient::BaseRequest(const std::string& url) const {
  HttpRequest request;
  request.url = url;
  request.tls.verify = !insecure_;
  request.tls.extra_ca_pem = options_.extra_ca_pem;
  request.direct = IsLoopbackRegistry(UrlAuthority(url));
  request.stall_timeout_seconds = options_.stall_timeout_seconds;
  return request;
}

bool RegistryClient::Ping(std::string* err) {
  if (pinged_) return true;
  // HTTPS first; plain HTTP only for loopback (as Docker) and hosts named
  // with --insecure-registry, and only when the server does not speak TLS.
  const bool may_use_http = insecure_ || IsLoopbackRegistry(ref_.domain);
  for (const char* scheme : {"https://", "http://"}) {
    if (std::string(scheme) == "http://" && !may_use_http) break;
    HttpRequest request = BaseRequest(scheme + api_host_ + "/v2/");
    std::string open_err;
    TransportError kind = TransportError::kNone;
    auto stream = HttpStream::Open(request, &open_err, &kind);
    if (!stream) {
      if (kind == TransportError::kTlsVersusPlain && may_use_http) continue;
      if (kind == TransportError::kTlsVersusPlain) {
        *err = open_err + " (the registry speaks plain HTTP; allow it with --insecure-registry " +
               ref_.domain + ")";
      } else if (kind == TransportError::kTls) {
        *err = open_err +
               " (trust its CA with --registry-ca FILE, or skip verification with "
               "--insecure-registry " +
               ref_.domain + ")";
      } else {
        *err = open_err;
      }
      return false;
    }
    base_ = scheme + api_host_;
    long status = stream->response().status;
    if (status == 401) {
      std::string challenge = stream->response().Header("www-authenticate");
      std::lock_guard<std::mutex> lock(auth_mutex_);
      if (authorization_.empty() && !Authorize(challenge, err)) return false;
    } else if (status != 200) {
      *err = ref_.domain + " does not serve the registry API (GET /v2/ answered " +
             StatusText(status) + ")";
      return false;
    }
    pinged_ = true;
    return true;
  }
  *err = "cannot reach " + ref_.domain;
  return false;
}

// Called with auth_mutex_ held.
bool RegistryClient::Authorize(const std::string& challenge_header, std::string* err) {
  std::optional<Credential> credential;
  if (options_.credentials != nullptr) {
    credential = options_.credentials->Lookup(ref_.domain, ref_.repository, err);
    if (!credential && !err->empty()) return false;
  }
  credential_origin_ = credential ? credential->origin : "";
  const AuthChallenge* bearer = nullptr;
  const AuthChallenge* basic = nullptr;
  std::vector<AuthChallenge> challenges = ParseWwwAuthenticate(challenge_header);
  for (const AuthChallenge& c : challenges) {
    if (c.scheme == "bearer" && bearer == nullptr) bearer = &c;
    if (c.scheme == "basic" && basic == nullptr) basic = &c;
  }
  if (bearer != nullptr) {
    if (credential && !credential->registry_token.empty()) {
      authorization_ = "Bearer " + credential->registry_token;
      return true;
    }
    auto get = [&](const char* key) {
      auto it = bearer->params.find(key);
      return it == bearer->params.end() ? std::string() : it->second;
    };
    std::string scope = "repository:" + ref_.repository + ":pull";
    std::string token;
    if (!FetchToken(get("realm"), get("service"), scope, credential ? &*credential : nullptr,
                    &token, err)) {
      return false;
    }
    authorization_ = "Bearer " + token;
    return true;
  }
  if (basic != nullptr) {
    if (!credential || credential->username.empty()) {
      *err = "authentication required by " + ref_.domain +
             " (401 Unauthorized) and no credentials were found for it "
             "(--username/--password-stdin, auth.json, Docker's config.json)";
      return false;
    }
    authorization_ = "Basic " + EncodeBase64(credential->username + ":" + credential->password);
    return true;
  }
  *err = ref_.domain + " answered 401 Unauthorized without a usable WWW-Authenticate challenge";
  return false;
}

bool RegistryClient::FetchToken(const std::string& realm, const std::string& service,
                                const std::string& scope, const Credential* credential,
                                std::string* token, std::string* err) {
  const std::string realm_host = UrlAuthority(realm);
  if (realm_host.empty() || !(realm.starts_with("https://") || realm.starts_with("http://"))) {
    *err = ref_.domain + " names an invalid token realm \"" + EscapeForMessage(realm) + "\"";
    return false;
  }
  const bool has_secret = credential != nullptr &&
                          (!credential->password.empty() || !credential->identity_token.empty());
  if (has_secret && realm.starts_with("http://") && !IsLoopbackRegistry(realm_host)) {
    *err = "refusing to send credentials for " + ref_.domain + " over plain HTTP to " + realm_host;
    return false;
  }
  std::string query = "service=" + PercentEncode(service) + "&scope=" + PercentEncode(scope);
  HttpRequest request = BaseRequest("");
  request.tls.verify = true;  // --insecure-registry names the registry, not its realm
  if (credential != nullptr && !credential->identity_token.empty()) {
    // OAuth2 refresh token (Docker's identitytoken): POST form to the realm.
    request.url = realm;
    request.method = "POST";
    request.headers.push_back("Content-Type: application/x-www-form-urlencoded");
    request.body = "grant_type=refresh_token&client_id=imglint&" + query +
                   "&refresh_token=" + PercentEncode(credential->identity_token);
  } else {
    request.url = realm + (realm.find('?') == std::string::npos ? "?" : "&") + query;
    if (credential != nullptr && !credential->username.empty()) {
      request.headers.push_back("Authorization: Basic " +
                                EncodeBase64(credential->username + ":" + credential->password));
    }
  }
  request.direct = IsLoopbackRegistry(realm_host);
  std::string open_err;
  auto stream = HttpStream::Open(request, &open_err);
  if (!stream) {
    *err = "token service of " + ref_.domain + ": " + open_err;
    return false;
  }
  std::string body;
  std::string read_err;
  if (!stream->ReadBody(kMaxTokenBody, &body, &read_err)) {
    *err = "token service " + realm_host + ": " + read_err;
    return false;
  }
  long status = stream->response().status;
  if (status == 401 || status == 403) {
    *err = "authentication to " + ref_.domain + " failed: the token service " + realm_host +
           " answered " + StatusText(status) +
           (credential != nullptr ? " for the credentials from " + credential->origin
                                  : std::string(" to an anonymous request (no credentials found "
                                                "for " +
                                                ref_.domain + ")"));
    return false;
  }
  if (status != 200) {
    *err = "token service " + realm_host + " answered " + StatusText(status);
    return false;
  }
  nlohmann::json j;
  std::string json_err;
  if (!ParseImageJson(body, "token response", kMaxTokenBody, &j, &json_err)) {
    *err = "token service " + realm_host + ": " + json_err;
    return false;
  }
  *token = JsonString(j, "token");
  if (token->empty()) *token = JsonString(j, "access_token");
  if (token->empty()) {
    *err = "token service " + realm_host + " answered without a token";
    return false;
  }
  return true;
}

std::string RegistryClient::ErrorFromBody(long status, const std::string& body,
                                          const std::string& what, int attempts) const {
  std::string code;
  std::string message;
  nlohmann::json j;
  std::string ignored;
  if (ParseImageJson(body, "error", kMaxErrorBody, &j, &ignored)) {
    if (const nlohmann::json* errors = JsonArray(j, "errors")) {
      if (!errors->empty()) {
        code = JsonString((*errors)[0], "code");
        message = JsonString((*errors)[0], "message");
      }
    }
  }
  const std::string name = ref_.Name();
  if (code == "MANIFEST_UNKNOWN" || (status == 404 && what.starts_with("manifest"))) {
    return "manifest unknown: " + what + " is not in " + name;
  }
  if (code == "NAME_UNKNOWN") return "repository " + name + " is unknown to " + ref_.domain;
  if (code == "BLOB_UNKNOWN" || (status == 404 && what.starts_with("blob"))) {
    return what + " is unknown to " + ref_.domain + " (" + name + ")";
  }
  std::string text = ref_.domain + " answered " + StatusText(status) + " for " + what;
  if (!message.empty()) text += ": " + EscapeForMessage(message.substr(0, 200));
  if (status == 401) {
    std::lock_guard<std::mutex> lock(auth_mutex_);
    text += credential_origin_.empty()
                ? " (authentication required: no credentials were found for " + ref_.domain +
                      " in --username/--password-stdin, auth.json or Docker's config.json)"
                : " (check the credentials from " + credential_origin_ + ")";
  }
  std::string notes;
  if (status == 403) notes = "access denied";
  if (status == 429) notes = "rate limited";
  if (IsRetryableStatus(status) && attempts > 1) {
    notes += (notes.empty() ? "" : "; ") + std::string("gave up after ") +
             std::to_string(attempts) + " attempts";
  }
  if (!notes.empty()) text += " (" + notes + ")";
  return text;
}

bool RegistryClient::Send(const std::string& path, const std::string& accept,
                          std::uint64_t body_limit, Response* out, std::string* err) {
  if (!Ping(err)) return false;
  bool reauthorized = false;
  double backoff = 1;
  const int max_attempts = std::max(1, options_.max_attempts);
  for (int attempt = 1;; ++attempt) {
    out->attempts = attempt;
    HttpRequest request = BaseRequest(base_ + path);
    if (!accept.empty()) request.headers.push_back(accept);
    {
      std::lock_guard<std::mutex> lock(auth_mutex_);
      if (!authorization_.empty()) request.headers.push_back("Authorization: " + authorization_);
    }
    const std::string registry_authority = UrlAuthority(base_);
    std::unique_ptr<HttpStream> stream;
    std::string open_err;
    TransportError kind = TransportError::kNone;
    for (int hop = 0;; ++hop) {
      stream = HttpStream::Open(request, &open_err, &kind);
      if (!stream) break;
      const HttpResponse& r = stream->response();
      if (r.status < 300 || r.status >= 400 || r.redirect_url.empty()) break;
      if (hop == kMaxRedirects) {
        *err =
            ref_.domain + ": more than " + std::to_string(kMaxRedirects) + " redirects for " + path;
        return false;
      }
      // Blob storage gets no registry credentials: it authorises with the
      // signed URL itself.
      const std::string next = r.redirect_url;
      HttpRequest hop_request = BaseRequest(next);
      hop_request.tls.verify = UrlAuthority(next) == registry_authority ? !insecure_ : true;
      for (const std::string& h : request.headers) {
        if (h.starts_with("Authorization:") && UrlAuthority(next) != registry_authority) continue;
        hop_request.headers.push_back(h);
      }
      request = std::move(hop_request);
    }
    if (!stream) {
      if (IsRetryableTransport(kind) && attempt < max_attempts) {
        Wait(backoff);
        backoff *= 2;
        continue;
      }
      *err = open_err + (IsRetryableTransport(kind) ? GaveUp(attempt) : "");
      return false;
    }
    long status = stream->response().status;
    if (status == 401 && !reauthorized) {
      // A token for another scope, an expired one, or no ping challenge.
      reauthorized = true;
      std::string challenge = stream->response().Header("www-authenticate");
      std::lock_guard<std::mutex> lock(auth_mutex_);
      authorization_.clear();
      if (!Authorize(challenge, err)) return false;
      --attempt;
      continue;
    }
    if (IsRetryableStatus(status) && attempt < max_attempts) {
      double wait = ParseRetryAfter(stream->response().Header("retry-after"), backoff);
      Wait(std::min(wait, options_.max_retry_wait_seconds));
      backoff *= 2;
      continue;
    }
    if (body_limit != 0) {
      std::string read_err;
      const std::uint64_t limit = status == 200 ? body_limit : kMaxErrorBody;
      if (!stream->ReadBody(limit, &out->body, &read_err)) {
        const bool broken = IsRetryableTransport(stream->BodyError());
        if (broken && attempt < max_attempts) {
          Wait(backoff);
          backoff *= 2;
          continue;
        }
        *err = read_err + (broken ? GaveUp(attempt) : "");
        out->body_failed = true;
        return false;
      }
    }
    out->status = status;
    out->stream = std::move(stream);
    return true;
  }
}

bool RegistryClient::GetManifest(const std::string& reference, std::uint64_t limit,
                                 FetchedManifest* out, std::string* err) {
  const bool by_digest = reference.starts_with("sha256:");
  const std::string what =
      by_digest ? "manifest " + reference : "manifest for tag \"" + reference + "\"";
  Response response;
  std::string send_err;
  if (!Send("/v2/" + ref_.repository + "/manifests/" + PercentEncode(reference, ":"),
            kManifestAccept, limit, &response, &send_err)) {
    // A failure before any answer already names the registry; one while
    // reading the body says what was being read.
    *err = response.body_failed ? what + ": " + send_err : send_err;
    return false;
  }
  std::string& body = response.body;
  if (response.status != 200) {
    *err = ErrorFromBody(response.status, body, what, response.attempts);
    return false;
  }
  out->digest = Sha256Digest(body);
  if (by_digest && out->digest != reference) {
    *err = what + ": digest mismatch (got " + out->digest + ")";
    return false;
  }
  std::string claimed = response.stream->response().Header("docker-content-digest");
  if (!claimed.empty() && claimed.starts_with("sha256:") && claimed != out->digest) {
    *err = what + ": the registry names digest " + EscapeForMessage(claimed.substr(0, 80)) +
           " but the bytes hash to " + out->digest;
    return false;
  }
  out->media_type = response.stream->response().Header("content-type");
  auto semicolon = out->media_type.find(';');
  if (semicolon != std::string::npos) out->media_type.resize(semicolon);
  if (out->media_type.find("vnd.docker.distribution.manifest.v1") != std::string::npos ||
      out->media_type.find("prettyjws") != std::string::npos) {
    *err = what + ": Docker schema 1 manifests are not supported";
    return false;
  }
  out->bytes = std::move(body);
  return true;
}

bool RegistryClient::GetBlob(const std::string& digest, std::uint64_t limit, std::string* out,
                             std::string* err) {
  const std::string what = "blob " + digest;
  Response response;
  std::string send_err;
  if (!Send("/v2/" + ref_.repository + "/blobs/" + digest, "", limit, &response, &send_err)) {
    *err = response.body_failed ? what + ": " + send_err : send_err;
    return false;
  }
  if (response.status != 200) {
    *err = ErrorFromBody(response.status, response.body, what, response.attempts);
    return false;
  }
  *out = std::move(response.body);
  std::string got = Sha256Digest(*out);
  if (got != digest) {
    *err = what + ": digest mismatch (got " + got + ")";
    out->clear();
    return false;
  }
  return true;
}

std::unique_ptr<ByteSource> RegistryClient::OpenBlob(const std::string& digest,
                                                     std::uint64_t expected_size,
                                                     std::string* err) {
  const std::string what = "blob " + digest;
  Response response;
  if (!Send("/v2/" + ref_.repository + "/blobs/" + digest, "", 0, &response, err)) return nullptr;
  if (response.status != 200) {
    std::string body;
    std::string ignored;
    response.stream->ReadBody(kMaxErrorBody, &body, &ignored);
    *err = ErrorFromBody(response.status, body, what, response.attempts);
    return nullptr;
  }
  std::string length = response.stream->response().Header("content-length");
  if (expected_size != 0 && !length.empty() && length.size() < 20 &&
      length.find_first_not_of("0123456789") == std::string::npos &&
      std::stoull(length) != expected_size) {
    *err = "size mismatch (the descriptor declares " + std::to_string(expected_size) +
           " bytes, the registry sends " + length + ")";
    return nullptr;
  }
  return std::make_unique<SizedBlobSource>(std::move(response.stream), expected_size);
}

}  // namespace imglint
