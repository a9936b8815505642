// SPDX-License-Identifier: Apache-2.0
// `imglint fix` end to end on the golden cases in fixtures/fix/<case>/:
// before.yaml (or compose.yaml, or Dockerfile), the diff it must print
// (expected.diff), the stderr it must print (expected.stderr), the file
// --write must leave (after.yaml, after.Dockerfile) and the exit codes of
// both modes (exit: "DIFF WRITE"); an optional `args` file holds extra
// flags. The diff must apply with GNU patch and git apply, --write must keep
// the file's mode, and a second --write must change nothing.
// IMGLINT_UPDATE_SNAPSHOTS=1 rewrites the expected files (review them with
// git diff).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/cli_runner.h"
#include "tests/support/temp_dir.h"

namespace imglint::testing {
namespace {

namespace fs = std::filesystem;

struct FixCase {
  std::string name;
  fs::path dir;
  std::string input;  // before.yaml, compose.yaml or Dockerfile
  std::string after;  // what --write leaves: after.yaml or after.Dockerfile
};

// gtest names a failing case by this, not by its bytes.
void PrintTo(const FixCase& c, std::ostream* os) { *os << c.name; }

std::vector<FixCase> Cases() {
  std::vector<FixCase> cases;
  const fs::path root = fs::path(SourceDir()) / "fixtures" / "fix";
  for (const auto& entry : fs::directory_iterator(root)) {
    if (!entry.is_directory()) continue;
    for (const char* input : {"before.yaml", "compose.yaml", "Dockerfile"}) {
      if (fs::exists(entry.path() / input)) {
        const std::string after =
            std::string(input) == "Dockerfile" ? "after.Dockerfile" : "after.yaml";
        cases.push_back({entry.path().filename().string(), entry.path(), input, after});
      }
    }
  }
  std::sort(cases.begin(), cases.end(),
            [](const FixCase& a, const FixCase& b) { return a.name < b.name; });
  return cases;
}

std::string ReadOr(const fs::path& path, const std::string& fallback) {
  return fs::exists(path) ? ReadFileBytes(path.string()) : fallback;
}

std::vector<std::string> Words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

bool Updating() {
  const char* update = std::getenv("IMGLINT_UPDATE_SNAPSHOTS");
  return update != nullptr && *update != '\0' && std::string(update) != "0";
}

// Compares `actual` with the golden file, or rewrites it when updating.
void Golden(const fs::path& path, const std::string& actual) {
  if (Updating()) {
    WriteFileBytes(path.string(), actual);
    return;
  }
  ASSERT_TRUE(fs::exists(path)) << path << " is missing; run with IMGLINT_UPDATE_SNAPSHOTS=1";
  EXPECT_EQ(ReadFileBytes(path.string()), actual) << "differs from " << path;
}

std::vector<std::string> FixArgs(const FixCase& c, bool write) {
  std::vector<std::string> args = {"fix"};
  if (write) args.push_back("--write");
  for (const std::string& w : Words(ReadOr(c.dir / "args", ""))) args.push_back(w);
  args.push_back(c.input);
  return args;
}

class FixGolden : public ::testing::TestWithParam<FixCase> {};

TEST_P(FixGolden, DiffAppliesAndWriteMatchesAndIsIdempotent) {
  const FixCase& c = GetParam();
  const std::string before = ReadFileBytes((c.dir / c.input).string());
  TempDir dir;
  const std::string target = dir.File(c.input);
  WriteFileBytes(target, before);
  ASSERT_EQ(::chmod(target.c_str(), 0640), 0);

  // Diff mode: the golden diff and stderr, and the file untouched.
  const CliResult diff = RunImglint(FixArgs(c, false), "", dir.path());
  Golden(c.dir / "expected.diff", diff.out);
  Golden(c.dir / "expected.stderr", diff.err);
  EXPECT_EQ(ReadFileBytes(target), before) << "diff mode changed the file";

  // --write: the golden result, the mode kept.
  const CliResult write = RunImglint(FixArgs(c, true), "", dir.path());
  const std::string after = ReadFileBytes(target);
  Golden(c.dir / c.after, after);
  Golden(c.dir / "exit",
         std::to_string(diff.exit_code) + " " + std::to_string(write.exit_code) + "\n");
  struct stat st {};
  ASSERT_EQ(::stat(target.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u) << "--write lost the file's mode";
  EXPECT_EQ(write.out.empty(), diff.out.empty()) << write.out;
  if (diff.out.empty()) {
    EXPECT_EQ(after, before);
  }

  // The diff is what --write did, for real patch tools too.
  if (!diff.out.empty()) {
    TempDir patched;
    WriteFileBytes(patched.File(c.input), before);
    WriteFileBytes(patched.File("fix.diff"), diff.out);
    const CliResult check =
        RunCommand({"git", "apply", "--check", "fix.diff"}, {}, "", patched.path());
    EXPECT_EQ(check.exit_code, 0) << check.err;
    const CliResult patch =
        RunCommand({"patch", "-p1", "--quiet", "--input", "fix.diff"}, {}, "", patched.path());
    EXPECT_EQ(patch.exit_code, 0) << patch.out << patch.err;
    EXPECT_EQ(ReadFileBytes(patched.File(c.input)), after) << "patch -p1 differs from --write";
  }

  // Idempotent: nothing more to do, and a second --write changes nothing.
  const CliResult again = RunImglint(FixArgs(c, true), "", dir.path());
  EXPECT_EQ(again.out, "");
  EXPECT_EQ(again.exit_code, write.exit_code) << again.err;
  EXPECT_EQ(ReadFileBytes(target), after);
  const CliResult rediff = RunImglint(FixArgs(c, false), "", dir.path());
  EXPECT_EQ(rediff.out, "");
}

INSTANTIATE_TEST_SUITE_P(Fixtures, FixGolden, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<FixCase>& info) {
                           std::string name = info.param.name;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

TEST(FixCommand, RuleLimitsTheFixes) {
  TempDir dir;
  const fs::path source = fs::path(SourceDir()) / "fixtures/fix/kube-capability-block/before.yaml";
  WriteFileBytes(dir.File("before.yaml"), ReadFileBytes(source.string()));
  const CliResult r = RunImglint({"fix", "--rule", "IL303", "before.yaml"}, "", dir.path());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("+        - name: net.ipv4.ip_unprivileged_port_start"), std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("-            - NET_BIND_SERVICE"), std::string::npos) << r.out;
  const CliResult cap = RunImglint(
      {"fix", "--rule", "port-privilege-instead-of-sysctl", "before.yaml"}, "", dir.path());
  EXPECT_NE(cap.out.find("-            - NET_BIND_SERVICE"), std::string::npos) << cap.out;
}

TEST(FixCommand, NothingToFixExitsZero) {
  TempDir dir;
  WriteFileBytes(dir.File("ok.yaml"),
                 "apiVersion: v1\nkind: Pod\nmetadata: {name: ok}\nspec:\n  containers:\n"
                 "  - name: ok\n    image: example/ok:1\n    securityContext: {runAsUser: 10001}\n"
                 "    ports: [{containerPort: 8080}]\n");
  const CliResult r = RunImglint({"fix", "ok.yaml"}, "", dir.path());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST(FixCommand, ErrorsExitTwo) {
  TempDir dir;
  const CliResult missing = RunImglint({"fix", "missing.yaml"}, "", dir.path());
  EXPECT_EQ(missing.exit_code, 2);
  const CliResult rule = RunImglint({"fix", "--rule", "IL999", "missing.yaml"}, "", dir.path());
  EXPECT_EQ(rule.exit_code, 2);
  EXPECT_NE(rule.err.find("unknown rule"), std::string::npos) << rule.err;
  const CliResult stdin_target = RunImglint({"fix", "-"}, "services: {}\n", dir.path());
  EXPECT_EQ(stdin_target.exit_code, 2);
}

TEST(FixCommand, WriteGoesThroughASymlinkAndKeepsIt) {
  TempDir dir;
  const fs::path source = fs::path(SourceDir()) / "fixtures/fix/kube-cronjob";
  WriteFileBytes(dir.File("real.yaml"), ReadFileBytes((source / "before.yaml").string()));
  fs::create_symlink("real.yaml", dir.File("link.yaml"));
  const CliResult r = RunImglint({"fix", "--write", "link.yaml"}, "", dir.path());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::is_symlink(dir.File("link.yaml")));
  EXPECT_EQ(ReadFileBytes(dir.File("real.yaml")), ReadFileBytes((source / "after.yaml").string()));
  // No temporary file is left behind.
  size_t entries = 0;
  for (const auto& e : fs::directory_iterator(dir.path())) {
    (void)e;
    ++entries;
  }
  EXPECT_EQ(entries, 2u);
}

// A rename would give the edited name a new inode and leave the other
// names of the file with the old text (what `sed -i` does): every name must
// see the fix, on the same inode, with no copy left behind.
TEST(FixCommand, WriteKeepsHardLinks) {
  TempDir dir;
  const fs::path source = fs::path(SourceDir()) / "fixtures/fix/kube-cronjob";
  WriteFileBytes(dir.File("real.yaml"), ReadFileBytes((source / "before.yaml").string()));
  ASSERT_EQ(::chmod(dir.File("real.yaml").c_str(), 0640), 0);
  fs::create_hard_link(dir.File("real.yaml"), dir.File("other.yaml"));
  struct stat before {};
  ASSERT_EQ(::stat(dir.File("real.yaml").c_str(), &before), 0);
  const CliResult r = RunImglint({"fix", "--write", "real.yaml"}, "", dir.path());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const std::string expected = ReadFileBytes((source / "after.yaml").string());
  EXPECT_EQ(ReadFileBytes(dir.File("real.yaml")), expected);
  EXPECT_EQ(ReadFileBytes(dir.File("other.yaml")), expected) << "the other link kept the old text";
  struct stat after {};
  ASSERT_EQ(::stat(dir.File("real.yaml").c_str(), &after), 0);
  EXPECT_EQ(after.st_ino, before.st_ino);
  EXPECT_EQ(after.st_nlink, 2u);
  EXPECT_EQ(after.st_mode & 07777, 0640u);
  size_t entries = 0;
  for (const auto& e : fs::directory_iterator(dir.path())) {
    (void)e;
    ++entries;
  }
  EXPECT_EQ(entries, 2u) << "a temporary copy was left behind";
}

// An absolute path: the diff names it as git does (`a/tmp/…`), which
// `patch -p1` applies from the root directory ("a//tmp/…" it refuses).
TEST(FixCommand, DiffOfAnAbsolutePathAppliesFromTheRoot) {
  TempDir dir;
  const fs::path source = fs::path(SourceDir()) / "fixtures/fix/kube-cronjob";
  const std::string target = fs::weakly_canonical(dir.File("before.yaml")).string();
  WriteFileBytes(target, ReadFileBytes((source / "before.yaml").string()));
  const CliResult r = RunImglint({"fix", target}, "", dir.path());
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const std::string shown = target.substr(1);
  EXPECT_EQ(r.out.rfind("--- a/" + shown + "\n+++ b/" + shown + "\n", 0), 0u) << r.out;
  WriteFileBytes(dir.File("fix.diff"), r.out);
  const CliResult patch =
      RunCommand({"patch", "-p1", "--dry-run", "--input", dir.File("fix.diff")}, {}, "", "/");
  EXPECT_EQ(patch.exit_code, 0) << patch.out << patch.err;
  const CliResult git = RunCommand({"git", "apply", "--check", dir.File("fix.diff")}, {}, "", "/");
  EXPECT_EQ(git.exit_code, 0) << git.err;
}

// Findings left without an automatic fix fail the run as they fail a lint:
// at or above --fail-on. The Deployment runs as root (IL101, no automatic
// fix); the port finding has one.
TEST(FixCommand, FindingsLeftHonourFailOn) {
  TempDir dir;
  WriteFileBytes(dir.File("root.yaml"),
                 "apiVersion: v1\nkind: Pod\nmetadata: {name: root}\nspec:\n  containers:\n"
                 "  - name: root\n    image: example/root:1\n    securityContext: {runAsUser: 0}\n"
                 "    ports: [{containerPort: 8080}]\n");
  const CliResult lint = RunImglint({"--format", "json", "root.yaml"}, "", dir.path());
  ASSERT_EQ(lint.exit_code, 1) << "the case needs an error-level finding: " << lint.out;
  for (const char* fail_on : {"error", "warning", "note"}) {
    const CliResult r = RunImglint({"fix", "--fail-on", fail_on, "root.yaml"}, "", dir.path());
    EXPECT_EQ(r.exit_code, 1) << fail_on << ": " << r.err;
  }
  const CliResult never = RunImglint({"fix", "--fail-on", "never", "root.yaml"}, "", dir.path());
  EXPECT_EQ(never.exit_code, 0) << never.err;
  EXPECT_NE(never.err.find("without an automatic fix"), std::string::npos) << never.err;
  // A warning left is not an error.
  WriteFileBytes(dir.File(".imglint.yaml"), "severity:\n  IL101: warning\n");
  const CliResult warning = RunImglint({"fix", "root.yaml"}, "", dir.path());
  EXPECT_EQ(warning.exit_code, 0) << warning.err;
  const CliResult strict = RunImglint({"fix", "--fail-on", "warning", "root.yaml"}, "", dir.path());
  EXPECT_EQ(strict.exit_code, 1) << strict.err;
}

}  // namespace
}  // namespace imglint::testing
