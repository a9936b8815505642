// SPDX-License-Identifier: Apache-2.0
// The image side of every rule, on in-memory images: each case that fires has
// a near miss next to it that must not.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "analyzer/workspace/analyze.h"
#include "rules/engine.h"
#include "tests/support/cli_runner.h"
#include "tests/support/image_builder.h"
#include "tests/support/temp_dir.h"

namespace imglint {
namespace {

using ::testing::HasSubstr;

FileEntry File(std::string path, std::uint32_t mode, std::uint32_t uid = 0, std::uint32_t gid = 0) {
  return FileEntry{
      .path = std::move(path), .type = FileType::kRegular, .mode = mode, .uid = uid, .gid = gid};
}

struct ImageCase {
  std::string user;
  std::vector<std::string> ports;
  std::vector<FileEntry> files;
  std::optional<std::string> passwd =
      "root:x:0:0:root:/root:/bin/sh\n"
      "toor:x:0:0::/root:/bin/sh\n"
      "app:x:1000:1000::/home/app:/bin/sh\n";
  std::optional<std::string> group = "root:x:0:\nshadow:x:42:\napp:x:1000:\n";
  Runtime runtime = Runtime::kAuto;
};

std::vector<Finding> Lint(ImageCase c) {
  Workspace ws;
  ws.options.runtime = c.runtime;
  Image image;
  image.config.user = c.user;
  image.config.exposed_ports = c.ports;
  image.layers.push_back({.digest = "sha256:" + std::string(64, 'a')});
  std::sort(c.files.begin(), c.files.end(),
            [](const FileEntry& a, const FileEntry& b) { return a.path < b.path; });
  image.files = c.files;
  image.passwd = c.passwd;
  image.group = c.group;
  ws.images.push_back({.path = "app.tar", .images = {image}});
  Analyze(&ws);
  return RunRules(ws, {});
}

// A copy, so tests may call it on a temporary vector.
std::optional<Finding> First(const std::vector<Finding>& findings, std::string_view id) {
  for (const Finding& f : findings) {
    if (f.rule_id == id) return f;
  }
  return std::nullopt;
}

TEST(RootUserImage, EmptyUserIsRoot) {
  auto findings = Lint({.user = ""});
  auto f = First(findings, "IL101");
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->severity, Severity::kError);
  EXPECT_THAT(f->message, HasSubstr("no user is set"));
  EXPECT_EQ(f->location.path, "app.tar");
}

TEST(RootUserImage, RootSpellingsFire) {
  for (std::string user : {"root", "0", "0:0", "root:app", "0:1000", "toor", "toor:app"}) {
    EXPECT_NE(First(Lint({.user = user}), "IL101"), std::nullopt) << user;
  }
}

TEST(RootUserImage, Uid0AliasNamesPasswd) {
  auto f = First(Lint({.user = "toor"}), "IL101");
  ASSERT_TRUE(f.has_value());
  EXPECT_THAT(f->message, HasSubstr("\"toor\" has uid 0 in /etc/passwd"));
  EXPECT_EQ(f->location.image_path, "/etc/passwd");
}

TEST(RootUserImage, NonRootIsSilent) {
  for (std::string user : {"1000", "app", "1000:1000", "app:app", "65534"}) {
    EXPECT_EQ(First(Lint({.user = user}), "IL101"), std::nullopt) << user;
  }
}

TEST(UnknownUserImage, MissingNameFires) {
  auto findings = Lint({.user = "nobody2"});
  auto f = First(findings, "IL102");
  ASSERT_TRUE(f.has_value());
  EXPECT_THAT(f->message, HasSubstr("user \"nobody2\" is not in the image's /etc/passwd"));
  EXPECT_EQ(First(findings, "IL101"), std::nullopt);
}

TEST(UnknownUserImage, MissingGroupFires) {
  auto f = First(Lint({.user = "app:wheel"}), "IL102");
  ASSERT_TRUE(f.has_value());
  EXPECT_THAT(f->message, HasSubstr("group \"wheel\""));
}

TEST(UnknownUserImage, NoPasswdFileAtAll) {
  auto f = First(Lint({.user = "app", .passwd = std::nullopt}), "IL102");
  ASSERT_TRUE(f.has_value());
  EXPECT_THAT(f->message, HasSubstr("no /etc/passwd"));
}

TEST(UnknownUserImage, NumericIdsNeedNoEntry) {
  EXPECT_EQ(First(Lint({.user = "4242:4242", .passwd = std::nullopt}), "IL102"), std::nullopt);
  EXPECT_EQ(First(Lint({.user = "app:app"}), "IL102"), std::nullopt);
}

TEST(SetuidFileImage, ReportsSetuidRegularFilesOnly) {
  FileEntry dir{.path = "/tmp", .type = FileType::kDirectory, .mode = 01777};
  FileEntry setgid_dir{.path = "/var/mail", .type = FileType::kDirectory, .mode = 02775};
  FileEntry link{.path = "/usr/bin/chfn2",
                 .type = FileType::kHardlink,
                 .mode = 04755,
                 .link_target = "/usr/bin/passwd"};
  auto findings = Lint({.user = "app",
                        .files = {File("/usr/bin/passwd", 04755), File("/usr/bin/ls", 0755),
                                  File("/usr/bin/wall", 02755, 0, 42), dir, setgid_dir, link}});
  std::vector<std::string> setuid, setgid;
  for (const Finding& f : findings) {
    if (f.rule_id == "IL201") setuid.push_back(f.location.image_path);
    if (f.rule_id == "IL202") setgid.push_back(f.location.image_path);
  }
  EXPECT_THAT(setuid, ::testing::ElementsAre("/usr/bin/chfn2", "/usr/bin/passwd"));
  EXPECT_THAT(setgid, ::testing::ElementsAre("/usr/bin/wall"));
  const Finding* wall = nullptr;
  for (const Finding& f : findings) {
    if (f.location.image_path == "/usr/bin/wall") wall = &f;
  }
  ASSERT_NE(wall, nullptr);
  EXPECT_EQ(wall->message, "/usr/bin/wall is setgid shadow (mode 2755)");
  auto passwd = First(findings, "IL201");
  EXPECT_THAT(passwd->message, HasSubstr("a hard link to /usr/bin/passwd"));
  EXPECT_EQ(passwd->location.layer_digest, "sha256:" + std::string(64, 'a'));
}

TEST(FileCapabilityImage, SeverityFollowsDanger) {
  FileEntry ping = File("/usr/bin/ping", 0755);
  ping.capabilities = "cap_net_raw=ep";
  FileEntry admin = File("/usr/bin/tool", 0755);
  admin.capabilities = "cap_net_admin,cap_sys_admin=ep";
  FileEntry all = File("/usr/bin/all", 0755);
  all.capabilities = "=ep";
  auto findings = Lint({.user = "app", .files = {ping, admin, all}});
  std::map<std::string, Severity> by_path;
  for (const Finding& f : findings) {
    if (f.rule_id == "IL203") by_path[f.location.image_path] = f.severity;
  }
  EXPECT_EQ(by_path.at("/usr/bin/ping"), Severity::kWarning);
  EXPECT_EQ(by_path.at("/usr/bin/tool"), Severity::kError);
  EXPECT_EQ(by_path.at("/usr/bin/all"), Severity::kError);
}

TEST(FileCapabilityImage, NetBindServiceRecommendsSysctl) {
  FileEntry server = File("/usr/sbin/server", 0755);
  server.capabilities = "cap_net_bind_service=ep";
  auto f = First(Lint({.user = "app", .files = {server}}), "IL203");
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->message, "/usr/sbin/server has file capabilities cap_net_bind_service=ep");
  EXPECT_THAT(f->recommendation, HasSubstr("net.ipv4.ip_unprivileged_port_start=0"));
}

TEST(PrivilegedPortImage, LowPortsAndRangesFire) {
  auto findings =
      Lint({.user = "app", .ports = {"80/tcp", "8080/tcp", "1000-1100/udp", "53/sctp"}});
  std::vector<std::string> keys;
  for (const Finding& f : findings) {
    if (f.rule_id == "IL301") keys.push_back(f.subject.Key());
  }
  EXPECT_THAT(keys,
              ::testing::UnorderedElementsAre("port:80/tcp", "port:1000-1100/udp", "port:53/sctp"));
  EXPECT_THAT(First(findings, "IL301")->message, HasSubstr("Docker Engine >= 20.10"));
}

TEST(PrivilegedPortImage, HighPortsAreSilent) {
  EXPECT_EQ(First(Lint({.user = "app", .ports = {"1024/tcp", "8443/tcp"}}), "IL301"), std::nullopt);
}

TEST(InvalidPortImage, FlagsEachProblem) {
  auto findings = Lint({.user = "app", .ports = {"70000/tcp", "80/http", "90-80/tcp", "0/tcp"}});
  std::vector<std::string> messages;
  for (const Finding& f : findings) {
    if (f.rule_id == "IL302") messages.push_back(f.message);
  }
  EXPECT_THAT(messages,
              ::testing::UnorderedElementsAre(
                  HasSubstr("port 70000 is outside 1-65535"),
                  HasSubstr("protocol \"http\" is not tcp, udp or sctp"),
                  HasSubstr("malformed range 90-80"), HasSubstr("port 0 is outside 1-65535")));
}

TEST(PortPrivilegeImage, RootWithLowPortFires) {
  auto f = First(Lint({.user = "", .ports = {"443/tcp"}}), "IL304");
  ASSERT_TRUE(f.has_value());
  EXPECT_THAT(f->recommendation, HasSubstr("net.ipv4.ip_unprivileged_port_start=0"));
  EXPECT_EQ(First(Lint({.user = "", .ports = {"8443/tcp"}}), "IL304"), std::nullopt);
  EXPECT_EQ(First(Lint({.user = "app", .ports = {"443/tcp"}}), "IL304"), std::nullopt);
}

TEST(PortPrivilegeImage, NetBindServiceFileWithLowPortFires) {
  FileEntry server = File("/usr/sbin/server", 0755);
  server.capabilities = "cap_net_bind_service=ep";
  auto findings = Lint({.user = "app", .ports = {"80/tcp"}, .files = {server}});
  auto f = First(findings, "IL304");
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->location.image_path, "/usr/sbin/server");
  EXPECT_EQ(First(Lint({.user = "app", .ports = {"8080/tcp"}, .files = {server}}), "IL304"),
            std::nullopt);
}

TEST(MissingPortSysctlImage, OnlyWhenRuntimeIsNamedAndDoesNotSetIt) {
  ImageCase c{.user = "app", .ports = {"80/tcp"}};
  EXPECT_EQ(First(Lint(c), "IL303"), std::nullopt);  // no runtime named: IL301 speaks
  c.runtime = Runtime::kDocker;
  EXPECT_EQ(First(Lint(c), "IL303"), std::nullopt);
  c.runtime = Runtime::kPodman;
  auto f = First(Lint(c), "IL303");
  ASSERT_TRUE(f.has_value());
  EXPECT_THAT(f->message, HasSubstr("Podman does not set"));
  EXPECT_THAT(f->recommendation,
              HasSubstr("podman run --sysctl net.ipv4.ip_unprivileged_port_start=0"));
  c.user = "root";
  EXPECT_EQ(First(Lint(c), "IL303"), std::nullopt);  // root binds anyway: IL304's business
}

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
