// SPDX-License-Identifier: Apache-2.0
#include "analyzer/source/image_ref.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace imglint {
namespace {

const std::string kHex = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const std::string kDigest = "sha256:" + kHex;

ImageRef MustParse(std::string_view text) {
  ImageRef ref;
  std::string err;
  EXPECT_TRUE(ParseImageRef(text, &ref, &err)) << text << ": " << err;
  return ref;
}

std::string ParseError(std::string_view text) {
  ImageRef ref;
  std::string err;
  EXPECT_FALSE(ParseImageRef(text, &ref, &err)) << text << " parsed as " << ref.String();
  return err;
}

TEST(ImageRefTest, NormalisesDockerHubNames) {
  ImageRef ref = MustParse("nginx");
  EXPECT_EQ(ref.domain, "docker.io");
  EXPECT_EQ(ref.repository, "library/nginx");
  EXPECT_EQ(ref.tag, "latest");
  EXPECT_EQ(ref.digest, "");
  EXPECT_EQ(ref.String(), "docker.io/library/nginx:latest");
  EXPECT_EQ(ref.Name(), "docker.io/library/nginx");

  EXPECT_EQ(MustParse("nginx:1.25").String(), "docker.io/library/nginx:1.25");
  EXPECT_EQ(MustParse("bitnami/nginx:1").String(), "docker.io/bitnami/nginx:1");
  EXPECT_EQ(MustParse("docker.io/nginx").String(), "docker.io/library/nginx:latest");
  EXPECT_EQ(MustParse("docker.io/library/nginx").String(), "docker.io/library/nginx:latest");
  EXPECT_EQ(MustParse("index.docker.io/nginx").String(), "docker.io/library/nginx:latest");
  EXPECT_EQ(MustParse("index.docker.io/o/app:2").String(), "docker.io/o/app:2");
  EXPECT_EQ(MustParse("a/b/c/d").String(), "docker.io/a/b/c/d:latest");
}

TEST(ImageRefTest, DetectsDomains) {
  EXPECT_EQ(MustParse("ghcr.io/o/app:v1").domain, "ghcr.io");
  EXPECT_EQ(MustParse("ghcr.io/o/app:v1").repository, "o/app");
  EXPECT_EQ(MustParse("localhost/x").domain, "localhost");
  EXPECT_EQ(MustParse("localhost/x").repository, "x");  // no "library/" off Docker Hub
  EXPECT_EQ(MustParse("localhost:5000/x:1").domain, "localhost:5000");
  EXPECT_EQ(MustParse("myhost:5000/x").domain, "myhost:5000");
  EXPECT_EQ(MustParse("127.0.0.1:5000/app:1").String(), "127.0.0.1:5000/app:1");
  EXPECT_EQ(MustParse("[::1]:5000/app").domain, "[::1]:5000");
  EXPECT_EQ(MustParse("[::1]/app").domain, "[::1]");
  EXPECT_EQ(MustParse("[2001:db8::1]:443/o/app:1").String(), "[2001:db8::1]:443/o/app:1");
  // Docker's rule: an upper-case first component is a domain, not a namespace.
  EXPECT_EQ(MustParse("Registry/app").domain, "Registry");
  // "localhost" alone, or a first component without "." or ":", is a namespace.
  EXPECT_EQ(MustParse("localhost").String(), "docker.io/library/localhost:latest");
  EXPECT_EQ(MustParse("localhost:5000").String(), "docker.io/library/localhost:5000");
  EXPECT_EQ(MustParse("myhost/x").String(), "docker.io/myhost/x:latest");
  EXPECT_EQ(MustParse("localhostx/x").domain, "docker.io");
}

TEST(ImageRefTest, TagsAndDigests) {
  ImageRef pinned = MustParse("nginx@" + kDigest);
  EXPECT_EQ(pinned.tag, "");
  EXPECT_EQ(pinned.digest, kDigest);
  EXPECT_EQ(pinned.String(), "docker.io/library/nginx@" + kDigest);
  EXPECT_EQ(pinned.ManifestReference(), kDigest);

  ImageRef both = MustParse("ghcr.io/o/app:1.2@" + kDigest);
  EXPECT_EQ(both.tag, "1.2");
  EXPECT_EQ(both.digest, kDigest);
  EXPECT_EQ(both.String(), "ghcr.io/o/app:1.2@" + kDigest);
  EXPECT_EQ(both.ManifestReference(), kDigest);  // the digest wins

  EXPECT_EQ(MustParse("nginx:1.25").ManifestReference(), "1.25");
  EXPECT_EQ(MustParse("localhost:5000/x@" + kDigest).domain, "localhost:5000");
  EXPECT_EQ(MustParse("x:_Tag.with-All_1").tag, "_Tag.with-All_1");  // tags may be upper case
  EXPECT_EQ(MustParse("x:" + std::string(128, 'a')).tag.size(), 128u);
}

TEST(ImageRefTest, RejectsUpperCaseRepositories) {
  EXPECT_EQ(ParseError("Nginx"), "invalid reference format: repository name must be lowercase");
  EXPECT_EQ(ParseError("ghcr.io/Owner/app"),
            "invalid reference format: repository name must be lowercase");
  EXPECT_EQ(ParseError("docker.io/library/NGINX:1"),
            "invalid reference format: repository name must be lowercase");
  EXPECT_EQ(ParseError("Registry/App"),
            "invalid reference format: repository name must be lowercase");
}

TEST(ImageRefTest, RejectsBadTags) {
  EXPECT_EQ(ParseError("nginx:"), "invalid reference format: empty tag");
  EXPECT_NE(ParseError("nginx:.hidden").find("invalid tag \".hidden\""), std::string::npos);
  EXPECT_NE(ParseError("nginx:-x").find("invalid tag"), std::string::npos);
  EXPECT_NE(ParseError("nginx:a+b").find("invalid tag"), std::string::npos);
  EXPECT_NE(ParseError("nginx:" + std::string(129, 'a')).find("invalid tag"), std::string::npos);
  EXPECT_NE(ParseError("nginx:1:2").find("invalid"), std::string::npos);
}

TEST(ImageRefTest, RejectsBadDigests) {
  EXPECT_EQ(ParseError("nginx@sha512:" + kHex + kHex),
            "invalid reference format: unsupported digest algorithm \"sha512\" (only sha256 is "
            "supported)");
  EXPECT_NE(ParseError("nginx@md5:" + kHex).find("unsupported digest algorithm \"md5\""),
            std::string::npos);
  std::string upper = kDigest;
  upper[10] = 'A';
  EXPECT_NE(ParseError("nginx@" + upper).find("64 lower-case hex digits"), std::string::npos);
  EXPECT_NE(ParseError("nginx@sha256:abc").find("64 lower-case hex digits"), std::string::npos);
  EXPECT_NE(ParseError("nginx@" + kDigest + "0").find("64 lower-case"), std::string::npos);
  EXPECT_NE(ParseError("nginx@" + kHex).find("invalid digest"), std::string::npos);
  EXPECT_NE(ParseError("nginx@").find("invalid digest"), std::string::npos);
  EXPECT_NE(ParseError("nginx@" + kDigest + "@" + kDigest).find("invalid digest"),
            std::string::npos);
  EXPECT_NE(ParseError("nginx@1sha:" + kHex).find("invalid digest"), std::string::npos);
}

TEST(ImageRefTest, RejectsMalformedNames) {
  EXPECT_EQ(ParseError(""), "invalid reference format: empty reference");
  EXPECT_EQ(ParseError(":tag"),
            "invalid reference format: repository name must have at least one component");
  EXPECT_EQ(ParseError("@" + kDigest),
            "invalid reference format: repository name must have at least one component");
  EXPECT_EQ(ParseError("localhost/"),
            "invalid reference format: repository name must have at least one component");
  EXPECT_EQ(ParseError("a//b"),
            "invalid reference format: repository name has an empty path component");
  EXPECT_EQ(ParseError("a/b/"),
            "invalid reference format: repository name has an empty path component");
  EXPECT_EQ(ParseError("/a"),
            "invalid reference format: repository name has an empty path component");
  EXPECT_EQ(ParseError("ghcr.io/o/../x"),
            "invalid reference format: invalid repository path component \"..\"");
  for (const char* bad : {"a-", "-a", "a.", ".a", "a_", "a..b", "a___b", "a.-b", "a%b", "a\\b"}) {
    EXPECT_NE(ParseError(bad).find("invalid repository path component"), std::string::npos) << bad;
  }
  for (const char* good : {"a-b", "a--b", "a.b", "a_b", "a__b", "a-b.c_d__e", "0"}) {
    MustParse(good);
  }
  EXPECT_EQ(ParseError("foo:bar/baz"),
            "invalid reference format: invalid registry domain \"foo:bar\"");
  EXPECT_NE(ParseError("-bad.io/x").find("invalid registry domain"), std::string::npos);
  EXPECT_NE(ParseError("bad-.io/x").find("invalid registry domain"), std::string::npos);
  EXPECT_NE(ParseError("a..io/x").find("invalid registry domain"), std::string::npos);
  EXPECT_NE(ParseError("host:/x").find("invalid registry domain"), std::string::npos);
  EXPECT_NE(ParseError("[::1/x").find("invalid registry domain"), std::string::npos);
  EXPECT_NE(ParseError("[]:5000/x").find("invalid registry domain"), std::string::npos);
  EXPECT_NE(ParseError("[::g]/x").find("invalid registry domain"), std::string::npos);
  EXPECT_NE(ParseError("[::1]x/y").find("invalid registry domain"), std::string::npos);
  EXPECT_EQ(ParseError(kHex),
            "invalid repository name: cannot specify 64-byte hexadecimal strings");
}

TEST(ImageRefTest, RejectsWhitespaceControlBytesAndTransports) {
  for (std::string bad : {" nginx", "nginx ", "ngi nx", "nginx\t", "nginx\n", "nginx:1\r"}) {
    EXPECT_EQ(ParseError(bad),
              "invalid reference format: contains whitespace or a control character");
  }
  EXPECT_EQ(ParseError(std::string("ng\0inx", 6)),
            "invalid reference format: contains whitespace or a control character");
  EXPECT_EQ(ParseError("nginx\x1b[31m"),
            "invalid reference format: contains whitespace or a control character");
  EXPECT_EQ(ParseError("nginx\x7f"),
            "invalid reference format: contains whitespace or a control character");
  EXPECT_EQ(ParseError("ngïnx"), "invalid reference format: contains a non-ASCII character");
  EXPECT_EQ(ParseError("docker://nginx"),
            "invalid reference format: transport \"docker://\" is not part of an image reference");
  EXPECT_NE(ParseError("https://ghcr.io/o/app").find("transport \"https://\""), std::string::npos);
  EXPECT_NE(ParseError("docker-daemon:app:1").find("invalid"), std::string::npos);
  EXPECT_NE(ParseError("oci-archive:/tmp/x.tar").find("invalid"), std::string::npos);
}

TEST(ImageRefTest, NameLengthLimit) {
  // "docker.io/" (10) + 245 = 255: the longest name allowed.
  const std::string at_limit = "o/" + std::string(243, 'a');
  EXPECT_EQ(MustParse(at_limit).Name().size(), 255u);
  EXPECT_EQ(ParseError("o/" + std::string(244, 'a')),
            "invalid reference format: repository name must not be more than 255 characters");
  // The limit applies to the normalised name: "library/" counts.
  EXPECT_EQ(MustParse(std::string(237, 'a')).Name().size(), 255u);
  EXPECT_NE(ParseError(std::string(238, 'a')).find("255"), std::string::npos);
  // A huge input is rejected quickly, whatever it is made of.
  EXPECT_NE(ParseError(std::string(1 << 20, 'a')).find("255"), std::string::npos);
}

TEST(ImageRefTest, OutputUntouchedOnError) {
  ImageRef ref;
  ref.domain = "keep";
  std::string err;
  EXPECT_FALSE(ParseImageRef("Bad", &ref, &err));
  EXPECT_EQ(ref.domain, "keep");
  EXPECT_FALSE(ParseImageRef("Bad", &ref, nullptr));  // err is optional
}

TEST(ImageRefTest, FamiliarLikeDocker) {
  EXPECT_EQ(MustParse("nginx").Familiar(), "nginx:latest");
  EXPECT_EQ(MustParse("nginx:1.25").Familiar(), "nginx:1.25");
  EXPECT_EQ(MustParse("docker.io/library/nginx:1.25").Familiar(), "nginx:1.25");
  EXPECT_EQ(MustParse("bitnami/nginx").Familiar(), "bitnami/nginx:latest");
  EXPECT_EQ(MustParse("library/a/b").Familiar(), "library/a/b:latest");
  EXPECT_EQ(MustParse("ghcr.io/o/app@" + kDigest).Familiar(), "ghcr.io/o/app@" + kDigest);
  EXPECT_EQ(MustParse("nginx:1@" + kDigest).Familiar(), "nginx:1@" + kDigest);
  EXPECT_EQ(MustParse("localhost/x").Familiar(), "localhost/x:latest");
  // Docker would print "my.org/app" here, which reads back as registry my.org.
  EXPECT_EQ(MustParse("docker.io/my.org/app").Familiar(), "docker.io/my.org/app:latest");
  EXPECT_EQ(MustParse("docker.io/localhost/app").Familiar(), "docker.io/localhost/app:latest");
  EXPECT_EQ(MustParse("docker.io/library/my.app").Familiar(), "my.app:latest");
}

TEST(ImageRefTest, RegistryHosts) {
  EXPECT_EQ(RegistryApiHost("docker.io"), "registry-1.docker.io");
  EXPECT_EQ(RegistryApiHost("index.docker.io"), "registry-1.docker.io");
  EXPECT_EQ(RegistryApiHost("registry-1.docker.io"), "registry-1.docker.io");
  EXPECT_EQ(RegistryApiHost("ghcr.io"), "ghcr.io");
  EXPECT_EQ(RegistryApiHost("localhost:5000"), "localhost:5000");
  EXPECT_EQ(DockerConfigKey("docker.io"), "https://index.docker.io/v1/");
  EXPECT_EQ(DockerConfigKey("index.docker.io"), "https://index.docker.io/v1/");
  EXPECT_EQ(DockerConfigKey("quay.io"), "quay.io");
  EXPECT_EQ(DockerConfigKey("127.0.0.1:5000"), "127.0.0.1:5000");
  EXPECT_TRUE(IsDockerHubDomain("Docker.IO"));
  EXPECT_FALSE(IsDockerHubDomain("docker.io.evil.com"));
  EXPECT_FALSE(IsDockerHubDomain("hub.docker.com"));
}

TEST(ImageRefTest, LoopbackRegistries) {
  for (const char* yes : {"localhost", "localhost:5000", "LocalHost:80", "127.0.0.1",
                          "127.0.0.1:5000", "127.1.2.3:1", "127.255.255.255", "[::1]", "[::1]:5000",
                          "::1", "[0:0:0:0:0:0:0:1]:5000", "[::ffff:127.0.0.1]"}) {
    EXPECT_TRUE(IsLoopbackRegistry(yes)) << yes;
  }
  for (const char* no : {"",
                         "localhost.example.com",
                         "localhost.example.com:5000",
                         "127.0.0.1.nip.io",
                         "127.0.0.1.nip.io:5000",
                         "128.0.0.1",
                         "10.0.0.1:5000",
                         "0.0.0.0",
                         "127.1",
                         "0x7f.0.0.1",
                         "127.0.0.1:",
                         "127.0.0.1:abc",
                         "127.0.0.1:99999",
                         "localhost:5000:1",
                         "[::1",
                         "[::2]:5000",
                         "[::1]x",
                         "[::1]:",
                         "myregistry",
                         "localhost.",
                         " localhost",
                         "docker.io",
                         "::"}) {
    EXPECT_FALSE(IsLoopbackRegistry(no)) << no;
  }
}

// Every accepted reference reads back as itself, and no input crashes the
// parser: random strings over the reference alphabet and mutations of valid
// references.
TEST(ImageRefTest, RandomInputsRoundTrip) {
  const std::string alphabet = "abcAB019.:/@_-[]sha256 \x01\xff";
  const std::vector<std::string> seeds = {"nginx",
                                          "ghcr.io/o/app:1.2@" + kDigest,
                                          "[::1]:5000/a/b:c",
                                          "localhost/x",
                                          "a__b-c.d/e",
                                          "docker.io/a.b/c",
                                          "docker.io/localhost/x"};
  std::mt19937 rng(12345);
  int accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    if (i % 2 == 0) {
      const std::size_t length = rng() % 24;
      for (std::size_t k = 0; k < length; ++k) text += alphabet[rng() % alphabet.size()];
    } else {
      text = seeds[rng() % seeds.size()];
      const int edits = 1 + static_cast<int>(rng() % 3);
      for (int e = 0; e < edits && !text.empty(); ++e) {
        const std::size_t pos = rng() % text.size();
        switch (rng() % 3) {
          case 0:
            text.erase(pos, 1);
            break;
          case 1:
            text.insert(pos, 1, alphabet[rng() % alphabet.size()]);
            break;
          default:
            text.resize(pos);
            break;
        }
      }
    }
    ImageRef ref;
    std::string err;
    if (!ParseImageRef(text, &ref, &err)) {
      EXPECT_FALSE(err.empty()) << text;
      continue;
    }
    ++accepted;
    ImageRef again;
    ASSERT_TRUE(ParseImageRef(ref.String(), &again, &err)) << text << " -> " << ref.String();
    EXPECT_EQ(again.String(), ref.String());
    ImageRef familiar;
    ASSERT_TRUE(ParseImageRef(ref.Familiar(), &familiar, &err)) << ref.Familiar();
    EXPECT_EQ(familiar.String(), ref.String()) << text;
  }
  EXPECT_GT(accepted, 1000);
}

}  // namespace
}  // namespace imglint
