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

// The records `imglint fix` cuts along: each command's text, the operator
// after it, and what makes a cut unsafe.
TEST(ShellSplit, ScriptRecordsTextAndOperators) {
  const std::string script = "a 'x && y' \"$(b; c)\" && d 2>&1 | e; f &>/dev/null # c\n";
  const std::vector<SimpleCommand> all = SplitShellScript(script);
  auto text = [&](const SimpleCommand& c) { return script.substr(c.begin, c.end - c.begin); };
  using Op = ShellOperator;
  ASSERT_EQ(all.size(), 5u);
  EXPECT_EQ(text(all[0]), "a 'x && y' \"$(b; c)\"");
  EXPECT_EQ(all[0].ends_with, Op::kAnd);
  EXPECT_EQ(script.substr(all[0].end, all[0].operator_end - all[0].end), " &&");
  EXPECT_TRUE(all[0].substitution);
  EXPECT_EQ(text(all[1]), "d 2>&1");
  EXPECT_EQ(all[1].ends_with, Op::kPipe);
  EXPECT_FALSE(all[1].substitution);
  EXPECT_EQ(text(all[2]), "e");
  EXPECT_EQ(all[2].ends_with, Op::kSequence);
  EXPECT_EQ(text(all[3]), "f &>/dev/null");
  EXPECT_EQ(all[3].ends_with, Op::kNewline);
  EXPECT_EQ(all[4].ends_with, Op::kEnd);
  EXPECT_EQ(all[4].begin, script.size());
  EXPECT_EQ(all[4].end, script.size());

  auto ops = [](std::string_view s) {
    std::vector<Op> out;
    for (const SimpleCommand& c : SplitShellScript(s)) out.push_back(c.ends_with);
    return out;
  };
  EXPECT_THAT(ops("a || b |& c & d"), ElementsAre(Op::kOr, Op::kPipe, Op::kBackground, Op::kEnd));
  EXPECT_THAT(ops("a;; b;& c"), ElementsAre(Op::kCaseEnd, Op::kCaseEnd, Op::kEnd));
  EXPECT_THAT(ops("(a) && f()"),
              ElementsAre(Op::kOpen, Op::kClose, Op::kAnd, Op::kOpen, Op::kClose, Op::kEnd));
  EXPECT_THAT(ops("diff <(a) b"), ElementsAre(Op::kSubstitution, Op::kClose, Op::kEnd));
  EXPECT_THAT(ops("a\n\nb"), ElementsAre(Op::kNewline, Op::kNewline, Op::kEnd));
}

TEST(ShellSplit, ScriptRecordsKeywordsAndRedirections) {
  const std::string script =
      "if x; then y; fi; \"if\" a; { b; }; >/dev/null c d; e <<<s; f <<EOF\nbody\nEOF\ng `h`";
  const std::vector<SimpleCommand> all = SplitShellScript(script);
  auto first = [&](size_t i) {
    return script.substr(all[i].begin, all[i].first_end - all[i].begin);
  };
  ASSERT_EQ(all.size(), 10u);
  EXPECT_EQ(first(0), "if");
  EXPECT_TRUE(all[0].compound);
  EXPECT_TRUE(all[1].compound);  // then y
  EXPECT_TRUE(all[2].compound);  // fi
  EXPECT_THAT(all[2].words, ElementsAre());
  EXPECT_FALSE(all[3].compound);  // "if" a: quoted, a command
  EXPECT_EQ(first(3), "\"if\"");
  EXPECT_TRUE(all[4].compound);  // { b
  EXPECT_TRUE(all[5].compound);  // }
  EXPECT_EQ(first(6), ">/dev/null");
  EXPECT_THAT(all[6].words, ElementsAre("c", "d"));
  EXPECT_TRUE(all[7].here_input);  // <<<
  EXPECT_TRUE(all[8].here_input);  // <<EOF
  EXPECT_TRUE(all[8].bodies_follow);
  EXPECT_EQ(all[8].ends_with, ShellOperator::kNewline);
  EXPECT_THAT(all[9].words, ElementsAre("g", "`h`"));
  EXPECT_TRUE(all[9].substitution);
  EXPECT_EQ(all[9].ends_with, ShellOperator::kEnd);
  // The commands the rules read are the same, without the empty and keyword-only ones.
  EXPECT_EQ(SplitShellCommands(script, 1).size(), 8u);
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
