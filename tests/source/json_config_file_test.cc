// SPDX-License-Identifier: Apache-2.0
#include "analyzer/source/json_config_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "analyzer/source/base64.h"
#include "tests/source/source_test_util.h"
#include "tests/support/temp_dir.h"

namespace imglint {
namespace {

using testing::TempDir;
using testing::WriteText;

TEST(Base64Test, RoundTripsAllLengths) {
  std::string bytes;
  for (int i = 0; i < 64; ++i) {
    std::string decoded;
    ASSERT_TRUE(DecodeBase64(EncodeBase64(bytes), &decoded)) << i;
    EXPECT_EQ(decoded, bytes);
    bytes += static_cast<char>(i * 37 + 200);
  }
  EXPECT_EQ(EncodeBase64(""), "");
  EXPECT_EQ(EncodeBase64("f"), "Zg==");
  EXPECT_EQ(EncodeBase64("fo"), "Zm8=");
  EXPECT_EQ(EncodeBase64("foo"), "Zm9v");
  EXPECT_EQ(EncodeBase64("user:pa ss"), "dXNlcjpwYSBzcw==");
}

TEST(Base64Test, StrictLikeGo) {
  std::string out;
  EXPECT_TRUE(DecodeBase64("dXNlcjpwYXNz", &out));
  EXPECT_EQ(out, "user:pass");
  EXPECT_TRUE(DecodeBase64("dXNl\r\ncjpw\nYXNz", &out));  // CR/LF skipped
  EXPECT_EQ(out, "user:pass");
  EXPECT_TRUE(DecodeBase64("QR==", &out));  // non-zero padding bits, as Go accepts
  EXPECT_EQ(out, "A");
  for (const char* bad : {"Zg", "Zg=", "Zm8", "Z===", "====", "Zg==Zg==", "Zm9v!", "Zm 9v", "Zm9-",
                          "Zm9_", "=Zm9", "Zm=v"}) {
    EXPECT_FALSE(DecodeBase64(bad, &out)) << bad;
  }
}

TEST(ConfigFileTest, LoadsAndReportsMissing) {
  TempDir dir;
  nlohmann::json doc;
  std::string err;
  EXPECT_EQ(ReadConfigJson(dir.File("none.json"), "x", &doc, &err), ConfigFileStatus::kMissing);
  EXPECT_EQ(ReadConfigJson(dir.File("none/a.json"), "x", &doc, &err), ConfigFileStatus::kMissing);
  WriteText(dir.File("file"), "");
  EXPECT_EQ(ReadConfigJson(dir.File("file/a.json"), "x", &doc, &err),
            ConfigFileStatus::kMissing);  // ENOTDIR
  WriteText(dir.File("ok.json"), R"({"auths": {"a": {}}})");
  ASSERT_EQ(ReadConfigJson(dir.File("ok.json"), "x", &doc, &err), ConfigFileStatus::kLoaded);
  EXPECT_TRUE(doc["auths"].is_object());
}

TEST(ConfigFileTest, JsonErrorsGivePositionNotText) {
  TempDir dir;
  nlohmann::json doc;
  std::string err;
  WriteText(dir.File("bad.json"),
            "{\n  \"auths\": {\n    \"a\": {\"auth\": \"hunter2hunter2\" x}\n");
  ASSERT_EQ(ReadConfigJson(dir.File("bad.json"), "auth.json /p", &doc, &err),
            ConfigFileStatus::kError);
  EXPECT_EQ(err, "auth.json /p: not valid JSON at line 3, column 36");
  EXPECT_EQ(err.find("hunter2"), std::string::npos);
  WriteText(dir.File("empty.json"), "");
  ASSERT_EQ(ReadConfigJson(dir.File("empty.json"), "e", &doc, &err), ConfigFileStatus::kError);
  EXPECT_EQ(err, "e: not valid JSON at line 1, column 1");
  WriteText(dir.File("utf8.json"), "{\"a\": \"\xff\"}");
  EXPECT_EQ(ReadConfigJson(dir.File("utf8.json"), "u", &doc, &err), ConfigFileStatus::kError);
  EXPECT_EQ(TextPosition("ab\ncd", 5), "line 2, column 2");
  EXPECT_EQ(TextPosition("ab", 0), "line 1, column 1");
  EXPECT_EQ(TextPosition("ab", 99), "line 1, column 3");
}

TEST(ConfigFileTest, UntrustedFileLimits) {
  TempDir dir;
  nlohmann::json doc;
  std::string err;
  WriteText(dir.File("big.json"), "{\"a\": \"" + std::string(kMaxConfigFileBytes, 'x') + "\"}");
  ASSERT_EQ(ReadConfigJson(dir.File("big.json"), "big", &doc, &err), ConfigFileStatus::kError);
  EXPECT_EQ(err, "big: larger than 4194304 bytes");
  WriteText(dir.File("small.json"), "[1, 2, 3]");
  EXPECT_EQ(ReadConfigJson(dir.File("small.json"), "s", &doc, &err, 4), ConfigFileStatus::kError);
  WriteText(dir.File("deep.json"), std::string(100000, '[') + std::string(100000, ']'));
  ASSERT_EQ(ReadConfigJson(dir.File("deep.json"), "deep", &doc, &err), ConfigFileStatus::kError);
  EXPECT_EQ(err, "deep: JSON nested deeper than 64 levels");
  ASSERT_EQ(ReadConfigJson(dir.path(), "dir", &doc, &err), ConfigFileStatus::kError);
  EXPECT_EQ(err, "dir: not a regular file");
  ASSERT_EQ(::mkfifo(dir.File("fifo").c_str(), 0600), 0);
  ASSERT_EQ(ReadConfigJson(dir.File("fifo"), "fifo", &doc, &err), ConfigFileStatus::kError);
  EXPECT_EQ(err, "fifo: not a regular file");  // and did not block
  ASSERT_EQ(ReadConfigJson("/dev/zero", "zero", &doc, &err), ConfigFileStatus::kError);
  EXPECT_EQ(err, "zero: not a regular file");
  // A symlink to a regular file is fine (dotfile managers link configs).
  WriteText(dir.File("real.json"), "{}");
  ASSERT_EQ(::symlink(dir.File("real.json").c_str(), dir.File("link.json").c_str()), 0);
  EXPECT_EQ(ReadConfigJson(dir.File("link.json"), "l", &doc, &err), ConfigFileStatus::kLoaded);
}

TEST(ConfigFileTest, UnreadableFileIsAnError) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads files whatever their mode";
  TempDir dir;
  WriteText(dir.File("secret.json"), "{}");
  ::chmod(dir.File("secret.json").c_str(), 0);
  nlohmann::json doc;
  std::string err;
  ASSERT_EQ(ReadConfigJson(dir.File("secret.json"), "s", &doc, &err), ConfigFileStatus::kError);
  EXPECT_EQ(err, "s: cannot open: Permission denied");
}

}  // namespace
}  // namespace imglint
