// SPDX-License-Identifier: Apache-2.0
/// Shared vocabulary of the registry tests: the image every test lints, an
/// environment that keeps imglint away from the user's own caches and
/// credentials, the JSON report read back, and the one comparison of
/// findings between a tarball and the same image in a registry.
#pragma once

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "tests/support/cli_runner.h"
#include "tests/support/image_builder.h"
#include "tests/support/registry_env.h"
#include "tests/support/temp_dir.h"

namespace imglint::testing {

using json = nlohmann::json;

/// The image of issue 12's "same findings" check: a setuid-root file, a
/// cap_net_bind_service=ep file capability, no user, port 80 exposed.
/// `marker` goes into a file of its own so that tests which corrupt blobs in
/// the registry's storage (shared by all repositories of an instance) own
/// their layer bytes.
inline ImageSpec LintableImage(const std::string& marker, const std::string& arch = "amd64",
                               Compression compression = Compression::kGzip) {
  ImageSpec spec;
  spec.config.user = "";
  spec.config.exposed_ports = {"80/tcp"};
  spec.config.architecture = arch;
  spec.config.history = {{.created_by = "imglint registry test " + marker}};
  spec.layers.push_back(
      {.compression = compression,
       .entries = {Dir("/usr"), Dir("/usr/bin"),
                   File("/usr/bin/su-" + arch, 04755, "#!/bin/sh\n").WithOwner(0, 0),
                   File("/usr/bin/web-" + arch, 0755, "ELF?")
                       .WithCaps(CapV2({"cap_net_bind_service"}, true)),
                   Dir("/etc"), File("/etc/passwd", 0644, "root:x:0:0:root:/root:/bin/sh\n"),
                   File("/etc/imglint-marker", 0644, marker + "\n")}});
  return spec;
}

/// Environment for one imglint run: caches, configs and credentials under
/// `dir` only (XDG_CACHE_HOME, DOCKER_CONFIG, HOME, XDG_*), no
/// REGISTRY_AUTH_FILE and no proxies, so neither the user's files nor the
/// machine's proxy settings take part. Tests add their own entries.
inline EnvChanges IsolatedEnv(const TempDir& dir) {
  std::filesystem::create_directories(dir.File("home"));
  std::filesystem::create_directories(dir.File("docker"));
  std::filesystem::create_directories(dir.File("cache"));
  return {
      {"HOME", dir.File("home")},
      {"XDG_CACHE_HOME", dir.File("cache")},
      {"XDG_CONFIG_HOME", dir.File("home/.config")},
      {"XDG_RUNTIME_DIR", dir.File("home/run")},
      {"DOCKER_CONFIG", dir.File("docker")},
      {"REGISTRY_AUTH_FILE", std::nullopt},
      {"http_proxy", std::nullopt},
      {"https_proxy", std::nullopt},
      {"HTTP_PROXY", std::nullopt},
      {"HTTPS_PROXY", std::nullopt},
      {"ALL_PROXY", std::nullopt},
      {"all_proxy", std::nullopt},
  };
}

/// The JSON report on stdout; a failed expectation (and null) when stdout is
/// not JSON.
inline json ParseReport(const CliResult& result) {
  json report = json::parse(result.out, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(report.is_discarded()) << "stdout is not JSON (exit " << result.exit_code
                                      << ")\nstdout: " << result.out << "\nstderr: " << result.err;
  return report.is_discarded() ? json() : report;
}

/// One JSON line of a token or blob server log; null for a line another
/// test's request is still writing (the logs are shared by the whole run).
inline json ParseLogLine(const std::string& line) {
  json e = json::parse(line, nullptr, /*allow_exceptions=*/false);
  return e.is_discarded() ? json() : e;
}

/// The entries of a JSON-lines log (the flaky server's, the proxy's) whose
/// string field `key` is `value`, in the order they were written.
inline std::vector<json> LogEntries(const std::string& log, std::string_view key,
                                    std::string_view value) {
  std::vector<json> out;
  for (const std::string& line : ReadLogLines(log)) {
    json e = ParseLogLine(line);
    if (e.is_object() && e[std::string(key)].is_string() && e[std::string(key)] == value) {
      out.push_back(e);
    }
  }
  return out;
}

/// targets[] entry whose path is `path`, or null.
inline json TargetOf(const json& report, std::string_view path) {
  if (!report.contains("targets")) return json();
  for (const json& t : report["targets"]) {
    if (t.value("path", "") == path) return t;
  }
  return json();
}

/// targets[].error of `path` as a string ("" when null or absent).
inline std::string TargetError(const json& report, std::string_view path) {
  json t = TargetOf(report, path);
  return t.is_object() && t["error"].is_string() ? t["error"].get<std::string>() : "";
}

struct CompareOptions {
  /// Also drop location.layer_digest: for images whose layers skopeo
  /// recompressed on the way into the registry, so digests differ.
  bool ignore_layer_digests = false;
};

/// The findings of `target`, made comparable across sources: location.path
/// (the target as typed) and fingerprint (derived from it) removed, the
/// same in related[] entries, sorted.
inline std::vector<std::string> ComparableFindings(const json& report, std::string_view target,
                                                   const CompareOptions& options = {}) {
  std::vector<std::string> out;
  if (!report.contains("findings")) return out;
  for (json f : report["findings"]) {
    if (!f.contains("location") || f["location"].value("path", "") != target) continue;
    f.erase("fingerprint");
    f["location"].erase("path");
    if (options.ignore_layer_digests) f["location"].erase("layer_digest");
    if (f.contains("related") && f["related"].is_array()) {
      for (json& r : f["related"]) {
        if (!r.is_object()) continue;
        r.erase("path");
        if (r.contains("location") && r["location"].is_object()) {
          r["location"].erase("path");
          if (options.ignore_layer_digests) r["location"].erase("layer_digest");
        }
      }
    }
    out.push_back(f.dump(2));
  }
  std::sort(out.begin(), out.end());
  return out;
}

/// The rule IDs of `target`'s findings, sorted.
inline std::vector<std::string> RuleIds(const json& report, std::string_view target) {
  std::vector<std::string> out;
  if (!report.contains("findings")) return out;
  for (const json& f : report["findings"]) {
    if (f["location"].value("path", "") == target) out.push_back(f.value("rule", ""));
  }
  std::sort(out.begin(), out.end());
  return out;
}

/// Every image_path among `target`'s findings.
inline std::vector<std::string> ImagePaths(const json& report, std::string_view target) {
  std::vector<std::string> out;
  if (!report.contains("findings")) return out;
  for (const json& f : report["findings"]) {
    if (f["location"].value("path", "") == target && f["location"]["image_path"].is_string()) {
      out.push_back(f["location"]["image_path"].get<std::string>());
    }
  }
  return out;
}

inline std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

/// True when `text` contains any of `needles`, ignoring case.
inline bool ContainsAny(const std::string& text, std::initializer_list<std::string_view> needles) {
  std::string lower = Lower(text);
  return std::any_of(needles.begin(), needles.end(), [&](std::string_view n) {
    return lower.find(Lower(std::string(n))) != std::string::npos;
  });
}

/// A TCP port on 127.0.0.1 that nothing listens on (bound, then closed).
inline int ClosedPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    if (fd >= 0) ::close(fd);
    return 9;  // discard: never served here
  }
  int port = ntohs(addr.sin_port);
  ::close(fd);
  return port;
}

/// The Docker config.json `auths` entry value: base64("user:password").
inline std::string Base64(std::string_view in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    unsigned v = (static_cast<unsigned char>(in[i]) << 16) |
                 (static_cast<unsigned char>(in[i + 1]) << 8) |
                 static_cast<unsigned char>(in[i + 2]);
    out += {kAlphabet[v >> 18], kAlphabet[(v >> 12) & 63], kAlphabet[(v >> 6) & 63],
            kAlphabet[v & 63]};
  }
  if (i + 1 == in.size()) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    out += {kAlphabet[v >> 18], kAlphabet[(v >> 12) & 63], '=', '='};
  } else if (i + 2 == in.size()) {
    unsigned v =
        (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
    out += {kAlphabet[v >> 18], kAlphabet[(v >> 12) & 63], kAlphabet[(v >> 6) & 63], '='};
  }
  return out;
}

/// Every regular file under `dir` whose bytes contain `needle`.
inline std::vector<std::string> FilesContaining(const std::string& dir, const std::string& needle) {
  std::vector<std::string> out;
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec)) return out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir, ec)) {
    if (!e.is_regular_file(ec)) continue;
    if (ReadFileBytes(e.path()).find(needle) != std::string::npos) out.push_back(e.path());
  }
  return out;
}

/// One `imglint --format json …` run with IsolatedEnv(dir) plus `extra`.
struct LintRun {
  CliResult result;
  json report;
};

inline LintRun LintJson(const TempDir& dir, const std::vector<std::string>& args,
                        const EnvChanges& extra = {}, const std::string& stdin_data = "") {
  EnvChanges env = IsolatedEnv(dir);
  for (const auto& [name, value] : extra) env[name] = value;
  std::vector<std::string> full = {"--format", "json"};
  full.insert(full.end(), args.begin(), args.end());
  LintRun run;
  run.result = RunImglintWithEnv(full, env, stdin_data);
  run.report = ParseReport(run.result);
  return run;
}

/// `target` is in the report as an image that was read (error null),
/// whatever happened to other targets.
inline ::testing::AssertionResult Reported(const LintRun& run, std::string_view target) {
  json t = TargetOf(run.report, target);
  if (!t.is_object()) return ::testing::AssertionFailure() << "no target " << target;
  if (!t["error"].is_null()) {
    return ::testing::AssertionFailure() << target << ": error " << t["error"];
  }
  if (t["kind"] != "image") return ::testing::AssertionFailure() << "kind " << t["kind"];
  return ::testing::AssertionSuccess();
}

/// Reported, and the run exited 0 or 1 (findings decide): nothing failed.
inline ::testing::AssertionResult Linted(const LintRun& run, std::string_view target) {
  if (run.result.exit_code != 0 && run.result.exit_code != 1) {
    return ::testing::AssertionFailure()
           << "exit " << run.result.exit_code << " for " << target
           << "; error: " << TargetError(run.report, target) << "\nstderr: " << run.result.err;
  }
  return Reported(run, target);
}

/// The error of `target`, after checking the run exited 2 and `target` is
/// reported with a non-empty error.
inline std::string FailedWith(const LintRun& run, std::string_view target) {
  EXPECT_EQ(run.result.exit_code, 2) << "stderr: " << run.result.err;
  std::string error = TargetError(run.report, target);
  EXPECT_FALSE(error.empty()) << "no error for " << target << "\nstdout: " << run.result.out;
  return error;
}

/// The rules LintableImage triggers, wherever it is read from.
inline void ExpectLintableImageRules(const json& report, std::string_view target) {
  std::vector<std::string> rules = RuleIds(report, target);
  for (const char* rule : {"IL101", "IL201", "IL203", "IL301"}) {
    EXPECT_NE(std::find(rules.begin(), rules.end(), rule), rules.end())
        << rule << " missing for " << target << " (rules: " << json(rules).dump() << ")";
  }
}

struct SameFindingsCase {
  std::string tarball;                       // the image as a file
  std::string reference;                     // the same image as docker://…
  std::vector<std::string> common_args{};    // both runs (--platform …)
  std::vector<std::string> registry_args{};  // the registry run only (--registry-ca …)
  EnvChanges registry_env{};
  CompareOptions compare{};
};

/// Lints the tarball and the reference in two runs and expects the same
/// findings (ComparableFindings), and the rules of LintableImage among them.
inline void ExpectSameFindings(const TempDir& dir, const SameFindingsCase& c) {
  std::vector<std::string> file_args = c.common_args;
  file_args.push_back(c.tarball);
  LintRun file = LintJson(dir, file_args);
  ASSERT_TRUE(Linted(file, c.tarball));
  ExpectLintableImageRules(file.report, c.tarball);
  std::vector<std::string> registry_args = c.common_args;
  registry_args.insert(registry_args.end(), c.registry_args.begin(), c.registry_args.end());
  registry_args.push_back(c.reference);
  LintRun registry = LintJson(dir, registry_args, c.registry_env);
  ASSERT_TRUE(Linted(registry, c.reference));
  ExpectLintableImageRules(registry.report, c.reference);
  EXPECT_EQ(ComparableFindings(registry.report, c.reference, c.compare),
            ComparableFindings(file.report, c.tarball, c.compare));
}

}  // namespace imglint::testing
