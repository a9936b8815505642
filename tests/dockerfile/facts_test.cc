// SPDX-License-Identifier: Apache-2.0
// The pieces of the Dockerfile facts: chmod/install mode parsing, setcap
// texts, and how image history entries are read back into build steps.
#include <gtest/gtest.h>

#include "analyzer/capabilities.h"
#include "analyzer/dockerfile/file_modes.h"
#include "analyzer/dockerfile/setcap.h"
#include "analyzer/workspace/build_link.h"

namespace imglint {
namespace {

using dockerfile::SetcapGrants;

std::optional<std::uint32_t> Bits(std::string_view mode) {
  return dockerfile::SpecialBitsSetByMode(mode);
}

TEST(SpecialBitsSetByMode, Octal) {
  EXPECT_EQ(Bits("4755"), 04000u);
  EXPECT_EQ(Bits("04755"), 04000u);  // 5 digits
  EXPECT_EQ(Bits("2755"), 02000u);
  EXPECT_EQ(Bits("6755"), 06000u);
  EXPECT_EQ(Bits("4711"), 04000u);
  EXPECT_EQ(Bits("00755"), 0u);
  EXPECT_EQ(Bits("0755"), 0u);
  EXPECT_EQ(Bits("755"), 0u);
  EXPECT_EQ(Bits("1777"), 0u);  // sticky is not setuid/setgid
  EXPECT_EQ(Bits("7"), 0u);
  EXPECT_EQ(Bits("8755"), std::nullopt);
  EXPECT_EQ(Bits("47555"), std::nullopt);  // > 07777: chmod rejects it
}

TEST(SpecialBitsSetByMode, Symbolic) {
  EXPECT_EQ(Bits("u+s"), 04000u);
  EXPECT_EQ(Bits("g+s"), 02000u);
  EXPECT_EQ(Bits("a+s"), 06000u);
  EXPECT_EQ(Bits("+s"), 06000u);
  EXPECT_EQ(Bits("ug+s"), 06000u);
  EXPECT_EQ(Bits("u=rwxs"), 04000u);
  EXPECT_EQ(Bits("u=rwxs,go=rx"), 04000u);
  EXPECT_EQ(Bits("u+x,g+s"), 02000u);
  EXPECT_EQ(Bits("go-w,u+s"), 04000u);
  EXPECT_EQ(Bits("u+xs"), 04000u);
  EXPECT_EQ(Bits("=4755"), 04000u);
  EXPECT_EQ(Bits("u+s,g+s"), 06000u);
}

TEST(SpecialBitsSetByMode, RemovalsAndNearMisses) {
  EXPECT_EQ(Bits("a-s"), 0u);
  EXPECT_EQ(Bits("u-s"), 0u);
  EXPECT_EQ(Bits("-s"), 0u);
  EXPECT_EQ(Bits("o+s"), 0u);       // no effect
  EXPECT_EQ(Bits("u+s,u-s"), 0u);   // removed again
  EXPECT_EQ(Bits("u+s,a=rx"), 0u);  // `=` without s clears it
  EXPECT_EQ(Bits("g=u"), 0u);       // copies rwx only
  EXPECT_EQ(Bits("+t"), 0u);
  EXPECT_EQ(Bits("u+x"), 0u);
  EXPECT_EQ(Bits("u+q"), std::nullopt);
  EXPECT_EQ(Bits("u+s,"), std::nullopt);
  EXPECT_EQ(Bits("us"), std::nullopt);
  EXPECT_EQ(Bits(""), std::nullopt);
  EXPECT_EQ(Bits("$MODE"), std::nullopt);
}

TEST(Setcap, GrantsAndRootEquivalence) {
  EXPECT_TRUE(SetcapGrants("cap_net_bind_service=+ep"));
  EXPECT_TRUE(SetcapGrants("cap_net_raw+ep"));
  EXPECT_TRUE(SetcapGrants("CAP_NET_RAW=EP"));
  EXPECT_TRUE(SetcapGrants("=ep"));
  EXPECT_FALSE(SetcapGrants("cap_net_raw-ep"));
  EXPECT_FALSE(SetcapGrants("cap_net_raw="));
  EXPECT_FALSE(SetcapGrants("-r"));

  EXPECT_TRUE(IsRootEquivalent("cap_sys_admin+ep"));
  EXPECT_TRUE(IsRootEquivalent("CAP_SYS_ADMIN+ep"));
  EXPECT_TRUE(IsRootEquivalent("cap_net_raw,cap_setuid=ep"));
  EXPECT_TRUE(IsRootEquivalent("=ep"));
  EXPECT_TRUE(IsRootEquivalent("all=ep"));
  EXPECT_FALSE(IsRootEquivalent("cap_net_bind_service=+ep"));
  EXPECT_FALSE(IsRootEquivalent("cap_net_raw+ep"));
}

TEST(ParseCreatedBy, BuildKit) {
  HistoryStep run = ParseCreatedBy("RUN /bin/sh -c chmod u+s /x # buildkit");
  EXPECT_EQ(run.keyword, "run");
  EXPECT_EQ(run.body, "/bin/sh -c chmod u+s /x");
  HistoryStep args = ParseCreatedBy("RUN |2 A=1 B=2 /bin/sh -c make install # buildkit");
  EXPECT_EQ(args.keyword, "run");
  EXPECT_EQ(ParseCreatedBy("USER app").keyword, "user");
  EXPECT_EQ(ParseCreatedBy("USER app").body, "app");
  EXPECT_EQ(ParseCreatedBy("EXPOSE map[80/tcp:{}]").keyword, "expose");
  HistoryStep copy = ParseCreatedBy("COPY --chmod=4755 tool /usr/local/bin/tool # buildkit");
  EXPECT_EQ(copy.keyword, "copy");
  EXPECT_EQ(copy.body, "--chmod=4755 tool /usr/local/bin/tool");
}

TEST(ParseCreatedBy, ClassicBuilder) {
  HistoryStep user = ParseCreatedBy("/bin/sh -c #(nop)  USER app");
  EXPECT_EQ(user.keyword, "user");
  EXPECT_EQ(user.body, "app");
  HistoryStep run = ParseCreatedBy("/bin/sh -c chmod u+s /x");
  EXPECT_EQ(run.keyword, "run");
  EXPECT_EQ(ParseCreatedBy("|1 A=1 /bin/sh -c make").keyword, "run");
  EXPECT_EQ(ParseCreatedBy("/bin/sh -c #(nop) ADD file:abc in / ").keyword, "add");
  EXPECT_EQ(ParseCreatedBy("something else").keyword, "");
  EXPECT_EQ(ParseCreatedBy("").keyword, "");
}

}  // namespace
}  // namespace imglint
