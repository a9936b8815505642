// SPDX-License-Identifier: Apache-2.0
// The RUN shell splitter: operators, quotes, escapes, redirections,
// assignments, comments, heredocs and line numbers.

#include "analyzer/dockerfile/shell_split.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "analyzer/dockerfile/parser.h"

namespace imglint::dockerfile {
namespace {

using ::testing::ElementsAre;
using Words = std::vector<std::string>;

std::vector<Words> WordsOf(const std::vector<SimpleCommand>& cmds) {
  std::vector<Words> out;
  for (const auto& c : cmds) out.push_back(c.words);
  return out;
}

TEST(ShellSplit, Operators) {
  const auto cmds =
      SplitShellCommands("apt-get update && chmod u+s /bin/x || true; echo a | grep b & wait", 1);
  EXPECT_THAT(WordsOf(cmds),
              ElementsAre(Words{"apt-get", "update"}, Words{"chmod", "u+s", "/bin/x"},
                          Words{"true"}, Words{"echo", "a"}, Words{"grep", "b"}, Words{"wait"}));
}

TEST(ShellSplit, QuotesAndEscapes) {
  const auto cmds =
      SplitShellCommands("sh -c 'chmod 4755 /x' && echo \"a && b\" x\\ y \"q\\\"t\" ''", 1);
  EXPECT_THAT(WordsOf(cmds), ElementsAre(Words{"sh", "-c", "chmod 4755 /x"},
                                         Words{"echo", "a && b", "x y", "q\"t", ""}));
}

TEST(ShellSplit, RedirectionsAreDropped) {
  const auto cmds =
      SplitShellCommands("chmod 4755 /x > /dev/null 2>&1 && install -m 4755 a /b </dev/null", 1);
  EXPECT_THAT(WordsOf(cmds),
              ElementsAre(Words{"chmod", "4755", "/x"}, Words{"install", "-m", "4755", "a", "/b"}));
}

TEST(ShellSplit, AssignmentsAndKeywords) {
  const auto cmds = SplitShellCommands(
      "FOO=1 BAR=2 setcap cap_net_bind_service=+ep /x; if true; then chmod g+s /d; fi", 1);
  ASSERT_EQ(cmds.size(), 3u);
  EXPECT_THAT(cmds[0].assignments, ElementsAre("FOO=1", "BAR=2"));
  EXPECT_THAT(cmds[0].words, ElementsAre("setcap", "cap_net_bind_service=+ep", "/x"));
  EXPECT_THAT(cmds[1].words, ElementsAre("true"));
  EXPECT_THAT(cmds[2].words, ElementsAre("chmod", "g+s", "/d"));
}

TEST(ShellSplit, SubstitutionsStayInsideWords) {
  const auto cmds = SplitShellCommands("chmod 4755 $(which ping) `which su` ${X:-a b}", 1);
  EXPECT_THAT(WordsOf(cmds),
              ElementsAre(Words{"chmod", "4755", "$(which ping)", "`which su`", "${X:-a b}"}));
}

TEST(ShellSplit, CommentsNewlinesAndLines) {
  const auto cmds = SplitShellCommands(
      "echo a # chmod u+s x\n"
      "chmod g+s y \\\n"
      "  z\n"
      "\n"
      "setcap cap_net_raw+ep /p",
      10);
  ASSERT_EQ(cmds.size(), 3u);
  EXPECT_THAT(cmds[0].words, ElementsAre("echo", "a"));
  EXPECT_EQ(cmds[0].line, 10);
  EXPECT_THAT(cmds[1].words, ElementsAre("chmod", "g+s", "y", "z"));
  EXPECT_EQ(cmds[1].line, 11);
  EXPECT_EQ(cmds[2].line, 14);
}

TEST(ShellSplit, HeredocBodiesInsideScriptsAreData) {
  const auto cmds =
      SplitShellCommands("cat <<EOF > /f\nchmod u+s not-a-command\nEOF\nchmod 4755 /y\n", 1);
  ASSERT_EQ(cmds.size(), 2u);
  EXPECT_THAT(cmds[0].words, ElementsAre("cat"));
  EXPECT_THAT(cmds[0].heredocs, ElementsAre("EOF"));
  EXPECT_THAT(cmds[1].words, ElementsAre("chmod", "4755", "/y"));
  EXPECT_EQ(cmds[1].line, 4);
}

TEST(ShellSplit, RunCommandsWithSourceLines) {
  Dockerfile df;
  ParseError err;
  ASSERT_TRUE(
      ParseDockerfile("FROM alpine\n"
                      "RUN apk add libcap && \\\n"
                      "    setcap cap_net_bind_service=+ep /usr/bin/x\n"
                      "RUN <<EOF\n"
                      "chmod u+s /bin/y\n"
                      "EOF\n"
                      "RUN python3 <<EOF\n"
                      "print('chmod u+s')\n"
                      "EOF\n"
                      "RUN [\"sh\", \"-c\", \"chmod 4755 /z\"]\n"
                      "RUN [\"install\", \"-m\", \"4755\", \"a\", \"/b\"]\n",
                      &df, &err))
      << err.message;
  const BuildModel model = AnalyzeBuild(df);
  const auto& runs = model.stages.at(0).runs;
  ASSERT_EQ(runs.size(), 5u);

  auto c0 = SplitRunCommands(df, runs[0]);
  ASSERT_EQ(c0.size(), 2u);
  EXPECT_THAT(c0[1].words, ElementsAre("setcap", "cap_net_bind_service=+ep", "/usr/bin/x"));
  EXPECT_EQ(c0[0].line, 2);
  EXPECT_EQ(c0[1].line, 3);

  auto c1 = SplitRunCommands(df, runs[1]);
  ASSERT_EQ(c1.size(), 1u);
  EXPECT_THAT(c1[0].words, ElementsAre("chmod", "u+s", "/bin/y"));
  EXPECT_EQ(c1[0].line, 5);

  auto c2 = SplitRunCommands(df, runs[2]);
  ASSERT_EQ(c2.size(), 1u);
  EXPECT_THAT(c2[0].words, ElementsAre("python3"));

  auto c3 = SplitRunCommands(df, runs[3]);
  ASSERT_EQ(c3.size(), 1u);
  EXPECT_THAT(c3[0].words, ElementsAre("chmod", "4755", "/z"));
  EXPECT_EQ(c3[0].line, 10);

  auto c4 = SplitRunCommands(df, runs[4]);
  ASSERT_EQ(c4.size(), 1u);
  EXPECT_THAT(c4[0].words, ElementsAre("install", "-m", "4755", "a", "/b"));
}

}  // namespace
}  // namespace imglint::dockerfile
