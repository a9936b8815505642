// SPDX-License-Identifier: Apache-2.0
// IL001 invalid-suppression on its own, on every input kind it covers:
// inline pragmas in Dockerfiles and YAML (Kubernetes and Compose) files.
// Images hold no pragmas. Each case pins the place (the rule name's own
// column) and the message text; known IDs and names are not reported.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rules/suppression.h"
#include "tests/support/rule_findings.h"
#include "tests/support/temp_dir.h"

namespace imglint::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr char kRule[] = "IL001";

std::vector<RuleFinding> LintFile(const std::string& name, const std::string& text,
                                  std::vector<std::string> args = {}) {
  return LintTextForRule(kRule, name, text, std::move(args));
}

std::vector<std::string> Messages(const std::vector<RuleFinding>& findings) {
  std::vector<std::string> out;
  for (const RuleFinding& f : findings) {
    out.push_back(At(f) + ":" + std::to_string(f.column) + " " + f.message);
  }
  return out;
}

// --- Dockerfiles -----------------------------------------------------------

// Each unknown name of a list, at its own column; the known name between
// them is not reported.
TEST(InvalidSuppressionDockerfile, UnknownNamesInAList) {
  const std::string text =
      "FROM alpine\nUSER 10001\n"
      "# imglint ignore=IL31,privileged-port, hadolint-DL3008\n"  // 3
      "EXPOSE 80\n";
  auto f = LintFile("Dockerfile", text);
  EXPECT_THAT(Messages(f),
              ElementsAre("Dockerfile:3:18 unknown rule \"IL31\" in an imglint pragma; it "
                          "suppresses nothing",
                          "Dockerfile:3:40 unknown rule \"hadolint-DL3008\" in an imglint pragma; "
                          "it suppresses nothing"));
  ASSERT_FALSE(f.empty());
  EXPECT_EQ(f[0].severity, "note");
  EXPECT_EQ(f[0].recommendation, "use a rule ID or name from `imglint rules`");
}

TEST(InvalidSuppressionDockerfile, GlobalPragma) {
  EXPECT_THAT(Messages(LintFile("Dockerfile", "# imglint global ignore=IL9\nFROM alpine\n")),
              ElementsAre("Dockerfile:1:25 unknown rule \"IL9\" in an imglint pragma; it "
                          "suppresses nothing"));
}

// IDs in any case, names, a trailing reason, no space after `#`: all known.
// Text that only looks like a pragma inside an instruction is not one.
TEST(InvalidSuppressionDockerfile, KnownRulesAreNotReported) {
  EXPECT_THAT(LintFile("Dockerfile",
                       "# imglint global ignore=IL101\nFROM alpine\n"
                       "# imglint ignore=IL301 # the load balancer maps 443 here\nEXPOSE 443\n"
                       "#imglint ignore=il301,privileged-port\nEXPOSE 80\n"
                       "RUN echo \"# imglint ignore=BOGUS\"\n"),
              IsEmpty());
}

// --ignore IL001 silences the rule like any other (issue 11).
TEST(InvalidSuppressionDockerfile, IgnoredOnTheCommandLine) {
  EXPECT_THAT(LintFile("Dockerfile", "FROM alpine\n# imglint ignore=IL31\nEXPOSE 80\n",
                       {"--ignore", "IL001"}),
              IsEmpty());
}

// --- Kubernetes manifests --------------------------------------------------

TEST(InvalidSuppressionKubernetes, UnknownNameInAPragma) {
  const std::string pod =
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n"
      "  - name: a\n    image: x\n    securityContext:\n"
      "      # imglint ignore=root-usr\n"  // 10
      "      runAsUser: 0\n";
  EXPECT_THAT(Messages(LintFile("pod.yaml", pod)),
              ElementsAre("pod.yaml:10:24 unknown rule \"root-usr\" in an imglint pragma; it "
                          "suppresses nothing"));
  std::string fixed = pod;
  fixed.replace(fixed.find("root-usr"), 8, "root-user");
  EXPECT_THAT(LintFile("pod.yaml", fixed), IsEmpty());
}

// --- Compose files ---------------------------------------------------------

TEST(InvalidSuppressionCompose, UnknownNameInAPragma) {
  const std::string compose =
      "services:\n  web:\n    image: x\n"
      "    # imglint ignore=IL3O1\n"  // 4: a letter O, not a zero
      "    user: root\n";
  EXPECT_THAT(Messages(LintFile("compose.yaml", compose)),
              ElementsAre("compose.yaml:4:22 unknown rule \"IL3O1\" in an imglint pragma; it "
                          "suppresses nothing"));
  std::string fixed = compose;
  fixed.replace(fixed.find("IL3O1"), 5, "IL101");
  EXPECT_THAT(LintFile("compose.yaml", fixed), IsEmpty());
}

// The quick probe that lets the engine skip files without pragmas says yes
// to every text that has one, however the comment is spaced.
TEST(PragmaProbe, YesWheneverThereIsAPragma) {
  for (const char* text :
       {"# imglint ignore=IL101\nUSER root\n", "FROM x\n  #\timglint global ignore=IL301 # why\n",
        "#imglint ignore=setuid-file\n", "a: 1\n# imglint ignore=IL101\r\nb: 2\n"}) {
    EXPECT_FALSE(ParsePragmas(text).empty()) << text;
    EXPECT_TRUE(MayHavePragmas(text)) << text;
  }
  for (const char* text : {"# just a comment\nFROM x\n", "RUN echo imglint ignore=IL101\n",
                           "FROM x # not imglint\n", ""}) {
    EXPECT_TRUE(ParsePragmas(text).empty()) << text;
    EXPECT_FALSE(MayHavePragmas(text)) << text;
  }
}

}  // namespace
}  // namespace imglint::testing
