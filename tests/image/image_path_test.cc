// SPDX-License-Identifier: Apache-2.0
#include "analyzer/image/image_path.h"

#include <gtest/gtest.h>

#include "analyzer/image/digest.h"

namespace imglint {
namespace {

TEST(NormalizeImagePathTest, NeverEscapesRoot) {
  EXPECT_EQ(NormalizeImagePath("./usr/bin/passwd"), "/usr/bin/passwd");
  EXPECT_EQ(NormalizeImagePath("usr//bin/./passwd"), "/usr/bin/passwd");
  EXPECT_EQ(NormalizeImagePath("/usr/bin/"), "/usr/bin");
  EXPECT_EQ(NormalizeImagePath("../../etc/shadow"), "/etc/shadow");
  EXPECT_EQ(NormalizeImagePath("usr/../../../etc/x/../passwd"), "/etc/passwd");
  EXPECT_EQ(NormalizeImagePath("./"), "/");
  EXPECT_EQ(NormalizeImagePath(""), "/");
  EXPECT_EQ(NormalizeImagePath(".."), "/");
}

TEST(NormalizeMemberNameTest, RejectsEscapes) {
  std::string out;
  EXPECT_TRUE(NormalizeMemberName("./blobs//sha256/ab", &out));
  EXPECT_EQ(out, "blobs/sha256/ab");
  EXPECT_TRUE(NormalizeMemberName("abc/../blobs/x", &out));
  EXPECT_EQ(out, "blobs/x");
  EXPECT_FALSE(NormalizeMemberName("../x", &out));
  EXPECT_FALSE(NormalizeMemberName("a/../../x", &out));
  EXPECT_FALSE(NormalizeMemberName("/etc/passwd", &out));
  EXPECT_FALSE(NormalizeMemberName("", &out));
  EXPECT_FALSE(NormalizeMemberName(".", &out));
}

TEST(PathPartsTest, BaseAndDir) {
  EXPECT_EQ(BaseName("/usr/bin/passwd"), "passwd");
  EXPECT_EQ(DirName("/usr/bin/passwd"), "/usr/bin");
  EXPECT_EQ(DirName("/passwd"), "/");
  EXPECT_EQ(DirName("a/b"), "a");
  EXPECT_EQ(DirName("a"), "");
}

TEST(DigestTest, ValidatesAndHashes) {
  EXPECT_EQ(Sha256Digest("abc"),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_TRUE(IsSha256Digest(Sha256Digest("")));
  EXPECT_FALSE(IsSha256Digest("sha256:../../etc/passwd"));
  EXPECT_FALSE(
      IsSha256Digest("sha256:BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"));
  EXPECT_FALSE(
      IsSha256Digest("sha512:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
  EXPECT_FALSE(IsSha256Digest("sha256:ba78"));
  EXPECT_EQ(DigestHex("sha256:x"), "");
}

}  // namespace
}  // namespace imglint
