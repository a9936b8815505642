// SPDX-License-Identifier: Apache-2.0
// The limit flags and the `limits:` section of .imglint.yaml (docs/limits.md),
// and a hostile .imglint.yaml: it goes through the same bounded YAML loader
// as manifests, so nesting and alias bombs end with a clear error.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "cli/limit_flags.h"
#include "tests/hostile/hostile_util.h"

namespace imglint::testing::hostile {
namespace {

using ::testing::AnyOf;
using ::testing::HasSubstr;

std::string LongPathImage(const TempDir& dir) {
  std::string path = dir.File("long.tar");
  WriteRawOci({.layers = {Gzip(LayerTar({{.name = std::string(5000, 'p'), .data = "x"}}))}}, path);
  return path;
}

TEST(LimitValues, Parse) {
  const LimitInfo& info = LimitTable().front();
  std::uint64_t v = 0;
  std::string err;
  EXPECT_TRUE(ParseLimitValue("4096", info, &v, &err));
  EXPECT_EQ(v, 4096u);
  EXPECT_TRUE(ParseLimitValue("64K", info, &v, &err));
  EXPECT_EQ(v, 64u << 10);
  EXPECT_TRUE(ParseLimitValue("16MiB", info, &v, &err));
  EXPECT_EQ(v, 16u << 20);
  EXPECT_TRUE(ParseLimitValue("2g", info, &v, &err));
  EXPECT_EQ(v, 2ull << 30);
  EXPECT_TRUE(ParseLimitValue("1T", info, &v, &err));
  EXPECT_EQ(v, 1ull << 40);
  for (const char* bad :
       {"", "0", "-1", "1.5", "12X", "K", "99999999999999999999", "16777216T", " 1"}) {
    EXPECT_FALSE(ParseLimitValue(bad, info, &v, &err)) << bad;
    EXPECT_FALSE(err.empty());
  }
}

TEST(LimitValues, EveryLimitHasADistinctName) {
  std::vector<std::string> names;
  for (const LimitInfo& info : LimitTable()) {
    EXPECT_TRUE(std::string(info.name).starts_with("max-"));
    names.emplace_back(info.name);
  }
  std::sort(names.begin(), names.end());
  EXPECT_EQ(std::adjacent_find(names.begin(), names.end()), names.end());
}

TEST(LimitFlags, FlagRaisesTheLimit) {
  TempDir dir;
  std::string image = LongPathImage(dir);
  Runs runs = RunBoth({image});
  EXPECT_EQ(runs.json_run.exit_code, 2);
  EXPECT_THAT(runs.json_run.err,
              HasSubstr("name is 5000 bytes, longer than the limit of 4096 (raise the limit with "
                        "--max-path-length)"));
  Runs raised = RunBoth({"--max-path-length", "8K", image});
  EXPECT_THAT(raised.json_run.exit_code, AnyOf(0, 1)) << raised.json_run.err;
}

TEST(LimitFlags, BadValuesAreUsageErrors) {
  TempDir cwd;
  for (const char* value : {"0", "lots", "12X", "-5"}) {
    CliResult r = RunImglint({"--max-path-length", value, "x.tar"}, "", cwd.path());
    EXPECT_EQ(r.exit_code, 2) << value;
    EXPECT_THAT(r.err, HasSubstr("--max-path-length")) << r.err;
  }
  CliResult deep = RunImglint({"--max-yaml-depth", "5000", "x.yaml"}, "", cwd.path());
  EXPECT_EQ(deep.exit_code, 2);
  EXPECT_THAT(deep.err, HasSubstr("largest allowed value, 1000"));
  EXPECT_TRUE(ListDir(cwd.path()).empty());
}

TEST(LimitConfig, ConfigRaisesTheLimitAndTheFlagWins) {
  TempDir dir;
  std::string image = LongPathImage(dir);
  std::string config = dir.File("imglint.yaml");
  WriteFileBytes(config, "limits:\n  max-path-length: 8K\n  max-yaml-depth: 300\n");
  TempDir cwd;
  CliResult raised = RunImglint({"--format", "json", "--config", config, image}, "", cwd.path());
  EXPECT_THAT(raised.exit_code, AnyOf(0, 1)) << raised.err;
  CliResult lowered = RunImglint(
      {"--format", "json", "--config", config, "--max-path-length", "4096", image}, "", cwd.path());
  EXPECT_EQ(lowered.exit_code, 2);
  EXPECT_THAT(lowered.err, HasSubstr("--max-path-length"));

  CliResult shown =
      RunImglint({"--config", config, "--max-yaml-nodes", "5M", "config"}, "", cwd.path());
  EXPECT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_THAT(shown.out, HasSubstr("max-path-length: 8192  # " + config));
  EXPECT_THAT(shown.out, HasSubstr("max-yaml-depth: 300  # " + config));
  EXPECT_THAT(shown.out, HasSubstr("max-yaml-nodes: 5242880  # command line"));
  EXPECT_THAT(shown.out, HasSubstr("max-entries-per-layer: 2000000  # default"));
  EXPECT_TRUE(ListDir(cwd.path()).empty());
}

TEST(LimitConfig, BadLimitsSection) {
  TempDir dir;
  TempDir cwd;
  struct Case {
    std::string text;
    std::string message;
  };
  for (const Case& c : {
           Case{"limits:\n  max-path-lenght: 10\n",
                ":2:3: unknown limit \"max-path-lenght\" (did you mean \"max-path-length\"?)"},
           Case{"limits:\n  max-path-length: 0\n",
                ":2:20: limits.max-path-length: must be at least 1"},
           Case{"limits:\n  max-path-length: [1]\n",
                ":2:20: \"limits.max-path-length\" must be a string"},
           Case{"limits: 5\n", ":1:9: \"limits\" must map limit names to numbers"},
       }) {
    std::string config = dir.File("c.yaml");
    WriteFileBytes(config, c.text);
    CliResult r = RunImglint({"--config", config, "x.tar"}, "", cwd.path());
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_THAT(r.err, HasSubstr(config + c.message)) << r.err;
  }
}

// .imglint.yaml is untrusted too (it may come with the repository a CI job
// checks out): nesting, alias bombs and template text end with an error.
TEST(HostileConfig, NestingAliasBombsAndTemplates) {
  TempDir dir;
  TempDir cwd;
  std::string bomb = "allow:\n  IL203: &p [";
  for (int i = 0; i < 1000; ++i) bomb += (i ? ", " : "") + std::string("\"/usr/bin/p\"");
  bomb += "]\n";
  for (int i = 0; i < 2000; ++i) bomb += "  IL201: *p\n";
  struct Case {
    std::string text;
    std::string message;
  };
  for (const Case& c : {
           Case{"exclude: " + std::string(100'000, '[') + std::string(100'000, ']') + "\n",
                "the configuration file exceeds a fixed limit: YAML nesting deeper than 32 levels"},
           Case{bomb, "the configuration has more than 100000 values (with aliases expanded)"},
           Case{"fail-on: {{ .Values.failOn }}\n", "template actions"},
           Case{"fail-on: error\n---\nfail-on: never\n", "more than 1"},
           Case{"fail-on: \"\xff\xfe\"\n", ""},
       }) {
    std::string config = dir.File("c.yaml");
    WriteFileBytes(config, c.text);
    CliResult r = RunImglint({"--format", "json", "--config", config, "x.tar"}, "", cwd.path());
    EXPECT_EQ(r.exit_code, 2) << c.message;
    EXPECT_THAT(r.err, HasSubstr("imglint: " + config)) << r.err;
    EXPECT_THAT(r.err, HasSubstr(c.message)) << r.err;
    EXPECT_TRUE(IsValidUtf8(r.err) || c.message.empty());
  }
  EXPECT_TRUE(ListDir(cwd.path()).empty());
}

}  // namespace
}  // namespace imglint::testing::hostile
