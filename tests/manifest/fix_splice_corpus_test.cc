// SPDX-License-Identifier: Apache-2.0
// The fix edits (analyzer/manifest/manifest_fix.h) on every real layout the
// shared corpus has, not only where a finding asks for them: for each
// Kubernetes pod and Compose service, the sysctl edit alone, applied and read
// back. The edited file must load, the pod (service) must now have the
// sysctl at 0, every other workload must read exactly as before, and the
// edit must be idempotent. Capability removal runs on every container and
// service that adds NET_BIND_SERVICE. Python's yaml parses every result.
// Refusals are allowed (they are counted and printed), wrong edits are not.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "analyzer/capabilities.h"
#include "analyzer/manifest/compose_reader.h"
#include "analyzer/manifest/kube_reader.h"
#include "analyzer/manifest/manifest_fix.h"
#include "analyzer/runtime.h"
#include "tests/support/cli_runner.h"
#include "tests/support/temp_dir.h"

namespace imglint {
namespace {

namespace fs = std::filesystem;
using testing::CliResult;
using testing::RunCommand;
using testing::SharedDir;
using testing::TempDir;
using testing::WriteFileBytes;

struct Entry {
  std::string path;
  std::string kind;
};

std::vector<Entry> Index(const fs::path& root) {
  std::vector<Entry> out;
  std::ifstream in(root / "index.tsv");
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::vector<std::string> cols;
    std::stringstream row(line);
    for (std::string col; std::getline(row, col, '\t');) cols.push_back(col);
    if (cols.size() >= 5 && (cols[4] == "kubernetes" || cols[4] == "compose"))
      out.push_back({cols[0], cols[4]});
  }
  return out;
}

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// What must not change in a pod except where the fix edits it.
std::string Sysctls(const std::vector<Sysctl>& sysctls) {
  std::string out;
  for (const Sysctl& s : sysctls) out += s.name + "=" + s.value + ";";
  return out;
}
std::string Caps(const std::vector<Located<std::string>>& caps) {
  std::string out;
  for (const auto& c : caps) out += c.value + ";";
  return out;
}
std::string PodShape(const PodSpec& pod) {
  std::string out = pod.path + "|" + Sysctls(pod.sc.sysctls) + "|";
  for (const Container& c : pod.containers) {
    out += c.name.value + ":" + Caps(c.sc.cap_add) + ":" + std::to_string(c.ports.size()) + ",";
  }
  return out;
}
std::string ServiceShape(const Service& s) {
  return s.name.value + "|" + Sysctls(s.sysctls) + "|" + Caps(s.cap_add) + "|" +
         std::to_string(s.ports.size());
}

bool HasPortSysctlZero(const std::vector<Sysctl>& sysctls) {
  for (const Sysctl& s : sysctls) {
    if (s.name == kPortSysctl) return s.value == "0";
  }
  return false;
}

class FixSpliceCorpus : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string shared = SharedDir();
    root_ = fs::path(shared) / "corpus";
    if (shared.empty() || !fs::exists(root_ / "index.tsv")) {
      GTEST_SKIP() << "the shared corpus (../shared/corpus) is not here; set IMGLINT_SHARED_DIR";
    }
    entries_ = Index(root_);
  }

  // Keeps an edited text for the Python check (pure-Python yaml takes
  // seconds per megabyte: the big files are checked by yaml-cpp only).
  void Keep(const std::string& text) {
    if (text.size() > (128u << 10)) return;
    WriteFileBytes(out_.File(std::to_string(kept_.size()) + ".yaml"), text);
    kept_.push_back(std::to_string(kept_.size()) + ".yaml");
  }

  void CheckPython() {
    for (size_t at = 0; at < kept_.size(); at += 500) {
      std::vector<std::string> argv = {imglint::testing::SystemPython(), "-c",
                                       "import sys, yaml\n"
                                       "for p in sys.argv[1:]:\n"
                                       "    try:\n"
                                       "        list(yaml.safe_load_all(open(p, 'rb')))\n"
                                       "    except Exception as e:\n"
                                       "        print(p, str(e).splitlines()[0])\n"};
      for (size_t i = at; i < kept_.size() && i < at + 500; ++i) argv.push_back(kept_[i]);
      const CliResult r = RunCommand(argv, {}, "", out_.path());
      EXPECT_EQ(r.exit_code, 0) << r.err;
      EXPECT_EQ(r.out, "") << "Python's yaml rejects edited files";
    }
  }

  fs::path root_;
  std::vector<Entry> entries_;
  TempDir out_;
  std::vector<std::string> kept_;
};

TEST_F(FixSpliceCorpus, KubernetesEveryPod) {
  size_t pods = 0, edited = 0, refused = 0, caps = 0;
  for (const Entry& e : entries_) {
    if (e.kind != "kubernetes") continue;
    const std::string text = ReadAll(root_ / e.path);
    KubeFile file;
    ReadError err;
    if (!ReadKubernetes(text, e.path, &file, &err)) continue;
    // Big files (argo-cd's install.yaml) are re-read once per edit: a few
    // of their workloads show their layouts.
    const size_t sample = text.size() > (128u << 10) ? 4 : file.workloads.size();
    for (size_t w = 0; w < file.workloads.size() && w < sample; ++w) {
      const Workload& workload = file.workloads[w];
      if (workload.pod.HostNetwork()) continue;
      ++pods;
      std::vector<ManifestFix> fixes = {KubernetesPortSysctlFix(text, e.path, workload)};
      for (const Container& c : workload.pod.containers) {
        for (const auto& cap : c.sc.cap_add) {
          if (NormalizeCapabilityName(cap.value) == "NET_BIND_SERVICE") {
            fixes.push_back(KubernetesDropCapabilityFix(text, e.path, c, "NET_BIND_SERVICE"));
            ++caps;
            break;
          }
        }
      }
      std::vector<TextEdit> edits;
      bool skip = false;
      for (const ManifestFix& fix : fixes) {
        if (fix.refused()) {
          ++refused;
          std::cout << "[ refused  ] " << e.path << ": " << fix.refusal << "\n";
          skip = true;
        }
        edits.insert(edits.end(), fix.edits.begin(), fix.edits.end());
      }
      if (skip) continue;
      std::string why;
      ASSERT_TRUE(NormalizeEdits(&edits, &why)) << e.path << ": " << why;
      if (edits.empty()) continue;
      ++edited;
      const std::string after = ApplyEdits(text, edits);
      KubeFile reread;
      ASSERT_TRUE(ReadKubernetes(after, e.path, &reread, &err))
          << e.path << " workload " << w << ": " << err.line << ": " << err.message << "\n"
          << after;
      ASSERT_EQ(reread.workloads.size(), file.workloads.size()) << e.path;
      for (size_t o = 0; o < file.workloads.size(); ++o) {
        if (o == w) continue;
        EXPECT_EQ(PodShape(reread.workloads[o].pod), PodShape(file.workloads[o].pod))
            << e.path << ": editing workload " << w << " changed workload " << o;
      }
      const PodSpec& pod = reread.workloads[w].pod;
      EXPECT_TRUE(HasPortSysctlZero(pod.sc.sysctls)) << e.path << " workload " << w << "\n"
                                                     << after;
      for (const Container& c : pod.containers) {
        for (const auto& cap : c.sc.cap_add) {
          EXPECT_NE(NormalizeCapabilityName(cap.value), "NET_BIND_SERVICE") << e.path;
        }
      }
      // Idempotent: the edited pod needs nothing more.
      EXPECT_TRUE(KubernetesPortSysctlFix(after, e.path, reread.workloads[w]).edits.empty())
          << e.path;
      Keep(after);
    }
  }
  CheckPython();
  EXPECT_GT(edited, 100u);
  std::cout << "[ splices  ] kubernetes: " << pods << " pods, " << edited << " edited, " << caps
            << " with NET_BIND_SERVICE removed, " << refused << " refused\n";
}

TEST_F(FixSpliceCorpus, ComposeEveryService) {
  size_t services = 0, edited = 0, refused = 0;
  for (const Entry& e : entries_) {
    if (e.kind != "compose") continue;
    const std::string text = ReadAll(root_ / e.path);
    ComposeFile file;
    ReadError err;
    if (!ReadCompose(text, e.path, &file, &err)) continue;
    for (size_t i = 0; i < file.services.size(); ++i) {
      const Service& service = file.services[i];
      if (service.HostNetwork() || service.SharesNetworkNamespace()) continue;
      ++services;
      const ManifestFix fix = ComposePortSysctlFix(text, e.path, service, "Docker rejects");
      if (fix.refused()) {
        ++refused;
        std::cout << "[ refused  ] " << e.path << " " << service.name.value << ": " << fix.refusal
                  << "\n";
        continue;
      }
      if (fix.edits.empty()) continue;
      ++edited;
      std::vector<TextEdit> edits = fix.edits;
      std::string why;
      ASSERT_TRUE(NormalizeEdits(&edits, &why)) << why;
      const std::string after = ApplyEdits(text, edits);
      ComposeFile reread;
      ASSERT_TRUE(ReadCompose(after, e.path, &reread, &err))
          << e.path << " " << service.name.value << ": " << err.line << ": " << err.message;
      ASSERT_EQ(reread.services.size(), file.services.size()) << e.path;
      for (size_t o = 0; o < file.services.size(); ++o) {
        if (o == i) continue;
        EXPECT_EQ(ServiceShape(reread.services[o]), ServiceShape(file.services[o]))
            << e.path << ": editing " << service.name.value << " changed another service";
      }
      EXPECT_TRUE(HasPortSysctlZero(reread.services[i].sysctls)) << e.path << "\n" << after;
      EXPECT_TRUE(
          ComposePortSysctlFix(after, e.path, reread.services[i], "Docker rejects").edits.empty())
          << e.path;
      Keep(after);
    }
  }
  CheckPython();
  EXPECT_GT(edited, 20u);
  std::cout << "[ splices  ] compose: " << services << " services, " << edited << " edited, "
            << refused << " refused\n";
}

}  // namespace
}  // namespace imglint
