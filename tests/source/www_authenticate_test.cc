// SPDX-License-Identifier: Apache-2.0
#include "analyzer/source/www_authenticate.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace imglint {
namespace {

using Params = std::map<std::string, std::string>;

TEST(WwwAuthenticateTest, RegistryBearerChallenge) {
  auto c = ParseWwwAuthenticate(
      R"(Bearer realm="https://auth.docker.io/token",service="registry.docker.io",)"
      R"(scope="repository:library/nginx:pull")");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].scheme, "bearer");
  EXPECT_EQ(c[0].params, (Params{{"realm", "https://auth.docker.io/token"},
                                 {"service", "registry.docker.io"},
                                 {"scope", "repository:library/nginx:pull"}}));
  EXPECT_EQ(c[0].token68, "");
}

TEST(WwwAuthenticateTest, SeveralChallengesInOneHeader) {
  auto c = ParseWwwAuthenticate(R"(Bearer realm="a",service="b", Basic realm="c")");
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].scheme, "bearer");
  EXPECT_EQ(c[0].params, (Params{{"realm", "a"}, {"service", "b"}}));
  EXPECT_EQ(c[1].scheme, "basic");
  EXPECT_EQ(c[1].params, (Params{{"realm", "c"}}));

  c = ParseWwwAuthenticate("Negotiate, Basic realm=x, NTLM");
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0].scheme, "negotiate");
  EXPECT_TRUE(c[0].params.empty());
  EXPECT_EQ(c[1].params, (Params{{"realm", "x"}}));
  EXPECT_EQ(c[2].scheme, "ntlm");
}

TEST(WwwAuthenticateTest, CaseInsensitiveSchemeAndNames) {
  auto c = ParseWwwAuthenticate(R"(BEARER Realm="R",SERVICE=Svc)");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].scheme, "bearer");
  EXPECT_EQ(c[0].params, (Params{{"realm", "R"}, {"service", "Svc"}}));  // values keep case
}

TEST(WwwAuthenticateTest, QuotedStrings) {
  auto c = ParseWwwAuthenticate(R"(Basic realm="say \"hi\", \\ok\\", x="a,b=c", e="")");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].params, (Params{{"realm", R"(say "hi", \ok\)"}, {"x", "a,b=c"}, {"e", ""}}));
  // A backslash before any character quotes it.
  c = ParseWwwAuthenticate(R"(Basic realm="\a\b")");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].params.at("realm"), "ab");
  // Non-ASCII (obs-text) is kept as is.
  c = ParseWwwAuthenticate("Basic realm=\"r\xc3\xa9gion\"");
  EXPECT_EQ(c[0].params.at("realm"), "r\xc3\xa9gion");
}

TEST(WwwAuthenticateTest, OddSpacing) {
  auto c =
      ParseWwwAuthenticate("  ,, Bearer   realm = \"a\" ,\t,service\t=\tb ,  , Basic\trealm=c ,");
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].params, (Params{{"realm", "a"}, {"service", "b"}}));
  EXPECT_EQ(c[1].scheme, "basic");
  EXPECT_EQ(c[1].params, (Params{{"realm", "c"}}));
}

TEST(WwwAuthenticateTest, Token68) {
  auto c = ParseWwwAuthenticate("Negotiate YIIBhwYGKwYBBQUCoIIBezCCAXeg+/w==, Basic realm=\"x\"");
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].scheme, "negotiate");
  EXPECT_EQ(c[0].token68, "YIIBhwYGKwYBBQUCoIIBezCCAXeg+/w==");
  EXPECT_TRUE(c[0].params.empty());
  EXPECT_EQ(c[1].params, (Params{{"realm", "x"}}));
  c = ParseWwwAuthenticate("Custom abc");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].token68, "abc");
  // A challenge with a token68 takes no parameters.
  c = ParseWwwAuthenticate("Custom abc=, realm=x");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].token68, "abc=");
  EXPECT_TRUE(c[0].params.empty());
}

TEST(WwwAuthenticateTest, MalformedPartsAreSkipped) {
  // Unterminated quoted string: the parameter is dropped, earlier ones kept.
  auto c = ParseWwwAuthenticate(R"(Bearer realm="a",service="b)");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].params, (Params{{"realm", "a"}}));
  // Garbage element between good ones.
  c = ParseWwwAuthenticate(R"(Bearer realm="a", @@@ "x,y" junk, service="s", Basic realm="c")");
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].params, (Params{{"realm", "a"}, {"service", "s"}}));
  EXPECT_EQ(c[1].params, (Params{{"realm", "c"}}));
  // Parameters before any scheme, empty names or values.
  c = ParseWwwAuthenticate(R"(realm="a", =b, Bearer y="ok", x=, =)");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].scheme, "bearer");
  EXPECT_EQ(c[0].params, (Params{{"y", "ok"}}));
  // Control characters make a value malformed (it may become a URL).
  c = ParseWwwAuthenticate("Bearer realm=\"https://a\r\nX-Evil: 1\",service=\"s\"");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].params, (Params{{"service", "s"}}));
  c = ParseWwwAuthenticate(std::string("Bearer realm=\"a\0b\",service=s", 28));
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].params, (Params{{"service", "s"}}));
  // No space between scheme and parameters.
  c = ParseWwwAuthenticate(R"(Bearer"realm", Basic realm=x)");
  ASSERT_EQ(c.size(), 2u);
  EXPECT_TRUE(c[0].params.empty());
  EXPECT_EQ(c[1].params, (Params{{"realm", "x"}}));
  // A duplicate parameter keeps its first value.
  c = ParseWwwAuthenticate(R"(Bearer realm="first", REALM="second")");
  EXPECT_EQ(c[0].params, (Params{{"realm", "first"}}));
  // Trailing junk after a value ends that element only.
  c = ParseWwwAuthenticate(R"(Bearer realm="a" junk, service=s)");
  EXPECT_EQ(c[0].params, (Params{{"realm", "a"}, {"service", "s"}}));
}

TEST(WwwAuthenticateTest, EmptyAndBlank) {
  EXPECT_TRUE(ParseWwwAuthenticate("").empty());
  EXPECT_TRUE(ParseWwwAuthenticate("   ").empty());
  EXPECT_TRUE(ParseWwwAuthenticate(",,,").empty());
  EXPECT_TRUE(ParseWwwAuthenticate("\"").empty());
  EXPECT_TRUE(ParseWwwAuthenticate("=").empty());
  EXPECT_TRUE(ParseWwwAuthenticate("\\").empty());
}

// Garbage never crashes or hangs: random bytes, every truncation of real
// headers, and random mutations of them. Each output is bounded by the input.
TEST(WwwAuthenticateTest, RandomAndTruncatedInputs) {
  const std::vector<std::string> seeds = {
      R"(Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull")",
      R"(Bearer realm="a",service="b", Basic realm="c")",
      R"(Basic realm="say \"hi\", \\ok\\", x="a,b=c")",
      "Negotiate YIIBhwYGKwYBBQUCoIIBezCCAXeg+/w==, NTLM, Basic realm=x",
  };
  const auto check = [](const std::string& input) {
    const auto challenges = ParseWwwAuthenticate(input);
    std::size_t total = 0;
    for (const auto& c : challenges) {
      EXPECT_FALSE(c.scheme.empty());
      total += c.scheme.size() + c.token68.size();
      for (const auto& [k, v] : c.params) {
        EXPECT_FALSE(k.empty());
        total += k.size() + v.size();
      }
    }
    EXPECT_LE(total, input.size());
  };
  for (const auto& seed : seeds) {
    for (std::size_t n = 0; n <= seed.size(); ++n) {
      check(seed.substr(0, n));
      check(seed.substr(n));
    }
  }
  std::mt19937 rng(7);
  const std::string alphabet = "aZ09=,\"\\ \t/+~.;:\r\n\x00\x7f\xff";
  for (int i = 0; i < 20000; ++i) {
    std::string input;
    if (i % 2 == 0) {
      const std::size_t length = rng() % 64;
      for (std::size_t k = 0; k < length; ++k) {
        input += (i % 4 == 0) ? static_cast<char>(rng() & 0xff) : alphabet[rng() % alphabet.size()];
      }
    } else {
      input = seeds[rng() % seeds.size()];
      for (int e = 0; e < 4 && !input.empty(); ++e) {
        input[rng() % input.size()] = alphabet[rng() % alphabet.size()];
      }
    }
    check(input);
  }
  // Long pathological inputs stay linear.
  check(std::string(1 << 20, '"'));
  check(std::string(1 << 20, ','));
  check("Bearer " + std::string(1 << 20, 'a'));
  std::string params = "Bearer ";
  for (int i = 0; i < 100000; ++i) params += "p" + std::to_string(i) + "=\"\\\"v\",";
  EXPECT_EQ(ParseWwwAuthenticate(params)[0].params.size(), 100000u);
}

}  // namespace
}  // namespace imglint
