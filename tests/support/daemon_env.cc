// SPDX-License-Identifier: Apache-2.0
#include "tests/support/daemon_env.h"

#include <archive.h>
#include <archive_entry.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/support/temp_dir.h"

namespace imglint::testing {
namespace {

using nlohmann::json;

std::string StringAt(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

DaemonInfo ReadDaemon(const json& doc, const char* name) {
  DaemonInfo info;
  auto it = doc.find(name);
  if (it == doc.end() || !it->is_object()) {
    info.error = std::string("daemons.json has no \"") + name + "\" entry";
    return info;
  }
  info.host = StringAt(*it, "host");
  info.ok = it->value("ok", false);
  info.error = StringAt(*it, "error");
  info.version = StringAt(*it, "version");
  info.cli = StringAt(*it, "cli");
  if (auto env = it->find("cli_env"); env != it->end() && env->is_object()) {
    for (const auto& [key, value] : env->items()) {
      if (value.is_string()) info.cli_env[key] = value.get<std::string>();
    }
  }
  return info;
}

}  // namespace

DaemonEnv LoadDaemonEnv(const std::string& state_dir) {
  DaemonEnv env;
  if (state_dir.empty()) {
    env.error =
        "IMGLINT_DAEMON_STATE is not set: run these tests through ctest (fixture `daemons`), "
        "or start the daemons with tests/infra/daemons.sh start DIR and set "
        "IMGLINT_DAEMON_STATE=DIR";
    return env;
  }
  env.state_dir = state_dir;
  const std::string path = env.state_dir + "/daemons.json";
  std::ifstream in(path);
  if (!in) {
    env.error = "no " + path + ": the fixture `daemons` (tests/infra/daemons.sh start) did not run";
    return env;
  }
  json doc = json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) {
    env.error = path + " is not a JSON object";
    return env;
  }
  env.docker = ReadDaemon(doc, "docker");
  env.podman = ReadDaemon(doc, "podman");
  env.base_image = StringAt(doc, "base_image");
  env.probe = StringAt(doc, "probe");
  env.capprobe_tar = StringAt(doc, "capprobe_tar");
  env.capprobe_error = StringAt(doc, "capprobe_error");
  env.host_port_start = doc.value("host_ip_unprivileged_port_start", -1);
  env.sandbox = StringAt(doc, "sandbox");
  return env;
}

namespace {

std::string Output(const CliResult& r) {
  return "exit " + std::to_string(r.exit_code) + "\nstdout:\n" + r.out + "\nstderr:\n" + r.err;
}

// One archive_read over a file or a memory buffer, closed on scope exit.
using ArchivePtr = std::unique_ptr<archive, decltype(&archive_read_free)>;

ArchivePtr NewTarReader() {
  ArchivePtr a(archive_read_new(), &archive_read_free);
  archive_read_support_format_tar(a.get());
  archive_read_support_filter_all(a.get());  // layers may be gzip or zstd
  return a;
}

std::string Normalise(std::string path) {
  while (path.rfind("./", 0) == 0) path.erase(0, 2);
  while (!path.empty() && path.front() == '/') path.erase(0, 1);
  while (!path.empty() && path.back() == '/') path.pop_back();
  return path;
}

// Is this member of an image tarball a layer? Docker: "<id>/layer.tar";
// Podman's docker-archive: "<diff id>.tar"; OCI: any blob (configs and
// manifests simply fail to open as tar).
bool MaybeLayer(const std::string& name) {
  auto ends_with = [&](const std::string& suffix) {
    return name.size() >= suffix.size() &&
           name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return ends_with("/layer.tar") || (ends_with(".tar") && name.find('/') == std::string::npos) ||
         name.rfind("blobs/", 0) == 0;
}

}  // namespace

const char* DaemonName(Daemon daemon) { return daemon == Daemon::kDocker ? "docker" : "podman"; }

std::string DaemonInfo::SocketPath() const {
  const std::string scheme = "unix://";
  return host.rfind(scheme, 0) == 0 ? host.substr(scheme.size()) : host;
}

const DaemonInfo& DaemonEnv::Get(Daemon daemon) const {
  return daemon == Daemon::kDocker ? docker : podman;
}

const DaemonEnv& Daemons() {
  static const DaemonEnv env = [] {
    const char* dir = std::getenv("IMGLINT_DAEMON_STATE");
    return LoadDaemonEnv(dir != nullptr ? dir : "");
  }();
  return env;
}

::testing::AssertionResult DaemonReady(Daemon daemon) { return DaemonReadyIn(Daemons(), daemon); }

::testing::AssertionResult DaemonReadyIn(const DaemonEnv& env, Daemon daemon) {
  if (!env.error.empty()) return ::testing::AssertionFailure() << env.error;
  const DaemonInfo& info = env.Get(daemon);
  if (!info.ok) {
    return ::testing::AssertionFailure()
           << "the test fixture could not start " << DaemonName(daemon) << " (" << info.host
           << "):\n"
           << info.error << "\n(state and logs in " << env.state_dir << ")";
  }
  // Recorded as up, but is it still? A daemon that died mid-run is named as
  // such rather than through every CLI's "cannot connect".
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const std::string path = info.SocketPath();
  if (path.size() >= sizeof address.sun_path) {
    return ::testing::AssertionFailure() << "socket path too long: " << path;
  }
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  bool answered =
      fd >= 0 && connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
  int error = errno;
  if (fd >= 0) close(fd);
  if (!answered) {
    return ::testing::AssertionFailure()
           << DaemonName(daemon) << " started, but its socket " << path << " does not answer now ("
           << std::strerror(error) << "): it stopped or crashed; see " << env.state_dir
           << " for its log";
  }
  return ::testing::AssertionSuccess();
}

CliResult RunDaemonCli(Daemon daemon, const std::vector<std::string>& args, const std::string& cwd,
                       int timeout_seconds) {
  const DaemonInfo& info = Daemons().Get(daemon);
  // coreutils timeout: a wedged daemon fails the test instead of hanging it.
  std::vector<std::string> argv = {"timeout", "--kill-after=10", std::to_string(timeout_seconds),
                                   info.cli.empty() ? DaemonName(daemon) : info.cli};
  EnvChanges env = info.cli_env;
  if (daemon == Daemon::kDocker) {
    argv.insert(argv.end(), {"-H", info.host});
    // The classic builder: what Docker 20.10's CLI uses by default, and what
    // the file-capability images were verified with.
    env["DOCKER_BUILDKIT"] = "0";
    for (const char* name :
         {"DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH"}) {
      env[name] = std::nullopt;
    }
  } else {
    argv.insert(argv.end(), {"--remote", "--url", info.host});
    // Podman fails when DOCKER_CONFIG names a directory without config.json.
    for (const char* name : {"CONTAINER_HOST", "CONTAINER_CONNECTION", "CONTAINER_SSHKEY",
                             "DOCKER_CONFIG", "REGISTRY_AUTH_FILE"}) {
      env[name] = std::nullopt;
    }
  }
  argv.insert(argv.end(), args.begin(), args.end());
  CliResult r = RunCommand(argv, env, "", cwd);
  if (r.exit_code == 124) {
    r.err += "\n(" + std::string(DaemonName(daemon)) + " CLI killed after " +
             std::to_string(timeout_seconds) + "s)";
  }
  return r;
}

EnvChanges ImglintDaemonEnv(const std::string& scratch_dir) {
  std::error_code ec;
  std::filesystem::create_directories(scratch_dir + "/docker-config", ec);
  return {
      {"DOCKER_HOST", Daemons().docker.host},
      {"CONTAINER_HOST", Daemons().podman.host},
      {"XDG_RUNTIME_DIR", std::nullopt},
      {"DOCKER_CONTEXT", std::nullopt},
      {"CONTAINER_CONNECTION", std::nullopt},
      {"DOCKER_CONFIG", scratch_dir + "/docker-config"},
      {"REGISTRY_AUTH_FILE", scratch_dir + "/auth.json"},
      {"XDG_CACHE_HOME", scratch_dir + "/cache"},
      {"XDG_CONFIG_HOME", scratch_dir + "/config"},
      {"NO_COLOR", "1"},
  };
}

::testing::AssertionResult DockerBuild(const std::string& context_dir,
                                       const std::string& dockerfile, const std::string& tag) {
  std::error_code ec;
  std::filesystem::create_directories(context_dir, ec);
  WriteFileBytes(context_dir + "/Dockerfile", dockerfile);
  const DaemonEnv& env = Daemons();
  if (!env.capprobe_tar.empty()) {
    std::filesystem::copy_file(env.capprobe_tar, context_dir + "/capprobe.tar",
                               std::filesystem::copy_options::overwrite_existing, ec);
    if (ec)
      return ::testing::AssertionFailure()
             << "copying " << env.capprobe_tar << ": " << ec.message();
  }
  CliResult r = RunDaemonCli(Daemon::kDocker, {"build", "--force-rm", "-t", tag, "."}, context_dir);
  if (r.exit_code != 0) {
    return ::testing::AssertionFailure()
           << "docker build -t " << tag << " failed: " << Output(r) << "\nDockerfile:\n"
           << dockerfile;
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult SaveImage(Daemon daemon, const std::string& ref,
                                     const std::string& path) {
  std::vector<std::string> args = {"save", "-o", path, ref};
  if (daemon == Daemon::kPodman) args = {"save", "--format", "docker-archive", "-o", path, ref};
  CliResult r = RunDaemonCli(daemon, args);
  if (r.exit_code != 0) {
    return ::testing::AssertionFailure()
           << DaemonName(daemon) << " save " << ref << ": " << Output(r);
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult LoadImage(Daemon daemon, const std::string& path) {
  CliResult r = RunDaemonCli(daemon, {"load", "-i", path});
  if (r.exit_code != 0) {
    return ::testing::AssertionFailure()
           << DaemonName(daemon) << " load -i " << path << ": " << Output(r);
  }
  return ::testing::AssertionSuccess();
}

std::optional<std::string> LayerXattr(const std::string& image_tar, const std::string& image_path,
                                      const std::string& name) {
  const std::string wanted = Normalise(image_path);
  std::optional<std::string> found;
  ArchivePtr outer = NewTarReader();
  if (archive_read_open_filename(outer.get(), image_tar.c_str(), 1 << 16) != ARCHIVE_OK) {
    return std::nullopt;
  }
  // Layers are read in archive order, not manifest order; the test images
  // hold the probed path in one layer only, and a later hit wins otherwise.
  archive_entry* member = nullptr;
  while (archive_read_next_header(outer.get(), &member) == ARCHIVE_OK) {
    const char* member_name = archive_entry_pathname(member);
    if (member_name == nullptr || !MaybeLayer(member_name) ||
        archive_entry_filetype(member) != AE_IFREG) {
      continue;
    }
    std::string bytes;
    char buffer[1 << 16];
    la_ssize_t n;
    while ((n = archive_read_data(outer.get(), buffer, sizeof buffer)) > 0) {
      bytes.append(buffer, static_cast<size_t>(n));
    }
    ArchivePtr layer = NewTarReader();
    if (archive_read_open_memory(layer.get(), bytes.data(), bytes.size()) != ARCHIVE_OK) continue;
    archive_entry* entry = nullptr;
    while (archive_read_next_header(layer.get(), &entry) == ARCHIVE_OK) {
      const char* entry_name = archive_entry_pathname(entry);
      if (entry_name == nullptr || Normalise(entry_name) != wanted) continue;
      found.reset();
      archive_entry_xattr_reset(entry);
      const char* xattr_name = nullptr;
      const void* value = nullptr;
      size_t size = 0;
      while (archive_entry_xattr_next(entry, &xattr_name, &value, &size) == ARCHIVE_OK) {
        if (xattr_name != nullptr && name == xattr_name) {
          found = std::string(static_cast<const char*>(value), size);
        }
      }
    }
  }
  return found;
}

}  // namespace imglint::testing
