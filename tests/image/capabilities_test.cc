// SPDX-License-Identifier: Apache-2.0
// The expected strings were produced by `getcap -n` (libcap 2.66, Debian 12)
// on files whose raw security.capability value was set to exactly the bytes
// below with setxattr(2) (kernel 6.x). The kernel refuses to store revision 1
// values, so the v1 rows use the getcap output of the equivalent revision 2
// value (libcap loads only the first 32-bit word of a v1 value, and the
// kernel rewrites a v3 value with rootid 0 as v2, which prints the same).
#include "analyzer/capabilities.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/support/image_builder.h"

namespace imglint {
namespace {

std::string FromHex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

struct GetcapCase {
  const char* name;
  const char* raw_hex;
  const char* getcap;
};

constexpr GetcapCase kGetcapCases[] = {
    {"v2_net_bind_service_ep", "0100000200040000000000000000000000000000",
     "cap_net_bind_service=ep"},
    {"v2_two_caps_eip", "0100000200300000003000000000000000000000",
     "cap_net_admin,cap_net_raw=eip"},
    {"v2_permitted_only", "0000000200002000000000000000000000000000", "cap_sys_admin=p"},
    {"v2_two_groups", "0100000201200000010000000000000000000000", "cap_chown=eip cap_net_raw+ep"},
    {"v2_inheritable_group_first", "0000000200200000000020000000000000000000",
     "cap_sys_admin=i cap_net_raw+p"},
    {"v2_inheritable_only", "0000000200000000800000000000000000000000", "cap_setuid=i"},
    {"v3_rootid_1000", "0100000300040000000000000000000000000000e8030000",
     "cap_net_bind_service=ep [rootid=1000]"},
    {"v3_rootid_0", "010000030004000000000000000000000000000000000000", "cap_net_bind_service=ep"},
    {"v2_last_named_and_unknown_bits", "0100000200000000000000000023000000000000",
     "cap_checkpoint_restore=ep 41,45+ep"},
    {"v2_only_unknown_bits", "0000000200000000000000000000008000000400", "= 50+i 63+p"},
    {"v2_all_caps", "01000002ffffffff00000000ff01000000000000", "=ep"},
    {"v2_all_but_one", "01000002ffdfffff00000000ff01000000000000", "=ep cap_net_raw-ep"},
    {"v2_all_permitted_plus_inheritable", "00000002ffffffff00002000ff01000000000000",
     "=p cap_sys_admin+i"},
    {"v2_empty", "0000000200000000000000000000000000000000", "="},
    // v1: same words as the v2 rows above, 12 bytes long.
    {"v1_net_raw_ep", "010000010020000000000000", "cap_net_raw=ep"},
    {"v1_permitted_only", "000000010000200000000000", "cap_sys_admin=p"},
};

class GetcapTextTest : public ::testing::TestWithParam<GetcapCase> {};

TEST_P(GetcapTextTest, MatchesGetcap) {
  const GetcapCase& c = GetParam();
  std::string text;
  std::string err;
  ASSERT_TRUE(DecodeCapabilityXattr(FromHex(c.raw_hex), &text, &err)) << err;
  EXPECT_EQ(text, c.getcap);
}

INSTANTIATE_TEST_SUITE_P(Getcap, GetcapTextTest, ::testing::ValuesIn(kGetcapCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(CapabilitiesTest, BuilderBytesDecode) {
  std::string text;
  std::string err;
  ASSERT_TRUE(DecodeCapabilityXattr(testing::CapV2({"cap_net_bind_service"}, true), &text, &err));
  EXPECT_EQ(text, "cap_net_bind_service=ep");
  ASSERT_TRUE(DecodeCapabilityXattr(testing::CapV1({"cap_net_raw"}, true), &text, &err));
  EXPECT_EQ(text, "cap_net_raw=ep");
  ASSERT_TRUE(DecodeCapabilityXattr(testing::CapV3({"cap_net_raw"}, false, 100000), &text, &err));
  EXPECT_EQ(text, "cap_net_raw=p [rootid=100000]");
}

TEST(CapabilitiesTest, ParsesFields) {
  FileCapabilities caps;
  std::string err;
  ASSERT_TRUE(ParseFileCapabilities(
      testing::CapXattr(3, (1ull << 10) | (1ull << 40), 1ull << 5, true, 7), &caps, &err));
  EXPECT_EQ(caps.revision, 3);
  EXPECT_TRUE(caps.effective);
  EXPECT_EQ(caps.permitted, (1ull << 10) | (1ull << 40));
  EXPECT_EQ(caps.inheritable, 1ull << 5);
  EXPECT_EQ(caps.rootid, 7u);
  EXPECT_EQ(CapabilityNumbers(caps), (std::vector<int>{5, 10, 40}));
}

TEST(CapabilitiesTest, V1IgnoresHighWord) {
  FileCapabilities caps;
  std::string err;
  // A v1 value only has one word; the builder drops bit 40 for revision 1.
  ASSERT_TRUE(ParseFileCapabilities(testing::CapXattr(1, (1ull << 40) | 1, 0, false), &caps, &err));
  EXPECT_EQ(caps.permitted, 1u);
}

TEST(CapabilitiesTest, RejectsWrongSizes) {
  std::string text;
  std::string err;
  EXPECT_FALSE(DecodeCapabilityXattr("", &text, &err));
  EXPECT_EQ(err, "security.capability is 0 bytes, too short");
  EXPECT_FALSE(DecodeCapabilityXattr(FromHex("01000002000400000000000000000000"), &text, &err));
  EXPECT_EQ(err, "security.capability revision 2 is 16 bytes, expected 20");
  // A v3 header on a v2-sized value, as libcap rejects it.
  EXPECT_FALSE(
      DecodeCapabilityXattr(FromHex("0100000300040000000000000000000000000000"), &text, &err));
  EXPECT_EQ(err, "security.capability revision 3 is 20 bytes, expected 24");
  EXPECT_FALSE(
      DecodeCapabilityXattr(FromHex("0100000400040000000000000000000000000000"), &text, &err));
  EXPECT_EQ(err, "security.capability has unknown revision 0x04000000");
}

TEST(CapabilitiesTest, NamesAndNumbers) {
  EXPECT_EQ(CapabilityName(10), "cap_net_bind_service");
  EXPECT_EQ(CapabilityName(40), "cap_checkpoint_restore");
  EXPECT_EQ(CapabilityName(41), "41");
  EXPECT_EQ(CapabilityNumber("cap_sys_admin"), 21);
  EXPECT_EQ(CapabilityNumber("NET_BIND_SERVICE"), 10);
  EXPECT_EQ(CapabilityNumber("CAP_NET_RAW"), 13);
  EXPECT_EQ(CapabilityNumber("cap_bogus"), std::nullopt);
}

TEST(CapabilitiesTest, AddedBindCapability) {
  EXPECT_EQ(AddedBindCapability("NET_BIND_SERVICE"), "NET_BIND_SERVICE");
  EXPECT_EQ(AddedBindCapability("cap_net_bind_service"), "NET_BIND_SERVICE");
  EXPECT_EQ(AddedBindCapability("all"), "ALL");
  EXPECT_EQ(AddedBindCapability("NET_RAW"), "");
  EXPECT_EQ(AddedBindCapability("NET_BIND_SERVICES"), "");
}

}  // namespace
}  // namespace imglint
