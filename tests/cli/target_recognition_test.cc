// SPDX-License-Identifier: Apache-2.0
// How a target is recognised (docs/design.md §2): in a directory by name —
// Dockerfile, Containerfile, Dockerfile.*, Dockerfile-*, Dockerfile_*,
// *.Dockerfile, *-Dockerfile, *_Dockerfile — and named on the command line
// by content, whatever its name: a Dockerfile whose first instruction after
// comments and directives is FROM or ARG, Kubernetes or Compose YAML.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "analyzer/workspace/discovery.h"
#include "analyzer/workspace/read_text.h"
#include "tests/support/cli_runner.h"
#include "tests/support/temp_dir.h"

namespace imglint::testing {
namespace {

using json = nlohmann::json;
using ::testing::HasSubstr;

json LintJson(const TempDir& dir, const std::vector<std::string>& targets) {
  std::vector<std::string> args = {"--format", "json", "--fail-on", "never"};
  args.insert(args.end(), targets.begin(), targets.end());
  CliResult r = RunImglint(args, "", dir.path());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return json::parse(r.out, nullptr, false);
}

std::string KindOf(const json& doc, const std::string& path) {
  for (const json& t : doc["targets"]) {
    if (t["path"] == path) return t["kind"];
  }
  return "(absent)";
}

TEST(TargetRecognition, DockerfileNames) {
  for (const char* yes :
       {"Dockerfile", "containerfile", "Dockerfile.prod", "Dockerfile-prod", "Dockerfile_prod",
        "app.Dockerfile", "app-Dockerfile", "app_dockerfile", "DOCKERFILE"}) {
    EXPECT_TRUE(IsDockerfileName(yes)) << yes;
  }
  for (const char* no :
       {"Dockerfiles", "myDockerfile", "Dockerfilex", "docker-compose.yml", "README.md"}) {
    EXPECT_FALSE(IsDockerfileName(no)) << no;
  }
}

TEST(TargetRecognition, DirectoryFindsEveryDockerfileSpelling) {
  TempDir dir;
  std::filesystem::create_directories(dir.File("src"));
  for (const char* name :
       {"Dockerfile-prod", "Dockerfile_ci", "web-Dockerfile", "web_Dockerfile"}) {
    WriteFileBytes(dir.File(std::string("src/") + name), "FROM alpine\nEXPOSE 80\n");
  }
  WriteFileBytes(dir.File("src/notes.txt"), "FROM the top, this is not linted\n");
  json doc = LintJson(dir, {"src"});
  ASSERT_TRUE(doc.is_object());
  EXPECT_EQ(doc["targets"].size(), 4u) << doc["targets"].dump(1);
  for (const char* name :
       {"Dockerfile-prod", "Dockerfile_ci", "web-Dockerfile", "web_Dockerfile"}) {
    EXPECT_EQ(KindOf(doc, std::string("src/") + name), "dockerfile") << name;
  }
}

// A directory scan reads directories and regular files only. A FIFO named
// Dockerfile used to be opened, and the open waited forever for a writer; a
// symbolic link is not followed out of the tree.
TEST(TargetRecognition, DirectoryScanSkipsFifosAndSymlinks) {
  TempDir dir;
  std::filesystem::create_directories(dir.File("src"));
  WriteFileBytes(dir.File("src/Dockerfile"), "FROM alpine\nEXPOSE 80\n");
  WriteFileBytes(dir.File("outside.Dockerfile"), "FROM alpine\nUSER root\n");
  std::filesystem::create_symlink("../outside.Dockerfile", dir.File("src/link.Dockerfile"));
  const std::string fifo = dir.File("src/Containerfile");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  // Were the FIFO opened, this writer (after 2 s) would let the lint finish
  // with the FIFO as an empty Dockerfile, and the test fail instead of hang.
  std::atomic<bool> finished{false};
  std::thread unblock([&] {
    for (int waited = 0; !finished && waited < 20000; waited += 10) {
      if (waited >= 2000) {
        const int fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK);  // ENXIO: no reader yet
        if (fd >= 0) {
          ::close(fd);
          return;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  });
  json doc = LintJson(dir, {"src"});
  finished = true;
  unblock.join();
  ASSERT_TRUE(doc.is_object());
  EXPECT_EQ(doc["targets"].size(), 1u) << doc["targets"].dump(1);
  EXPECT_EQ(KindOf(doc, "src/Dockerfile"), "dockerfile");
}

// Text targets are read in 64 KiB chunks without a stat(2) when discovery saw
// a regular file: a file longer than a chunk, or exactly one chunk long, is
// read whole (the EXPOSE on its last line is found).
TEST(TargetRecognition, LongDockerfilesAreReadWhole) {
  TempDir dir;
  std::filesystem::create_directories(dir.File("src"));
  for (const size_t size : {size_t{64} << 10, size_t{200} << 10}) {
    const std::string tail = "EXPOSE 80\n";
    std::string text = "FROM alpine\n";
    while (text.size() + tail.size() < size) text += "# " + std::string(77, 'x') + "\n";
    text.resize(size - tail.size(), '#');
    text.back() = '\n';
    text += tail;
    ASSERT_EQ(text.size(), size);
    const std::string name = std::to_string(size) + ".Dockerfile";
    WriteFileBytes(dir.File("src/" + name), text);
    const int lines = static_cast<int>(std::count(text.begin(), text.end(), '\n'));
    for (const std::string& target : {std::string("src"), "src/" + name}) {
      json doc = LintJson(dir, {target});
      ASSERT_TRUE(doc.is_object());
      bool found = false;
      for (const json& f : doc["findings"]) {
        if (f["rule"] == "IL301" && f["location"]["path"] == "src/" + name) {
          EXPECT_EQ(f["location"]["line"], lines) << target;
          found = true;
        }
      }
      EXPECT_TRUE(found) << size << " bytes, as " << target;
    }
  }
}

// A text target over 64 MiB is refused with a message naming it, whether the
// scan found it (read, no stat) or --dockerfile named it (stat first); the
// other targets are still linted.
TEST(TargetRecognition, TextTargetsOver64MiBAreRefused) {
  TempDir dir;
  std::filesystem::create_directories(dir.File("src"));
  WriteFileBytes(dir.File("src/Dockerfile"), "FROM alpine\nEXPOSE 80\n");
  const std::string big = dir.File("src/big.Dockerfile");
  WriteFileBytes(big, "FROM alpine\n");
  std::filesystem::resize_file(big, (size_t{64} << 20) + 1);  // sparse
  for (const std::vector<std::string>& targets :
       {std::vector<std::string>{"src"},
        std::vector<std::string>{"--dockerfile", "src/big.Dockerfile", "src/Dockerfile"}}) {
    std::vector<std::string> args = {"--format", "json", "--fail-on", "never"};
    args.insert(args.end(), targets.begin(), targets.end());
    CliResult r = RunImglint(args, "", dir.path());
    EXPECT_EQ(r.exit_code, 2) << targets[0];
    EXPECT_THAT(r.err, HasSubstr("src/big.Dockerfile: file is larger than 64 MiB")) << targets[0];
    json doc = json::parse(r.out, nullptr, false);
    ASSERT_TRUE(doc.is_object()) << r.out;
    EXPECT_EQ(KindOf(doc, "src/Dockerfile"), "dockerfile");
  }
}

// A FIFO named with --dockerfile is read to its end, across short reads: the
// writer sends the Dockerfile in two parts with a pause between them.
TEST(TargetRecognition, DockerfileFromANamedPipeIsReadToTheEnd) {
  TempDir dir;
  const std::string fifo = dir.File("pipe");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::thread writer([&] {
    const int fd = ::open(fifo.c_str(), O_WRONLY);  // waits for imglint to open it
    if (fd < 0) return;
    const std::string first = "FROM alpine\nRUN true\n";
    const std::string second = "EXPOSE 80\n";
    EXPECT_EQ(::write(fd, first.data(), first.size()), static_cast<ssize_t>(first.size()));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_EQ(::write(fd, second.data(), second.size()), static_cast<ssize_t>(second.size()));
    ::close(fd);
  });
  CliResult r = RunImglint({"--format", "json", "--fail-on", "never", "--dockerfile", "pipe"}, "",
                           dir.path());
  writer.join();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  json doc = json::parse(r.out, nullptr, false);
  ASSERT_TRUE(doc.is_object()) << r.out;
  std::vector<std::string> rules;
  for (const json& f : doc["findings"]) rules.push_back(f["rule"]);
  EXPECT_THAT(rules, ::testing::Contains("IL301"));  // EXPOSE 80, from the second write
}

// A file discovery listed as regular can be swapped for a FIFO before it is
// opened. Reading it then must not wait for a writer: with none, and with
// one that holds the FIFO open and writes nothing, it reads as empty at once.
// (Before, both waited forever; the suite's timeout would report it.)
TEST(TargetRecognition, AFileSeenAsRegularThatIsNowAFifoDoesNotBlock) {
  TempDir dir;
  const std::string fifo = dir.File("Dockerfile");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::string text;
  std::string error;
  EXPECT_TRUE(ReadTextFile(fifo, /*known_regular=*/true, &text, &error)) << error;
  EXPECT_EQ(text, "");
  EXPECT_EQ(ReadFilePrefix(fifo, 64 << 10), "");
  // A writer that keeps it open and is silent.
  const int writer = ::open(fifo.c_str(), O_RDWR | O_NONBLOCK);
  ASSERT_GE(writer, 0);
  EXPECT_TRUE(ReadTextFile(fifo, /*known_regular=*/true, &text, &error)) << error;
  EXPECT_EQ(text, "");
  EXPECT_EQ(ReadFilePrefix(fifo, 64 << 10), "");
  // What it holds is what is read.
  ASSERT_EQ(::write(writer, "FROM a\n", 7), 7);
  EXPECT_TRUE(ReadTextFile(fifo, /*known_regular=*/true, &text, &error)) << error;
  EXPECT_EQ(text, "FROM a\n");
  ::close(writer);
}

TEST(TargetRecognition, ExplicitFilesByContent) {
  TempDir dir;
  WriteFileBytes(dir.File("build.txt"),
                 "# syntax=docker/dockerfile:1\n# a comment\n\n  arg BASE=alpine\nFROM $BASE\n"
                 "EXPOSE 80\n");
  WriteFileBytes(dir.File("pod.manifest"),
                 "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n"
                 "  - name: c\n    image: x\n    securityContext:\n      runAsUser: 0\n");
  WriteFileBytes(dir.File("stack.conf"), "services:\n  web:\n    image: x\n    user: root\n");
  json doc = LintJson(dir, {"build.txt", "pod.manifest", "stack.conf"});
  ASSERT_TRUE(doc.is_object());
  EXPECT_EQ(KindOf(doc, "build.txt"), "dockerfile");
  EXPECT_EQ(KindOf(doc, "pod.manifest"), "kubernetes");
  EXPECT_EQ(KindOf(doc, "stack.conf"), "compose");
  std::vector<std::string> rules;
  for (const json& f : doc["findings"]) rules.push_back(f["rule"]);
  EXPECT_THAT(rules, ::testing::Contains("IL301"));  // the Dockerfile's EXPOSE 80
  EXPECT_THAT(rules, ::testing::Contains("IL101"));  // runAsUser: 0, user: root
}

TEST(TargetRecognition, ExplicitFileThatIsNothingIsAnError) {
  TempDir dir;
  WriteFileBytes(dir.File("notes.txt"), "FROMAGE is cheese\nRUN away\n");
  WriteFileBytes(dir.File("binary.dat"), std::string("FROM x\0\1\2", 9));
  CliResult r = RunImglint({"--format", "json", "notes.txt", "binary.dat"}, "", dir.path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("notes.txt: not recognised"));
  EXPECT_THAT(r.err, HasSubstr("binary.dat: not recognised"));
}

// Issue 13: every real Dockerfile of the shared corpus lints when named on
// the command line (357 of 385 were refused by name before), and a scan of
// the corpus directory finds each of them.
TEST(TargetRecognition, EveryCorpusDockerfileByPathAndByDirectory) {
  const std::string shared = SharedDir();
  const std::filesystem::path root = std::filesystem::path(shared) / "corpus" / "dockerfiles";
  if (shared.empty() || !std::filesystem::exists(root)) {
    GTEST_SKIP() << "corpus not found at " << root << " (set IMGLINT_SHARED_DIR)";
  }
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
    if (e.is_regular_file()) files.push_back(e.path().string());
  }
  ASSERT_GT(files.size(), 300u);
  std::vector<std::string> args = {"--format", "json", "--fail-on", "never"};
  args.insert(args.end(), files.begin(), files.end());
  CliResult by_path = RunImglint(args);
  json doc = json::parse(by_path.out, nullptr, false);
  ASSERT_TRUE(doc.is_object()) << by_path.err.substr(0, 2000);
  ASSERT_EQ(doc["targets"].size(), files.size());
  size_t parser_cases = 0;
  for (const json& t : doc["targets"]) {
    EXPECT_EQ(t["kind"], "dockerfile") << t["path"];
    // BuildKit's own parser test files include invalid and FROM-less ones:
    // recognised, and reported as unreadable with the reason.
    if (t["path"].get<std::string>().find("__parser__testfiles") != std::string::npos) {
      ++parser_cases;
      continue;
    }
    EXPECT_TRUE(t["error"].is_null()) << t["path"] << ": " << t["error"];
  }
  EXPECT_LT(parser_cases, 100u);
  CliResult by_dir = RunImglint({"--format", "json", "--fail-on", "never", root.string()});
  json scanned = json::parse(by_dir.out, nullptr, false);
  ASSERT_TRUE(scanned.is_object()) << by_dir.err.substr(0, 2000);
  size_t dockerfiles = 0;
  for (const json& t : scanned["targets"]) dockerfiles += t["kind"] == "dockerfile";
  EXPECT_EQ(dockerfiles, files.size());
}

}  // namespace
}  // namespace imglint::testing
