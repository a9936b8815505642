// SPDX-License-Identifier: Apache-2.0
// Issue 12's "proxies from the environment", end to end through the real
// CLI: the fixture's forward proxy (tests/infra/forward_proxy.py) is the only
// thing that can resolve the made-up domain registry.test, so a lint of
// docker://NAME.registry.test:PORT/… succeeds only through it, and its log
// says which requests went through it. Each test uses a name of its own
// under registry.test, so the log lines of tests running side by side never
// mix.
//
// The CLI contract these tests assume (libcurl's reading of the variables):
// - http_proxy for http:// registries, https_proxy or HTTPS_PROXY for
//   https:// ones (CONNECT tunnel; TLS is verified end to end, through the
//   tunnel, against the registry's name). Upper-case HTTP_PROXY is ignored,
//   as curl does (httpoxy), and documented so.
// - no_proxy=registry.test (a domain and the names under it) bypasses the
//   proxy; the name then does not resolve: exit 2, the error names the host
//   and says it cannot be resolved / connected to.
// - Loopback registries (127.0.0.0/8, localhost), and a token realm on
//   loopback, are never proxied, whatever the variables say.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/registry/registry_test_util.h"

namespace imglint::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

// "127.0.0.1:5000" -> "5000".
std::string PortOf(const std::string& host) { return host.substr(host.rfind(':') + 1); }

class RegistryProxyTest : public ::testing::Test {
 protected:
  // LintableImage pushed to `registry` as proxy-XXXX:1; returns the repository.
  std::string Push(const Registry& registry) {
    std::string repo = UniqueName("proxy");
    tarball_ = dir_.File("image.tar");
    WriteOciTar(LintableImage(repo), tarball_);
    PushImage("oci-archive:" + tarball_, registry, repo + ":1");
    return repo;
  }

  // A name under the proxy's domain, for this test only, with `registry`'s port.
  std::string ProxiedHost(const Registry& registry) const {
    return UniqueName("r") + "." + proxy_.domain + ":" + PortOf(registry.host);
  }

  // What the proxy logged for `host` ("name:port").
  std::vector<json> ProxyRequests(const std::string& host) const {
    return LogEntries(proxy_.request_log, "host", host);
  }

  // The proxy's entries for a loopback host (127.x, localhost) from line
  // `from` on. No other test sends loopback through the proxy.
  std::vector<json> LoopbackProxyRequests(std::size_t from) const {
    std::vector<json> out;
    std::vector<std::string> lines = ReadLogLines(proxy_.request_log);
    for (std::size_t i = from; i < lines.size(); ++i) {
      json e = ParseLogLine(lines[i]);
      if (!e.is_object() || !e["host"].is_string()) continue;
      std::string host = e["host"];
      if (host.starts_with("127.") || host.starts_with("localhost:")) out.push_back(e);
    }
    return out;
  }

  void ExpectSameFindingsAsTarball(const LintRun& run, const std::string& ref) {
    ASSERT_TRUE(Linted(run, ref));
    LintRun file = LintJson(dir_, {tarball_});
    EXPECT_EQ(ComparableFindings(run.report, ref), ComparableFindings(file.report, tarball_));
    ExpectLintableImageRules(run.report, ref);
  }

  TempDir dir_;
  std::string tarball_;
  const ForwardProxy& proxy_ = GetForwardProxy();
};

// A plain-HTTP registry named with --insecure-registry: the client first
// tries TLS (CONNECT through https_proxy, which the plain registry answers
// with plain HTTP), then plain HTTP through http_proxy, absolute-form.
TEST_F(RegistryProxyTest, PlainRegistryThroughHttpProxy) {
  const Registry& plain = GetRegistry("plain");
  std::string repo = Push(plain);
  std::string host = ProxiedHost(plain);
  std::string ref = "docker://" + host + "/" + repo + ":1";
  LintRun run = LintJson(dir_, {"--insecure-registry", host, ref},
                         {{"http_proxy", proxy_.Url()}, {"https_proxy", proxy_.Url()}});
  ExpectSameFindingsAsTarball(run, ref);
  std::vector<std::string> paths;
  for (const json& e : ProxyRequests(host)) {
    if (e["method"] == "GET") paths.push_back(e["path"]);
  }
  EXPECT_THAT(paths, ::testing::Contains("/v2/" + repo + "/manifests/1"));
  EXPECT_THAT(paths, ::testing::Contains(HasSubstr("/v2/" + repo + "/blobs/sha256:")));
}

// HTTPS through a CONNECT tunnel from HTTPS_PROXY (upper case) alone, the
// registry's certificate verified for the made-up name (the fixture's
// certificate names *.registry.test) against --registry-ca: nothing else,
// and no --insecure-registry.
TEST_F(RegistryProxyTest, TlsRegistryThroughConnectTunnelVerified) {
  const Registry& tls = GetRegistry("tls");
  std::string repo = Push(tls);
  std::string host = ProxiedHost(tls);
  std::string ref = "docker://" + host + "/" + repo + ":1";
  LintRun run = LintJson(dir_, {"--registry-ca", tls.ca, ref}, {{"HTTPS_PROXY", proxy_.Url()}});
  ExpectSameFindingsAsTarball(run, ref);
  std::vector<json> requests = ProxyRequests(host);
  ASSERT_THAT(requests, Not(IsEmpty())) << "nothing went through the proxy";
  for (const json& e : requests) EXPECT_EQ(e["method"], "CONNECT") << e.dump();
}

TEST_F(RegistryProxyTest, NoProxyBypassesTheProxy) {
  const Registry& plain = GetRegistry("plain");
  std::string repo = Push(plain);
  std::string host = ProxiedHost(plain);
  std::string ref = "docker://" + host + "/" + repo + ":1";
  LintRun run = LintJson(dir_, {"--insecure-registry", host, tarball_, ref},
                         {{"http_proxy", proxy_.Url()},
                          {"https_proxy", proxy_.Url()},
                          {"HTTPS_PROXY", proxy_.Url()},
                          {"no_proxy", proxy_.domain}});
  std::string error = FailedWith(run, ref);
  EXPECT_THAT(error, HasSubstr(host));
  EXPECT_TRUE(ContainsAny(error, {"resolve", "connect"})) << error;
  EXPECT_TRUE(Reported(run, tarball_)) << "the other target must still be reported";
  EXPECT_THAT(ProxyRequests(host), IsEmpty()) << "no_proxy was not honoured";
}

// Loopback is never proxied: not the registry (by IP or as localhost), not a
// token realm on loopback. The proxy would forward these (it serves
// loopback), so only its log can tell.
TEST_F(RegistryProxyTest, LoopbackRegistriesAndRealmsAreNeverProxied) {
  const Registry& plain = GetRegistry("plain");
  std::string repo = Push(plain);
  const Registry& token = GetRegistry("token");
  std::string public_repo = "public/" + UniqueName("proxy-token");
  std::string token_tarball = dir_.File("token.tar");
  WriteOciTar(LintableImage(public_repo), token_tarball);
  PushImage("oci-archive:" + token_tarball, token, public_repo + ":1");

  std::string by_ip = plain.DockerRef(repo + ":1");
  std::string by_name = "docker://localhost:" + PortOf(plain.host) + "/" + repo + ":1";
  std::string with_realm = token.DockerRef(public_repo + ":1");
  std::string url = proxy_.Url();
  const std::size_t before = ReadLogLines(proxy_.request_log).size();
  LintRun run = LintJson(dir_, {by_ip, by_name, with_realm},
                         {{"http_proxy", url},
                          {"https_proxy", url},
                          {"HTTPS_PROXY", url},
                          {"all_proxy", url},
                          {"ALL_PROXY", url}});
  for (const std::string& ref : {by_ip, by_name, with_realm}) {
    EXPECT_TRUE(Linted(run, ref));
    ExpectLintableImageRules(run.report, ref);
  }
  EXPECT_THAT(LoopbackProxyRequests(before), IsEmpty())
      << "a loopback request went through the proxy";
}

}  // namespace
}  // namespace imglint::testing
