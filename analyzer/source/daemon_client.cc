// SPDX-License-Identifier: Apache-2.0
#include "analyzer/source/daemon_client.h"

#include <cstdlib>

#include "analyzer/image/json_limits.h"
#include "analyzer/text.h"

namespace imglint {
namespace {

constexpr std::uint64_t kMaxInspectBytes = 16u << 20;

const char* KindName(DaemonKind kind) { return kind == DaemonKind::kDocker ? "docker" : "podman"; }

// The daemon's own words from {"message": "…"}, else the status.
std::string DaemonMessage(long status, const std::string& body) {
  nlohmann::json j;
  std::string ignored;
  if (ParseImageJson(body, "error", kMaxInspectBytes, &j, &ignored) && j.is_object()) {
    std::string message = JsonString(j, "message");
    if (!message.empty()) return EscapeForMessage(message.substr(0, 300));
  }
  return "HTTP " + std::to_string(status);
}

std::string ImagePath(const std::string& name, const char* what) {
  // Docker routes /images/{name:.*}/…: slashes, colons and @ stay as they are.
  return "/images/" + PercentEncode(name, "/:@") + what;
}

}  // namespace

std::optional<std::string> ProcessEnv(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

std::string DaemonEndpoint::Describe() const {
  return std::string(KindName(kind)) + " daemon " + address;
}

bool ParseDaemonAddress(DaemonKind kind, const std::string& address, DaemonEndpoint* out,
                        std::string* err) {
  out->kind = kind;
  out->address = address;
  if (address.starts_with("unix://") || address.starts_with("/")) {
    out->socket = address.starts_with("/") ? address : address.substr(7);
    if (out->socket.empty() || out->socket[0] != '/') {
      *err = "invalid daemon address \"" + EscapeForMessage(address) + "\"";
      return false;
    }
    if (address.starts_with("/")) out->address = "unix://" + address;
    out->base_url = "http://localhost";
    return true;
  }
  if (address.starts_with("tcp://") || address.starts_with("http://")) {
    std::string rest = address.substr(address.find("://") + 3);
    rest = rest.substr(0, rest.find('/'));
    if (rest.empty()) {
      *err = "invalid daemon address \"" + EscapeForMessage(address) + "\"";
      return false;
    }
    out->socket.clear();
    out->base_url = "http://" + rest;
    return true;
  }
  *err = "daemon address \"" + EscapeForMessage(address) +
         "\" is not supported (use unix://PATH or tcp://HOST:PORT)";
  return false;
}

std::vector<DaemonEndpoint> DaemonEndpoints(DaemonKind kind, const Getenv& getenv,
                                            std::string* err) {
  std::vector<std::string> candidates;
  const char* variable = kind == DaemonKind::kDocker ? "DOCKER_HOST" : "CONTAINER_HOST";
  std::optional<std::string> configured = getenv(variable);
  if (configured && !configured->empty()) {
    candidates.push_back(*configured);
  } else if (kind == DaemonKind::kDocker) {
    candidates.push_back("unix:///var/run/docker.sock");
  } else {
    candidates.push_back("unix:///run/podman/podman.sock");
    std::optional<std::string> runtime_dir = getenv("XDG_RUNTIME_DIR");
    if (runtime_dir && !runtime_dir->empty() && (*runtime_dir)[0] == '/') {
      candidates.push_back("unix://" + *runtime_dir + "/podman/podman.sock");
    }
  }
  std::vector<DaemonEndpoint> endpoints;
  for (const std::string& address : candidates) {
    DaemonEndpoint endpoint;
    std::string parse_err;
    if (ParseDaemonAddress(kind, address, &endpoint, &parse_err)) {
      endpoints.push_back(std::move(endpoint));
    } else {
      *err = std::string(variable) + ": " + parse_err;
    }
  }
  return endpoints;
}

HttpRequest DaemonClient::Request(const std::string& path) const {
  HttpRequest request;
  request.url = endpoint_.base_url + path;
  request.unix_socket = endpoint_.socket;
  request.direct = true;
  request.connect_timeout_seconds = 10;
  // An export waits for the daemon to assemble the tar before the first byte.
  request.stall_timeout_seconds = 300;
  return request;
}

DaemonClient::Lookup DaemonClient::Inspect(const std::string& name, nlohmann::json* inspect,
                                           std::string* err) const {
  std::string open_err;
  TransportError kind = TransportError::kNone;
  auto stream = HttpStream::Open(Request(ImagePath(name, "/json")), &open_err, &kind);
  if (!stream) {
    *err = open_err;
    return kind == TransportError::kConnect ? Lookup::kUnreachable : Lookup::kError;
  }
  std::string body;
  if (!stream->ReadBody(kMaxInspectBytes, &body, err)) return Lookup::kError;
  long status = stream->response().status;
  if (status == 404) {
    *err = "no such image: " + EscapeForMessage(name);
    return Lookup::kNotFound;
  }
  if (status != 200) {
    *err = DaemonMessage(status, body);
    return Lookup::kError;
  }
  if (!ParseImageJson(body, "image inspect", kMaxInspectBytes, inspect, err)) {
    return Lookup::kError;
  }
  return Lookup::kFound;
}

std::unique_ptr<HttpStream> DaemonClient::Export(const std::string& name, std::string* err) const {
  auto stream = HttpStream::Open(Request(ImagePath(name, "/get")), err);
  if (!stream) return nullptr;
  long status = stream->response().status;
  if (status != 200) {
    std::string body;
    std::string ignored;
    stream->ReadBody(64 * 1024, &body, &ignored);
    *err = status == 404 ? "no such image: " + EscapeForMessage(name)
                         : "export failed: " + DaemonMessage(status, body);
    return nullptr;
  }
  return stream;
}

}  // namespace imglint
