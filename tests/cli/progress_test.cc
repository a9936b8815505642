// SPDX-License-Identifier: Apache-2.0
// The progress line: its text, and silence when stderr is not a terminal.
#include "cli/progress.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

namespace imglint {
namespace {

TEST(ProgressLine, Text) {
  using Counts = ProgressLine::Counts;
  EXPECT_EQ(ProgressLine::Render({}), "");
  EXPECT_EQ(ProgressLine::Render({{"app.tar", Counts{2, 5}}}),
            "imglint: reading app.tar: layer 3/5 \xE2\x80\xA6");
  EXPECT_EQ(ProgressLine::Render({{"app.tar", Counts{5, 5}}}),
            "imglint: reading app.tar: layer 5/5 \xE2\x80\xA6");
  // A stream: the number of layers is known only after the manifest.
  EXPECT_EQ(ProgressLine::Render({{"-", Counts{1, 0}}}),
            "imglint: reading -: layer 2 \xE2\x80\xA6");
  EXPECT_EQ(ProgressLine::Render({{"a.tar", Counts{1, 3}}, {"b.tar", Counts{0, 2}}}),
            "imglint: reading 2 targets: layer 2/5 \xE2\x80\xA6");
  // Long names keep their end; control bytes never reach the terminal.
  const std::string text =
      ProgressLine::Render({{std::string(100, 'd') + "/im\x1b[2Jage.tar", Counts{0, 1}}});
  EXPECT_EQ(text, "imglint: reading ..." + std::string(23, 'd') +
                      "/im?[2Jage.tar: layer 1/1 \xE2\x80\xA6");
}

TEST(ProgressLine, SilentWhenNotATerminal) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  {
    ProgressLine progress(fds[1]);
    EXPECT_FALSE(progress.enabled());
    progress.Begin("a.tar");
    progress.Layers("a.tar", 1, 2);
    progress.End("a.tar");
  }
  ::close(fds[1]);
  char c = 0;
  EXPECT_EQ(::read(fds[0], &c, 1), 0);  // end of file: nothing was written
  ::close(fds[0]);
}

}  // namespace
}  // namespace imglint
