// SPDX-License-Identifier: Apache-2.0
// Every input the libFuzzer harnesses (fuzz/) found a crash, leak, hang or
// OOM with, kept as a literal and run through the same entry point as the
// harness, plus the end-to-end variant where one exists. Each test names the
// harness and the root cause.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "analyzer/manifest/classify.h"
#include "analyzer/manifest/compose_reader.h"
#include "analyzer/manifest/kube_reader.h"
#include "cli/config_file.h"
#include "tests/hostile/hostile_util.h"

namespace imglint::testing::hostile {
namespace {

using ::testing::HasSubstr;

// manifest_fuzzer and config_fuzzer, timeout + OOM: yaml-cpp 0.7 (Debian 12)
// loops forever, allocating a null document per turn, on a document that
// starts with a bare ',' (jbeder/yaml-cpp#1040). LoadYamlDocuments now
// watches document starts in a first pass and reports the ','.
TEST(FuzzRegression, YamlCppCommaLoop) {
  const std::string_view inputs[] = {
      ",",
      "!a,b",
      "&a ,b\n",
      std::string_view("!O,\xdfnn", 7),
      // manifest-timeout-d8920599f21017a7baba0170fd26c1926e42a1ea
      std::string_view(",,,,,,,,:\n  web:\n    image: nginx\n    user: root\n    ports:\n      - "
                       "\xff\xff\xff\xff\xff\xff\xff\r\"80:80\"\n      - 443:4\0\0\0\xf1"
                       "cp\n      - target: 8080\n        peged: rtue\nx-anchors: &a {k: v}\n",
                       166),
      "a: 1\n---\n,\n",
  };
  for (std::string_view text : inputs) {
    ReadError err;
    EXPECT_EQ(ClassifyYaml(text, &err), YamlKind::kInvalid) << text;
    KubeFile kube;
    EXPECT_FALSE(ReadKubernetes(text, "k.yaml", &kube, &err)) << text;
    EXPECT_EQ(err.kind, ReadError::Kind::kInvalidYaml);
    EXPECT_THAT(err.message, HasSubstr("invalid YAML")) << text;
    ComposeFile compose;
    EXPECT_FALSE(ReadCompose(text, "compose.yaml", &compose, &err)) << text;
    ConfigFile config;
    std::string config_err;
    EXPECT_FALSE(ParseConfig(std::string(text), ".imglint.yaml", &config, &config_err)) << text;
  }
  ReadError err;
  KubeFile kube;
  ReadKubernetes(",", "k.yaml", &kube, &err);
  EXPECT_EQ(err.message, "invalid YAML: unexpected ','");
  EXPECT_EQ(err.line, 1);
  EXPECT_EQ(err.column, 1);
  // Empty documents are still fine: each one starts somewhere new.
  EXPECT_TRUE(ReadKubernetes("---\n---\n---\napiVersion: v1\nkind: Pod\n", "k.yaml", &kube, &err))
      << err.message;
}

TEST(FuzzRegression, YamlCppCommaLoopEndToEnd) {
  TempDir dir;
  std::string good = dir.File("good.tar");
  WriteGoodImage(good);
  std::string bad = dir.File("comma.yaml");
  WriteFileBytes(bad, "apiVersion: v1\nkind: Pod\n---\n,\n");
  Runs runs = RunBoth({bad, good});
  ExpectUnreadableNextToGood(runs, bad, good, "invalid YAML: unexpected ','");
  EXPECT_THAT(runs.json_run.err, HasSubstr(bad + ":4:1: "));
  std::string config = dir.File("imglint.yaml");
  WriteFileBytes(config, ",\n");
  CliResult r = RunImglint({"--config", config, good}, "", dir.path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr(config + ":1:1: invalid YAML: unexpected ','"));
}

}  // namespace
}  // namespace imglint::testing::hostile
