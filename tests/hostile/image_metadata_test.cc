// SPDX-License-Identifier: Apache-2.0
// Hostile image metadata end to end: digests that do not match the bytes,
// missing blobs, digests that are not sha256:<64 hex> (never used as paths),
// manifest.json member paths with "..", absurd sizes, JSON nesting and size
// limits. Each target is linted next to a good image, which must survive.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/hostile/hostile_util.h"

namespace imglint::testing::hostile {
namespace {

using ::testing::AnyOf;
using ::testing::HasSubstr;

struct Fixture {
  TempDir dir;
  std::string good = dir.File("good.tar");
  std::string bad = dir.File("bad.tar");
  Fixture() { WriteGoodImage(good); }
};

ImageSpec SmallImage() {
  ImageSpec spec;
  spec.layers.push_back({.entries = {Dir("/etc"), File("/etc/passwd", 0644, "root:x:0:0::/:\n")}});
  spec.layers.push_back({.compression = Compression::kZstd, .entries = {File("/bin/sh", 0755)}});
  return spec;
}

std::string SmallLayer() {
  return Gzip(LayerTar({{.name = "bin/true", .data = "x", .mode = 0755}}));
}

TEST(HostileMetadata, LayerDigestMismatch) {
  Fixture f;
  WrittenImage w = WriteOciTar(SmallImage(), f.bad,
                               {.breakage = Breakage::kWrongLayerDigest, .broken_layer = 1});
  ExpectUnreadableNextToGood(
      RunBoth({f.bad, f.good}), f.bad, f.good,
      "blob " + w.layer_digests[1] + ": digest mismatch (got " + w.layer_blob_digests[1] + ")");
}

TEST(HostileMetadata, ConfigDigestMismatch) {
  Fixture f;
  WrittenImage w = WriteOciTar(SmallImage(), f.bad, {.breakage = Breakage::kWrongConfigDigest});
  ExpectUnreadableNextToGood(RunBoth({f.bad, f.good}), f.bad, f.good,
                             "blob " + w.config_digest + ": digest mismatch");
}

TEST(HostileMetadata, ManifestDigestMismatch) {
  Fixture f;
  std::string manifest_digest;
  RawOci spec{.layers = {SmallLayer()}};
  spec.edit_members = [&](std::vector<TarMemberSpec>* members) {
    // The manifest blob is the last one written; swap its bytes, keep its name.
    for (TarMemberSpec& m : *members) {
      if (m.data.find("\"layers\"") != std::string::npos) {
        manifest_digest = "sha256:" + m.name.substr(std::string("blobs/sha256/").size());
        m.data.insert(m.data.size() - 1, R"(,"annotations":{"evil":"1"})");
      }
    }
  };
  WriteRawOci(spec, f.bad);
  ASSERT_FALSE(manifest_digest.empty());
  ExpectUnreadableNextToGood(RunBoth({f.bad, f.good}), f.bad, f.good,
                             "blob " + manifest_digest + ": digest mismatch (got sha256:");
}

TEST(HostileMetadata, MissingBlobs) {
  {
    Fixture f;
    WrittenImage w = WriteOciTar(SmallImage(), f.bad,
                                 {.breakage = Breakage::kMissingLayerBlob, .broken_layer = 0});
    ExpectUnreadableNextToGood(RunBoth({f.bad, f.good}), f.bad, f.good,
                               "blob " + w.layer_digests[0] + ": missing from the archive");
  }
  {
    Fixture f;
    RawOci spec{.layers = {SmallLayer()}};
    const std::string config_member = "blobs/sha256/" + Hex(DigestOf(spec.config));
    spec.edit_members = [&](std::vector<TarMemberSpec>* members) {
      std::erase_if(*members, [&](const TarMemberSpec& m) { return m.name == config_member; });
    };
    WriteRawOci(spec, f.bad);
    ExpectUnreadableNextToGood(RunBoth({f.bad, f.good}), f.bad, f.good,
                               "blob " + DigestOf(spec.config) + ": missing from the archive");
  }
}

// Digests name blobs; one that is not sha256:<64 lowercase hex> is refused
// before it could become a path ("blobs/sha256/../../etc/passwd").
TEST(HostileMetadata, DigestsThatAreNotSha256) {
  const std::string hex64(64, 'a');
  for (const std::string& digest :
       {std::string("sha256:../../../../../../etc/passwd"), "sha512:" + hex64 + hex64,
        "SHA256:" + hex64, "sha256:" + hex64.substr(0, 63), "sha256:" + hex64 + "/../x",
        "sha256:" + std::string(64, 'A'), std::string("sha256:\x1b[2J\x07") + hex64,
        std::string()}) {
    Fixture f;
    RawOci spec{.layers = {SmallLayer()}};
    spec.edit_manifest = [&](json* manifest) { (*manifest)["layers"][0]["digest"] = digest; };
    WriteRawOci(spec, f.bad);
    Runs runs = RunBoth({f.bad, f.good});
    ExpectUnreadableNextToGood(runs, f.bad, f.good, "(expected sha256:<64 hex digits>)");
    EXPECT_EQ(runs.json_run.err.find('\x1b'), std::string::npos);
  }
}

TEST(HostileMetadata, DockerSaveLayerPathsWithDotDot) {
  for (const std::string& layer_path :
       {std::string("../../../../etc/passwd"), std::string("/etc/passwd"),
        std::string("a/../../outside.tar"), std::string("layer.tar\n\x1b[31m")}) {
    Fixture f;
    std::string layer = LayerTar({{.name = "bin/true", .data = "x", .mode = 0755}});
    std::string config = DefaultConfig();
    json manifest = json::array({{{"Config", Hex(DigestOf(config)) + ".json"},
                                  {"RepoTags", {"evil:1"}},
                                  {"Layers", {layer_path}}}});
    WriteTar({{.name = "manifest.json", .data = manifest.dump()},
              {.name = Hex(DigestOf(config)) + ".json", .data = config},
              {.name = "layer.tar", .data = layer}},
             f.bad);
    Runs runs = RunBoth({f.bad, f.good});
    ExpectUnreadableNextToGood(runs, f.bad, f.good, "manifest.json: layer ");
    EXPECT_EQ(runs.json_run.err.find('\x1b'), std::string::npos);
  }
}

TEST(HostileMetadata, AbsurdSizes) {
  for (const json& size : {json(-1), json(1e308), json("huge"), json(0)}) {
    Fixture f;
    RawOci spec{.layers = {SmallLayer()}};
    spec.edit_manifest = [&](json* manifest) {
      (*manifest)["layers"][0]["size"] = size;
      (*manifest)["config"]["size"] = size;
    };
    WriteRawOci(spec, f.bad);
    Runs runs = RunBoth({f.bad, f.good});
    // A size that is not a byte count says nothing: the bytes (and their
    // digests) decide.
    EXPECT_THAT(runs.json_run.exit_code, AnyOf(0, 1)) << size << runs.json_run.err;
    EXPECT_TRUE(runs.Target(f.bad)["error"].is_null()) << size;
  }
  {
    // A byte count that is not the layer's: the descriptor's size binds like
    // its digest (OCI image spec; issue 12: "digest and size verified"), so the
    // largest one is a clean error, not an allocation.
    Fixture f;
    RawOci spec{.layers = {SmallLayer()}};
    spec.edit_manifest = [&](json* manifest) {
      (*manifest)["layers"][0]["size"] = 18446744073709551615ull;
      (*manifest)["config"]["size"] = 18446744073709551615ull;
    };
    WriteRawOci(spec, f.bad);
    ExpectUnreadableNextToGood(RunBoth({f.bad, f.good}), f.bad, f.good,
                               "size mismatch (the descriptor declares 18446744073709551615 bytes");
  }
  // An outer tar member that claims 8 GiB but ends after a few bytes.
  Fixture f;
  RawTar outer;
  outer.Add({.name = "oci-layout", .data = R"({"imageLayoutVersion":"1.0.0"})"});
  outer.FileHeader("index.json", 077777777777ull);
  outer.Raw(R"({"manifests":[]})");
  WriteFileBytes(f.bad, outer.bytes());
  Runs runs = RunBoth({f.bad, f.good});
  ExpectUnreadableNextToGood(runs, f.bad, f.good, "");
}

TEST(HostileMetadata, JsonNestingDepthAndSize) {
  {
    Fixture f;
    RawOci spec{.layers = {SmallLayer()}};
    spec.config = R"({"os":"linux","architecture":"amd64","config":{"Labels":)" +
                  std::string(100'000, '[') + std::string(100'000, ']') + "}}";
    WriteRawOci(spec, f.bad);
    ExpectUnreadableNextToGood(RunBoth({f.bad, f.good}), f.bad, f.good,
                               ": JSON nested deeper than 64 levels");
  }
  {
    // 17 MiB index.json (valid JSON padded with spaces): over the default
    // metadata limit, accepted once it is raised.
    Fixture f;
    RawOci spec{.layers = {SmallLayer()}};
    spec.edit_members = [](std::vector<TarMemberSpec>* members) {
      for (TarMemberSpec& m : *members) {
        if (m.name == "index.json") m.data += std::string(17u << 20, ' ');
      }
    };
    WriteRawOci(spec, f.bad);
    ExpectUnreadableNextToGood(RunBoth({f.bad, f.good}), f.bad, f.good,
                               "index.json: larger than the limit of 16777216 bytes (raise the "
                               "limit with --max-metadata-bytes)");
    Runs raised = RunBoth({"--max-metadata-bytes", "32M", f.bad, f.good});
    EXPECT_THAT(raised.json_run.exit_code, AnyOf(0, 1)) << raised.json_run.err;
    EXPECT_TRUE(raised.Target(f.bad)["error"].is_null());
  }
}

// Amplification through repetition: one blob listed thousands of times must
// be read once (an untyped descriptor is read to learn what it is), and
// thousands of images sharing one large config are bounded by the total
// config bytes, not multiplied.
TEST(HostileMetadata, OneBlobListedThousandsOfTimes) {
  {
    Fixture f;
    RawOci spec{.layers = {SmallLayer()}};
    // The manifest, padded to 1 MiB and listed 3000 times without a media
    // type: 3 GB of JSON to parse if each listing were read.
    spec.edit_manifest = [](json* manifest) {
      (*manifest)["annotations"] = {{"pad", std::string(1u << 20, 'p')}};
    };
    spec.edit_members = [](std::vector<TarMemberSpec>* members) {
      for (TarMemberSpec& m : *members) {
        if (m.name != "index.json") continue;
        json index = json::parse(m.data);
        json one = index["manifests"][0];
        one.erase("mediaType");
        index["manifests"] = json::array();
        for (int i = 0; i < 3000; ++i) index["manifests"].push_back(one);
        m.data = index.dump();
      }
    };
    WriteRawOci(spec, f.bad);
    Runs runs = RunBoth({f.bad, f.good});
    EXPECT_THAT(runs.json_run.exit_code, AnyOf(0, 1)) << runs.json_run.err;
    EXPECT_TRUE(runs.Target(f.bad)["error"].is_null());
  }
  {
    // docker-save: 5000 images sharing one 1 MiB config.
    Fixture f;
    std::string config = json{{"os", "linux"},
                              {"architecture", "amd64"},
                              {"config", {{"Labels", {{"pad", std::string(1u << 20, 'p')}}}}}}
                             .dump();
    std::string config_name = Hex(DigestOf(config)) + ".json";
    json manifest = json::array();
    for (int i = 0; i < 5000; ++i) {
      manifest.push_back({{"Config", config_name},
                          {"RepoTags", {"x:" + std::to_string(i)}},
                          {"Layers", json::array()}});
    }
    WriteTar(
        {{.name = "manifest.json", .data = manifest.dump()}, {.name = config_name, .data = config}},
        f.bad);
    ExpectUnreadableNextToGood(RunBoth({f.bad, f.good}), f.bad, f.good,
                               "the image configs of this target add up to more than 67108864 "
                               "bytes (4 x the metadata limit) (raise the limit with "
                               "--max-metadata-bytes)");
  }
}

// An OCI layout directory is read without leaving it: a member that is a
// symlink to a host file is refused, and nothing of that file (not even its
// digest) reaches the report.
TEST(HostileMetadata, LayoutDirectorySymlinksOutside) {
  TempDir host;
  const std::string secret = host.File("secret");
  WriteFileBytes(secret, R"({"imglint-host-secret": "do not read"})");
  for (const std::string member : {"index.json", "config", "layer"}) {
    Fixture f;
    std::string dir = f.dir.File("layout");
    WrittenImage w = WriteOciDir(SmallImage(), dir);
    std::string victim = member == "index.json" ? dir + "/index.json"
                         : member == "config"   ? dir + "/blobs/sha256/" + Hex(w.config_digest)
                                                : dir + "/blobs/sha256/" + Hex(w.layer_digests[0]);
    std::filesystem::remove(victim);
    std::filesystem::create_symlink(secret, victim);
    Runs runs = RunBoth({dir, f.good});
    ExpectUnreadableNextToGood(runs, dir, f.good, "");
    for (const std::string& text : {runs.json_run.out, runs.json_run.err, runs.sarif_run.out}) {
      EXPECT_EQ(text.find("imglint-host-secret"), std::string::npos) << member;
      EXPECT_EQ(text.find(Hex(DigestOf(ReadFileBytes(secret)))), std::string::npos) << member;
    }
  }
}

TEST(HostileMetadata, NotAnImageAndEmptyFiles) {
  Fixture f;
  std::string junk = f.dir.File("junk.tar");
  RawTar tar;
  tar.Add({.name = "hello.txt", .data = "hi"});
  WriteFileBytes(junk, tar.Finish());
  Runs runs = RunBoth({junk, f.good});
  ExpectUnreadableNextToGood(runs, junk, f.good,
                             "not an image: no manifest.json or oci-layout/index.json");
}

}  // namespace
}  // namespace imglint::testing::hostile
