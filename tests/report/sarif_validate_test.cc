// SPDX-License-Identifier: Apache-2.0
// SARIF from images, Dockerfiles, manifests and a mix (with an unreadable
// target) must pass ../shared/tools/validate-sarif --require-multitool: the
// OASIS schema, GitHub's ingestion checks and the SARIF Multitool's GitHub
// rules, with zero errors and zero warnings. One run over four files keeps it
// to a few seconds per file (the Multitool starts once per file).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "report/sarif_report.h"
#include "tests/report/sample_reports.h"
#include "tests/support/cli_runner.h"

namespace imglint {
namespace {

namespace fs = std::filesystem;

struct CommandResult {
  int status = -1;
  std::string output;
};

CommandResult RunCommand(const std::string& command) {
  CommandResult result;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return result;
  std::array<char, 4096> buffer;
  size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    result.output.append(buffer.data(), n);
  int status = pclose(pipe);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

TEST(SarifValidate, ImagesDockerfilesManifestsAndAMixPassValidateSarif) {
  std::string shared = testing::SharedDir();
  if (shared.empty() || !fs::exists(shared + "/tools/validate-sarif")) {
    GTEST_SKIP() << "../shared/tools/validate-sarif is not available";
  }
  fs::path dir = fs::temp_directory_path() / ("imglint-sarif-" + std::to_string(getpid()));
  fs::create_directories(dir);
  SarifOptions options;
  options.tool_version = "0.1.0";
  options.root = dir.string();
  options.working_dir = dir.string();
  std::vector<std::pair<std::string, LintReport>> cases = {
      {"images.sarif", testing::ImageReport()},
      {"dockerfile.sarif", testing::DockerfileReport()},
      {"manifests.sarif", testing::ManifestReport()},
      {"mixed.sarif", testing::MixedReport()},
  };
  // An image finding traced to its Dockerfile line, and a file outside the
  // root (an absolute file URI, which GitHub accepts with %SRCROOT% known).
  cases[3].second.findings[0].related.push_back(testing::FileAt("/etc/outside/Dockerfile", 2, 1));
  cases[3].second.findings[10].related.push_back(testing::FileAt("Dockerfile", 3, 5));
  ASSERT_EQ(cases[3].second.findings[10].location.image_path, "/usr/bin/passwd");
  options.category = "imglint/mixed";
  std::string command = ShellQuote(shared + "/tools/validate-sarif") + " --require-multitool";
  for (const auto& [name, report] : cases) {
    std::ofstream(dir / name) << RenderSarif(report, options);
    command += " " + ShellQuote((dir / name).string());
  }
  CommandResult result = RunCommand(command);
  fs::remove_all(dir);
  std::cout << result.output;  // the validator's summary, for the test log
  if (result.status == 2 &&
      result.output.find("multitool required but unavailable") != std::string::npos) {
    GTEST_SKIP() << "the SARIF Multitool cannot run here:\n" << result.output;
  }
  EXPECT_EQ(result.status, 0) << result.output;
  // validate-sarif passes files with warnings unless --strict; require none.
  EXPECT_THAT(result.output, ::testing::Not(::testing::HasSubstr(": warning")));
  EXPECT_THAT(result.output, ::testing::Not(::testing::HasSubstr(") warning ")));
  EXPECT_THAT(result.output, ::testing::Not(::testing::HasSubstr("FAIL")));
  for (const auto& [name, report] : cases) {
    EXPECT_THAT(result.output,
                ::testing::HasSubstr(name + " (schema+github+multitool): 0 error(s), 0 warning(s)"))
        << result.output;
  }
}

}  // namespace
}  // namespace imglint
