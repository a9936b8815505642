// SPDX-License-Identifier: Apache-2.0
// Reads every Kubernetes manifest and Compose file of the shared third-party
// corpus ($IMGLINT_SHARED_DIR/corpus, see its README.md and index.tsv):
// classification must agree with the index, nothing may crash, and real
// workloads must come out.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "analyzer/manifest/classify.h"
#include "analyzer/manifest/compose_reader.h"
#include "analyzer/manifest/kube_reader.h"

namespace imglint {
namespace {

namespace fs = std::filesystem;

struct CorpusFile {
  std::string path;  // relative to the corpus root
  std::string kind;  // "kubernetes" | "compose"
};

fs::path CorpusRoot() {
  const char* shared = std::getenv("IMGLINT_SHARED_DIR");
  return fs::path(shared != nullptr ? shared : "/work/shared") / "corpus";
}

std::vector<CorpusFile> LoadIndex(const fs::path& root) {
  std::vector<CorpusFile> files;
  std::ifstream in(root / "index.tsv");
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> cols;
    std::stringstream row(line);
    for (std::string col; std::getline(row, col, '\t');) cols.push_back(col);
    if (cols.size() >= 5 && (cols[4] == "kubernetes" || cols[4] == "compose")) {
      files.push_back({cols[0], cols[4]});
    }
  }
  return files;
}

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class CorpusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = CorpusRoot();
    if (!fs::exists(root_ / "index.tsv")) {
      GTEST_SKIP() << "corpus not found at " << root_ << " (set IMGLINT_SHARED_DIR)";
    }
    files_ = LoadIndex(root_);
  }

  fs::path root_;
  std::vector<CorpusFile> files_;
};

TEST_F(CorpusTest, IndexMatchesTheFilesPresent) {
  size_t on_disk = 0;
  for (const char* dir : {"kubernetes", "compose"}) {
    for (const auto& entry : fs::recursive_directory_iterator(root_ / dir)) {
      if (entry.is_regular_file()) ++on_disk;
    }
  }
  EXPECT_EQ(files_.size(), on_disk);
  EXPECT_GT(files_.size(), 100u);
}

TEST_F(CorpusTest, KubernetesManifests) {
  size_t files = 0;
  size_t workloads = 0;
  size_t containers = 0;
  size_t ports = 0;
  size_t pod_sysctls = 0;
  std::vector<std::string> failures;
  for (const CorpusFile& f : files_) {
    if (f.kind != "kubernetes") continue;
    ++files;
    const std::string text = ReadAll(root_ / f.path);
    ReadError err;
    const YamlKind kind = ClassifyYaml(text, &err);
    EXPECT_EQ(kind, YamlKind::kKubernetes) << f.path << ": " << YamlKindName(kind);
    KubeFile file;
    if (!ReadKubernetes(text, f.path, &file, &err)) {
      failures.push_back(f.path + ":" + std::to_string(err.line) + ":" +
                         std::to_string(err.column) + ": " + err.message);
      continue;
    }
    EXPECT_GT(file.object_count, 0) << f.path;
    workloads += file.workloads.size();
    containers += file.ContainerCount();
    for (const Workload& w : file.workloads) {
      pod_sysctls += w.pod.sc.sysctls.size();
      for (const Container& c : w.pod.containers) ports += c.ports.size();
    }
  }
  EXPECT_TRUE(failures.empty()) << ::testing::PrintToString(failures);
  EXPECT_EQ(files, 300u);
  EXPECT_GT(workloads, 100u);
  EXPECT_GT(containers, 150u);
  EXPECT_GT(ports, 50u);
  std::cout << "[ corpus   ] kubernetes: " << files << " files, " << workloads << " workloads, "
            << containers << " containers, " << ports << " ports, " << pod_sysctls
            << " pod sysctls\n";
}

TEST_F(CorpusTest, ComposeFiles) {
  size_t files = 0;
  size_t services = 0;
  size_t ports = 0;
  size_t invalid_ports = 0;
  std::vector<std::string> failures;
  for (const CorpusFile& f : files_) {
    if (f.kind != "compose") continue;
    ++files;
    const std::string text = ReadAll(root_ / f.path);
    ReadError err;
    const YamlKind kind = ClassifyYaml(text, &err);
    EXPECT_EQ(kind, YamlKind::kCompose) << f.path << ": " << YamlKindName(kind);
    ComposeFile file;
    if (!ReadCompose(text, f.path, &file, &err)) {
      failures.push_back(f.path + ":" + std::to_string(err.line) + ":" +
                         std::to_string(err.column) + ": " + err.message);
      continue;
    }
    EXPECT_FALSE(file.services.empty()) << f.path;
    services += file.services.size();
    for (const Service& s : file.services) {
      ports += s.ports.size();
      for (const ComposePort& p : s.ports) {
        if (!p.valid) {
          ++invalid_ports;
          ADD_FAILURE() << f.path << ":" << p.pos.line << ": port \"" << p.raw
                        << "\": " << p.reason;
        }
      }
    }
  }
  EXPECT_TRUE(failures.empty()) << ::testing::PrintToString(failures);
  EXPECT_EQ(files, 119u);
  EXPECT_GT(services, 200u);
  EXPECT_GT(ports, 100u);
  std::cout << "[ corpus   ] compose: " << files << " files, " << services << " services, " << ports
            << " ports, " << invalid_ports << " invalid ports\n";
}

}  // namespace
}  // namespace imglint
