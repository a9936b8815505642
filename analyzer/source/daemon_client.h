// SPDX-License-Identifier: Apache-2.0
/// The Docker Engine API, as Docker and Podman's compatible service speak it
/// over a unix socket (or plain TCP): inspect an image, and export it with
/// `GET /images/{name}/get` as a docker-save tar stream that the image reader
/// consumes as it arrives — classic layout from Docker 20.10, OCI layout from
/// Docker >= 25, docker-archive from Podman.
#pragma once

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/source/http.h"

namespace imglint {

using Getenv = std::function<std::optional<std::string>(const std::string&)>;

/// The process environment.
std::optional<std::string> ProcessEnv(const std::string& name);

enum class DaemonKind { kDocker, kPodman };

struct DaemonEndpoint {
  DaemonKind kind = DaemonKind::kDocker;
  std::string socket;    // unix socket path; empty for tcp://
  std::string base_url;  // "http://localhost" (unix) or "http://host:port"
  std::string address;   // as configured: "unix:///var/run/docker.sock"

  /// "docker daemon unix:///var/run/docker.sock"
  std::string Describe() const;
};

/// Parses a DOCKER_HOST / CONTAINER_HOST value: unix://PATH, tcp://HOST:PORT
/// (plain HTTP), or a bare absolute socket path. ssh:// and npipe:// are
/// refused with a message saying so.
bool ParseDaemonAddress(DaemonKind kind, const std::string& address, DaemonEndpoint* out,
                        std::string* err);

/// Where to find each daemon: DOCKER_HOST, else /var/run/docker.sock;
/// CONTAINER_HOST, else /run/podman/podman.sock, then
/// $XDG_RUNTIME_DIR/podman/podman.sock (rootless). The first that parses is
/// returned for Docker; for Podman every candidate, in order.
std::vector<DaemonEndpoint> DaemonEndpoints(DaemonKind kind, const Getenv& getenv,
                                            std::string* err);

class DaemonClient {
 public:
  explicit DaemonClient(DaemonEndpoint endpoint) : endpoint_(std::move(endpoint)) {}
  const DaemonEndpoint& endpoint() const { return endpoint_; }

  enum class Lookup { kFound, kNotFound, kUnreachable, kError };

  /// GET /images/{name}/json. *err says why when not kFound.
  Lookup Inspect(const std::string& name, nlohmann::json* inspect, std::string* err) const;

  /// GET /images/{name}/get: the open response (status 200), body = tar stream.
  std::unique_ptr<HttpStream> Export(const std::string& name, std::string* err) const;

 private:
  HttpRequest Request(const std::string& path) const;
  DaemonEndpoint endpoint_;
};

}  // namespace imglint
