// SPDX-License-Identifier: Apache-2.0
// Each HttpStream owns one easy handle in its own multi handle and drives it
// from Read(): the write callback buffers at most kMaxBuffered bytes and
// pauses the transfer beyond that, so memory stays bounded however fast the
// server is and however slow the decoder. While Read() waits, the callback
// writes straight into the reader's buffer: a layer's bytes are copied once
// on their way from curl to the decompressor, not twice.
#include "analyzer/source/http.h"

#include <curl/curl.h>
#include <dlfcn.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <mutex>

#include "analyzer/text.h"

#ifndef IMGLINT_VERSION
#define IMGLINT_VERSION "0.0.0"
#endif

namespace imglint {
namespace {

constexpr std::size_t kMaxBuffered = 1 << 20;

// libcurl is opened on first use rather than linked: with the TLS, Kerberos,
// LDAP and IDN libraries it pulls in, loading it at start-up cost every run
// about 15 ms of dynamic linking, though most runs never reach a registry or
// a daemon.
struct CurlLibrary {
  bool ok = false;
  std::string error;  // why it could not be loaded
  decltype(&::curl_easy_cleanup) easy_cleanup = nullptr;
  decltype(&::curl_easy_getinfo) easy_getinfo = nullptr;
  decltype(&::curl_easy_init) easy_init = nullptr;
  decltype(&::curl_easy_pause) easy_pause = nullptr;
  decltype(&::curl_easy_setopt) easy_setopt = nullptr;
  decltype(&::curl_easy_strerror) easy_strerror = nullptr;
  decltype(&::curl_free) free = nullptr;
  decltype(&::curl_global_init) global_init = nullptr;
  decltype(&::curl_multi_add_handle) multi_add_handle = nullptr;
  decltype(&::curl_multi_cleanup) multi_cleanup = nullptr;
  decltype(&::curl_multi_info_read) multi_info_read = nullptr;
  decltype(&::curl_multi_init) multi_init = nullptr;
  decltype(&::curl_multi_perform) multi_perform = nullptr;
  decltype(&::curl_multi_poll) multi_poll = nullptr;
  decltype(&::curl_multi_remove_handle) multi_remove_handle = nullptr;
  decltype(&::curl_slist_append) slist_append = nullptr;
  decltype(&::curl_slist_free_all) slist_free_all = nullptr;
  decltype(&::curl_url) url = nullptr;
  decltype(&::curl_url_cleanup) url_cleanup = nullptr;
  decltype(&::curl_url_get) url_get = nullptr;
  decltype(&::curl_url_set) url_set = nullptr;
};

template <typename Fn>
void Resolve(void* handle, const char* name, Fn* fn, bool* ok) {
  *fn = reinterpret_cast<Fn>(::dlsym(handle, name));
  *ok = *ok && *fn != nullptr;
}

CurlLibrary LoadCurl() {
  CurlLibrary lib;
  void* handle = ::dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = ::dlerror();
    lib.error = std::string("cannot load libcurl: ") + (why != nullptr ? why : "libcurl.so.4");
    return lib;
  }
  bool ok = true;
  Resolve(handle, "curl_easy_cleanup", &lib.easy_cleanup, &ok);
  Resolve(handle, "curl_easy_getinfo", &lib.easy_getinfo, &ok);
  Resolve(handle, "curl_easy_init", &lib.easy_init, &ok);
  Resolve(handle, "curl_easy_pause", &lib.easy_pause, &ok);
  Resolve(handle, "curl_easy_setopt", &lib.easy_setopt, &ok);
  Resolve(handle, "curl_easy_strerror", &lib.easy_strerror, &ok);
  Resolve(handle, "curl_free", &lib.free, &ok);
  Resolve(handle, "curl_global_init", &lib.global_init, &ok);
  Resolve(handle, "curl_multi_add_handle", &lib.multi_add_handle, &ok);
  Resolve(handle, "curl_multi_cleanup", &lib.multi_cleanup, &ok);
  Resolve(handle, "curl_multi_info_read", &lib.multi_info_read, &ok);
  Resolve(handle, "curl_multi_init", &lib.multi_init, &ok);
  Resolve(handle, "curl_multi_perform", &lib.multi_perform, &ok);
  Resolve(handle, "curl_multi_poll", &lib.multi_poll, &ok);
  Resolve(handle, "curl_multi_remove_handle", &lib.multi_remove_handle, &ok);
  Resolve(handle, "curl_slist_append", &lib.slist_append, &ok);
  Resolve(handle, "curl_slist_free_all", &lib.slist_free_all, &ok);
  Resolve(handle, "curl_url", &lib.url, &ok);
  Resolve(handle, "curl_url_cleanup", &lib.url_cleanup, &ok);
  Resolve(handle, "curl_url_get", &lib.url_get, &ok);
  Resolve(handle, "curl_url_set", &lib.url_set, &ok);
  lib.ok = ok;
  if (!lib.ok) lib.error = "cannot load libcurl: libcurl.so.4 lacks a function imglint needs";
  return lib;  // the handle stays open for the rest of the run
}

const CurlLibrary& Curl() {
  static const CurlLibrary lib = LoadCurl();
  return lib;
}

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (Curl().ok) Curl().global_init(CURL_GLOBAL_DEFAULT);
  });
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

// Resolves a Location header against the URL that sent it.
std::string ResolveUrl(const std::string& base, const std::string& location) {
  CURLU* u = Curl().url();
  std::string out;
  if (Curl().url_set(u, CURLUPART_URL, base.c_str(), 0) == CURLUE_OK &&
      Curl().url_set(u, CURLUPART_URL, location.c_str(), 0) == CURLUE_OK) {
    char* full = nullptr;
    if (Curl().url_get(u, CURLUPART_URL, &full, 0) == CURLUE_OK && full != nullptr) {
      out = full;
      Curl().free(full);
    }
  }
  Curl().url_cleanup(u);
  return out;
}

TransportError Classify(CURLcode code, const char* detail) {
  switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return TransportError::kConnect;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_ISSUER_ERROR:
      return TransportError::kTls;
    case CURLE_SSL_CONNECT_ERROR:
      // OpenSSL's words for a plain-HTTP answer to a ClientHello.
      if (std::strstr(detail, "wrong version number") != nullptr ||
          std::strstr(detail, "packet length too long") != nullptr ||
          std::strstr(detail, "http request") != nullptr) {
        return TransportError::kTlsVersusPlain;
      }
      return TransportError::kTls;
    case CURLE_OPERATION_TIMEDOUT:
      return TransportError::kTimeout;
    default:
      return TransportError::kOther;
  }
}

}  // namespace

std::string HttpResponse::Header(std::string_view name) const {
  auto it = headers.find(std::string(name));
  return it == headers.end() ? "" : it->second;
}

struct HttpStream::Impl {
  CURL* easy = nullptr;
  CURLM* multi = nullptr;
  curl_slist* header_list = nullptr;
  HttpResponse* response = nullptr;
  std::string request_body;
  std::string buffer;
  std::size_t pos = 0;
  // The buffer of the Read() in progress, filled first by OnData.
  std::uint8_t* direct = nullptr;
  std::size_t direct_size = 0;
  std::size_t direct_got = 0;
  std::uint64_t delivered = 0;  // body bytes handed to the reader, for messages
  bool paused = false;
  bool done = false;
  bool headers_done = false;
  CURLcode result = CURLE_OK;
  char error[CURL_ERROR_SIZE] = {};
  std::string where;  // "127.0.0.1:5000" or the socket path, for messages

  ~Impl() {
    if (multi != nullptr && easy != nullptr) Curl().multi_remove_handle(multi, easy);
    if (easy != nullptr) Curl().easy_cleanup(easy);
    if (multi != nullptr) Curl().multi_cleanup(multi);
    Curl().slist_free_all(header_list);
  }

  static std::size_t OnHeader(char* data, std::size_t size, std::size_t n, void* self) {
    auto* impl = static_cast<Impl*>(self);
    std::string_view line(data, size * n);
    if (line.starts_with("HTTP/")) {
      // A new response (after 1xx): forget the previous one's headers.
      impl->response->headers.clear();
      impl->headers_done = false;
      return line.size();
    }
    std::string_view trimmed = Trim(line);
    if (trimmed.empty()) {
      long status = 0;
      Curl().easy_getinfo(impl->easy, CURLINFO_RESPONSE_CODE, &status);
      if (status >= 200) impl->headers_done = true;
      return line.size();
    }
    auto colon = trimmed.find(':');
    if (colon != std::string_view::npos && impl->response->headers.size() < 256) {
      impl->response->headers.emplace(Lower(Trim(trimmed.substr(0, colon))),
                                      std::string(Trim(trimmed.substr(colon + 1))));
    }
    return line.size();
  }

  static std::size_t OnData(char* data, std::size_t size, std::size_t n, void* self) {
    auto* impl = static_cast<Impl*>(self);
    std::size_t bytes = size * n;
    // curl may call back several times per perform: every chunk that fits
    // goes straight to the reader, not only the first.
    if (impl->direct != nullptr && impl->direct_got < impl->direct_size &&
        impl->pos == impl->buffer.size()) {
      const std::size_t now = std::min(bytes, impl->direct_size - impl->direct_got);
      std::memcpy(impl->direct + impl->direct_got, data, now);
      impl->direct_got += now;
      if (now == bytes) return bytes;
      impl->buffer.clear();  // what the reader has no room for (< one curl buffer)
      impl->pos = 0;
      impl->buffer.append(data + now, bytes - now);
      return bytes;
    }
    if (impl->buffer.size() - impl->pos >= kMaxBuffered) {
      impl->paused = true;
      return CURL_WRITEFUNC_PAUSE;  // curl keeps the data and offers it again
    }
    if (impl->pos > 0 && impl->pos == impl->buffer.size()) {
      impl->buffer.clear();
      impl->pos = 0;
    }
    impl->buffer.append(data, bytes);
    return bytes;
  }

  // Runs the transfer a little: until something happened or a second passed.
  void Pump() {
    int running = 0;
    CURLMcode mc = Curl().multi_perform(multi, &running);
    int queued = 0;
    while (CURLMsg* msg = Curl().multi_info_read(multi, &queued)) {
      if (msg->msg == CURLMSG_DONE) {
        done = true;
        result = msg->data.result;
      }
    }
    if (mc != CURLM_OK && !done) {
      done = true;
      result = CURLE_FAILED_INIT;
    }
    if (!done && running > 0 && pos == buffer.size() && direct_got == 0 && !paused) {
      Curl().multi_poll(multi, nullptr, 0, 1000, nullptr);
    }
  }

  std::string ErrorText() const {
    std::string detail = error[0] != '\0' ? error : Curl().easy_strerror(result);
    while (!detail.empty() && detail.back() == '\n') detail.pop_back();
    return detail;
  }
};

HttpStream::HttpStream(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {
  impl_->response = &response_;
}

HttpStream::~HttpStream() = default;

std::unique_ptr<HttpStream> HttpStream::Open(const HttpRequest& request, std::string* err,
                                             TransportError* kind) {
  GlobalInit();
  TransportError ignored;
  if (kind == nullptr) kind = &ignored;
  *kind = TransportError::kNone;
  if (!Curl().ok) {
    *err = Curl().error;
    *kind = TransportError::kOther;
    return nullptr;
  }
  auto impl = std::make_unique<Impl>();
  impl->easy = Curl().easy_init();
  impl->multi = Curl().multi_init();
  if (impl->easy == nullptr || impl->multi == nullptr) {
    *err = "cannot initialise libcurl";
    *kind = TransportError::kOther;
    return nullptr;
  }
  std::unique_ptr<HttpStream> stream(new HttpStream(std::move(impl)));
  Impl* s = stream->impl_.get();
  CURL* h = s->easy;
  s->where = request.unix_socket.empty() ? UrlAuthority(request.url) : request.unix_socket;
  Curl().easy_setopt(h, CURLOPT_URL, request.url.c_str());
  Curl().easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  Curl().easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  Curl().easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  Curl().easy_setopt(h, CURLOPT_ERRORBUFFER, s->error);
  Curl().easy_setopt(h, CURLOPT_USERAGENT, "imglint/" IMGLINT_VERSION);
  Curl().easy_setopt(h, CURLOPT_CONNECTTIMEOUT, request.connect_timeout_seconds);
  Curl().easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
  Curl().easy_setopt(h, CURLOPT_LOW_SPEED_TIME, request.stall_timeout_seconds);
  Curl().easy_setopt(h, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
  Curl().easy_setopt(h, CURLOPT_BUFFERSIZE, 1024L * 1024);  // fewer recv calls per layer
  Curl().easy_setopt(h, CURLOPT_HEADERFUNCTION, &Impl::OnHeader);
  Curl().easy_setopt(h, CURLOPT_HEADERDATA, s);
  Curl().easy_setopt(h, CURLOPT_WRITEFUNCTION, &Impl::OnData);
  Curl().easy_setopt(h, CURLOPT_WRITEDATA, s);
  if (!request.unix_socket.empty()) {
    Curl().easy_setopt(h, CURLOPT_UNIX_SOCKET_PATH, request.unix_socket.c_str());
  }
  if (request.direct || !request.unix_socket.empty()) Curl().easy_setopt(h, CURLOPT_PROXY, "");
  if (!request.tls.verify) {
    Curl().easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
    Curl().easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  curl_blob ca{};
  if (!request.tls.extra_ca_pem.empty()) {
    // Replaces the default bundle file; the system CA directory stays trusted.
    ca.data = const_cast<char*>(request.tls.extra_ca_pem.data());
    ca.len = request.tls.extra_ca_pem.size();
    ca.flags = CURL_BLOB_COPY;
    Curl().easy_setopt(h, CURLOPT_CAINFO_BLOB, &ca);
    Curl().easy_setopt(h, CURLOPT_CAPATH, "/etc/ssl/certs");
  }
  for (const std::string& header : request.headers) {
    s->header_list = Curl().slist_append(s->header_list, header.c_str());
  }
  // curl would add "Expect: 100-continue" to POSTs; registries do not need it.
  s->header_list = Curl().slist_append(s->header_list, "Expect:");
  Curl().easy_setopt(h, CURLOPT_HTTPHEADER, s->header_list);
  if (request.method == "HEAD") {
    Curl().easy_setopt(h, CURLOPT_NOBODY, 1L);
  } else if (request.method != "GET") {
    Curl().easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  if (!request.body.empty()) {
    s->request_body = request.body;
    Curl().easy_setopt(h, CURLOPT_POSTFIELDS, s->request_body.c_str());
    Curl().easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(s->request_body.size()));
  }
  Curl().multi_add_handle(s->multi, h);
  while (!s->headers_done && !s->done) s->Pump();
  if (!s->headers_done) {
    std::string detail = s->ErrorText();
    *kind = Classify(s->result, detail.c_str());
    if (*kind == TransportError::kConnect) {
      *err = "cannot connect to " + s->where + ": " + detail;
    } else if (*kind == TransportError::kTls || *kind == TransportError::kTlsVersusPlain) {
      *err = "TLS error talking to " + s->where + ": " + detail;
    } else {
      *err = "request to " + s->where + " failed: " + detail;
    }
    return nullptr;
  }
  HttpResponse& r = stream->response_;
  Curl().easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r.status);
  char* effective = nullptr;
  Curl().easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &effective);
  r.url = effective != nullptr ? effective : request.url;
  std::string location = r.Header("location");
  if (r.status >= 300 && r.status < 400 && !location.empty()) {
    r.redirect_url = ResolveUrl(r.url, location);
  }
  return stream;
}

bool HttpStream::Read(std::uint8_t* buf, std::size_t size, std::size_t* got, std::string* err) {
  Impl* s = impl_.get();
  *got = 0;
  for (;;) {
    if (s->pos < s->buffer.size()) {
      std::size_t n = std::min(size, s->buffer.size() - s->pos);
      std::memcpy(buf, s->buffer.data() + s->pos, n);
      s->pos += n;
      s->delivered += n;
      *got = n;
      return true;
    }
    s->buffer.clear();
    s->pos = 0;
    if (!s->done) {
      s->direct = buf;
      s->direct_size = size;
      s->direct_got = 0;
      if (s->paused) {
        s->paused = false;
        Curl().easy_pause(s->easy, CURLPAUSE_CONT);  // may deliver at once
      } else {
        s->Pump();
      }
      s->direct = nullptr;
      if (s->direct_got > 0) {
        s->delivered += s->direct_got;
        *got = s->direct_got;
        return true;
      }
      continue;
    }
    if (s->result == CURLE_OK) return true;
    // "after 300 of 600 bytes": says the body broke off, not the request.
    std::string length = response_.Header("content-length");
    std::string of = !length.empty() && length.size() < 20 &&
                             length.find_first_not_of("0123456789") == std::string::npos
                         ? " of " + length
                         : "";
    *err = "reading from " + s->where + " failed after " + std::to_string(s->delivered) + of +
           " bytes: " + s->ErrorText();
    return false;
  }
}

bool HttpStream::ReadBody(std::uint64_t limit, std::string* out, std::string* err) {
  return ReadAll(this, limit, out, err);
}

TransportError HttpStream::BodyError() const {
  if (!impl_->done || impl_->result == CURLE_OK) return TransportError::kNone;
  return Classify(impl_->result, impl_->error);
}

std::string UrlAuthority(std::string_view url) {
  auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return "";
  std::string_view rest = url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  auto at = rest.rfind('@');
  if (at != std::string_view::npos) rest.remove_prefix(at + 1);  // never show userinfo
  return Lower(rest);
}

}  // namespace imglint
