// SPDX-License-Identifier: Apache-2.0
// The edit model and the unified diff of `imglint fix` (analyzer/fix): exact
// hunks for the cases that matter (context, merged hunks, no final newline,
// CRLF), and random edits whose diff GNU patch must turn into exactly what
// ApplyEdits produces.
#include "analyzer/fix/unified_diff.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "analyzer/fix/text_edit.h"
#include "tests/support/cli_runner.h"
#include "tests/support/temp_dir.h"

namespace imglint {
namespace {

TextEdit Edit(size_t begin, size_t end, std::string text) {
  TextEdit e;
  e.path = "f.yaml";
  e.begin = begin;
  e.end = end;
  e.replacement = std::move(text);
  return e;
}

std::string Numbered(int lines) {
  std::string text;
  for (int i = 1; i <= lines; ++i) text += "line" + std::to_string(i) + "\n";
  return text;
}

TEST(LineIndex, OffsetsLinesAndBreaks) {
  const std::string text = "a: 1\r\nbb: 2\nc";
  LineIndex index(text);
  EXPECT_EQ(index.LineCount(), 3);
  EXPECT_EQ(index.LineStart(2), 6u);
  EXPECT_EQ(index.LineEnd(1), 4u);
  EXPECT_EQ(index.LineBreak(1), "\r\n");
  EXPECT_EQ(index.LineBreak(2), "\n");
  EXPECT_EQ(index.LineBreak(3), "");
  EXPECT_EQ(index.Offset(2, 4), 9u);
  EXPECT_FALSE(index.Offset(2, 9).has_value());
  TextEdit e = Edit(9, 10, "3");
  index.Locate(&e);
  EXPECT_EQ(e.start_line, 2);
  EXPECT_EQ(e.start_column, 4);
  EXPECT_EQ(e.end_column, 5);
}

TEST(NormalizeEdits, SortsDropsDuplicatesAndRejectsOverlaps) {
  std::vector<TextEdit> edits = {Edit(5, 6, "x"), Edit(0, 1, "y"), Edit(5, 6, "x")};
  std::string error;
  ASSERT_TRUE(NormalizeEdits(&edits, &error));
  ASSERT_EQ(edits.size(), 2u);
  EXPECT_EQ(edits[0].begin, 0u);
  std::vector<TextEdit> overlapping = {Edit(0, 4, "a"), Edit(3, 5, "b")};
  EXPECT_FALSE(NormalizeEdits(&overlapping, &error));
  std::vector<TextEdit> two_inserts = {Edit(2, 2, "a"), Edit(2, 2, "b")};
  EXPECT_FALSE(NormalizeEdits(&two_inserts, &error));
}

TEST(UnifiedDiff, InsertionWithContext) {
  const std::string text = Numbered(10);
  const std::vector<TextEdit> edits = {Edit(text.find("line5"), text.find("line5"), "new\n")};
  EXPECT_EQ(UnifiedDiff("f.yaml", text, edits),
            "--- a/f.yaml\n+++ b/f.yaml\n@@ -2,6 +2,7 @@\n line2\n line3\n line4\n+new\n line5\n"
            " line6\n line7\n");
}

TEST(UnifiedDiff, NearEditsShareAHunkFarOnesDoNot) {
  const std::string text = Numbered(30);
  const size_t l3 = text.find("line3\n");
  const size_t l9 = text.find("line9\n");
  const size_t l25 = text.find("line25\n");
  const std::vector<TextEdit> edits = {Edit(l3, l3 + 6, ""), Edit(l9, l9 + 5, "LINE9"),
                                       Edit(l25, l25, "x\ny\n")};
  EXPECT_EQ(UnifiedDiff("f.yaml", text, edits),
            "--- a/f.yaml\n+++ b/f.yaml\n"
            "@@ -1,12 +1,11 @@\n line1\n line2\n-line3\n line4\n line5\n line6\n line7\n line8\n"
            "-line9\n+LINE9\n line10\n line11\n line12\n"
            "@@ -22,6 +21,8 @@\n line22\n line23\n line24\n+x\n+y\n line25\n line26\n line27\n");
}

// Two cuts out of one line (two commands of one RUN) change that line only,
// not the line after it too.
TEST(UnifiedDiff, TwoEditsOnOneLineChangeOnlyThatLine) {
  const std::string text = "a\nRUN x && y && z && w\nb\nc\n";
  const size_t y = text.find(" && y");
  const size_t z = text.find(" && z");
  const std::vector<TextEdit> edits = {Edit(y, z, ""), Edit(z, z + 5, "")};
  EXPECT_EQ(UnifiedDiff("f", text, edits),
            "--- a/f\n+++ b/f\n@@ -1,4 +1,4 @@\n a\n-RUN x && y && z && w\n+RUN x && w\n b\n c\n");
}

TEST(UnifiedDiff, NoNewlineAtEndOfFile) {
  const std::string text = "a\nb\nc";
  const std::vector<TextEdit> edits = {Edit(4, 5, "C")};
  EXPECT_EQ(
      UnifiedDiff("f.yaml", text, edits),
      "--- a/f.yaml\n+++ b/f.yaml\n@@ -1,3 +1,3 @@\n a\n b\n-c\n\\ No newline at end of file\n"
      "+C\n\\ No newline at end of file\n");
}

TEST(UnifiedDiff, CrlfLinesKeepTheirBreaks) {
  const std::string text = "a: 1\r\nb: 2\r\n";
  const std::vector<TextEdit> edits = {Edit(6, 6, "x: 0\r\n")};
  EXPECT_EQ(UnifiedDiff("f.yaml", text, edits),
            "--- a/f.yaml\n+++ b/f.yaml\n@@ -1,2 +1,3 @@\n a: 1\r\n+x: 0\r\n b: 2\r\n");
}

TEST(UnifiedDiff, NothingToChangeIsEmpty) { EXPECT_EQ(UnifiedDiff("f.yaml", "a\n", {}), ""); }

// Random insertions, deletions and replacements, at line starts and inside
// lines: GNU patch applies each diff to exactly ApplyEdits' result.
TEST(UnifiedDiff, PatchAgreesWithApplyEditsOnRandomEdits) {
  std::mt19937 random(14);
  testing::TempDir dir;
  for (int round = 0; round < 60; ++round) {
    std::string text = Numbered(5 + static_cast<int>(random() % 40));
    if (round % 4 == 1) text.pop_back();  // no final newline
    if (round % 4 == 2) {                 // CRLF
      std::string crlf;
      for (char c : text) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
      text = crlf;
    }
    std::vector<TextEdit> edits;
    size_t at = 0;
    while (edits.size() < 6) {
      at += random() % 60;
      if (at > text.size()) break;
      size_t end = std::min(text.size(), at + random() % 12);
      if (random() % 3 == 0) end = at;
      const char* replacements[] = {"", "x", "new: line\n", "a\nb\n", "tail"};
      edits.push_back(Edit(at, end, replacements[random() % 5]));
      at = end + 1;
    }
    std::string error;
    ASSERT_TRUE(NormalizeEdits(&edits, &error)) << error;
    const std::string expected = ApplyEdits(text, edits);
    const std::string diff = UnifiedDiff("f.yaml", text, edits);
    if (expected == text) continue;
    testing::WriteFileBytes(dir.File("f.yaml"), text);
    testing::WriteFileBytes(dir.File("fix.diff"), diff);
    const testing::CliResult r =
        testing::RunCommand({"patch", "-p1", "--quiet", "--input", "fix.diff"}, {}, "", dir.path());
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err << diff << "--- text:\n"
                              << text << "--- rej:\n"
                              << testing::ReadFileBytes(dir.File("f.yaml.rej"));
    ASSERT_EQ(testing::ReadFileBytes(dir.File("f.yaml")), expected) << "round " << round << "\n"
                                                                    << diff;
  }
}

}  // namespace
}  // namespace imglint
