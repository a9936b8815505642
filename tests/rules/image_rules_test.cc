// SPDX-License-Identifier: Apache-2.0
// Fingerprints of image findings, through real tarballs. The image side of
// each rule is tested in its own file (tests/rules/<rule>_test.cc).
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/cli_runner.h"
#include "tests/support/image_builder.h"
#include "tests/support/temp_dir.h"

namespace imglint {
namespace {

// Through real tarballs linted under one name: the same files written in
// another order (and split over other layers) give the same fingerprints,
// different files different ones, and a second run the same again. Nothing
// is sorted here: the reader and the engine must make it so.
TEST(Fingerprints, IndependentOfOrderAndStable) {
  testing::TempDir one, two;
  auto file = [](const char* path) { return testing::File(path, 04755, "x").WithOwner(0, 0); };
  testing::ImageSpec a;
  a.layers.push_back({.entries = {testing::Dir("/bin"), file("/bin/a"), file("/bin/b")}});
  testing::ImageSpec b;
  b.layers.push_back({.entries = {testing::Dir("/bin"), file("/bin/b")}});
  b.layers.push_back({.entries = {file("/bin/a")}});
  testing::WriteOciTar(a, one.File("app.tar"));
  testing::WriteOciTar(b, two.File("app.tar"));
  auto fingerprints = [](const testing::TempDir& dir) {
    testing::CliResult r = testing::RunImglint({"--format", "json", "app.tar"}, "", dir.path());
    EXPECT_EQ(r.exit_code, 1) << r.err;
    const nlohmann::json doc = nlohmann::json::parse(r.out);
    std::map<std::string, std::string> out;
    for (const nlohmann::json& f : doc["findings"]) {
      out[f["rule"].get<std::string>() + " " + f["location"]["image_path"].dump()] =
          f["fingerprint"];
    }
    return out;
  };
  const auto from_one = fingerprints(one);
  ASSERT_TRUE(from_one.count("IL201 \"/bin/a\"") && from_one.count("IL201 \"/bin/b\""));
  EXPECT_EQ(from_one, fingerprints(two));
  EXPECT_EQ(from_one, fingerprints(one));
  EXPECT_NE(from_one.at("IL201 \"/bin/a\""), from_one.at("IL201 \"/bin/b\""));
  EXPECT_EQ(from_one.begin()->second.size(), 32u);
}

}  // namespace
}  // namespace imglint
