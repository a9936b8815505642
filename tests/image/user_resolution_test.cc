// SPDX-License-Identifier: Apache-2.0
#include "analyzer/workspace/user_resolution.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace imglint {
namespace {

const std::optional<std::string> kPasswd =
    "root:x:0:0:root:/root:/bin/sh\ntoor:x:0:0::/root:/bin/sh\napp:x:1000:1000::/:/bin/sh\n";
const std::optional<std::string> kNoGroup;

// Only a name other than root that the image's /etc/passwd maps to uid 0 is
// root "by /etc/passwd"; root, 0 and an empty user are root by spelling.
TEST(UserResolution, RootByPasswdOnlyForAnAlias) {
  const ResolvedUser toor = ResolveUser("toor", kPasswd, kNoGroup, true);
  EXPECT_TRUE(toor.is_root);
  EXPECT_TRUE(toor.root_by_passwd);
  EXPECT_EQ(toor.reason, "\"toor\" has uid 0 in /etc/passwd");
  for (const char* spec : {"root", "0", "0:0", "", ":0"}) {
    const ResolvedUser user = ResolveUser(spec, kPasswd, kNoGroup, true);
    EXPECT_TRUE(user.is_root) << spec;
    EXPECT_FALSE(user.root_by_passwd) << spec;
  }
  const ResolvedUser app = ResolveUser("app", kPasswd, kNoGroup, true);
  EXPECT_FALSE(app.is_root);
  EXPECT_FALSE(app.root_by_passwd);
  EXPECT_FALSE(ResolveUser("toor", std::nullopt, kNoGroup, false).root_by_passwd);
}

}  // namespace
}  // namespace imglint
