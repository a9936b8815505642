// SPDX-License-Identifier: Apache-2.0
// IL002 and the Linux-only rules: a Windows image (config os: windows) or a
// Dockerfile on a Windows base gets one note and no Linux rule; Linux
// targets linted beside it are untouched, and so is a Linux platform of an
// index that also holds a Windows one.
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

using json = nlohmann::json;
using ::testing::HasSubstr;

// Root, a setuid file, a capability and port 80: every Linux rule fires.
ImageSpec PrivilegedImage(const std::string& os) {
  ImageSpec spec;
  spec.config.os = os;
  spec.config.exposed_ports = {"80/tcp"};
  spec.layers.push_back(
      {.entries = {
           Dir("/usr"), Dir("/usr/bin"), File("/usr/bin/su", 04755, "x").WithOwner(0, 0),
           File("/usr/bin/web", 0755, "x").WithCaps(CapV2({"cap_net_bind_service"}, true))}});
  return spec;
}

std::vector<std::string> RulesAt(const json& doc, const std::string& path,
                                 const std::string& platform = "") {
  std::vector<std::string> out;
  for (const json& f : doc["findings"]) {
    if (f["location"]["path"] != path) continue;
    if (!platform.empty() && f["location"].value("platform", "") != platform) continue;
    out.push_back(f["rule"]);
  }
  std::sort(out.begin(), out.end());
  return out;
}

json LintJson(const TempDir& dir, const std::vector<std::string>& targets) {
  std::vector<std::string> args = {"--format", "json", "--fail-on", "never"};
  args.insert(args.end(), targets.begin(), targets.end());
  CliResult r = RunImglint(args, "", dir.path());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return json::parse(r.out, nullptr, false);
}

TEST(WindowsImage, WindowsImageGetsOneNoteLinuxImageEverything) {
  TempDir dir;
  WriteOciTar(PrivilegedImage("windows"), dir.File("win.tar"));
  WriteOciTar(PrivilegedImage("linux"), dir.File("linux.tar"));
  json doc = LintJson(dir, {"win.tar", "linux.tar"});
  EXPECT_EQ(RulesAt(doc, "win.tar"), std::vector<std::string>{"IL002"});
  EXPECT_EQ(RulesAt(doc, "linux.tar"),
            (std::vector<std::string>{"IL101", "IL201", "IL203", "IL301", "IL304", "IL304"}));
}

TEST(WindowsImage, OnlyTheWindowsPlatformOfAnIndexIsSkipped) {
  TempDir dir;
  WriteMultiPlatformOciTar(
      {{"linux/amd64", PrivilegedImage("linux")}, {"windows/amd64", PrivilegedImage("windows")}},
      dir.File("multi.tar"));
  json doc = LintJson(dir, {"multi.tar"});
  EXPECT_EQ(RulesAt(doc, "multi.tar", "windows/amd64"), std::vector<std::string>{"IL002"});
  EXPECT_THAT(RulesAt(doc, "multi.tar", "linux/amd64"), ::testing::Contains("IL201"));
}

TEST(WindowsImage, DockerfileOnAWellKnownWindowsBase) {
  TempDir dir;
  WriteFileBytes(dir.File("Dockerfile"),
                 "FROM mcr.microsoft.com/dotnet/framework/aspnet:4.8 AS base\n"
                 "RUN icacls C:\\\\app /grant Everyone:F\n"
                 "FROM base\nEXPOSE 80\nUSER ContainerAdministrator\n");
  WriteFileBytes(dir.File("linux.Dockerfile"), "FROM debian:12\nEXPOSE 80\n");
  json doc = LintJson(dir, {"Dockerfile", "linux.Dockerfile"});
  ASSERT_EQ(RulesAt(doc, "Dockerfile"), std::vector<std::string>{"IL002"});
  for (const json& f : doc["findings"]) {
    if (f["location"]["path"] != "Dockerfile") continue;
    EXPECT_EQ(f["location"]["line"], 1);  // the FROM naming the Windows base
    EXPECT_THAT(f["message"].get<std::string>(),
                HasSubstr("mcr.microsoft.com/dotnet/framework/aspnet:4.8 is a Windows image"));
  }
  EXPECT_EQ(RulesAt(doc, "linux.Dockerfile"),
            (std::vector<std::string>{"IL101", "IL301", "IL304"}));
  // --ignore IL002 silences the note and still keeps the Linux rules off.
  CliResult ignored =
      RunImglint({"--format", "json", "--ignore", "IL002", "Dockerfile"}, "", dir.path());
  EXPECT_EQ(ignored.exit_code, 0) << ignored.err;
  EXPECT_EQ(json::parse(ignored.out)["findings"].size(), 0u);
}

}  // namespace
}  // namespace imglint::testing
