// SPDX-License-Identifier: Apache-2.0
// `imglint Dockerfile` end to end on a multi-stage build with variables:
// --target picks the final stage, --build-arg changes what USER and EXPOSE
// expand to, and findings keep their lines, columns and stable fingerprints.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "rules/registry.h"
#include "tests/support/cli_runner.h"
#include "tests/support/temp_dir.h"

namespace imglint::testing {
namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;

constexpr char kMultiStage[] =
    "ARG BASE=alpine:3.20\n"                     // 1
    "ARG ADMIN=root\n"                           // 2
    "FROM ${BASE} AS build\n"                    // 3
    "RUN chmod u+s /build/tool\n"                // 4
    "FROM build AS runtime\n"                    // 5
    "ARG ADMIN\n"                                // 6
    "USER ${ADMIN}\n"                            // 7
    "ARG PORT=80\n"                              // 8
    "EXPOSE ${PORT}/tcp 8080\n"                  // 9
    "FROM alpine:3.20 AS tests\n"                // 10
    "RUN chmod 4755 /never-built-for-runtime\n"  // 11
    "USER 10001\n";                              // 12

std::set<std::pair<std::string, int>> Hits(const json& doc) {
  std::set<std::pair<std::string, int>> out;
  for (const json& f : doc["findings"]) {
    out.insert({f["rule"].get<std::string>(), f["location"]["line"].get<int>()});
  }
  return out;
}

json LintJson(const TempDir& dir, std::vector<std::string> extra) {
  std::vector<std::string> args = {"--format", "json", "--fail-on", "never"};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back("Dockerfile");
  CliResult r = RunImglint(args, "", dir.path());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return json::parse(r.out);
}

TEST(DockerfileCli, MultiStageWithVariables) {
  TempDir dir;
  WriteFileBytes(dir.File("Dockerfile"), kMultiStage);

  // The last stage is the final one: only it and what it needs.
  EXPECT_EQ(Hits(LintJson(dir, {})), (std::set<std::pair<std::string, int>>{{"IL201", 11}}));

  // --target runtime: USER ${ADMIN} is root, inherited setuid from "build".
  json runtime = LintJson(dir, {"--target", "runtime"});
  EXPECT_EQ(Hits(runtime), (std::set<std::pair<std::string, int>>{
                               {"IL101", 7}, {"IL304", 7}, {"IL201", 4}, {"IL301", 9}}))
      << runtime.dump(1);
  for (const json& f : runtime["findings"]) {
    if (f["rule"] == "IL101") {
      EXPECT_EQ(f["location"]["column"], 6);
      EXPECT_EQ(f["message"],
                "USER ${ADMIN} (\"root\") in the final stage runs the container as root");
    }
    if (f["rule"] == "IL301") {
      EXPECT_EQ(f["location"]["column"], 8);
      EXPECT_THAT(f["message"].get<std::string>(), HasSubstr("EXPOSE ${PORT}/tcp (80/tcp)"));
    }
    if (f["rule"] == "IL304") {
      EXPECT_EQ(f["related"][0]["line"], 9);
    }
  }

  // Build args change the expansion.
  json args = LintJson(
      dir, {"--target", "runtime", "--build-arg", "ADMIN=10001", "--build-arg", "PORT=8081"});
  EXPECT_EQ(Hits(args), (std::set<std::pair<std::string, int>>{{"IL201", 4}})) << args.dump(1);

  // The text report, compiler style.
  CliResult text = RunImglint({"--target", "runtime", "Dockerfile"}, "", dir.path());
  EXPECT_EQ(text.exit_code, 1);
  EXPECT_THAT(text.out, HasSubstr("Dockerfile:7:6: error[IL101]: USER ${ADMIN} (\"root\") in the "
                                  "final stage runs the container as root"));
  EXPECT_THAT(text.out, HasSubstr("Dockerfile:4:11: warning[IL201]: chmod u+s /build/tool sets "
                                  "the setuid bit"));
}

TEST(DockerfileCli, FingerprintsSurviveLineShifts) {
  TempDir dir;
  WriteFileBytes(dir.File("Dockerfile"), kMultiStage);
  json before = LintJson(dir, {"--target", "runtime"});
  WriteFileBytes(dir.File("Dockerfile"), std::string("# a new comment\n\n") + kMultiStage);
  json after = LintJson(dir, {"--target", "runtime"});
  std::set<std::string> a;
  std::set<std::string> b;
  for (const json& f : before["findings"]) a.insert(f["fingerprint"].get<std::string>());
  for (const json& f : after["findings"]) b.insert(f["fingerprint"].get<std::string>());
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.size(), before["findings"].size());
}

TEST(DockerfileCli, InlineSuppressionApplies) {
  TempDir dir;
  WriteFileBytes(dir.File("Dockerfile"),
                 "FROM debian:12\n"
                 "# imglint ignore=IL201\n"
                 "RUN chmod u+s /usr/bin/ping\n"
                 "USER 10001\n");
  json doc = LintJson(dir, {});
  EXPECT_TRUE(doc["findings"].empty()) << doc.dump(1);
}

TEST(DockerfileCli, RuntimeDecidesMissingSysctl) {
  TempDir dir;
  WriteFileBytes(dir.File("Dockerfile"), "FROM nginx-unprivileged\nUSER 101\nEXPOSE 80\n");
  json podman = LintJson(dir, {"--runtime", "podman"});
  EXPECT_EQ(Hits(podman), (std::set<std::pair<std::string, int>>{{"IL301", 3}, {"IL303", 3}}));
  for (const json& f : podman["findings"]) {
    if (f["rule"] != "IL303") continue;
    EXPECT_EQ(f["severity"], "error");
    EXPECT_THAT(f["message"].get<std::string>(), HasSubstr("Podman"));
    EXPECT_THAT(f["recommendation"].get<std::string>(),
                HasSubstr("net.ipv4.ip_unprivileged_port_start"));
    EXPECT_EQ(f["related"][0]["line"], 2);
  }
  EXPECT_EQ(Hits(LintJson(dir, {"--runtime", "docker"})),
            (std::set<std::pair<std::string, int>>{{"IL301", 3}}));
}

// A chain of stages names the external image at its root, after ARG
// expansion (issue 13: it said "unless the base image base sets a user").
TEST(DockerfileCli, ChainOfStagesNamesTheRealBase) {
  TempDir dir;
  WriteFileBytes(dir.File("Dockerfile"),
                 "ARG GO=1.26\nFROM golang:${GO}-alpine AS base\nRUN go version\n"
                 "FROM base AS build\nRUN true\nFROM build\n");
  json doc = LintJson(dir, {});
  ASSERT_EQ(doc["findings"].size(), 1u) << doc.dump(1);
  EXPECT_EQ(doc["findings"][0]["location"]["line"], 6);
  EXPECT_THAT(doc["findings"][0]["message"].get<std::string>(),
              HasSubstr("unless the base image golang:1.26-alpine sets a user"));
}

// IL301 says in one sentence which runtimes set the sysctl (docs/design.md §3); the
// rest of the runtime table is the snippet's (issue 13: a paragraph per port).
TEST(DockerfileCli, PrivilegedPortMessageIsOneSentence) {
  TempDir dir;
  WriteFileBytes(dir.File("Dockerfile"), "FROM alpine\nUSER 101\nEXPOSE 80 443\n");
  json doc = LintJson(dir, {});
  int ports = 0;
  for (const json& f : doc["findings"]) {
    if (f["rule"] != "IL301") continue;
    ++ports;
    const std::string message = f["message"];
    EXPECT_THAT(message, HasSubstr("Docker Engine >= 20.10"));
    EXPECT_THAT(message, ::testing::Not(HasSubstr("CRI-O")));
    EXPECT_EQ(message.find(". "), std::string::npos) << message;
  }
  EXPECT_EQ(ports, 2);
}

// The documented examples (docs/rules, `imglint explain`) that are
// Dockerfiles: the bad one fires its rule, the good one does not.
TEST(DockerfileCli, RuleExamplesBehaveAsDocumented) {
  TempDir dir;
  for (const auto& rule : AllRules()) {
    const RuleMeta& meta = rule->Meta();
    if (meta.id == "IL102") continue;  // needs the image the Dockerfile built
    for (bool bad : {true, false}) {
      const std::string example(bad ? meta.bad_example : meta.good_example);
      if (example.rfind("FROM", 0) != 0 && example.rfind("ARG", 0) != 0) continue;
      WriteFileBytes(dir.File("Dockerfile"), example);
      bool fired = false;
      const json doc = LintJson(dir, {});
      for (const json& f : doc["findings"]) fired |= f["rule"] == std::string(meta.id);
      EXPECT_EQ(fired, bad) << meta.id << (bad ? " bad" : " good") << " example:\n" << example;
    }
  }
}

}  // namespace
}  // namespace imglint::testing
