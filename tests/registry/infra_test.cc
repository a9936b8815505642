// SPDX-License-Identifier: Apache-2.0
// The registry fixture itself, checked without imglint's client: each
// instance answers as configured (TLS, Basic, token, redirect), skopeo pushes
// what the end-to-end tests need (OCI, v2s2, zstd, multi-platform), and the
// broken states those tests rely on (a corrupt blob, a manifest with a wrong
// layer size) really are served by distribution 2.8. If one of these fails,
// the end-to-end failures next to it say nothing about the client.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/registry/registry_test_util.h"

namespace imglint::testing {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

// `curl -o /dev/null -w "%{http_code} %{redirect_url}"` plus the headers.
struct Http {
  int status = 0;
  std::string headers;
  std::string body;
  int curl_exit = 0;
  std::string curl_err;
};

Http Get(const Registry& registry, bool credentials, const std::string& url,
         const std::vector<std::string>& extra = {}) {
  TempDir dir;
  std::vector<std::string> args = {"-D", dir.File("headers"), "-o", dir.File("body"),
                                   "-w", "%{http_code}"};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back(url);
  CliResult r = Curl(registry, credentials, args);
  Http h;
  h.curl_exit = r.exit_code;
  h.curl_err = r.err;
  h.status = std::atoi(r.out.c_str());
  std::error_code ec;
  if (std::filesystem::exists(dir.File("headers"), ec))
    h.headers = ReadFileBytes(dir.File("headers"));
  if (std::filesystem::exists(dir.File("body"), ec)) h.body = ReadFileBytes(dir.File("body"));
  return h;
}

std::string OciTarball(const TempDir& dir, const std::string& marker,
                       Compression compression = Compression::kGzip) {
  WriteOciTar(LintableImage(marker, "amd64", compression), dir.File("image.tar"));
  return "oci-archive:" + dir.File("image.tar");
}

json Json(const std::string& text) { return json::parse(text); }

// The comparison the end-to-end tests rely on, checked on file targets
// (which need no registry client): the same image as an OCI tarball and as
// an OCI directory compares equal, another image does not, and it is never
// an empty comparison. The directory is the tarball unpacked: two builds of
// one spec differ in their layer bytes (timestamps) once a second ticks.
TEST(RegistryInfraTest, FindingsComparisonIgnoresOnlyWhereTheImageCameFrom) {
  TempDir dir;
  WriteOciTar(LintableImage("same"), dir.File("image.tar"));
  std::filesystem::create_directories(dir.File("layout"));
  ASSERT_EQ(RunCommand({"tar", "-xf", dir.File("image.tar"), "-C", dir.File("layout")}).exit_code,
            0);
  WriteOciTar(LintableImage("same", "arm64"), dir.File("other.tar"));
  LintRun run = LintJson(dir, {dir.File("image.tar"), dir.File("layout"), dir.File("other.tar")});
  ASSERT_TRUE(Linted(run, dir.File("image.tar")));
  ExpectLintableImageRules(run.report, dir.File("image.tar"));
  std::vector<std::string> tarball = ComparableFindings(run.report, dir.File("image.tar"));
  EXPECT_FALSE(tarball.empty());
  EXPECT_EQ(ComparableFindings(run.report, dir.File("layout")), tarball);
  EXPECT_NE(ComparableFindings(run.report, dir.File("other.tar")), tarball);
  for (const std::string& f : tarball) {
    EXPECT_THAT(f, Not(HasSubstr(dir.path()))) << "the target path is left in a finding";
  }
}

TEST(RegistryInfraTest, RegistriesJsonDescribesFiveInstances) {
  for (const char* name : {"plain", "tls", "basic", "token", "redirect"}) {
    const Registry& r = GetRegistry(name);
    EXPECT_THAT(r.host, StartsWith("127.0.0.1:")) << name;
    EXPECT_TRUE(std::filesystem::is_directory(r.storage)) << name;
  }
  EXPECT_EQ(GetRegistry("plain").scheme, "http");
  EXPECT_EQ(GetRegistry("tls").scheme, "https");
  EXPECT_EQ(GetRegistry("basic").scheme, "https");
  EXPECT_TRUE(std::filesystem::is_regular_file(GetRegistry("tls").ca));
  EXPECT_EQ(GetRegistry("basic").ca, GetRegistry("tls").ca);
  EXPECT_FALSE(GetRegistry("basic").password.empty());
  EXPECT_FALSE(GetRegistry("token").token_log.empty());
  EXPECT_THAT(GetRegistry("redirect").blob_host, StartsWith("127.0.0.2:"));
  EXPECT_FALSE(GetRegistry("redirect").blob_log.empty());
}

TEST(RegistryInfraTest, EachInstanceAnswersV2AsConfigured) {
  EXPECT_EQ(Get(GetRegistry("plain"), false, GetRegistry("plain").Url("/v2/")).status, 200);
  EXPECT_EQ(Get(GetRegistry("tls"), false, GetRegistry("tls").Url("/v2/")).status, 200);

  Http basic = Get(GetRegistry("basic"), false, GetRegistry("basic").Url("/v2/"));
  EXPECT_EQ(basic.status, 401);
  // Header names compared in lower case: the TLS instances speak HTTP/2.
  EXPECT_THAT(Lower(basic.headers), HasSubstr("www-authenticate: basic realm=\"imglint-basic\""));
  EXPECT_EQ(Get(GetRegistry("basic"), true, GetRegistry("basic").Url("/v2/")).status, 200);

  const Registry& token = GetRegistry("token");
  Http challenge = Get(token, false, token.Url("/v2/"));
  EXPECT_EQ(challenge.status, 401);
  EXPECT_THAT(Lower(challenge.headers),
              HasSubstr("www-authenticate: bearer realm=\"" + token.token_realm +
                        "\",service=\"imglint-registry\""));

  Http redirect = Get(GetRegistry("redirect"), false, GetRegistry("redirect").Url("/v2/"));
  EXPECT_EQ(redirect.status, 401);
  EXPECT_THAT(Lower(redirect.headers), HasSubstr("www-authenticate: basic realm="));
}

TEST(RegistryInfraTest, TlsIsVerifiedAgainstTheFixtureCa) {
  Registry no_ca = GetRegistry("tls");
  no_ca.ca.clear();
  Http h = Get(no_ca, false, no_ca.Url("/v2/"));
  EXPECT_EQ(h.curl_exit, 60) << "curl: " << h.curl_err;  // peer certificate cannot be verified
  // The certificate names the IP and localhost.
  const Registry& tls = GetRegistry("tls");
  std::string port = tls.host.substr(tls.host.find(':') + 1);
  EXPECT_EQ(Get(tls, false, "https://localhost:" + port + "/v2/").status, 200);
}

TEST(RegistryInfraTest, PushOciGzipToPlain) {
  TempDir dir;
  std::string repo = UniqueName("infra-oci");
  WrittenImage w = WriteOciTar(LintableImage(repo), dir.File("image.tar"));
  PushedImage pushed =
      PushImage("oci-archive:" + dir.File("image.tar"), GetRegistry("plain"), repo + ":1");
  EXPECT_EQ(pushed.reference, GetRegistry("plain").host + "/" + repo + ":1");
  json m = Json(pushed.manifest);
  EXPECT_EQ(m["mediaType"], "application/vnd.oci.image.manifest.v1+json");
  EXPECT_EQ(m["config"]["digest"], w.config_digest);
  ASSERT_EQ(m["layers"].size(), 1u);
  EXPECT_EQ(m["layers"][0]["digest"], w.layer_digests[0]) << "skopeo must not recompress";
  EXPECT_EQ(m["layers"][0]["mediaType"], "application/vnd.oci.image.layer.v1.tar+gzip");
  // By digest too, and the config as pushed.
  EXPECT_EQ(InspectRaw(GetRegistry("plain"), repo + "@" + pushed.digest), pushed.manifest);
  EXPECT_EQ(Json(InspectRaw(GetRegistry("plain"), repo + ":1", /*config=*/true))["architecture"],
            "amd64");
}

// skopeo reads a docker-archive the way `docker save` writes it: layer.tar
// uncompressed, named by its diff ID (a compressed layer.tar fails the
// upload with "Digest did not match"); it gzips the layer on the way.
TEST(RegistryInfraTest, PushV2s2FromDockerArchive) {
  TempDir dir;
  std::string repo = UniqueName("infra-v2s2");
  WrittenImage w =
      WriteDockerSaveTar(LintableImage(repo, "amd64", Compression::kNone), dir.File("image.tar"));
  const Registry& plain = GetRegistry("plain");
  PushedImage pushed = PushImage("docker-archive:" + dir.File("image.tar"), plain, repo + ":1",
                                 {.format = PushFormat::kV2s2});
  json m = Json(pushed.manifest);
  EXPECT_EQ(m["mediaType"], "application/vnd.docker.distribution.manifest.v2+json");
  EXPECT_EQ(m["config"]["mediaType"], "application/vnd.docker.container.image.v1+json");
  ASSERT_EQ(m["layers"].size(), 1u);
  EXPECT_EQ(m["layers"][0]["mediaType"], "application/vnd.docker.image.rootfs.diff.tar.gzip");
  EXPECT_THAT(ReadFileBytes(plain.BlobFile(std::string(m["layers"][0]["digest"]))),
              StartsWith("\x1f\x8b"));
  json config = Json(InspectRaw(plain, repo + ":1", /*config=*/true));
  EXPECT_EQ(config["rootfs"]["diff_ids"][0], w.layer_digests[0]);
}

TEST(RegistryInfraTest, PushConvertsOciToV2s2) {
  TempDir dir;
  std::string repo = UniqueName("infra-conv");
  WrittenImage w = WriteOciTar(LintableImage(repo), dir.File("image.tar"));
  PushedImage pushed = PushImage("oci-archive:" + dir.File("image.tar"), GetRegistry("plain"),
                                 repo + ":1", {.format = PushFormat::kV2s2});
  json m = Json(pushed.manifest);
  EXPECT_EQ(m["mediaType"], "application/vnd.docker.distribution.manifest.v2+json");
  EXPECT_EQ(m["layers"][0]["digest"], w.layer_digests[0]);
}

// skopeo 1.9.3 writes zstd with --dest-compress-format zstd: the manifest
// says tar+zstd and the blob starts with the zstd frame magic.
TEST(RegistryInfraTest, PushRecompressesToZstd) {
  TempDir dir;
  std::string repo = UniqueName("infra-zstd");
  WrittenImage w = WriteOciTar(LintableImage(repo), dir.File("image.tar"));
  const Registry& plain = GetRegistry("plain");
  PushedImage pushed =
      PushImage("oci-archive:" + dir.File("image.tar"), plain, repo + ":1",
                {.format = PushFormat::kOci, .compression = PushCompression::kZstd});
  json m = Json(pushed.manifest);
  ASSERT_EQ(m["layers"].size(), 1u);
  EXPECT_EQ(m["layers"][0]["mediaType"], "application/vnd.oci.image.layer.v1.tar+zstd");
  std::string digest = m["layers"][0]["digest"];
  EXPECT_NE(digest, w.layer_digests[0]);
  std::string blob = ReadFileBytes(plain.BlobFile(digest));
  EXPECT_THAT(blob, StartsWith(std::string("\x28\xb5\x2f\xfd", 4)));
  EXPECT_EQ(DigestOf(blob), digest);
  EXPECT_EQ(m["layers"][0]["size"], blob.size());
}

TEST(RegistryInfraTest, PushKeepsZstdLayersAsTheyAre) {
  TempDir dir;
  std::string repo = UniqueName("infra-zstd-src");
  WrittenImage w =
      WriteOciTar(LintableImage(repo, "amd64", Compression::kZstd), dir.File("image.tar"));
  PushedImage pushed =
      PushImage("oci-archive:" + dir.File("image.tar"), GetRegistry("plain"), repo + ":1",
                {.format = PushFormat::kOci, .compression = PushCompression::kZstd});
  json m = Json(pushed.manifest);
  EXPECT_EQ(m["layers"][0]["mediaType"], "application/vnd.oci.image.layer.v1.tar+zstd");
  EXPECT_EQ(m["layers"][0]["digest"], w.layer_digests[0]);
}

TEST(RegistryInfraTest, PushMultiPlatformIndex) {
  TempDir dir;
  std::string repo = UniqueName("infra-multi");
  std::vector<WrittenImage> w =
      WriteMultiPlatformOciTar({{"linux/amd64", LintableImage(repo, "amd64")},
                                {"linux/arm64", LintableImage(repo, "arm64")}},
                               dir.File("multi.tar"), {.nested_index = true});
  PushedImage pushed = PushImage("oci-archive:" + dir.File("multi.tar"), GetRegistry("plain"),
                                 repo + ":1", {.all = true});
  json index = Json(pushed.manifest);
  EXPECT_EQ(index["mediaType"], "application/vnd.oci.image.index.v1+json");
  ASSERT_EQ(index["manifests"].size(), 2u);
  EXPECT_EQ(index["manifests"][0]["platform"]["architecture"], "amd64");
  EXPECT_EQ(index["manifests"][1]["platform"]["architecture"], "arm64");
  EXPECT_EQ(index["manifests"][1]["digest"], w[1].manifest_digest);
  std::string arm = InspectRaw(GetRegistry("plain"), repo + "@" + w[1].manifest_digest);
  EXPECT_EQ(DigestOf(arm), w[1].manifest_digest);
}

TEST(RegistryInfraTest, TlsPushWithCaOrWithoutVerification) {
  TempDir dir;
  std::string repo = UniqueName("infra-tls");
  std::string source = OciTarball(dir, repo);
  PushImage(source, GetRegistry("tls"), repo + ":1");
  PushImage(source, GetRegistry("tls"), repo + ":2", {.tls = PushTls::kNoVerify});
  // Without the CA, skopeo refuses the certificate.
  CliResult r =
      RunSkopeo({"inspect", "--raw", "--no-creds", GetRegistry("tls").DockerRef(repo + ":1")});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.err, HasSubstr("x509"));
}

TEST(RegistryInfraTest, BasicAuthNeedsTheCredentials) {
  TempDir dir;
  std::string repo = UniqueName("infra-basic");
  std::string source = OciTarball(dir, repo);
  const Registry& basic = GetRegistry("basic");
  EXPECT_THROW(PushImage(source, basic, repo + ":1", {.credentials = false}), std::runtime_error);
  PushImage(source, basic, repo + ":1");
  Registry wrong = basic;
  wrong.password += "x";
  EXPECT_EQ(Get(wrong, true, basic.Url("/v2/" + repo + "/manifests/1")).status, 401);
  EXPECT_EQ(Get(basic, true, basic.Url("/v2/" + repo + "/manifests/1"),
                {"-H", "Accept: application/vnd.oci.image.manifest.v1+json"})
                .status,
            200);
}

// The token flow end to end with skopeo: anonymous pull only under public/,
// everything with the credential, and a log that records who asked for what
// without the secret.
TEST(RegistryInfraTest, TokenAuthGrantsPullAnonymouslyOnlyUnderPublic) {
  TempDir dir;
  std::string name = UniqueName("infra-token");
  std::string source = OciTarball(dir, name);
  const Registry& token = GetRegistry("token");
  PushImage(source, token, "public/" + name + ":1");
  PushImage(source, token, "private/" + name + ":1");

  CliResult anon_public = RunSkopeo({"inspect", "--raw", "--tls-verify=false", "--no-creds",
                                     token.DockerRef("public/" + name + ":1")});
  EXPECT_EQ(anon_public.exit_code, 0) << anon_public.err;
  CliResult anon_private = RunSkopeo({"inspect", "--raw", "--tls-verify=false", "--no-creds",
                                      token.DockerRef("private/" + name + ":1")});
  EXPECT_NE(anon_private.exit_code, 0);
  EXPECT_THAT(anon_private.err, HasSubstr("authentication required"));

  bool anonymous_public_pull = false, authenticated_push = false;
  for (const std::string& line : ReadLogLines(token.token_log)) {
    EXPECT_THAT(line, Not(HasSubstr(token.password)));
    json e = ParseLogLine(line);
    if (!e.is_object()) continue;
    std::string scopes = e["query"].value("scope", json::array()).dump();
    if (scopes.find("public/" + name + ":pull") != std::string::npos && !e["authorization"]) {
      anonymous_public_pull = e["status"] == 200 && e["granted"].size() == 1;
    }
    if (scopes.find("private/" + name + ":pull,push") != std::string::npos && e["authorization"]) {
      authenticated_push = e["user"] == token.username && e["status"] == 200;
    }
  }
  EXPECT_TRUE(anonymous_public_pull);
  EXPECT_TRUE(authenticated_push);
}

TEST(RegistryInfraTest, TokenIssuerRejectsAWrongPassword) {
  Registry token = GetRegistry("token");
  token.password = "wrong";
  Http h =
      Get(token, true, token.token_realm + "?service=imglint-registry&scope=repository:x:pull");
  EXPECT_EQ(h.status, 401);
}

// The redirect instance answers a blob GET with 307 to the second loopback
// host, which serves the same bytes, refuses anything with Authorization,
// and logs whether requests carried it.
TEST(RegistryInfraTest, RedirectSendsBlobsToTheSecondHost) {
  TempDir dir;
  std::string repo = UniqueName("infra-redirect");
  WrittenImage w = WriteOciTar(LintableImage(repo), dir.File("image.tar"));
  const Registry& redirect = GetRegistry("redirect");
  PushImage("oci-archive:" + dir.File("image.tar"), redirect, repo + ":1");

  std::string digest = w.layer_digests[0];
  Http first = Get(redirect, true, redirect.Url("/v2/" + repo + "/blobs/" + digest));
  EXPECT_EQ(first.status, 307);
  std::string location = "http://" + redirect.blob_host + redirect.BlobStoragePath(digest);
  EXPECT_THAT(Lower(first.headers), HasSubstr("location: " + location));

  Http blob = Get(redirect, false, location);
  EXPECT_EQ(blob.status, 200);
  EXPECT_EQ(DigestOf(blob.body), digest);
  Http with_auth = Get(redirect, true, location);
  EXPECT_EQ(with_auth.status, 403);

  bool saw_without = false, saw_with = false;
  for (const std::string& line : ReadLogLines(redirect.blob_log)) {
    EXPECT_THAT(line, Not(HasSubstr(redirect.password)));
    json e = ParseLogLine(line);
    if (!e.is_object()) continue;
    if (e["path"] != redirect.BlobStoragePath(digest)) continue;
    if (e["authorization"] == false && e["status"] == 200) saw_without = true;
    if (e["authorization"] == true && e["status"] == 403) saw_with = true;
  }
  EXPECT_TRUE(saw_without);
  EXPECT_TRUE(saw_with);
}

// The precondition of the digest-mismatch test: distribution serves a blob
// file as it is on disk, without checking it against its digest.
TEST(RegistryInfraTest, CorruptBlobIsServedAsIs) {
  TempDir dir;
  std::string repo = UniqueName("infra-corrupt");
  WrittenImage w = WriteOciTar(LintableImage(repo), dir.File("image.tar"));
  const Registry& plain = GetRegistry("plain");
  PushImage("oci-archive:" + dir.File("image.tar"), plain, repo + ":1");
  std::string file = plain.BlobFile(w.layer_digests[0]);
  std::string bytes = ReadFileBytes(file);
  bytes[4] ^= 0x01;  // gzip MTIME: still valid gzip, other digest
  WriteFileBytes(file, bytes);
  Http h = Get(plain, false, plain.Url("/v2/" + repo + "/blobs/" + w.layer_digests[0]));
  EXPECT_EQ(h.status, 200);
  EXPECT_EQ(h.body, bytes);
  EXPECT_NE(DigestOf(h.body), w.layer_digests[0]);
}

// The precondition of the size-mismatch test: distribution 2.8 accepts a
// manifest whose layer descriptor has the wrong size (it only checks that
// the blob exists) and serves the blob with its real length.
TEST(RegistryInfraTest, ManifestWithWrongLayerSizeIsAccepted) {
  TempDir dir;
  std::string repo = UniqueName("infra-size");
  WriteOciTar(LintableImage(repo), dir.File("image.tar"));
  const Registry& plain = GetRegistry("plain");
  PushedImage pushed = PushImage("oci-archive:" + dir.File("image.tar"), plain, repo + ":1");
  json m = Json(pushed.manifest);
  std::int64_t real = m["layers"][0]["size"];
  m["layers"][0]["size"] = real + 100;
  EXPECT_EQ(
      PutManifest(plain, repo, "badsize", "application/vnd.oci.image.manifest.v1+json", m.dump()),
      201);
  json served = Json(InspectRaw(plain, repo + ":badsize"));
  EXPECT_EQ(served["layers"][0]["size"], real + 100);
  Http blob = Get(plain, false,
                  plain.Url("/v2/" + repo + "/blobs/" + std::string(m["layers"][0]["digest"])));
  EXPECT_EQ(static_cast<std::int64_t>(blob.body.size()), real);
}

// The flaky server in front of plain, checked with curl: it fails as a
// repository's name scripts it (counted per path), then forwards unchanged.
TEST(RegistryInfraTest, FlakyServerFailsAsTheRepositoryNameSays) {
  TempDir dir;
  const Registry& plain = GetRegistry("plain");
  const Registry& flaky = GetRegistry("flaky");
  EXPECT_EQ(flaky.upstream, plain.host);
  std::string repo = "503-manifests-2.cut-blobs-1/" + UniqueName("infra-flaky");
  WrittenImage w = WriteOciTar(LintableImage(repo), dir.File("image.tar"));
  PushedImage pushed = PushImage("oci-archive:" + dir.File("image.tar"), plain, repo + ":1");
  const std::string manifest = flaky.Url("/v2/" + repo + "/manifests/1");
  const std::vector<std::string> accept = {"-H",
                                           "Accept: application/vnd.oci.image.manifest.v1+json"};
  EXPECT_EQ(Get(flaky, false, manifest, accept).status, 503);
  Http second = Get(flaky, false, manifest, accept);
  EXPECT_EQ(second.status, 503);
  EXPECT_THAT(Lower(second.headers), Not(HasSubstr("retry-after")));
  Http third = Get(flaky, false, manifest, accept);
  EXPECT_EQ(third.status, 200);
  EXPECT_EQ(third.body, pushed.manifest);

  const std::string config = flaky.Url("/v2/" + repo + "/blobs/" + w.config_digest);
  Http cut = Get(flaky, false, config);
  EXPECT_EQ(cut.curl_exit, 18) << "curl: " << cut.curl_err;  // partial file
  EXPECT_GT(cut.body.size(), 0u);
  Http whole = Get(flaky, false, config);
  EXPECT_EQ(whole.status, 200);
  EXPECT_EQ(DigestOf(whole.body), w.config_digest);

  // A fault answers before forwarding: no image needed for a 429.
  std::string limited = "429-manifests-1/" + UniqueName("infra-flaky");
  Http h429 = Get(flaky, false, flaky.Url("/v2/" + limited + "/manifests/1"));
  EXPECT_EQ(h429.status, 429);
  EXPECT_THAT(Lower(h429.headers), HasSubstr("retry-after: 2"));
  EXPECT_EQ(Get(flaky, false, flaky.Url("/v2/" + limited + "/manifests/1")).status, 404);

  std::vector<json> log = LogEntries(flaky.request_log, "repository", repo);
  ASSERT_EQ(log.size(), 5u);
  EXPECT_EQ(log[0]["fault"], "503");
  EXPECT_EQ(log[2]["fault"], nullptr);
  EXPECT_EQ(log[3]["cut"], true);
  for (const json& e : log) EXPECT_LE(e["start"].get<double>(), e["last_write"].get<double>());
}

// The forward proxy, checked with curl: it alone resolves NAME.registry.test
// (absolute-form GET and a CONNECT tunnel whose TLS verifies for the name),
// and refuses hosts that are not the test's.
TEST(RegistryInfraTest, ForwardProxyServesOnlyTheTestDomain) {
  const ForwardProxy& proxy = GetForwardProxy();
  const Registry& plain = GetRegistry("plain");
  const Registry& tls = GetRegistry("tls");
  EXPECT_EQ(proxy.domain, "registry.test");
  std::string name = UniqueName("infra") + "." + proxy.domain;
  std::string plain_host = name + plain.host.substr(plain.host.rfind(':'));
  std::string tls_host = name + tls.host.substr(tls.host.rfind(':'));
  auto curl = [&](std::vector<std::string> args) {
    std::vector<std::string> argv = {"curl", "--silent",  "--show-error", "--max-time",  "20",
                                     "-o",   "/dev/null", "-w",           "%{http_code}"};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunCommand(argv, {{"no_proxy", std::nullopt}, {"NO_PROXY", std::nullopt}});
  };
  EXPECT_EQ(curl({"--proxy", proxy.Url(), "http://" + plain_host + "/v2/"}).out, "200");
  CliResult tunnel =
      curl({"--proxy", proxy.Url(), "--cacert", tls.ca, "https://" + tls_host + "/v2/"});
  EXPECT_EQ(tunnel.out, "200") << tunnel.err;
  EXPECT_EQ(curl({"--proxy", proxy.Url(), "http://imglint.invalid/"}).out, "403");
  EXPECT_EQ(curl({"--noproxy", "*", "http://" + plain_host + "/v2/"}).exit_code, 6)
      << "the made-up name resolves without the proxy";

  std::vector<json> get = LogEntries(proxy.request_log, "host", plain_host);
  ASSERT_EQ(get.size(), 1u);
  EXPECT_EQ(get[0]["method"], "GET");
  EXPECT_EQ(get[0]["path"], "/v2/");
  std::vector<json> connect = LogEntries(proxy.request_log, "host", tls_host);
  ASSERT_EQ(connect.size(), 1u);
  EXPECT_EQ(connect[0]["method"], "CONNECT");
}

}  // namespace
}  // namespace imglint::testing
