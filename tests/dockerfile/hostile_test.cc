// SPDX-License-Identifier: Apache-2.0
// Hostile input (docs/design.md §8): huge lines, NUL bytes, many instructions,
// unterminated heredocs, deep nesting, random bytes. Each must finish with a
// result or a clean error: no crash, no unbounded recursion, and no hang —
// ctest's TIMEOUT (tests/CMakeLists.txt) fails a case that runs away; the
// tests read no clock, which a busy machine would turn into failures.

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "analyzer/dockerfile/build_model.h"
#include "analyzer/dockerfile/dump.h"
#include "analyzer/dockerfile/parser.h"
#include "analyzer/dockerfile/shell_split.h"

namespace imglint::dockerfile {
namespace {

// Parses and, when that succeeds, runs the build analysis and the splitter.
bool ParseAll(const std::string& text, Dockerfile* df, ParseError* err) {
  if (!ParseDockerfile(text, df, err)) return false;
  const BuildModel model = AnalyzeBuild(*df);
  for (const Stage& s : model.stages) {
    for (const RunCommand& run : s.runs) SplitRunCommands(*df, run);
  }
  return true;
}

TEST(Hostile, TwentyMegabyteLine) {
  std::string text = "FROM alpine\nRUN echo ";
  text.append(20u << 20, 'x');
  text += " && chmod u+s /bin/y\n";
  Dockerfile df;
  ParseError err;
  ASSERT_TRUE(ParseAll(text, &df, &err)) << err.message;
  ASSERT_EQ(df.instructions.size(), 2u);
  EXPECT_EQ(df.instructions[1].args[0].value.size(), (20u << 20) + 5 + 20);
  EXPECT_EQ(df.instructions[1].range.end.column,
            static_cast<int>(df.instructions[1].args[0].value.size()) + 5);
}

TEST(Hostile, TwentyMegabyteLineOfShellMetacharacters) {
  std::string text = "FROM alpine\nRUN ";
  for (size_t i = 0; text.size() < (20u << 20); ++i) text += "\"'$({`<<\\ ";
  text += "\nENV A=";
  for (int i = 0; i < 200000; ++i) text += "${a:-";
  text += "\n";
  Dockerfile df;
  ParseError err;
  ParseAll(text, &df, &err);  // either outcome is fine; it must return
}

TEST(Hostile, NulBytes) {
  const std::string text("FROM alpine\nRUN echo \0\0x\nUSER \0root\nEXPOSE 8\0\n", 40);
  Dockerfile df;
  ParseError err;
  ASSERT_TRUE(ParseAll(text, &df, &err)) << err.message;
  ASSERT_EQ(df.instructions.size(), 4u);
  EXPECT_EQ(df.instructions[2].args[0].value, std::string("\0root", 5));
  EXPECT_EQ(DumpInstruction(df.instructions[1]), "run \"echo \\x00\\x00x\"");
}

TEST(Hostile, FiftyThousandInstructions) {
  std::string text = "FROM alpine AS base\n";
  for (int i = 0; i < 50000; ++i) {
    text += (i % 2 == 0) ? "ENV V" + std::to_string(i) + "=$V" + std::to_string(i - 2) + "x\n"
                         : "RUN echo " + std::to_string(i) + " && chmod 4755 /x\n";
  }
  Dockerfile df;
  ParseError err;
  ASSERT_TRUE(ParseAll(text, &df, &err)) << err.message;
  EXPECT_EQ(df.instructions.size(), 50001u);
  EXPECT_EQ(df.instructions.back().range.start.line, 50001);
}

TEST(Hostile, ExponentialEnvGrowthIsBounded) {
  std::string text = "FROM alpine\nENV A=xxxxxxxxxxxxxxxx\n";
  for (int i = 0; i < 200; ++i) text += "ENV A=$A$A\n";
  text += "USER $A\n";
  Dockerfile df;
  ParseError err;
  ASSERT_TRUE(ParseDockerfile(text, &df, &err)) << err.message;
  const BuildModel model = AnalyzeBuild(df);
  ASSERT_EQ(model.stages.size(), 1u);
  // Doubling stops at the substitution limit with an error, never 2^200 bytes.
  EXPECT_LE(model.stages[0].env.at("A").value.value.size(), size_t{64} << 20);
  EXPECT_FALSE(model.diagnostics.empty());
  // USER $A is flagged as unknown rather than expanded to a guess.
  EXPECT_FALSE(model.stages[0].user->user.resolved());
  EXPECT_FALSE(model.stages[0].user->user.unresolved.empty());
}

TEST(Hostile, LongInheritanceChainIsBounded) {
  std::string text = "FROM alpine AS s0\n";
  for (int i = 0; i < 2000; ++i) text += "ENV V" + std::to_string(i) + "=1\n";
  for (int i = 1; i < 5000; ++i) {
    text += "FROM s" + std::to_string(i - 1) + " AS s" + std::to_string(i) + "\n";
  }
  Dockerfile df;
  ParseError err;
  ASSERT_TRUE(ParseDockerfile(text, &df, &err)) << err.message;
  const BuildModel model = AnalyzeBuild(df);
  EXPECT_TRUE(model.truncated);
  EXPECT_LT(model.stages.size(), 5000u);
  EXPECT_EQ(model.stages.back().env.size(), 2000u);
}

TEST(Hostile, UnterminatedHeredocWithHugeBody) {
  std::string text = "FROM alpine\nRUN <<EOF\n";
  for (int i = 0; i < 200000; ++i) text += "echo line\n";
  Dockerfile df;
  ParseError err;
  EXPECT_FALSE(ParseDockerfile(text, &df, &err));
  EXPECT_EQ(err.message, "unterminated heredoc EOF");
  EXPECT_EQ(err.line, 2);
}

TEST(Hostile, ManyHeredocMarkersOnOneLine) {
  std::string text = "FROM alpine\nRUN";
  for (int i = 0; i < 20000; ++i) text += " <<E" + std::to_string(i);
  text += "\n";
  for (int i = 0; i < 20000; ++i) text += "E" + std::to_string(i) + "\n";
  Dockerfile df;
  ParseError err;
  ASSERT_TRUE(ParseAll(text, &df, &err)) << err.message;
  EXPECT_EQ(df.instructions[1].heredocs.size(), 20000u);
}

TEST(Hostile, DeepJsonAndOnbuildNesting) {
  std::string deep_json = "FROM a\nCMD ";
  deep_json.append(2000000, '[');
  Dockerfile df;
  ParseError err;
  ASSERT_TRUE(ParseDockerfile(deep_json, &df, &err)) << err.message;
  EXPECT_FALSE(df.instructions[1].json);  // not valid JSON: shell form

  std::string onbuild = "FROM a\n";
  for (int i = 0; i < 100000; ++i) onbuild += "ONBUILD ";
  onbuild += "RUN x\n";
  EXPECT_FALSE(ParseDockerfile(onbuild, &df, &err));
  EXPECT_EQ(err.line, 2);
}

TEST(Hostile, LongContinuationChainAndCarriageReturns) {
  std::string text = "FROM a\nRUN a";
  for (int i = 0; i < 200000; ++i) text += " \\\r\n# c\r\n b";
  text += "\n";
  Dockerfile df;
  ParseError err;
  ASSERT_TRUE(ParseAll(text, &df, &err)) << err.message;
  EXPECT_EQ(df.instructions[1].range.end.line, 2 + 2 * 200000);

  EXPECT_FALSE(ParseDockerfile(std::string(100000, '\r'), &df, &err));
  EXPECT_EQ(err.message, "file with no instructions");
}

TEST(Hostile, RandomBytesNeverCrash) {
  // Deterministic xorshift stream over an alphabet rich in Dockerfile syntax.
  static constexpr char kAlphabet[] =
      "FROMRUNCOPYENVARGUSERONBUILD \t\n\r\\`\"'$#{}[]<<-=:,/\0\xEF\xBB\xBF\xC3\xA9\x80";
  uint64_t state = 0x9E3779B97F4A7C15ull;
  auto next = [&state] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  for (int round = 0; round < 2000; ++round) {
    std::string text = round % 3 == 0 ? "# escape=`\n" : "";
    const size_t len = next() % 400;
    for (size_t i = 0; i < len; ++i) text.push_back(kAlphabet[next() % (sizeof(kAlphabet) - 1)]);
    Dockerfile df;
    ParseError err;
    if (ParseAll(text, &df, &err)) {
      for (const Instruction& inst : df.instructions) {
        EXPECT_GE(inst.range.start.line, 1);
        EXPECT_LE(inst.range.start.line, inst.range.end.line);
        DumpInstruction(inst);
      }
    } else {
      EXPECT_FALSE(err.message.empty());
    }
  }
}

}  // namespace
}  // namespace imglint::dockerfile
