// SPDX-License-Identifier: Apache-2.0
// Heredocs on RUN/COPY/ADD: bodies, line numbers, `<<-`, quoted delimiters,
// several heredocs on one instruction, and unterminated heredocs.

#include "analyzer/dockerfile/heredoc.h"

#include <gtest/gtest.h>

#include "analyzer/dockerfile/parser.h"

namespace imglint::dockerfile {
namespace {

Dockerfile MustParse(std::string_view text) {
  Dockerfile df;
  ParseError err;
  EXPECT_TRUE(ParseDockerfile(text, &df, &err))
      << err.line << ":" << err.column << ": " << err.message;
  return df;
}

TEST(Heredoc, RunBodyAndLines) {
  const std::string_view text = "FROM alpine\nRUN <<EOF\necho one\necho two\nEOF\nUSER app\n";
  const Dockerfile df = MustParse(text);
  ASSERT_EQ(df.instructions.size(), 3u);
  const Instruction& run = df.instructions[1];
  ASSERT_EQ(run.heredocs.size(), 1u);
  const Heredoc& doc = run.heredocs[0];
  EXPECT_EQ(doc.name, "EOF");
  EXPECT_EQ(doc.content, "echo one\necho two\n");
  EXPECT_TRUE(doc.expand);
  EXPECT_FALSE(doc.chomp);
  EXPECT_EQ(doc.body_line, 3);
  EXPECT_EQ(doc.range.end.line, 5);
  EXPECT_EQ(run.range.end.line, 5);
  EXPECT_EQ(run.SourceText(text), "RUN <<EOF\necho one\necho two\nEOF");
  EXPECT_EQ(df.instructions[2].range.start.line, 6);
}

TEST(Heredoc, SeveralOnOneCopy) {
  const Dockerfile df =
      MustParse("FROM x\nCOPY <<one.txt <<two.txt /dest/\nfirst\none.txt\nsecond\ntwo.txt\n");
  const Instruction& copy = df.instructions[1];
  ASSERT_EQ(copy.heredocs.size(), 2u);
  EXPECT_EQ(copy.heredocs[0].name, "one.txt");
  EXPECT_EQ(copy.heredocs[0].content, "first\n");
  EXPECT_EQ(copy.heredocs[1].name, "two.txt");
  EXPECT_EQ(copy.heredocs[1].content, "second\n");
  EXPECT_EQ(copy.heredocs[1].body_line, 5);
  ASSERT_EQ(copy.args.size(), 3u);
  EXPECT_EQ(copy.args[2].value, "/dest/");
  EXPECT_EQ(copy.range.end.line, 6);
}

TEST(Heredoc, ChompStripsLeadingTabs) {
  const Dockerfile df = MustParse("FROM x\nRUN <<-EOT\n\techo hi\n\t\tnested\n\tEOT\n");
  const Heredoc& doc = df.instructions[1].heredocs.at(0);
  EXPECT_TRUE(doc.chomp);
  EXPECT_EQ(doc.content, "echo hi\nnested\n");
}

TEST(Heredoc, QuotedDelimiterDisablesExpansion) {
  EXPECT_FALSE(MustParse("FROM x\nRUN <<\"EOF\"\n$A\nEOF\n").instructions[1].heredocs.at(0).expand);
  EXPECT_FALSE(MustParse("FROM x\nRUN <<'EOF'\n$A\nEOF\n").instructions[1].heredocs.at(0).expand);
  const Dockerfile df = MustParse("FROM x\nRUN <<E\"O\"F\n$A\nEOF\n");
  const Heredoc& partial = df.instructions[1].heredocs.at(0);
  EXPECT_EQ(partial.name, "EOF");
  EXPECT_FALSE(partial.expand);
}

TEST(Heredoc, FileDescriptorAndCommandAround) {
  const Dockerfile df = MustParse("FROM x\nRUN cat 3<<EOF > /out\ndata\nEOF\n");
  const Heredoc& doc = df.instructions[1].heredocs.at(0);
  EXPECT_EQ(doc.fd, 3);
  EXPECT_EQ(doc.content, "data\n");
  EXPECT_EQ(df.instructions[1].args[0].value, "cat 3<<EOF > /out");
}

TEST(Heredoc, CrlfBody) {
  const Dockerfile df = MustParse("FROM x\r\nRUN <<EOF\r\necho a\r\nEOF\r\nUSER b\r\n");
  ASSERT_EQ(df.instructions.size(), 3u);
  EXPECT_EQ(df.instructions[1].heredocs.at(0).content, "echo a\n");
}

TEST(Heredoc, NotForJsonFormOrOtherInstructions) {
  const Dockerfile df = MustParse("FROM x\nRUN [\"cat\", \"<<EOF\"]\nENV A=<<EOF\nUSER u\n");
  ASSERT_EQ(df.instructions.size(), 4u);
  EXPECT_TRUE(df.instructions[1].heredocs.empty());
  EXPECT_TRUE(df.instructions[2].heredocs.empty());
}

TEST(Heredoc, OnbuildTrigger) {
  const Dockerfile df = MustParse("FROM x\nONBUILD RUN <<EOF\necho hi\nEOF\n");
  ASSERT_EQ(df.instructions.size(), 2u);
  EXPECT_EQ(df.instructions[1].heredocs.at(0).content, "echo hi\n");
}

TEST(Heredoc, UnterminatedIsAnError) {
  Dockerfile df;
  ParseError err;
  EXPECT_FALSE(ParseDockerfile("FROM a\nRUN <<EOF\necho\n", &df, &err));
  EXPECT_EQ(err.line, 2);
  EXPECT_EQ(err.column, 5);
  EXPECT_EQ(err.message, "unterminated heredoc EOF");
}

TEST(Heredoc, MarkersFromLine) {
  std::vector<HeredocMarker> markers;
  std::string err;
  ASSERT_TRUE(FindHeredocMarkers("RUN python3 <<-'PY' 2<<X <<<notone", &markers, &err));
  ASSERT_EQ(markers.size(), 2u);
  EXPECT_EQ(markers[0].name, "PY");
  EXPECT_TRUE(markers[0].chomp);
  EXPECT_FALSE(markers[0].expand);
  EXPECT_EQ(markers[1].name, "X");
  EXPECT_EQ(markers[1].fd, 2);
  // An unbalanced quote elsewhere on the line: BuildKit finds no heredoc.
  ASSERT_TRUE(FindHeredocMarkers("RUN echo it's <<EOF", &markers, &err));
  EXPECT_TRUE(markers.empty());
  EXPECT_TRUE(IsHeredocTerminator("\t\tEOF", {"EOF", 0, true, true}));
  EXPECT_FALSE(IsHeredocTerminator("\tEOF", {"EOF", 0, true, false}));
}

}  // namespace
}  // namespace imglint::dockerfile
