// SPDX-License-Identifier: Apache-2.0
/// The real Docker Engine and Podman service that tests/infra/daemons.sh
/// starts once per ctest run (the `daemons` fixture), as the tests in
/// tests/daemon see them: where their sockets are, whether each came up (and
/// if not, why), and how to drive them with their own CLIs — without a shell,
/// and never against the machine's /var/run/docker.sock or Podman storage.
///
/// A test that needs a daemon starts with
/// `ASSERT_TRUE(DaemonReady(Daemon::kDocker));`: when the fixture could not
/// start that daemon (or never ran), the test fails with the recorded reason.
/// Nothing here skips a test.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "tests/support/cli_runner.h"

namespace imglint::testing {

enum class Daemon { kDocker, kPodman };

/// "docker" or "podman".
const char* DaemonName(Daemon daemon);

/// One daemon as daemons.json records it.
struct DaemonInfo {
  std::string host;  ///< "unix:///…/docker.sock": the DOCKER_HOST / CONTAINER_HOST value
  bool ok = false;
  std::string error;  ///< why it did not start (the end of its log)
  std::string version;
  std::string cli;     ///< the client binary that matches the daemon
  EnvChanges cli_env;  ///< the client's configuration, inside the state directory

  /// host without "unix://".
  std::string SocketPath() const;
};

/// $IMGLINT_DAEMON_STATE/daemons.json.
struct DaemonEnv {
  std::string state_dir;
  std::string error;  ///< non-empty: there is no usable daemons.json, and why
  DaemonInfo docker;
  DaemonInfo podman;
  std::string base_image;      ///< in both engines: busybox plus /usr/local/bin/probe
  std::string probe;           ///< the static bind probe (tests/infra/bind_probe.c) on this machine
  std::string capprobe_tar;    ///< usr/local/bin/capprobe with cap_net_bind_service=ep (xattr kept)
  std::string capprobe_error;  ///< why there is no capprobe_tar
  int host_port_start = -1;    ///< this machine's net.ipv4.ip_unprivileged_port_start
  std::string sandbox;         ///< how the daemons are kept off the host's paths

  const DaemonInfo& Get(Daemon daemon) const;
};

/// STATE_DIR/daemons.json ("" = no state directory given).
DaemonEnv LoadDaemonEnv(const std::string& state_dir);

/// LoadDaemonEnv($IMGLINT_DAEMON_STATE), read once per process.
const DaemonEnv& Daemons();

/// Success when `daemon` is up in `env`; otherwise a failure carrying the
/// fixture's reason, or why there is no fixture.
::testing::AssertionResult DaemonReadyIn(const DaemonEnv& env, Daemon daemon);
/// DaemonReadyIn(Daemons(), daemon).
::testing::AssertionResult DaemonReady(Daemon daemon);

/// `docker -H HOST ARGS…` (the classic builder, DOCKER_CONFIG in the state
/// directory) or `podman --remote --url HOST ARGS…` (CONTAINERS_CONF in the
/// state directory), from `cwd`, killed after `timeout_seconds`.
CliResult RunDaemonCli(Daemon daemon, const std::vector<std::string>& args,
                       const std::string& cwd = "", int timeout_seconds = 180);

/// The environment for running imglint against the test daemons:
/// DOCKER_HOST and CONTAINER_HOST name their sockets, and nothing of this
/// machine's configuration leaks in (no XDG_RUNTIME_DIR, so no rootless Podman
/// socket; DOCKER_CONFIG, the auth files and XDG_CACHE_HOME point into
/// `scratch_dir`).
EnvChanges ImglintDaemonEnv(const std::string& scratch_dir);

/// Writes `dockerfile` and the capprobe tar (as capprobe.tar) into
/// `context_dir` and runs `docker build -t TAG` there.
::testing::AssertionResult DockerBuild(const std::string& context_dir,
                                       const std::string& dockerfile, const std::string& tag);

/// `docker save -o PATH REF` / `podman save --format docker-archive -o PATH REF`.
::testing::AssertionResult SaveImage(Daemon daemon, const std::string& ref,
                                     const std::string& path);

/// `docker load -i PATH` / `podman load -i PATH`.
::testing::AssertionResult LoadImage(Daemon daemon, const std::string& path);

/// The value of extended attribute `name` (e.g. "security.capability") of
/// `image_path` in the last layer of a docker-save or OCI tarball that holds
/// that path: read with libarchive straight from the layer tars, independent
/// of imglint's reader. nullopt when the path or the attribute is absent.
std::optional<std::string> LayerXattr(const std::string& image_tar, const std::string& image_path,
                                      const std::string& name);

}  // namespace imglint::testing
