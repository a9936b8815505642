// SPDX-License-Identifier: Apache-2.0
#include "analyzer/port_spec.h"

#include <gtest/gtest.h>

namespace imglint {
namespace {

TEST(PortSpecTest, SinglePortDefaultsToTcp) {
  const PortSpec spec = ParsePortSpec("80");
  ASSERT_TRUE(spec.valid) << spec.reason;
  EXPECT_EQ(spec.start, 80);
  EXPECT_EQ(spec.end, 80);
  EXPECT_EQ(spec.protocol, PortProtocol::kTcp);
  EXPECT_FALSE(spec.protocol_explicit);
  EXPECT_FALSE(spec.IsRange());
  EXPECT_EQ(spec.raw, "80");
  EXPECT_EQ(FormatPortSpec(spec), "80/tcp");
}

TEST(PortSpecTest, ProtocolsAndRanges) {
  PortSpec spec = ParsePortSpec("1000-1100/udp");
  ASSERT_TRUE(spec.valid) << spec.reason;
  EXPECT_EQ(spec.start, 1000);
  EXPECT_EQ(spec.end, 1100);
  EXPECT_EQ(spec.protocol, PortProtocol::kUdp);
  EXPECT_TRUE(spec.IsRange());
  EXPECT_TRUE(spec.Contains(1050));
  EXPECT_FALSE(spec.Contains(999));
  EXPECT_EQ(FormatPortSpec(spec), "1000-1100/udp");

  spec = ParsePortSpec("80/sctp");
  ASSERT_TRUE(spec.valid);
  EXPECT_EQ(spec.protocol, PortProtocol::kSctp);
  EXPECT_TRUE(spec.protocol_explicit);

  spec = ParsePortSpec("443/TCP");  // Docker lower-cases the protocol
  ASSERT_TRUE(spec.valid);
  EXPECT_EQ(spec.protocol, PortProtocol::kTcp);
}

TEST(PortSpecTest, InvalidSpecsKeepRawTextAndReason) {
  struct Case {
    const char* text;
    const char* reason;
  };
  const Case cases[] = {
      {"70000", "port 70000 is outside 1-65535"},
      {"0", "port 0 is outside 1-65535"},
      {"80/foo", "protocol \"foo\" is not tcp, udp or sctp"},
      {"90-80", "malformed range 90-80"},
      {"http", "\"http\" is not a port number"},
      {"", "empty port number"},
      {"80-", "empty port number"},
      {"99999999999999999999999", "port 99999999999999999999999 is outside 1-65535"},
      {"$PORT", "port \"$PORT\" contains an unexpanded variable"},
      {"-5", "empty port number"},
  };
  for (const Case& c : cases) {
    const PortSpec spec = ParsePortSpec(c.text);
    EXPECT_FALSE(spec.valid) << c.text;
    EXPECT_EQ(spec.reason, c.reason) << c.text;
    EXPECT_EQ(spec.raw, c.text);
    EXPECT_EQ(FormatPortSpec(spec), c.text);
    EXPECT_FALSE(spec.Contains(80));
  }
}

TEST(PortSpecTest, PiecesAreUsableAlone) {
  int port = 0;
  std::string reason;
  EXPECT_TRUE(ParsePortNumber("65535", &port, &reason));
  EXPECT_EQ(port, 65535);
  EXPECT_FALSE(ParsePortNumber("65536", &port, &reason));
  EXPECT_EQ(reason, "port 65536 is outside 1-65535");
  int lo = 0;
  int hi = 0;
  EXPECT_TRUE(ParsePortRange("1-1", &lo, &hi, &reason));
  EXPECT_EQ(lo, 1);
  EXPECT_EQ(hi, 1);
  PortProtocol protocol = PortProtocol::kTcp;
  EXPECT_TRUE(ParsePortProtocol("Udp", &protocol, &reason));
  EXPECT_EQ(protocol, PortProtocol::kUdp);
  EXPECT_EQ(PortProtocolName(PortProtocol::kSctp), "sctp");
}

}  // namespace
}  // namespace imglint
