// SPDX-License-Identifier: Apache-2.0
// The output-format flags end to end: --format sarif|gitlab|checkstyle,
// --sarif-root, --sarif-category, --color and NO_COLOR, and --help-man.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>

#include "cli/render_report.h"
#include "tests/support/cli_runner.h"

namespace imglint::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kDemo[] = "fixtures/demo/demo-image.tar";

TEST(OutputFormats, SarifFromTheDemoImageIsRelativeToTheRoot) {
  CliResult r =
      RunImglint({"--format", "sarif", "--sarif-category", "images", kDemo}, "", SourceDir());
  ASSERT_EQ(r.exit_code, 1) << r.err;
  json run = json::parse(r.out)["runs"][0];
  EXPECT_EQ(run["automationDetails"]["id"], "images/");
  std::string root = run["originalUriBaseIds"]["%SRCROOT%"]["uri"];
  EXPECT_THAT(root, ::testing::StartsWith("file:///"));
  EXPECT_THAT(root, ::testing::EndsWith("/"));
  ASSERT_FALSE(run["results"].empty());
  for (const json& result : run["results"]) {
    const json& artifact = result["locations"][0]["physicalLocation"]["artifactLocation"];
    EXPECT_EQ(artifact["uri"], kDemo);
    EXPECT_EQ(artifact["uriBaseId"], "%SRCROOT%");
  }
  // From a subdirectory with --sarif-root pointing back at the repository.
  CliResult sub = RunImglint({"--format", "sarif", "--sarif-root", "..", "demo/demo-image.tar"}, "",
                             SourceDir() + "/fixtures");
  json subrun = json::parse(sub.out)["runs"][0];
  EXPECT_EQ(subrun["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            kDemo);
}

TEST(OutputFormats, UnreadableTargetKeepsTheSarifComplete) {
  CliResult r = RunImglint({"--format", "sarif", "no-such.tar", kDemo}, "", SourceDir());
  EXPECT_EQ(r.exit_code, 2);
  json invocation = json::parse(r.out)["runs"][0]["invocations"][0];
  EXPECT_EQ(invocation["executionSuccessful"], false);
  EXPECT_THAT(invocation["toolExecutionNotifications"][0]["message"]["text"].get<std::string>(),
              HasSubstr("no-such.tar"));
}

TEST(OutputFormats, GitlabAndCheckstyle) {
  CliResult gitlab = RunImglint({"--format", "gitlab", kDemo}, "", SourceDir());
  EXPECT_EQ(gitlab.exit_code, 1);
  json issues = json::parse(gitlab.out);
  ASSERT_TRUE(issues.is_array());
  ASSERT_FALSE(issues.empty());
  EXPECT_EQ(issues[0]["location"]["path"], kDemo);

  CliResult xml = RunImglint({"--format", "checkstyle", kDemo}, "", SourceDir());
  EXPECT_EQ(xml.exit_code, 1);
  EXPECT_THAT(xml.out, HasSubstr("<file name=\"fixtures/demo/demo-image.tar\">"));
  EXPECT_THAT(xml.out, HasSubstr("source=\"imglint.IL201\""));

  CliResult bad = RunImglint({"--format", "html", kDemo}, "", SourceDir());
  EXPECT_EQ(bad.exit_code, 2);
}

TEST(OutputFormats, ColourOnlyWhenForcedOrOnATerminal) {
  // Standard output is a pipe here, so auto means no colour.
  EXPECT_THAT(RunImglint({kDemo}, "", SourceDir()).out, Not(HasSubstr("\033[")));
  EXPECT_THAT(RunImglint({"--color", "always", kDemo}, "", SourceDir()).out, HasSubstr("\033["));
  EXPECT_THAT(RunImglint({"--color", "never", kDemo}, "", SourceDir()).out,
              Not(HasSubstr("\033[")));
}

// On a terminal (so that auto would colour), NO_COLOR, TERM=dumb and
// --output turn auto off; always stays on and never off.
TEST(OutputFormats, NoColorWinsOverAutoButNotOverAlways) {
  const ColorEnvironment tty{.stdout_is_terminal = true, .no_color = "", .term = "xterm"};
  ASSERT_TRUE(UseColor(ColorMode::kAuto, false, tty));  // else the checks below prove nothing
  ColorEnvironment no_color = tty;
  no_color.no_color = "1";
  EXPECT_FALSE(UseColor(ColorMode::kAuto, false, no_color));
  EXPECT_TRUE(UseColor(ColorMode::kAlways, false, no_color));
  ColorEnvironment dumb = tty;
  dumb.term = "dumb";
  EXPECT_FALSE(UseColor(ColorMode::kAuto, false, dumb));
  EXPECT_FALSE(UseColor(ColorMode::kNever, false, tty));
  EXPECT_FALSE(UseColor(ColorMode::kAuto, true, tty));  // --output FILE
  ColorEnvironment pipe = tty;
  pipe.stdout_is_terminal = false;
  EXPECT_FALSE(UseColor(ColorMode::kAuto, false, pipe));
}

TEST(OutputFormats, ManPageListsEveryOption) {
  CliResult help = RunImglint({"--help"});
  CliResult man = RunImglint({"--help-man"});
  ASSERT_EQ(man.exit_code, 0);
  EXPECT_THAT(man.out, ::testing::StartsWith(".\\\""));
  EXPECT_THAT(man.out, HasSubstr(".TH imglint 1"));
  EXPECT_THAT(help.out, Not(HasSubstr("--help-man")));  // hidden
  std::regex option("--([a-z][a-z-]*)");
  for (std::sregex_iterator it(help.out.begin(), help.out.end(), option), end; it != end; ++it) {
    std::string name = (*it)[1];
    std::string roff;
    for (char c : name) roff += c == '-' ? std::string("\\-") : std::string(1, c);
    EXPECT_THAT(man.out, HasSubstr("\\-\\-" + roff)) << "--" << name << " is not in imglint.1";
  }
  // Deterministic: the build's output is reproducible.
  EXPECT_EQ(RunImglint({"--help-man"}).out, man.out);
}

}  // namespace
}  // namespace imglint::testing

namespace imglint::testing {
namespace {

size_t Count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// Issue 13: the 8-line sysctl snippet was printed under every finding. The
// text output prints each distinct snippet once per target and refers to
// it; JSON keeps the whole recommendation on every finding.
TEST(OutputFormats, TextPrintsEachSnippetOncePerTarget) {
  const std::string snippet_line = "- name: net.ipv4.ip_unprivileged_port_start";
  CliResult text = RunImglint({"--color", "never", kDemo}, "", SourceDir());
  ASSERT_EQ(text.exit_code, 1) << text.err;
  EXPECT_EQ(Count(text.out, snippet_line), 1u) << text.out;
  EXPECT_GE(Count(text.out, "(snippet as above)"), 3u) << text.out;
  CliResult doc = RunImglint({"--format", "json", kDemo}, "", SourceDir());
  const json report = json::parse(doc.out);
  size_t full = 0;
  for (const json& f : report["findings"]) {
    full += f["recommendation"].get<std::string>().find(snippet_line) != std::string::npos;
  }
  EXPECT_GE(full, 4u);
}

}  // namespace
}  // namespace imglint::testing
