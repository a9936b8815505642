// SPDX-License-Identifier: Apache-2.0
// Hostile layer tarballs, end to end through the real CLI (docs/design.md §8): every
// input is generated here, linted next to a good image, and must give the
// documented exit code, a message naming target, place and reason, complete
// JSON and SARIF in valid UTF-8, and no file written anywhere.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/hostile/hostile_util.h"

namespace imglint::testing::hostile {
namespace {

using ::testing::AnyOf;
using ::testing::HasSubstr;

// Image paths of the setuid findings (IL201) reported for `target`.
std::vector<std::string> SetuidPaths(const Runs& runs, const std::string& target) {
  std::vector<std::string> paths;
  for (const json& f : runs.FindingsFor(target)) {
    if (f["rule"] == "IL201") paths.push_back(f["location"]["image_path"]);
  }
  return paths;
}

struct Fixture {
  TempDir dir;
  std::string good = dir.File("good.tar");
  std::string bad = dir.File("bad.tar");
  Fixture() { WriteGoodImage(good); }
};

TEST(HostileTar, DotDotAndAbsoluteNamesStayInsideTheImage) {
  Fixture f;
  WriteRawOci({.layers = {Gzip(LayerTar({
                   {.name = "../../../../../tmp/imglint-escape/su", .data = "x", .mode = 04755},
                   {.name = "/abs/usr/bin/su", .data = "x", .mode = 04755},
                   {.name = "./usr/../usr/./bin//dots", .data = "x", .mode = 04755},
                   {.name = "usr/bin/../../../../../../etc/shadow", .data = "x", .mode = 04755},
               }))}},
              f.bad);
  Runs runs = RunBoth({f.bad, f.good});
  EXPECT_THAT(runs.json_run.exit_code, AnyOf(0, 1)) << runs.json_run.err;
  EXPECT_THAT(SetuidPaths(runs, f.bad),
              ::testing::UnorderedElementsAre("/tmp/imglint-escape/su", "/abs/usr/bin/su",
                                              "/usr/bin/dots", "/etc/shadow"));
  EXPECT_EQ(SetuidPaths(runs, f.good), std::vector<std::string>{"/usr/bin/su"});
  EXPECT_FALSE(std::filesystem::exists("/tmp/imglint-escape"));
}

TEST(HostileTar, InvalidUtf8AndControlBytesInNamesKeepTheFinding) {
  Fixture f;
  WriteRawOci({.layers = {Gzip(LayerTar({
                   {.name = "usr/bin/\xff\xfe-su", .data = "x", .mode = 04755},
                   {.name = "usr/bin/pax-\xc3\x28", .data = "x", .mode = 04755, .pax = true},
                   {.name = "usr/bin/\x1b[31mred\x07", .data = "x", .mode = 04755},
                   {.name = "usr/bin/overlong-\xc0\xaf", .data = "x", .mode = 04755},
               }))}},
              f.bad);
  Runs runs = RunBoth({f.bad, f.good});
  EXPECT_THAT(runs.json_run.exit_code, AnyOf(0, 1)) << runs.json_run.err;
  // Every finding is kept; the bytes are escaped or replaced, never dropped.
  EXPECT_EQ(SetuidPaths(runs, f.bad).size(), 4u) << runs.report["findings"].dump(2);
  std::size_t sarif_setuid = 0;
  for (const json& r : runs.sarif["runs"][0]["results"]) sarif_setuid += r["ruleId"] == "IL201";
  EXPECT_EQ(sarif_setuid, 5u);  // four here, one in the good image

  // The text report must not pass an escape sequence from an image to the
  // terminal either.
  TempDir cwd;
  CliResult text = RunImglint({"--color", "never", f.bad}, "", cwd.path());
  EXPECT_THAT(text.exit_code, AnyOf(0, 1));
  EXPECT_EQ(text.out.find('\x1b'), std::string::npos) << text.out;
  EXPECT_EQ(text.out.find('\x07'), std::string::npos) << text.out;
}

TEST(HostileTar, NulByteInPaxNameEndsTheName) {
  Fixture f;
  std::string name("usr/bin/su\0.hidden", 18);
  WriteRawOci(
      {.layers = {Gzip(LayerTar({{.name = name, .data = "x", .mode = 04755, .pax = true}}))}},
      f.bad);
  Runs runs = RunBoth({f.bad, f.good});
  EXPECT_THAT(runs.json_run.exit_code, AnyOf(0, 1)) << runs.json_run.err;
  std::vector<std::string> paths = SetuidPaths(runs, f.bad);
  ASSERT_EQ(paths.size(), 1u);
  EXPECT_THAT(paths[0], ::testing::StartsWith("/usr/bin/su"));
}

TEST(HostileTar, HundredKilobytePaxPathIsALimitWithAFlag) {
  Fixture f;
  std::string deep;
  while (deep.size() < 100 * 1024) deep += "d123456789/";
  deep += "su";
  WriteRawOci({.layers = {Gzip(LayerTar({{.name = deep, .data = "x", .mode = 04755}}))}}, f.bad);
  Runs runs = RunBoth({f.bad, f.good});
  ExpectUnreadableNextToGood(runs, f.bad, f.good,
                             "bytes, longer than the limit of 4096 (raise the limit with "
                             "--max-path-length)");
  // The message names the layer and a bounded excerpt of the entry.
  EXPECT_THAT(runs.json_run.err, HasSubstr(": layer sha256:"));
  EXPECT_LT(runs.json_run.err.size(), 2000u);

  // Raised, the same image is read and the finding has the whole path.
  Runs raised = RunBoth({"--max-path-length", "200K", f.bad, f.good});
  EXPECT_THAT(raised.json_run.exit_code, AnyOf(0, 1)) << raised.json_run.err;
  EXPECT_EQ(SetuidPaths(raised, f.bad), std::vector<std::string>{"/" + deep});
}

TEST(HostileTar, DuplicateEntriesTheLaterWins) {
  Fixture f;
  WriteRawOci({.layers = {Gzip(LayerTar({
                   {.name = "usr/bin/was-setuid", .data = "x", .mode = 04755},
                   {.name = "usr/bin/was-setuid", .data = "y", .mode = 0755},
                   {.name = "usr/bin/now-setuid", .data = "x", .mode = 0755},
                   {.name = "usr/bin/now-setuid", .data = "y", .mode = 04755},
                   {.name = "usr/bin/now-setuid", .type = RawTar::kDir, .mode = 0755},
                   {.name = "usr/bin/now-setuid", .data = "z", .mode = 04755},
               }))}},
              f.bad);
  Runs runs = RunBoth({f.bad, f.good});
  EXPECT_THAT(runs.json_run.exit_code, AnyOf(0, 1)) << runs.json_run.err;
  EXPECT_EQ(SetuidPaths(runs, f.bad), std::vector<std::string>{"/usr/bin/now-setuid"});
}

TEST(HostileTar, HardLinksToMissingTargetsChainsAndCycles) {
  Fixture f;
  WriteRawOci({.layers = {Gzip(LayerTar({
                   {.name = "usr/bin/ghost", .type = RawTar::kHardlink, .link = "usr/bin/nowhere"},
                   {.name = "usr/bin/a", .data = "x", .mode = 04755},
                   {.name = "usr/bin/b", .type = RawTar::kHardlink, .link = "usr/bin/a"},
                   {.name = "usr/bin/c", .type = RawTar::kHardlink, .link = "usr/bin/b"},
                   {.name = "usr/bin/d", .type = RawTar::kHardlink, .link = "usr/bin/c"},
                   {.name = "usr/bin/x", .type = RawTar::kHardlink, .link = "usr/bin/y"},
                   {.name = "usr/bin/y", .type = RawTar::kHardlink, .link = "usr/bin/x"},
                   {.name = "usr/bin/self", .type = RawTar::kHardlink, .link = "usr/bin/self"},
                   {.name = "usr/bin/out", .type = RawTar::kHardlink, .link = "../../etc/shadow"},
               }))}},
              f.bad);
  Runs runs = RunBoth({f.bad, f.good});
  EXPECT_THAT(runs.json_run.exit_code, AnyOf(0, 1)) << runs.json_run.err;
  std::vector<std::string> paths = SetuidPaths(runs, f.bad);
  // The chain shares the target's setuid bit; links to nowhere carry none.
  EXPECT_THAT(paths,
              ::testing::IsSupersetOf({"/usr/bin/a", "/usr/bin/b", "/usr/bin/c", "/usr/bin/d"}));
  EXPECT_THAT(paths, ::testing::Not(::testing::Contains("/usr/bin/ghost")));
}

// /etc/passwd is found through the image's own symlinks, inside its root:
// absolute targets and ".." climbing above "/" stay in the image.
TEST(HostileTar, AbsoluteSymlinkForPasswdResolvesInsideTheImage) {
  Fixture f;
  RawOci spec;
  spec.config =
      json{{"os", "linux"}, {"architecture", "amd64"}, {"config", {{"User", "imglint-hostile"}}}}
          .dump();
  spec.layers = {Gzip(LayerTar({
      {.name = "etc/passwd", .type = RawTar::kSymlink, .link = "/../../../../etc/alt/passwd"},
      {.name = "etc/alt/passwd",
       .data = "root:x:0:0::/root:/bin/sh\nimglint-hostile:x:1000:1000::/home:/bin/sh\n"},
  }))};
  WriteRawOci(spec, f.bad);
  Runs runs = RunBoth({f.bad, f.good});
  EXPECT_THAT(runs.json_run.exit_code, AnyOf(0, 1)) << runs.json_run.err;
  for (const json& finding : runs.FindingsFor(f.bad)) {
    EXPECT_NE(finding["rule"], "IL102")
        << "the user was not found in the image's passwd: " << finding.dump(2);
    EXPECT_NE(finding["rule"], "IL101") << finding.dump(2);
  }
}

TEST(HostileTar, SymlinkLoopsEndInBoundedTime) {
  Fixture f;
  RawOci spec;
  spec.config =
      json{{"os", "linux"}, {"architecture", "amd64"}, {"config", {{"User", "app"}}}}.dump();
  std::vector<RawTar::Entry> entries = {
      {.name = "etc/passwd", .type = RawTar::kSymlink, .link = "../etc/passwd2"},
      {.name = "etc/passwd2", .type = RawTar::kSymlink, .link = "/etc/passwd"},
      {.name = "etc/group", .type = RawTar::kSymlink, .link = "group"},
      {.name = "loop", .type = RawTar::kSymlink, .link = "loop/loop/loop"},
  };
  // A 40-hop chain that ends just past the hop limit.
  for (int i = 0; i < 45; ++i) {
    entries.push_back({.name = "chain/" + std::to_string(i),
                       .type = RawTar::kSymlink,
                       .link = "/chain/" + std::to_string(i + 1)});
  }
  spec.layers = {Gzip(LayerTar(entries))};
  WriteRawOci(spec, f.bad);
  Runs runs = RunBoth({f.bad, f.good});
  // A passwd that cannot be resolved is absent: "app" is an unknown user.
  EXPECT_THAT(runs.json_run.exit_code, AnyOf(0, 1)) << runs.json_run.err;
  EXPECT_TRUE(runs.Target(f.bad)["error"].is_null());
}

// 300,000 entries in one layer: read (the default limit is 2,000,000), and
// refused with a message naming the limit when it is lowered.
TEST(HostileTar, ThreeHundredThousandEntriesInOneLayer) {
  Fixture f;
  GzipWriter gz;
  RawTar tar;
  for (int i = 0; i < 300'000; ++i) {
    tar.Add({.name = "d" + std::to_string(i / 1000) + "/f" + std::to_string(i),
             .data = "",
             .mode = i == 299'999 ? 04755u : 0644u});
    if (tar.bytes().size() > (1 << 20)) gz.Write(tar.Take());
  }
  gz.Write(tar.Finish());
  const std::string layer = gz.Finish();
  WriteRawOci({.layers = {layer}}, f.bad);
  Runs runs = RunBoth({f.bad, f.good});
  EXPECT_THAT(runs.json_run.exit_code, AnyOf(0, 1)) << runs.json_run.err;
  EXPECT_EQ(SetuidPaths(runs, f.bad), std::vector<std::string>{"/d299/f299999"});

  Runs limited = RunBoth({"--max-entries-per-layer", "100000", f.bad, f.good});
  ExpectUnreadableNextToGood(limited, f.bad, f.good,
                             "more than 100000 entries in one layer (raise the limit with "
                             "--max-entries-per-layer)");

  // One manifest listing that layer 70 times asks for 21,000,000 merges:
  // more than --max-total-entries allows, however small the tarball is.
  std::string repeated = f.dir.File("repeated.tar");
  RawOci spec;
  spec.layers = {layer};
  spec.edit_manifest = [](json* manifest) {
    json one = (*manifest)["layers"][0];
    for (int i = 1; i < 70; ++i) (*manifest)["layers"].push_back(one);
  };
  WriteRawOci(spec, repeated);
  Runs merged = RunBoth({repeated, f.good});
  ExpectUnreadableNextToGood(merged, repeated, f.good,
                             "layer entries to merge, more than the limit of 20000000 (raise the "
                             "limit with --max-total-entries)");
}

TEST(HostileTar, TruncatedOuterArchive) {
  Fixture f;
  ImageSpec spec;
  std::vector<EntrySpec> files;
  for (int i = 0; i < 50; ++i) {
    files.push_back(File("/data/f" + std::to_string(i), 0644, std::string(4000, 'a' + i % 26)));
  }
  spec.layers.push_back({.compression = Compression::kNone, .entries = files});
  std::string whole = f.dir.File("whole.tar");
  WriteOciTar(spec, whole);
  std::string bytes = ReadFileBytes(whole);
  WriteFileBytes(f.bad, std::string_view(bytes).substr(0, bytes.size() / 2 + 100));
  Runs runs = RunBoth({f.bad, f.good});
  EXPECT_EQ(runs.json_run.exit_code, 2);
  ExpectUnreadableNextToGood(runs, f.bad, f.good, "");
  // Through standard input (the one-pass stream reader) as well. imglint may
  // stop reading early; a closed pipe must not kill the test.
  ::signal(SIGPIPE, SIG_IGN);
  TempDir cwd;
  CliResult stream =
      RunImglint({"--format", "json", "-", f.good}, bytes.substr(0, bytes.size() / 2), cwd.path());
  EXPECT_EQ(stream.exit_code, 2);
  EXPECT_THAT(stream.err, HasSubstr("imglint: <stdin>: "));
  EXPECT_FALSE(json::parse(stream.out, nullptr, false).is_discarded());
}

TEST(HostileTar, TruncatedAndCorruptLayersMidStream) {
  struct Case {
    Compression compression;
    Breakage breakage;
    std::string reason;
  };
  for (const Case& c : {
           Case{Compression::kGzip, Breakage::kTruncatedLayer, "gzip data is truncated"},
           Case{Compression::kZstd, Breakage::kTruncatedLayer, "zstd data is truncated"},
           Case{Compression::kGzip, Breakage::kCorruptLayer, ""},
           Case{Compression::kZstd, Breakage::kCorruptLayer, ""},
       }) {
    Fixture f;
    ImageSpec spec;
    std::vector<EntrySpec> files;
    for (int i = 0; i < 200; ++i) {
      files.push_back(File("/data/f" + std::to_string(i), 0644, std::string(3000, 'a' + i % 26)));
    }
    spec.layers.push_back({.compression = c.compression, .entries = {Dir("/etc")}});
    spec.layers.push_back({.compression = c.compression, .entries = files});
    WrittenImage w = WriteOciTar(spec, f.bad, {.breakage = c.breakage, .broken_layer = 1});
    Runs runs = RunBoth({f.bad, f.good});
    ExpectUnreadableNextToGood(runs, f.bad, f.good,
                               "layer " + w.layer_digests[1] + ": " + c.reason);
  }
}

// A 4 GiB file of zeros in a ~4 MB gzip layer: read to the end in bounded
// memory (layers are streamed, never stored), and refused once
// --max-decompressed-bytes is lower than the layer.
TEST(HostileTar, FourGibibyteDecompressionBomb) {
  Fixture f;
  const std::string bomb = GzipZeroBomb(4ull << 30);
  ASSERT_LT(bomb.size(), 8u << 20);
  WriteRawOci({.layers = {bomb}}, f.bad);

  TempDir cwd;
  MeasuredRun run =
      RunMeasured({"--format", "json", "--fail-on", "warning", f.bad, f.good}, cwd.path());
  const CliResult& r = run.result;
  EXPECT_EQ(r.exit_code, 1) << r.err;  // the good image's setuid warning
  json report = json::parse(r.out, nullptr, false);
  ASSERT_FALSE(report.is_discarded()) << r.out;
  EXPECT_TRUE(report["targets"][0]["error"].is_null()) << r.out;
  EXPECT_TRUE(ListDir(cwd.path()).empty());
  EXPECT_GT(run.max_rss_bytes, 0u);
  EXPECT_LT(run.max_rss_bytes, kRssBound);

  Runs limited = RunBoth({"--max-decompressed-bytes", "1G", f.bad, f.good});
  ExpectUnreadableNextToGood(limited, f.bad, f.good,
                             "decompressed size exceeds the limit of 1073741824 bytes (raise the "
                             "limit with --max-decompressed-bytes)");
}

}  // namespace
}  // namespace imglint::testing::hostile
