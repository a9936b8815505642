// SPDX-License-Identifier: Apache-2.0
// Issue 12's "layers in parallel under --jobs", end to end through the real
// CLI: an image with several layers of a few MiB each, pulled through the
// `flaky` server (tests/infra/flaky_server.py), whose log has, for every
// blob GET, when the request arrived (`start`) and when its last bytes were
// about to be written (`last_write`: the client cannot have finished reading
// before that).
//
// Whether two GETs overlap is decided by causality, not by how fast this
// machine is:
// - --jobs 1: a layer is read to its end before the next is asked for, so
//   every layer GET starts after the previous one's last write.
// - --jobs 4: the repository's name holds the layer GETs at a gate
//   ("barrier2-layers-always") until two are in flight at once (else 10 s,
//   logged as "timeout"): they can only all pass as "opened" if the client
//   really has several layer requests open together, and the first two then
//   overlap by construction.
// Both runs give the same findings, and the findings of the tarball.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "tests/registry/registry_test_util.h"

namespace imglint::testing {
namespace {

using ::testing::SizeIs;

constexpr int kBigLayers = 4;
constexpr std::size_t kLayerBytes = 3u << 20;

// LintableImage plus kBigLayers layers of one incompressible file each, so
// each layer blob is a few MiB on the wire.
ImageSpec ImageWithBigLayers(const std::string& marker) {
  ImageSpec spec = LintableImage(marker);
  std::mt19937_64 rng(std::hash<std::string>{}(marker));
  for (int i = 0; i < kBigLayers; ++i) {
    std::string data(kLayerBytes, '\0');
    for (std::size_t j = 0; j + 8 <= data.size(); j += 8) {
      std::uint64_t v = rng();
      std::memcpy(&data[j], &v, 8);
    }
    spec.layers.push_back({.compression = Compression::kGzip,
                           .entries = {Dir("/data"), File("/data/blob-" + std::to_string(i), 0644,
                                                          std::move(data))}});
  }
  return spec;
}

struct Interval {
  double start;
  double last_write;
  std::string gate;
};

// The layer GETs of `repo` in the flaky server's log, one per layer.
std::vector<Interval> LayerGets(const Registry& flaky, const std::string& repo,
                                const WrittenImage& written) {
  std::vector<Interval> out;
  for (const std::string& digest : written.layer_digests) {
    std::vector<json> requests =
        LogEntries(flaky.request_log, "path", "/v2/" + repo + "/blobs/" + digest);
    EXPECT_THAT(requests, SizeIs(1)) << digest;
    for (const json& r : requests) {
      EXPECT_EQ(r["status"], 200) << r.dump();
      out.push_back({r["start"].get<double>(), r["last_write"].get<double>(),
                     r.value("gate", std::string())});
    }
  }
  return out;
}

bool Overlap(const Interval& a, const Interval& b) {
  return a.start < b.last_write && b.start < a.last_write;
}

TEST(RegistryParallelTest, LayersOverlapUnderJobsFourAndNotUnderJobsOne) {
  TempDir dir;
  const Registry& plain = GetRegistry("plain");
  const Registry& flaky = GetRegistry("flaky");
  std::string name = UniqueName("parallel");
  std::string tarball = dir.File("image.tar");
  WrittenImage written = WriteOciTar(ImageWithBigLayers(name), tarball);
  ASSERT_THAT(written.layer_digests, SizeIs(kBigLayers + 1));
  const std::string serial_repo = name;
  const std::string parallel_repo = "barrier2-layers-always/" + name;
  PushImage("oci-archive:" + tarball, plain, serial_repo + ":1");
  PushImage("oci-archive:" + tarball, plain, parallel_repo + ":1");

  const std::string serial_ref = flaky.DockerRef(serial_repo + ":1");
  const std::string parallel_ref = flaky.DockerRef(parallel_repo + ":1");
  LintRun serial = LintJson(dir, {"--jobs", "1", serial_ref});
  ASSERT_TRUE(Linted(serial, serial_ref));
  LintRun parallel = LintJson(dir, {"--jobs", "4", parallel_ref});
  ASSERT_TRUE(Linted(parallel, parallel_ref));
  LintRun file = LintJson(dir, {tarball});
  ASSERT_TRUE(Linted(file, tarball));

  std::vector<std::string> findings = ComparableFindings(serial.report, serial_ref);
  EXPECT_FALSE(findings.empty());
  EXPECT_EQ(ComparableFindings(parallel.report, parallel_ref), findings);
  EXPECT_EQ(ComparableFindings(file.report, tarball), findings);

  std::vector<Interval> one = LayerGets(flaky, serial_repo, written);
  for (std::size_t i = 0; i < one.size(); ++i) {
    for (std::size_t j = i + 1; j < one.size(); ++j) {
      EXPECT_FALSE(Overlap(one[i], one[j]))
          << "--jobs 1 had layers " << i << " and " << j << " in flight together";
    }
  }
  std::vector<Interval> four = LayerGets(flaky, parallel_repo, written);
  int overlapping = 0;
  for (std::size_t i = 0; i < four.size(); ++i) {
    EXPECT_EQ(four[i].gate, "opened") << "layer " << i << " waited alone at the gate";
    for (std::size_t j = i + 1; j < four.size(); ++j) overlapping += Overlap(four[i], four[j]);
  }
  EXPECT_GT(overlapping, 0) << "--jobs 4 never had two layers in flight";
}

}  // namespace
}  // namespace imglint::testing
