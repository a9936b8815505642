// SPDX-License-Identifier: Apache-2.0
#include "analyzer/image/passwd.h"

#include <gtest/gtest.h>

#include <string>

namespace imglint {
namespace {

const std::string kPasswd =
    "root:x:0:0:root:/root:/bin/bash\n"
    "# comment:x:5:5\n"
    "broken line without colons\n"
    "short:x:12\n"
    "neg:x:-1:0::/:/bin/sh\n"
    "big:x:4294967296:0::/:/bin/sh\n"
    "app:x:1000:1000:App,,,:/home/app:/usr/sbin/nologin\r\n"
    "+nis\n"
    "dup:x:7:7::/:\n"
    "dup:x:8:8::/:\n"
    "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin";

TEST(PasswdTest, LooksUpUsers) {
  EXPECT_EQ(LookupUid(kPasswd, "root"), 0u);
  EXPECT_EQ(LookupUid(kPasswd, "app"), 1000u);      // CRLF line
  EXPECT_EQ(LookupUid(kPasswd, "nobody"), 65534u);  // no trailing newline
  EXPECT_EQ(LookupUid(kPasswd, "dup"), 7u);         // first match wins, as in glibc
  auto app = FindPasswdEntry(kPasswd, "app");
  ASSERT_TRUE(app.has_value());
  EXPECT_EQ(app->gid, 1000u);
  EXPECT_EQ(app->home, "/home/app");
  EXPECT_EQ(app->shell, "/usr/sbin/nologin");
}

TEST(PasswdTest, MalformedLinesAreSkipped) {
  EXPECT_EQ(LookupUid(kPasswd, "short"), std::nullopt);
  EXPECT_EQ(LookupUid(kPasswd, "neg"), std::nullopt);
  EXPECT_EQ(LookupUid(kPasswd, "big"), std::nullopt);
  EXPECT_EQ(LookupUid(kPasswd, "broken line without colons"), std::nullopt);
  EXPECT_EQ(LookupUid(kPasswd, "# comment"), std::nullopt);
  EXPECT_EQ(LookupUid(kPasswd, "+nis"), std::nullopt);
  EXPECT_EQ(LookupUid(kPasswd, ""), std::nullopt);
  EXPECT_EQ(LookupUid(kPasswd, "missing"), std::nullopt);
}

TEST(PasswdTest, HostileBytesNeverCrash) {
  using namespace std::string_literals;
  std::string nul = "ro\0t:x:0:0::/:\n:::::\n::\n\n\n:"s;
  EXPECT_EQ(LookupUid(nul, "root"), std::nullopt);
  EXPECT_EQ(LookupUid(nul, ""), std::nullopt);
  EXPECT_EQ(LookupUid("", "root"), std::nullopt);
  EXPECT_EQ(LookupUid(":", "root"), std::nullopt);
  EXPECT_EQ(LookupGid("::::", "root"), std::nullopt);
}

TEST(PasswdTest, ByUid) {
  auto entry = FindPasswdEntryByUid(kPasswd, 1000);
  ASSERT_TRUE(entry.has_value());
  EXPECT_EQ(entry->name, "app");
  EXPECT_FALSE(FindPasswdEntryByUid(kPasswd, 4242).has_value());
}

TEST(GroupTest, LooksUpGroups) {
  const std::string group =
      "root:x:0:\nshadow:x:42:\nbad:x:notanumber:\nstaff:x:50:alice,bob\nshort:x\n";
  EXPECT_EQ(LookupGid(group, "root"), 0u);
  EXPECT_EQ(LookupGid(group, "shadow"), 42u);
  EXPECT_EQ(LookupGid(group, "staff"), 50u);
  EXPECT_EQ(LookupGid(group, "bad"), std::nullopt);
  EXPECT_EQ(LookupGid(group, "short"), std::nullopt);
  EXPECT_EQ(LookupGid(group, "wheel"), std::nullopt);
  ASSERT_TRUE(FindGroupEntryByGid(group, 42).has_value());
  EXPECT_EQ(FindGroupEntryByGid(group, 42)->name, "shadow");
  EXPECT_FALSE(FindGroupEntryByGid(group, 7).has_value());
}

TEST(ParseIdTest, Strict) {
  EXPECT_EQ(ParseId("0"), 0u);
  EXPECT_EQ(ParseId("4294967295"), 4294967295u);
  EXPECT_EQ(ParseId("4294967296"), std::nullopt);
  EXPECT_EQ(ParseId(" 1"), std::nullopt);
  EXPECT_EQ(ParseId("+1"), std::nullopt);
  EXPECT_EQ(ParseId(""), std::nullopt);
  EXPECT_EQ(ParseId("99999999999"), std::nullopt);
}

}  // namespace
}  // namespace imglint
