// SPDX-License-Identifier: Apache-2.0
#include "analyzer/text.h"

#include <gtest/gtest.h>

#include "report/sarif_uri.h"
#include "report/source_excerpt.h"

namespace imglint {
namespace {

TEST(TextUtil, ValidUtf8ReplacesOnlyInvalidSequences) {
  EXPECT_EQ(ValidUtf8("plain"), "plain");
  EXPECT_EQ(ValidUtf8("caf\xC3\xA9"), "caf\xC3\xA9");
  EXPECT_EQ(ValidUtf8("a\xFF"
                      "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(ValidUtf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");                  // overlong '/'
  EXPECT_EQ(ValidUtf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  EXPECT_EQ(ValidUtf8("\xE2\x82"), "\xEF\xBF\xBD\xEF\xBF\xBD");                  // truncated
}

TEST(TextUtil, TerminalSafeNeutralisesEscapes) {
  EXPECT_EQ(TerminalSafe("a\x1b[2Jb\tc\n"), "a\\x1B[2Jb\tc\n");
  EXPECT_EQ(TerminalSafe("\xC2\x9B"), "\\x9B");  // C1 CSI
  EXPECT_EQ(TerminalSafe(std::string("nul\0x", 5)), "nul\\x00x");
}

TEST(TextUtil, PercentEncodePath) {
  EXPECT_EQ(PercentEncodePath("dir/Docker file"), "dir/Docker%20file");
  EXPECT_EQ(PercentEncodePath("c:x/%#?\\"), "c%3Ax/%25%23%3F%5C");
  EXPECT_EQ(PercentEncodePath("caf\xC3\xA9"), "caf%C3%A9");
  EXPECT_EQ(PercentEncodePath("a-b_c.d~e"), "a-b_c.d~e");
}

TEST(SarifUri, RelativeInsideTheRootAbsoluteOutside) {
  SarifUriMapper mapper("/repo/", "/repo/sub");
  EXPECT_EQ(mapper.RootUri(), "file:///repo/");
  ArtifactUri inside = mapper.Map("Dockerfile");
  EXPECT_EQ(inside.uri, "sub/Dockerfile");
  EXPECT_TRUE(inside.relative);
  ArtifactUri outside = mapper.Map("../../etc/x");
  EXPECT_EQ(outside.uri, "file:///etc/x");
  EXPECT_FALSE(outside.relative);
  EXPECT_EQ(mapper.Map("/repo/a b").uri, "a%20b");
  EXPECT_EQ(mapper.Map("/repository/x").uri, "file:///repository/x");  // not a prefix match
  EXPECT_EQ(SarifUriMapper("/", "/").RootUri(), "file:///");
}

TEST(SourceExcerpt, MarksTheTokenAtTheColumn) {
  Excerpt e = MakeExcerpt("RUN chmod u+s /bin/x", 5, 0);
  EXPECT_EQ(e.line, "RUN chmod u+s /bin/x");
  EXPECT_EQ(e.marker, "    ^^^^^");
  EXPECT_EQ(MakeExcerpt("EXPOSE 80 443", 8, 10).marker, "       ^^");
  EXPECT_EQ(MakeExcerpt("  USER root  ", 0, 0).marker, "  ^^^^^^^^^");
  EXPECT_EQ(MakeExcerpt("short", 40, 0).marker, "     ^");
}

TEST(SourceExcerpt, TabsControlBytesAndUtf8StayAligned) {
  Excerpt tab = MakeExcerpt("\tsetcap x", 2, 0);
  EXPECT_EQ(tab.line, "    setcap x");
  EXPECT_EQ(tab.marker, "    ^^^^^^");
  Excerpt esc = MakeExcerpt(
      "a\x1b"
      "b c",
      3, 0);  // "b" is byte 3
  EXPECT_EQ(esc.line, "a\\x1Bb c");
  EXPECT_EQ(esc.marker, "     ^");
  Excerpt utf8 = MakeExcerpt("LABEL caf\xC3\xA9=1 x", 13, 0);
  EXPECT_EQ(utf8.marker, "           ^");
}

TEST(SourceExcerpt, LongLinesAreWindowedAroundTheMarker) {
  std::string line = std::string(1000, 'a') + " TOKEN " + std::string(1000, 'b');
  Excerpt e = MakeExcerpt(line, 1002, 0);
  EXPECT_LT(e.line.size(), 200u);
  size_t caret = e.marker.find('^');
  EXPECT_EQ(e.line.substr(caret, 5), "TOKEN");
}

TEST(SourceLines, SplitsOnNewlinesAndDropsCarriageReturns) {
  SourceLines lines("one\r\ntwo\nthree\n");
  EXPECT_EQ(*lines.Line(1), "one");
  EXPECT_EQ(*lines.Line(3), "three");
  EXPECT_FALSE(lines.Line(4).has_value());
  EXPECT_FALSE(lines.Line(0).has_value());
  EXPECT_EQ(*SourceLines("no newline").Line(1), "no newline");
}

}  // namespace
}  // namespace imglint
