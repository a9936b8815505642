// SPDX-License-Identifier: Apache-2.0
// --jobs changes how many layers and targets are read at once, never the
// result: the JSON report is byte-identical with 1 and N jobs, for a
// multi-layer multi-platform image alone and for several targets at once
// (reported in command-line order, whichever read finishes first).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/cli_runner.h"
#include "tests/support/image_builder.h"
#include "tests/support/temp_dir.h"

namespace imglint::testing {
namespace {

using nlohmann::json;

// Layers with findings (setuid, capabilities, world-writable), whiteouts and
// a base layer shared by both platforms.
std::vector<LayerSpec> Layers(const std::string& arch, Compression compression) {
  std::vector<EntrySpec> base = {
      Dir("/etc"), File("/etc/passwd", 0644, "root:x:0:0::/root:/bin/sh\n"), Dir("/usr/bin"),
      File("/usr/bin/su", 04755), File("/usr/bin/old", 0755)};
  for (int i = 0; i < 40; ++i) base.push_back(File("/usr/share/f" + std::to_string(i), 0644, "x"));
  std::vector<LayerSpec> layers;
  layers.push_back({.compression = compression, .entries = base});
  layers.push_back({.compression = compression,
                    .entries = {Whiteout("/usr/bin/old"),
                                File("/usr/bin/ping", 0755).WithCaps(CapV2({"cap_net_raw"}, true)),
                                File("/" + arch + "-only", 0777)}});
  layers.push_back({.compression = Compression::kZstd,
                    .entries = {Opaque("/usr/share"), File("/usr/share/g", 02755),
                                Hardlink("/usr/bin/su2", "/usr/bin/su")}});
  return layers;
}

ImageSpec Platform(const std::string& arch, const std::string& variant) {
  ImageSpec spec;
  spec.config.architecture = arch;
  spec.config.variant = variant;
  spec.config.exposed_ports = {"22/tcp", "8080/tcp"};
  spec.layers = Layers(arch, Compression::kGzip);
  return spec;
}

CliResult RunJobs(const std::vector<std::string>& targets, const std::string& jobs) {
  std::vector<std::string> args = {"--format", "json", "--fail-on", "never", "--jobs", jobs};
  args.insert(args.end(), targets.begin(), targets.end());
  return RunImglint(args);
}

TEST(ParallelJobs, SameReportWithOneAndManyJobs) {
  TempDir dir;
  const std::string multi = dir.File("multi.tar");
  WriteMultiPlatformOciTar(
      {{"linux/amd64", Platform("amd64", "")}, {"linux/arm64/v8", Platform("arm64", "v8")}}, multi);
  ImageSpec plain;
  plain.layers = Layers("plain", Compression::kNone);
  const std::string save = dir.File("save.tar");
  WriteDockerSaveTar(plain, save);
  const std::string oci_dir = dir.File("oci-dir");
  WriteOciDir(Platform("amd64", ""), oci_dir);
  const std::string missing = dir.File("missing.tar");

  // One multi-platform image: its layers are what runs in parallel.
  CliResult one = RunJobs({multi}, "1");
  ASSERT_EQ(one.exit_code, 0) << one.err;
  json report = json::parse(one.out);
  ASSERT_FALSE(report["findings"].empty());
  for (const char* jobs : {"2", "3", "8"}) {
    CliResult many = RunJobs({multi}, jobs);
    EXPECT_EQ(many.exit_code, 0) << many.err;
    EXPECT_EQ(many.out, one.out) << "--jobs " << jobs;
  }

  // Several targets, an unreadable one among them: read concurrently.
  const std::vector<std::string> targets = {save, multi, missing, oci_dir};
  CliResult serial = RunJobs(targets, "1");
  EXPECT_EQ(serial.exit_code, 2) << serial.err;
  json all = json::parse(serial.out);
  ASSERT_EQ(all["targets"].size(), targets.size());
  for (std::size_t i = 0; i < targets.size(); ++i) {
    EXPECT_EQ(all["targets"][i]["path"], targets[i]) << i;
  }
  for (const char* jobs : {"2", "4", "16"}) {
    CliResult parallel = RunJobs(targets, jobs);
    EXPECT_EQ(parallel.exit_code, 2);
    EXPECT_EQ(parallel.out, serial.out) << "--jobs " << jobs;
    EXPECT_EQ(parallel.err, serial.err) << "--jobs " << jobs;
  }
}

// stderr is a pipe here, never a terminal: no progress line, ever.
TEST(ParallelJobs, NoProgressOutputWithoutATerminal) {
  TempDir dir;
  WriteOciDir(Platform("amd64", ""), dir.File("oci-dir"));
  CliResult r = RunJobs({dir.File("oci-dir")}, "2");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.err, "");
}

}  // namespace
}  // namespace imglint::testing
