// SPDX-License-Identifier: Apache-2.0
// Parser unit tests: positions, directives, continuations, CRLF/BOM, JSON
// form and its fallback, flags, ONBUILD, unknown instructions and errors.

#include "analyzer/dockerfile/parser.h"

#include <gtest/gtest.h>

#include <string>

#include "analyzer/dockerfile/dump.h"
#include "analyzer/dockerfile/facts.h"

namespace imglint::dockerfile {
namespace {

Dockerfile MustParse(std::string_view text, bool validate = true) {
  Dockerfile df;
  ParseError err;
  ParseOptions options;
  options.validate = validate;
  EXPECT_TRUE(ParseDockerfile(text, &df, &err, options))
      << err.line << ":" << err.column << ": " << err.message;
  return df;
}

ParseError MustFail(std::string_view text, bool validate = true) {
  Dockerfile df;
  ParseError err;
  ParseOptions options;
  options.validate = validate;
  EXPECT_FALSE(ParseDockerfile(text, &df, &err, options)) << text;
  return err;
}

void ExpectRange(const Range& r, int l1, int c1, int l2, int c2) {
  EXPECT_EQ(r.start.line, l1);
  EXPECT_EQ(r.start.column, c1);
  EXPECT_EQ(r.end.line, l2);
  EXPECT_EQ(r.end.column, c2);
}

TEST(ParserPositions, InstructionFlagAndArgumentRanges) {
  const std::string_view text =
      "FROM alpine:3.19 AS build\n"
      "RUN --mount=type=cache,target=/x \\\n"
      "    apk add curl\n";
  const Dockerfile df = MustParse(text);
  ASSERT_EQ(df.instructions.size(), 2u);
  const Instruction& from = df.instructions[0];
  ExpectRange(from.keyword_range, 1, 1, 1, 5);
  ExpectRange(from.range, 1, 1, 1, 26);
  ASSERT_EQ(from.args.size(), 3u);
  ExpectRange(from.args[0].range, 1, 6, 1, 17);
  ExpectRange(from.args[2].range, 1, 21, 1, 26);

  const Instruction& run = df.instructions[1];
  ExpectRange(run.keyword_range, 2, 1, 2, 4);
  ASSERT_EQ(run.flags.size(), 1u);
  EXPECT_EQ(run.flags[0].name, "mount");
  EXPECT_EQ(run.flags[0].value, "type=cache,target=/x");
  ExpectRange(run.flags[0].range, 2, 5, 2, 33);
  ASSERT_EQ(run.args.size(), 1u);
  EXPECT_EQ(run.args[0].value, "apk add curl");
  ExpectRange(run.args[0].range, 3, 5, 3, 17);
  ExpectRange(run.range, 2, 1, 3, 17);
  EXPECT_EQ(run.original, "RUN --mount=type=cache,target=/x     apk add curl");
  EXPECT_EQ(run.SourceText(text), "RUN --mount=type=cache,target=/x \\\n    apk add curl");
}

TEST(ParserPositions, IndentedInstructionAndEnvPairs) {
  const Dockerfile df = MustParse("FROM x\n  ENV A=1 B=\"x y\"\n");
  const Instruction& env = df.instructions[1];
  ExpectRange(env.keyword_range, 2, 3, 2, 6);
  ASSERT_EQ(env.args.size(), 6u);
  EXPECT_EQ(env.args[0].value, "A");
  ExpectRange(env.args[0].range, 2, 7, 2, 8);
  EXPECT_EQ(env.args[1].value, "1");
  ExpectRange(env.args[1].range, 2, 9, 2, 10);
  EXPECT_EQ(env.args[4].value, "\"x y\"");
  ExpectRange(env.args[4].range, 2, 13, 2, 18);
}

TEST(ParserPositions, CommentAndBlankLinesInsideContinuationCountForEndLine) {
  const Dockerfile df = MustParse(
      "FROM x\n"
      "RUN a \\\n"
      "# comment\n"
      "\n"
      "  b\n"
      "USER me\n");
  ASSERT_EQ(df.instructions.size(), 3u);
  EXPECT_EQ(df.instructions[1].args[0].value, "a   b");
  EXPECT_EQ(df.instructions[1].range.end.line, 5);
  ExpectRange(df.instructions[1].args[0].range, 2, 5, 5, 4);
  EXPECT_EQ(df.instructions[2].range.start.line, 6);
  EXPECT_FALSE(df.warnings.empty());  // BuildKit warns about the empty line
}

TEST(ParserPositions, PositionAtMapsThroughContinuations) {
  const Dockerfile df = MustParse("FROM x\nRUN one \\\n  two\n");
  const Instruction& run = df.instructions[1];
  const size_t two = run.original.find("two");
  const Position p = run.PositionAt(two);
  EXPECT_EQ(p.line, 3);
  EXPECT_EQ(p.column, 3);
}

// A one-line instruction keeps no segment table; positions count from its
// first byte, wherever it is indented.
TEST(ParserPositions, PositionAtOnOneLine) {
  const Dockerfile df = MustParse("FROM x\n   RUN  echo two\n");
  const Instruction& run = df.instructions[1];
  EXPECT_TRUE(run.segments.empty());
  const Position p = run.PositionAt(run.original.find("two"));
  EXPECT_EQ(p.line, 2);
  EXPECT_EQ(p.column, 14);
  EXPECT_EQ(run.args[0].range.start.column, 9);  // "echo two"
}

TEST(ParserDirectives, EscapeBacktick) {
  const Dockerfile df = MustParse("# escape=`\nFROM x\nRUN echo a `\n  b\nCOPY c:\\dir d\n");
  EXPECT_EQ(df.escape, '`');
  ASSERT_EQ(df.directives.size(), 1u);
  EXPECT_EQ(df.directives[0].name, "escape");
  EXPECT_EQ(df.directives[0].range.start.line, 1);
  ASSERT_EQ(df.instructions.size(), 3u);
  EXPECT_EQ(df.instructions[1].args[0].value, "echo a   b");
  // With a backtick escape, a backslash is ordinary.
  EXPECT_EQ(df.instructions[2].args[0].value, "c:\\dir");
}

TEST(ParserDirectives, KeyIsCaseInsensitive) {
  const Dockerfile df = MustParse("# ESCAPE = `\nFROM x\n");
  EXPECT_EQ(df.escape, '`');
}

TEST(ParserDirectives, AfterCommentIsIgnored) {
  const Dockerfile df = MustParse("# hello\n# escape=`\nFROM x\nRUN echo a `\n");
  EXPECT_EQ(df.escape, '\\');
  EXPECT_TRUE(df.directives.empty());
  EXPECT_EQ(df.instructions[1].args[0].value, "echo a `");
}

TEST(ParserDirectives, AfterInstructionOrBlankLineIsIgnored) {
  EXPECT_TRUE(MustParse("FROM x\n# escape=`\n").directives.empty());
  EXPECT_TRUE(MustParse("\n# escape=`\nFROM x\n").directives.empty());
}

TEST(ParserDirectives, SyntaxAndCheckAreRecorded) {
  const Dockerfile df =
      MustParse("# syntax=docker/dockerfile:1\n# check=skip=JSONArgsRecommended\nFROM x\n");
  ASSERT_EQ(df.directives.size(), 2u);
  EXPECT_EQ(df.directives[0].name, "syntax");
  EXPECT_EQ(df.directives[0].value, "docker/dockerfile:1");
  EXPECT_EQ(df.directives[1].name, "check");
  EXPECT_EQ(df.directives[1].value, "skip=JSONArgsRecommended");
}

TEST(ParserDirectives, DuplicateAndInvalidEscapeAreErrors) {
  ParseError err = MustFail("# escape=`\n# escape=\\\nFROM x\n");
  EXPECT_EQ(err.line, 2);
  EXPECT_EQ(err.message, "only one escape parser directive can be used");
  err = MustFail("# escape=x\nFROM x\n");
  EXPECT_EQ(err.line, 1);
  EXPECT_NE(err.message.find("invalid escape token"), std::string::npos);
}

TEST(ParserLines, EscapedEscapeAtEndDoesNotContinue) {
  const Dockerfile df = MustParse("FROM x\nENV C trailing\\\\\nENV D next\n");
  ASSERT_EQ(df.instructions.size(), 3u);
  EXPECT_EQ(df.instructions[1].args[1].value, "trailing\\\\");
}

TEST(ParserLines, CrlfAndBom) {
  const std::string_view text =
      "\xEF\xBB\xBF"
      "FROM alpine\r\nRUN echo a \\\r\n  b\r\nUSER app\r\n";
  const Dockerfile df = MustParse(text);
  ASSERT_EQ(df.instructions.size(), 3u);
  ExpectRange(df.instructions[0].keyword_range, 1, 1, 1, 5);
  EXPECT_EQ(df.instructions[0].args[0].value, "alpine");
  EXPECT_EQ(df.instructions[1].args[0].value, "echo a   b");
  // Source offsets count the BOM; the lines keep their CRLF endings.
  EXPECT_EQ(df.instructions[0].SourceText(text), "FROM alpine");
  EXPECT_EQ(df.instructions[1].SourceText(text), "RUN echo a \\\r\n  b");
  EXPECT_EQ(InstructionKey(text, df, 1), "RUN echo a \\ b");
  EXPECT_EQ(df.instructions[2].args[0].value, "app");
  ExpectRange(df.instructions[2].range, 4, 1, 4, 9);
}

TEST(ParserLines, KeywordsAreCaseInsensitive) {
  const Dockerfile df = MustParse("from x\nRuN echo\n");
  EXPECT_EQ(df.instructions[0].keyword, "from");
  EXPECT_EQ(df.instructions[1].keyword, "run");
  EXPECT_TRUE(df.instructions[1].known);
}

TEST(ParserJson, ExecFormAndFallback) {
  const Dockerfile df = MustParse(
      "FROM x\n"
      "CMD [\"a\", \"b c\"]\n"
      "CMD ['a']\n"
      "ENTRYPOINT [\"unterminated\"\n"
      "RUN [ ]\n");
  const Instruction& exec = df.instructions[1];
  EXPECT_TRUE(exec.json);
  ASSERT_EQ(exec.args.size(), 2u);
  EXPECT_EQ(exec.args[1].value, "b c");
  ExpectRange(exec.args[1].range, 2, 11, 2, 16);
  EXPECT_FALSE(df.instructions[2].json);
  ASSERT_EQ(df.instructions[2].args.size(), 1u);
  EXPECT_EQ(df.instructions[2].args[0].value, "['a']");
  EXPECT_FALSE(df.instructions[3].json);
  EXPECT_EQ(df.instructions[3].args[0].value, "[\"unterminated\"");
  EXPECT_TRUE(df.instructions[4].json);
  EXPECT_TRUE(df.instructions[4].args.empty());
}

TEST(ParserJson, NonStringElementIsAnError) {
  ParseError err = MustFail("FROM x\nCMD [\"echo\", [\"nested\"]]\n");
  EXPECT_EQ(err.line, 2);
  EXPECT_EQ(err.column, 5);
  EXPECT_NE(err.message.find("strings only"), std::string::npos);
  err = MustFail("FROM x\nRUN [\"a\", 1]\n");
  EXPECT_EQ(err.line, 2);
}

TEST(ParserFlags, NamesValuesAndQuotes) {
  const Dockerfile df = MustParse(
      "FROM x AS build\n"
      "COPY --chmod=4755 --chown=\"app:app\" --from=build --link /src /dst\n");
  const Instruction& copy = df.instructions[1];
  ASSERT_EQ(copy.flags.size(), 4u);
  EXPECT_EQ(copy.flags[0].text, "--chmod=4755");
  EXPECT_EQ(copy.FindFlag("chmod")->value, "4755");
  EXPECT_EQ(copy.FindFlag("chown")->value, "app:app");
  EXPECT_EQ(copy.FindFlag("from")->value, "build");
  EXPECT_FALSE(copy.FindFlag("link")->has_value);
  EXPECT_EQ(copy.FindFlag("platform"), nullptr);
  ASSERT_EQ(copy.args.size(), 2u);
  EXPECT_EQ(copy.args[0].value, "/src");
  EXPECT_EQ(DumpInstruction(copy),
            "copy [\"--chmod=4755\" \"--chown=app:app\" \"--from=build\" \"--link\"] \"/src\" "
            "\"/dst\"");
}

TEST(ParserFlags, DoubleDashEndsFlags) {
  const Dockerfile df = MustParse("FROM x\nCOPY -- --weird /dst\n", false);
  EXPECT_TRUE(df.instructions[1].flags.empty());
  EXPECT_EQ(df.instructions[1].args[0].value, "--weird");
}

TEST(ParserFlags, BadFlagsAreErrorsWhenValidating) {
  ParseError err = MustFail("FROM x\nCOPY --foo=1 a b\n");
  EXPECT_EQ(err.line, 2);
  EXPECT_EQ(err.column, 6);
  EXPECT_EQ(err.message, "Unknown flag: foo");
  err = MustFail("FROM x\nCOPY --chmod a b\n");
  EXPECT_EQ(err.message, "Missing a value on flag: chmod");
  err = MustFail("FROM x\nCOPY --link=maybe a b\n");
  EXPECT_NE(err.message.find("expecting boolean value"), std::string::npos);
  err = MustFail("FROM --platform=a --platform=b x\n");
  EXPECT_EQ(err.message, "Duplicate flag specified: platform");
  // Without validation the parse keeps them (BuildKit's parser does).
  EXPECT_EQ(MustParse("FROM x\nCOPY --foo=1 a b\n", false).instructions[1].flags.size(), 1u);
}

TEST(ParserErrors, SyntaxErrorsCarryLineAndColumn) {
  ParseError err = MustFail("FROM x\n\nENV PATH\n");
  EXPECT_EQ(err.line, 3);
  EXPECT_EQ(err.column, 5);
  EXPECT_EQ(err.message, "ENV must have two arguments");
  err = MustFail("");
  EXPECT_EQ(err.message, "file with no instructions");
  err = MustFail("# only\n# comments\n\n");
  EXPECT_EQ(err.message, "file with no instructions");
  EXPECT_EQ(err.line, 3);
  err = MustFail("FROM a b\n");
  EXPECT_EQ(err.message, "FROM requires either one or three arguments");
  err = MustFail("FROM a AS 1bad\n");
  EXPECT_NE(err.message.find("invalid name for build stage"), std::string::npos);
  err = MustFail("FROM a\nENV A=1 B\n");
  EXPECT_NE(err.message.find("can't find = in \"B\""), std::string::npos);
  EXPECT_EQ(err.column, 9);
}

TEST(ParserInstructions, UnknownInstructionKeptWithArgsDropped) {
  const Dockerfile df = MustParse("FROM x\nFORM y z\n");
  ASSERT_EQ(df.instructions.size(), 2u);
  EXPECT_EQ(df.instructions[1].keyword, "form");
  EXPECT_FALSE(df.instructions[1].known);
  EXPECT_TRUE(df.instructions[1].args.empty());
  EXPECT_EQ(DumpDockerfile(df), "(from \"x\")\n(form \"\")\n");
}

// A long unknown keyword is quoted by its first 80 bytes, never half a
// UTF-8 character: "é" is two bytes, and 80 falls inside the 41st.
TEST(ParserInstructions, LongUnknownKeywordIsCutAtACharacter) {
  std::string keyword = "x";
  for (int i = 0; i < 60; ++i) keyword += "\xC3\xA9";  // é
  const Dockerfile df = MustParse("FROM x\n" + keyword + " y\n");
  ParseError err;
  ASSERT_FALSE(CheckKnownInstructions(df, &err));
  std::string quoted = "X";
  for (int i = 0; i < 39; ++i) quoted += "\xC3\xA9";
  EXPECT_EQ(err.message, "unknown instruction: " + quoted + "…");
}

TEST(ParserInstructions, OnbuildHoldsItsTrigger) {
  const Dockerfile df = MustParse("FROM x\nONBUILD RUN --network=none echo hi\n");
  const Instruction& ob = df.instructions[1];
  ASSERT_EQ(ob.sub.size(), 1u);
  EXPECT_EQ(ob.sub[0].keyword, "run");
  EXPECT_EQ(ob.sub[0].flags[0].name, "network");
  EXPECT_EQ(ob.sub[0].args[0].value, "echo hi");
  ExpectRange(ob.sub[0].keyword_range, 2, 9, 2, 12);
  ExpectRange(ob.sub[0].args[0].range, 2, 28, 2, 35);
  EXPECT_EQ(DumpInstruction(ob), "onbuild (run [\"--network=none\"] \"echo hi\")");
  EXPECT_EQ(MustFail("FROM x\nONBUILD ONBUILD RUN x\n").line, 2);
  EXPECT_EQ(MustFail("FROM x\nONBUILD FROM y\n").message,
            "FROM isn't allowed as an ONBUILD trigger");
}

TEST(ParserInstructions, CommentsAboveAreKept) {
  const Dockerfile df = MustParse("# base image\nFROM x\n#\n# install\nRUN a\n");
  EXPECT_EQ(df.instructions[0].comments, std::vector<std::string>{"base image"});
  EXPECT_EQ(df.instructions[1].comments, std::vector<std::string>{"install"});
}

}  // namespace
}  // namespace imglint::dockerfile
