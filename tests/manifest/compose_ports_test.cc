// SPDX-License-Identifier: Apache-2.0
#include "analyzer/manifest/compose_ports.h"

#include <gtest/gtest.h>

#include <ostream>

namespace imglint {
namespace {

struct ShortCase {
  const char* text;
  const char* host_ip;
  const char* published;
  int published_start;
  int published_end;
  int start;
  int end;
  PortProtocol protocol;
};

void PrintTo(const ShortCase& c, std::ostream* os) { *os << '"' << c.text << '"'; }

class ComposeShortPortTest : public ::testing::TestWithParam<ShortCase> {};

TEST_P(ComposeShortPortTest, Parses) {
  const ShortCase& c = GetParam();
  const ComposePort p = ParseComposeShortPort(c.text);
  ASSERT_TRUE(p.valid) << c.text << ": " << p.reason;
  EXPECT_TRUE(p.target.valid);
  EXPECT_EQ(p.raw, c.text);
  EXPECT_EQ(p.host_ip, c.host_ip);
  EXPECT_EQ(p.published, c.published);
  EXPECT_EQ(p.published_start, c.published_start);
  EXPECT_EQ(p.published_end, c.published_end);
  EXPECT_EQ(p.target.start, c.start);
  EXPECT_EQ(p.target.end, c.end);
  EXPECT_EQ(p.target.protocol, c.protocol);
  EXPECT_FALSE(p.long_form);
}

constexpr PortProtocol kTcp = PortProtocol::kTcp;
INSTANTIATE_TEST_SUITE_P(
    Forms, ComposeShortPortTest,
    ::testing::Values(
        ShortCase{"80", "", "", 0, 0, 80, 80, kTcp},
        ShortCase{"3000-3005", "", "", 0, 0, 3000, 3005, kTcp},
        ShortCase{"8080:80", "", "8080", 8080, 8080, 80, 80, kTcp},
        ShortCase{"8000-8010:80-90", "", "8000-8010", 8000, 8010, 80, 90, kTcp},
        ShortCase{"9090-9091:8080", "", "9090-9091", 9090, 9091, 8080, 8080, kTcp},
        ShortCase{"127.0.0.1:8001:8001", "127.0.0.1", "8001", 8001, 8001, 8001, 8001, kTcp},
        ShortCase{"127.0.0.1::5000", "127.0.0.1", "", 0, 0, 5000, 5000, kTcp},
        ShortCase{"6060:6060/udp", "", "6060", 6060, 6060, 6060, 6060, PortProtocol::kUdp},
        ShortCase{"3478:3478/sctp", "", "3478", 3478, 3478, 3478, 3478, PortProtocol::kSctp},
        ShortCase{"[::1]:6001:6001", "::1", "6001", 6001, 6001, 6001, 6001, kTcp},
        ShortCase{"::1:6001:6001", "::1", "6001", 6001, 6001, 6001, 6001, kTcp},
        ShortCase{"[fe80::1]::53/udp", "fe80::1", "", 0, 0, 53, 53, PortProtocol::kUdp},
        ShortCase{"${WEB_PORT:-8080}:80", "", "8080", 8080, 8080, 80, 80, kTcp},
        ShortCase{"${BIND-127.0.0.1}:443:443", "127.0.0.1", "443", 443, 443, 443, 443, kTcp}));

TEST(ComposePortsTest, InvalidShortFormsKeepRawAndReason) {
  struct Case {
    const char* text;
    const char* reason;
  };
  const Case cases[] = {
      {"70000:80", "host port: port 70000 is outside 1-65535"},
      {"8080:0", "port 0 is outside 1-65535"},
      {"80/foo", "protocol \"foo\" is not tcp, udp or sctp"},
      {"90-80", "malformed range 90-80"},
      {"8000-8002:80-90", "host range 8000-8002 and container range 80-90 differ in size"},
      {"300.1.1.1:80:80", "invalid host IP \"300.1.1.1\""},
      {"8080:", "missing container port"},
      {"8080:${TARGET}", "container port \"${TARGET}\" contains an unexpanded variable"},
      {"a:b:c:80", "invalid host IP \"a:b\""},
  };
  for (const Case& c : cases) {
    const ComposePort p = ParseComposeShortPort(c.text);
    EXPECT_FALSE(p.valid) << c.text;
    EXPECT_EQ(p.reason, c.reason) << c.text;
    EXPECT_EQ(p.raw, c.text);
  }
}

TEST(ComposePortsTest, UnresolvedHostVariableStaysValid) {
  const ComposePort p = ParseComposeShortPort("${PROJECT_PORT}:80");
  EXPECT_TRUE(p.valid) << p.reason;
  EXPECT_TRUE(p.uses_variables);
  EXPECT_TRUE(p.published_unresolved);
  EXPECT_EQ(p.published, "${PROJECT_PORT}");
  EXPECT_EQ(p.target.start, 80);
}

TEST(ComposePortsTest, InterpolationDefaults) {
  bool used = false;
  bool unresolved = false;
  EXPECT_EQ(ExpandComposeDefaults("${A:-${B:-80}}", &used, &unresolved), "80");
  EXPECT_TRUE(used);
  EXPECT_FALSE(unresolved);
  EXPECT_EQ(ExpandComposeDefaults("$$HOME", &used, &unresolved), "$HOME");
  EXPECT_FALSE(used);
  EXPECT_EQ(ExpandComposeDefaults("$PORT:${X:?required}", &used, &unresolved), "${PORT}:${X}");
  EXPECT_TRUE(unresolved);
  EXPECT_EQ(ExpandComposeDefaults("${OPEN", &used, &unresolved), "${OPEN");
  EXPECT_TRUE(unresolved);
  EXPECT_EQ(ExpandComposeDefaults("8080", &used, &unresolved), "8080");
  EXPECT_FALSE(used);
}

TEST(ComposePortsTest, LongForm) {
  ComposePort p = MakeComposeLongPort("80", "8000-8010", "127.0.0.1", "udp", "host");
  ASSERT_TRUE(p.valid) << p.reason;
  EXPECT_TRUE(p.long_form);
  EXPECT_EQ(p.raw, "127.0.0.1:8000-8010:80/udp");
  EXPECT_EQ(p.target.start, 80);
  EXPECT_EQ(p.target.protocol, PortProtocol::kUdp);
  EXPECT_EQ(p.published_start, 8000);
  EXPECT_EQ(p.published_end, 8010);
  EXPECT_EQ(p.mode, "host");

  p = MakeComposeLongPort("80-81", "", "", "", "");
  EXPECT_FALSE(p.valid);
  EXPECT_EQ(p.reason, "target \"80-81\" must be a single port");
  p = MakeComposeLongPort("443", "", "", "quic", "");
  EXPECT_FALSE(p.valid);
  EXPECT_EQ(p.reason, "protocol \"quic\" is not tcp, udp or sctp");
}

TEST(ComposePortsTest, Expose) {
  PortSpec spec = ParseComposeExpose("3000-3005");
  ASSERT_TRUE(spec.valid);
  EXPECT_EQ(spec.start, 3000);
  EXPECT_EQ(spec.end, 3005);
  spec = ParseComposeExpose("53/udp");
  ASSERT_TRUE(spec.valid);
  EXPECT_EQ(spec.protocol, PortProtocol::kUdp);
  spec = ParseComposeExpose("${METRICS:-9100}");
  ASSERT_TRUE(spec.valid);
  EXPECT_EQ(spec.start, 9100);
  EXPECT_EQ(spec.raw, "${METRICS:-9100}");
  spec = ParseComposeExpose("100000");
  EXPECT_FALSE(spec.valid);
  EXPECT_EQ(spec.reason, "port 100000 is outside 1-65535");
}

TEST(ComposePortsTest, IpAddresses) {
  EXPECT_TRUE(IsIpAddress("0.0.0.0"));
  EXPECT_TRUE(IsIpAddress("::"));
  EXPECT_TRUE(IsIpAddress("2001:db8::1"));
  EXPECT_FALSE(IsIpAddress("localhost"));
  EXPECT_FALSE(IsIpAddress("[::1]"));
  EXPECT_FALSE(IsIpAddress(std::string(100, '1')));
}

}  // namespace
}  // namespace imglint
