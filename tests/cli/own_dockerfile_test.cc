// SPDX-License-Identifier: Apache-2.0
// imglint's own Dockerfile must lint clean: non-root numeric USER, no low
// EXPOSE, nothing setuid. If this fails, fix the Dockerfile, not the test.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/cli_runner.h"

namespace imglint::testing {
namespace {

TEST(OwnDockerfile, LintsClean) {
  CliResult text = RunImglint({"--fail-on", "note", "Dockerfile"}, "", SourceDir());
  EXPECT_EQ(text.exit_code, 0) << text.out << text.err;
  EXPECT_EQ(text.err, "");

  CliResult json =
      RunImglint({"--format", "json", "--fail-on", "note", "Dockerfile"}, "", SourceDir());
  ASSERT_EQ(json.exit_code, 0) << json.out << json.err;
  nlohmann::json doc = nlohmann::json::parse(json.out);
  EXPECT_EQ(doc["targets"].size(), 1u);
  EXPECT_EQ(doc["targets"][0]["kind"], "dockerfile");
  EXPECT_TRUE(doc["targets"][0]["error"].is_null()) << doc["targets"][0]["error"];
  EXPECT_TRUE(doc["findings"].empty()) << doc["findings"].dump(2);
}

}  // namespace
}  // namespace imglint::testing
