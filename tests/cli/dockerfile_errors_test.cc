// SPDX-License-Identifier: Apache-2.0
// A Dockerfile that BuildKit would refuse is an unreadable target: exit 2, a
// compiler-style message with line and column, and the other targets still
// linted.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/cli_runner.h"
#include "tests/support/temp_dir.h"

namespace imglint::testing {
namespace {

using ::testing::HasSubstr;

TEST(DockerfileErrors, UnknownInstructionWithSuggestion) {
  TempDir dir;
  WriteFileBytes(dir.File("Dockerfile"), "FROM alpine\nFORM alpine\n");
  WriteFileBytes(dir.File("Good.Dockerfile"), "FROM alpine\nEXPOSE 80\n");
  CliResult r =
      RunImglint({"--format", "json", dir.File("Dockerfile"), dir.File("Good.Dockerfile")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err,
              HasSubstr("Dockerfile:2:1: error: unknown instruction: FORM (did you mean FROM?)"));
  auto doc = nlohmann::json::parse(r.out);
  ASSERT_EQ(doc["targets"].size(), 2u);
  EXPECT_THAT(doc["targets"][0]["error"].get<std::string>(), HasSubstr("unknown instruction"));
  EXPECT_EQ(doc["targets"][0]["error_line"], 2);
  bool good_linted = false;
  for (const auto& f : doc["findings"]) {
    good_linted |= f["rule"] == "IL301" &&
                   f["location"]["path"].get<std::string>().ends_with("Good.Dockerfile");
  }
  EXPECT_TRUE(good_linted);
}

// A hostile "instruction" of megabytes (here 4 MiB of NUL bytes after FROM)
// is named by its first 80 bytes: the message does not repeat the file.
TEST(DockerfileErrors, HugeUnknownInstructionIsAbbreviated) {
  TempDir dir;
  WriteFileBytes(dir.File("Dockerfile"), "FROM alpine\n" + std::string(size_t{4} << 20, '\0'));
  CliResult r = RunImglint({"--format", "json", dir.File("Dockerfile")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("Dockerfile:2:1: error: unknown instruction: "));
  EXPECT_LT(r.err.size(), 1000u);
  auto doc = nlohmann::json::parse(r.out);
  ASSERT_EQ(doc["targets"].size(), 1u);
  EXPECT_LT(doc["targets"][0]["error"].get<std::string>().size(), 1000u);
}

TEST(DockerfileErrors, UnknownTargetStage) {
  TempDir dir;
  WriteFileBytes(dir.File("Dockerfile"), "FROM alpine AS build\nUSER 1000\n");
  CliResult r = RunImglint({"--target", "release", dir.File("Dockerfile")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("target stage \"release\" could not be found"));
  EXPECT_EQ(RunImglint({"--target", "build", dir.File("Dockerfile")}).exit_code, 0);
}

TEST(DockerfileErrors, UnterminatedHeredoc) {
  TempDir dir;
  WriteFileBytes(dir.File("Dockerfile"), "FROM alpine\nRUN <<EOF\necho hi\n");
  CliResult r = RunImglint({dir.File("Dockerfile")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("Dockerfile:2:"));
  EXPECT_THAT(r.err, HasSubstr("unterminated heredoc"));
}

}  // namespace
}  // namespace imglint::testing
