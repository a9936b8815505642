// SPDX-License-Identifier: Apache-2.0
// Runtime truth: imglint's port verdicts checked against what the kernel
// lets a container do. Each case is an image built with `docker build` from
// the fixture's busybox base, whose entrypoint is the bind probe
// (tests/infra/bind_probe.c) binding TCP port 80, run under Docker 20.10 and
// under Podman 4.3 (the same image, loaded from `docker save`) as its
// configured user with the case's `run` flags.
//
// KernelTruth.MatchesDesign measures every case under both engines, prints
// the matrix, and checks it against the facts docs/design.md §3 states as measured
// (Docker sets ip_unprivileged_port_start=0 except with host networking and
// gives a non-root user no ambient capabilities; Podman leaves 1024 and
// raises added capabilities to ambient; a cap_net_bind_service=ep file
// capability binds under both).
//
// Verdict.AgreesWithTheKernel/<case>_<engine> measures its case again and
// runs `imglint --runtime docker|podman --format json IMAGE.tar` (with the
// case's Compose service on the same command line when the case has run
// flags). Its expectations come from the measurement, not from imglint:
//   IL303 present  <=> the bind failed;
//   IL304 present  where the bind succeeded only thanks to a privilege (root,
//                  the file capability, an added capability): the same run
//                  without that privilege (the "control") failed;
//   IL304 absent   where the case grants no privilege;
//   IL101 present  where the container runs as root.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "tests/support/cli_runner.h"
#include "tests/support/daemon_env.h"
#include "tests/support/temp_dir.h"

namespace imglint::testing {
namespace {

using nlohmann::json;

constexpr int kPort = 80;

// The three images the cases run. All expose 80 and bind it at start.
enum class Image { kRoot, kNonRoot, kFileCap };

struct ImageDef {
  std::string name;  // for file names
  std::string tag;
  std::string dockerfile;
};

const ImageDef& Def(Image image) {
  static const std::map<Image, ImageDef> defs = {
      {Image::kRoot,
       {"root", "imglint-truth/root:1",
        "FROM imglint-test/base:1\n"
        "EXPOSE 80\n"
        "ENTRYPOINT [\"/usr/local/bin/probe\", \"80\"]\n"}},
      {Image::kNonRoot,
       {"nonroot", "imglint-truth/nonroot:1",
        "FROM imglint-test/base:1\n"
        "USER 1000\n"
        "EXPOSE 80\n"
        "ENTRYPOINT [\"/usr/local/bin/probe\", \"80\"]\n"}},
      // The entrypoint binary itself carries cap_net_bind_service=ep (ADD of
      // a tar made with `tar --xattrs` from a setcap'd file).
      {Image::kFileCap,
       {"filecap", "imglint-truth/filecap:1",
        "FROM imglint-test/base:1\n"
        "ADD capprobe.tar /\n"
        "USER 1000\n"
        "EXPOSE 80\n"
        "ENTRYPOINT [\"/usr/local/bin/capprobe\", \"80\"]\n"}},
  };
  return defs.at(image);
}

// What docs/design.md §3 says the bind does. kHost: host networking, where no
// runtime default applies and this machine's own sysctl decides.
enum class Claim { kBinds, kFails, kHost };

// The privilege a case grants to bind the port, if any.
enum class Privilege { kNone, kRoot, kFileCapability, kAddedCapability };

struct TruthCase {
  std::string name;  // test parameter name
  std::string what;  // one line for the matrix
  Image image;
  std::vector<std::string> flags;  // `docker run` / `podman run` flags
  // The same workload as a Compose service (keys below `image:`); empty
  // for the cases that judge the image alone.
  std::string compose;
  Privilege privilege = Privilege::kNone;
  // The control run: the same case without the privilege.
  std::vector<std::string> control_flags;
  std::vector<std::string> control_args;
  bool runs_as_root = false;
  Claim docker;
  Claim podman;
};

const std::vector<TruthCase>& Cases() {
  static const std::vector<TruthCase> cases = {
      {.name = "root",
       .what = "image runs as root",
       .image = Image::kRoot,
       .privilege = Privilege::kRoot,
       .control_flags = {"--user", "1000"},
       .runs_as_root = true,
       .docker = Claim::kBinds,
       .podman = Claim::kBinds},
      {.name = "nonroot",
       .what = "USER 1000",
       .image = Image::kNonRoot,
       .docker = Claim::kBinds,  // Docker's default sysctl
       .podman = Claim::kFails},
      {.name = "nonroot_filecap",
       .what = "USER 1000, entrypoint has cap_net_bind_service=ep",
       .image = Image::kFileCap,
       .privilege = Privilege::kFileCapability,
       .control_flags = {"--entrypoint", "/usr/local/bin/probe"},
       .control_args = {"80"},
       .docker = Claim::kBinds,
       .podman = Claim::kBinds},
      {.name = "nonroot_filecap_host",
       .what = "USER 1000, entrypoint has cap_net_bind_service=ep, --network host",
       .image = Image::kFileCap,
       .flags = {"--network", "host"},
       .compose = "    network_mode: host\n",
       .privilege = Privilege::kFileCapability,
       .control_flags = {"--network", "host", "--entrypoint", "/usr/local/bin/probe"},
       .control_args = {"80"},
       .docker = Claim::kBinds,  // the file capability, whatever the sysctl
       .podman = Claim::kBinds},
      {.name = "nonroot_capadd",
       .what = "USER 1000, --cap-add NET_BIND_SERVICE",
       .image = Image::kNonRoot,
       .flags = {"--cap-add", "NET_BIND_SERVICE"},
       .compose = "    cap_add: [NET_BIND_SERVICE]\n",
       .privilege = Privilege::kAddedCapability,
       .docker = Claim::kBinds,   // only through Docker's default sysctl
       .podman = Claim::kBinds},  // ambient capability
      {.name = "nonroot_capadd_sysctl1024",
       .what = "USER 1000, --cap-add NET_BIND_SERVICE, --sysctl ..._port_start=1024",
       .image = Image::kNonRoot,
       .flags = {"--cap-add", "NET_BIND_SERVICE", "--sysctl",
                 "net.ipv4.ip_unprivileged_port_start=1024"},
       .compose = "    cap_add: [NET_BIND_SERVICE]\n"
                  "    sysctls:\n"
                  "      net.ipv4.ip_unprivileged_port_start: 1024\n",
       .privilege = Privilege::kAddedCapability,
       .control_flags = {"--sysctl", "net.ipv4.ip_unprivileged_port_start=1024"},
       .docker = Claim::kFails,  // no ambient capabilities for a non-root user
       .podman = Claim::kBinds},
      {.name = "nonroot_host",
       .what = "USER 1000, --network host",
       .image = Image::kNonRoot,
       .flags = {"--network", "host"},
       .compose = "    network_mode: host\n",
       .docker = Claim::kHost,
       .podman = Claim::kHost},
      {.name = "nonroot_host_capadd",
       .what = "USER 1000, --network host, --cap-add NET_BIND_SERVICE",
       .image = Image::kNonRoot,
       .flags = {"--network", "host", "--cap-add", "NET_BIND_SERVICE"},
       .compose = "    network_mode: host\n"
                  "    cap_add: [NET_BIND_SERVICE]\n",
       .privilege = Privilege::kAddedCapability,
       .control_flags = {"--network", "host"},
       .docker = Claim::kHost,  // no ambient capabilities: as without cap_add
       .podman = Claim::kBinds},
      {.name = "nonroot_sysctl80",
       .what = "USER 1000, --sysctl net.ipv4.ip_unprivileged_port_start=80",
       .image = Image::kNonRoot,
       .flags = {"--sysctl", "net.ipv4.ip_unprivileged_port_start=80"},
       .compose = "    sysctls:\n"
                  "      net.ipv4.ip_unprivileged_port_start: 80\n",
       .docker = Claim::kBinds,
       .podman = Claim::kBinds},
      {.name = "nonroot_sysctl81",
       .what = "USER 1000, --sysctl net.ipv4.ip_unprivileged_port_start=81 (too high)",
       .image = Image::kNonRoot,
       .flags = {"--sysctl", "net.ipv4.ip_unprivileged_port_start=81"},
       .compose = "    sysctls:\n"
                  "      net.ipv4.ip_unprivileged_port_start: 81\n",
       .docker = Claim::kFails,  // an explicit value replaces Docker's 0
       .podman = Claim::kFails},
      {.name = "nonroot_image_user0",
       .what = "USER 1000 image run with --user 0",
       .image = Image::kNonRoot,
       .flags = {"--user", "0"},
       .compose = "    user: \"0\"\n",
       .privilege = Privilege::kRoot,
       .runs_as_root = true,
       .docker = Claim::kBinds,
       .podman = Claim::kBinds},
  };
  return cases;
}

bool HostNetwork(const std::vector<std::string>& flags) {
  for (size_t i = 0; i + 1 < flags.size(); ++i) {
    if (flags[i] == "--network" && flags[i + 1] == "host") return true;
  }
  return false;
}

bool AddsCapability(const std::vector<std::string>& flags) {
  return std::find(flags.begin(), flags.end(), "--cap-add") != flags.end();
}

// The explicit --sysctl value of ip_unprivileged_port_start, or -1.
int SysctlValue(const std::vector<std::string>& flags) {
  const std::string key = "net.ipv4.ip_unprivileged_port_start=";
  for (const std::string& f : flags) {
    if (f.rfind(key, 0) == 0) return std::stoi(f.substr(key.size()));
  }
  return -1;
}

bool HostAllows() { return Daemons().host_port_start >= 0 && Daemons().host_port_start <= kPort; }

bool Expected(Claim claim) { return claim == Claim::kHost ? HostAllows() : claim == Claim::kBinds; }

// Test processes bind port 80 in the host's network namespace, from this
// and from other builds' fixtures: one at a time machine-wide, or one would
// see EADDRINUSE. The lock is a file in the temp directory.
class HostPortLock {
 public:
  HostPortLock()
      : fd_(open((std::filesystem::temp_directory_path() / "imglint-host-port-80.lock").c_str(),
                 O_CREAT | O_RDWR | O_CLOEXEC, 0666)) {
    if (fd_ >= 0) flock(fd_, LOCK_EX);
  }
  ~HostPortLock() {
    if (fd_ >= 0) close(fd_);
  }
  HostPortLock(const HostPortLock&) = delete;
  HostPortLock& operator=(const HostPortLock&) = delete;

 private:
  int fd_;
};

// What the probe reported from one `run`.
struct Bind {
  bool ran = false;     // the container ran the probe (exit 0 or 1)
  bool bound = false;   // "bound"
  std::string answer;   // "bound", "Permission denied", …
  std::string detail;   // the probe's stderr line: uid, cap_eff, cap_amb, port_start
  std::string failure;  // when !ran: the CLI's output

  std::string Short() const {
    if (!ran) return "ERROR";
    return bound ? "bound" : answer == "Permission denied" ? "EACCES" : answer;
  }
  // "cap_amb=…" and the like from detail.
  std::string Field(const std::string& key) const {
    size_t at = detail.find(key + "=");
    if (at == std::string::npos) return "";
    size_t end = detail.find_first_of(" \n", at);
    return detail.substr(at + key.size() + 1,
                         end == std::string::npos ? std::string::npos : end - at - key.size() - 1);
  }
};

Bind RunProbe(Daemon daemon, const std::string& tag, const std::vector<std::string>& flags,
              const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"run", "--rm"};
  argv.insert(argv.end(), flags.begin(), flags.end());
  argv.push_back(tag);
  argv.insert(argv.end(), args.begin(), args.end());
  CliResult r;
  if (HostNetwork(flags)) {
    HostPortLock lock;
    r = RunDaemonCli(daemon, argv);
  } else {
    r = RunDaemonCli(daemon, argv);
  }
  Bind bind;
  bind.ran = r.exit_code == 0 || r.exit_code == 1;
  std::string out = r.out;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  bind.answer = out;
  bind.bound = r.exit_code == 0 && out == "bound";
  bind.detail = r.err;
  while (!bind.detail.empty() && bind.detail.back() == '\n') bind.detail.pop_back();
  if (!bind.ran || (r.exit_code == 1 && out.empty())) {
    bind.ran = false;
    std::ostringstream s;
    s << DaemonName(daemon) << " run … " << tag << ": exit " << r.exit_code << "\nstdout:\n"
      << r.out << "\nstderr:\n"
      << r.err;
    bind.failure = s.str();
  }
  return bind;
}

// The case's image in both engines (docker build; docker save; podman
// load), and its `docker save` tarball for imglint.
::testing::AssertionResult PrepareImage(Image image, const TempDir& dir, bool load_into_podman,
                                        std::string* tar) {
  const ImageDef& def = Def(image);
  if (image == Image::kFileCap && Daemons().capprobe_tar.empty()) {
    return ::testing::AssertionFailure()
           << "the fixture made no capprobe.tar: " << Daemons().capprobe_error;
  }
  if (auto built = DockerBuild(dir.File("ctx-" + def.name), def.dockerfile, def.tag); !built) {
    return built;
  }
  *tar = dir.File(def.name + ".tar");
  if (auto saved = SaveImage(Daemon::kDocker, def.tag, *tar); !saved) return saved;
  if (load_into_podman) {
    if (auto loaded = LoadImage(Daemon::kPodman, *tar); !loaded) return loaded;
  }
  return ::testing::AssertionSuccess();
}

struct Measured {
  Bind bind;
  std::optional<Bind> control;  // when the case grants a privilege
};

Measured Measure(Daemon daemon, const TruthCase& c) {
  Measured m;
  m.bind = RunProbe(daemon, Def(c.image).tag, c.flags, {});
  if (c.privilege != Privilege::kNone) {
    m.control = RunProbe(daemon, Def(c.image).tag, c.control_flags, c.control_args);
  }
  return m;
}

std::string Cell(const Measured& m) {
  std::string s = m.bind.Short();
  if (m.control) s += " (without: " + m.control->Short() + ")";
  return s;
}

// ---------------------------------------------------------------------------
// The kernel's answers against docs/design.md §3.

TEST(KernelTruth, MatchesDesign) {
  ASSERT_TRUE(DaemonReady(Daemon::kDocker));
  ASSERT_TRUE(DaemonReady(Daemon::kPodman));
  TempDir dir;
  std::string tar;
  for (Image image : {Image::kRoot, Image::kNonRoot, Image::kFileCap}) {
    ASSERT_TRUE(PrepareImage(image, dir, /*load_into_podman=*/true, &tar));
  }
  std::ostringstream matrix, details;
  matrix << "\nMeasured: bind of TCP 0.0.0.0:" << kPort
         << " (host ip_unprivileged_port_start=" << Daemons().host_port_start
         << "; \"without\" = the same run without the privilege)\n"
         << std::left << std::setw(28) << "case" << std::setw(30) << "docker 20.10"
         << "podman 4.3\n";
  for (const TruthCase& c : Cases()) {
    Measured docker = Measure(Daemon::kDocker, c);
    Measured podman = Measure(Daemon::kPodman, c);
    matrix << std::setw(28) << c.name << std::setw(30) << Cell(docker) << Cell(podman) << "\n";
    details << c.name << ": " << c.what << "\n  docker: " << docker.bind.detail
            << "\n  podman: " << podman.bind.detail << "\n";
    for (auto [daemon, m, claim] : {std::tuple{Daemon::kDocker, &docker, c.docker},
                                    std::tuple{Daemon::kPodman, &podman, c.podman}}) {
      SCOPED_TRACE(c.name + " under " + DaemonName(daemon));
      ASSERT_TRUE(m->bind.ran) << m->bind.failure;
      if (m->control) {
        ASSERT_TRUE(m->control->ran) << m->control->failure;
      }
      EXPECT_EQ(m->bind.bound, Expected(claim))
          << c.what << ": the probe said \"" << m->bind.answer << "\" (" << m->bind.detail << ")";
      if (!m->bind.bound) {
        EXPECT_EQ(m->bind.answer, "Permission denied") << "a failure other than EACCES";
      }
      // Where the sysctl comes from: an explicit --sysctl, else the host's
      // with host networking, else the engine's default (Docker 0, Podman
      // the kernel's 1024 of a new network namespace).
      int port_start = SysctlValue(c.flags);
      if (port_start < 0) {
        port_start = HostNetwork(c.flags)        ? Daemons().host_port_start
                     : daemon == Daemon::kDocker ? 0
                                                 : 1024;
      }
      EXPECT_EQ(m->bind.Field("ip_unprivileged_port_start"), std::to_string(port_start));
      // Ambient capabilities of a non-root user with --cap-add: none under
      // Docker, NET_BIND_SERVICE (bit 10) under Podman.
      if (!c.runs_as_root && AddsCapability(c.flags)) {
        EXPECT_EQ(m->bind.Field("cap_amb"),
                  daemon == Daemon::kDocker ? "0000000000000000" : "0000000000000400");
      }
    }
  }
  std::cout << matrix.str() << "\nWhat the probe saw (first run of each case):\n" << details.str();
}

// ---------------------------------------------------------------------------
// imglint's verdicts against the kernel's.

struct VerdictParam {
  const TruthCase* c;
  Daemon daemon;
};

void PrintTo(const VerdictParam& param, std::ostream* os) {
  *os << param.c->name << " under " << DaemonName(param.daemon);
}

std::string ParamName(const ::testing::TestParamInfo<VerdictParam>& info) {
  return info.param.c->name + "_" + DaemonName(info.param.daemon);
}

std::vector<VerdictParam> VerdictParams() {
  std::vector<VerdictParam> params;
  for (const TruthCase& c : Cases()) {
    for (Daemon daemon : {Daemon::kDocker, Daemon::kPodman}) params.push_back({&c, daemon});
  }
  return params;
}

class Verdict : public ::testing::TestWithParam<VerdictParam> {};

TEST_P(Verdict, AgreesWithTheKernel) {
  const TruthCase& c = *GetParam().c;
  const Daemon daemon = GetParam().daemon;
  ASSERT_TRUE(DaemonReady(Daemon::kDocker));  // every image is built by Docker
  ASSERT_TRUE(DaemonReady(daemon));
  TempDir dir;
  std::string tar;
  ASSERT_TRUE(PrepareImage(c.image, dir, daemon == Daemon::kPodman, &tar));
  const Measured m = Measure(daemon, c);
  ASSERT_TRUE(m.bind.ran) << m.bind.failure;
  if (m.control) {
    ASSERT_TRUE(m.control->ran) << m.control->failure;
  }

  std::vector<std::string> args = {
      "--runtime", DaemonName(daemon), "--format", "json", "--fail-on", "never", tar};
  if (!c.compose.empty()) {
    const std::string compose = dir.File("compose.yaml");
    WriteFileBytes(compose, "services:\n  app:\n    image: " + Def(c.image).tag + "\n" + c.compose);
    args.push_back(compose);
  }
  CliResult r = RunImglintWithEnv(args, {{"NO_COLOR", "1"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json doc = json::parse(r.out, nullptr, /*allow_exceptions=*/false);
  ASSERT_TRUE(doc.is_object()) << r.out;
  std::multiset<std::string> rules;
  std::ostringstream findings;
  for (const json& f : doc["findings"]) {
    rules.insert(f.value("rule", ""));
    findings << "  " << f.value("rule", "") << " at " << f["location"].value("path", "") << ": "
             << f.value("message", "") << "\n";
  }
  const bool needed_privilege = m.bind.bound && m.control && !m.control->bound;
  const std::string context = std::string("\ncase: ") + c.what + " under " + DaemonName(daemon) +
                              "\nkernel: " + Cell(m) + " (" + m.bind.detail + ")\nimglint " +
                              (c.compose.empty() ? "on the image" : "on the image + Compose") +
                              ":\n" + findings.str();
  SCOPED_TRACE(context);
  if (m.bind.bound) {
    EXPECT_EQ(rules.count("IL303"), 0u) << "IL303 says the bind fails, but it succeeded";
  } else {
    EXPECT_GT(rules.count("IL303"), 0u) << "the bind failed, but no IL303 says so";
  }
  if (needed_privilege) {
    EXPECT_GT(rules.count("IL304"), 0u)
        << "the bind succeeded only thanks to the privilege, but no IL304 says so";
  }
  if (c.privilege == Privilege::kNone) {
    EXPECT_EQ(rules.count("IL304"), 0u) << "IL304 names a privilege the case does not grant";
  }
  if (c.runs_as_root) {
    EXPECT_GT(rules.count("IL101"), 0u) << "the container runs as root, but no IL101 says so";
  }
}

INSTANTIATE_TEST_SUITE_P(RuntimeTruth, Verdict, ::testing::ValuesIn(VerdictParams()), ParamName);

}  // namespace
}  // namespace imglint::testing
