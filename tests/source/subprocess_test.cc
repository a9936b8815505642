// SPDX-License-Identifier: Apache-2.0
#include "analyzer/source/subprocess.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "tests/source/source_test_util.h"
#include "tests/support/temp_dir.h"

namespace imglint {
namespace {

using std::chrono::milliseconds;
using testing::HasChildren;
using testing::OpenFdCount;
using testing::ReadFileBytes;
using testing::TempDir;
using testing::WriteScript;

class SubprocessTest : public ::testing::Test {
 protected:
  ProcessResult Run(const std::string& body, ProcessOptions options = {}) {
    const std::string path = dir_.File("prog");
    WriteScript(path, body);
    ProcessResult result;
    std::string err;
    EXPECT_TRUE(RunProcess(path, {"prog", "get"}, options, &result, &err)) << err;
    EXPECT_FALSE(HasChildren());
    return result;
  }
  void SetUp() override { fds_before_ = OpenFdCount(); }
  void TearDown() override { EXPECT_EQ(OpenFdCount(), fds_before_) << "descriptor leaked"; }

  TempDir dir_;
  int fds_before_ = 0;
};

TEST_F(SubprocessTest, FeedsStdinAndCollectsOutput) {
  ProcessOptions options;
  options.stdin_data = "https://index.docker.io/v1/";
  ProcessResult r = Run("echo \"args:$#:$1\" >&2; cat", options);
  EXPECT_EQ(r.exit_status, 0);
  EXPECT_EQ(r.signal, 0);
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.out, "https://index.docker.io/v1/");
  EXPECT_EQ(r.err, "args:1:get\n");
}

TEST_F(SubprocessTest, LargeStdinAndOutput) {
  ProcessOptions options;
  options.stdin_data = std::string(3 << 20, 'x');  // more than any pipe buffer
  options.max_output_bytes = 4 << 20;
  ProcessResult r = Run("cat", options);
  EXPECT_EQ(r.exit_status, 0);
  EXPECT_EQ(r.out.size(), options.stdin_data.size());
}

TEST_F(SubprocessTest, EmptyStdinIsEof) {
  ProcessResult r = Run("cat; echo done");
  EXPECT_EQ(r.out, "done\n");
}

TEST_F(SubprocessTest, ExitStatusAndSignal) {
  EXPECT_EQ(Run("exit 3").exit_status, 3);
  ProcessResult r = Run("kill -TERM $$");
  EXPECT_EQ(r.signal, SIGTERM);
  EXPECT_EQ(r.exit_status, -1);
}

TEST_F(SubprocessTest, HelperThatIgnoresStdinDoesNotRaiseSigpipe) {
  ProcessOptions options;
  options.stdin_data = std::string(4 << 20, 'x');
  ProcessResult r = Run("exec 0<&-; echo ok", options);
  EXPECT_EQ(r.exit_status, 0);
  EXPECT_EQ(r.out, "ok\n");
}

TEST_F(SubprocessTest, TimeoutKillsTheHelper) {
  ProcessOptions options;
  options.timeout = milliseconds(300);
  const auto start = std::chrono::steady_clock::now();
  ProcessResult r = Run("echo started; sleep 30", options);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.signal, SIGKILL);
  EXPECT_EQ(r.out, "started\n");
  EXPECT_LT(elapsed, std::chrono::seconds(5));
}

TEST_F(SubprocessTest, TimeoutKillsGrandchildrenHoldingThePipes) {
  // The helper exits at once but leaves a child with its stdout open.
  ProcessOptions options;
  options.timeout = milliseconds(300);
  const std::string pid_file = dir_.File("pid");
  ProcessResult r = Run("sleep 30 & echo $! > " + pid_file + "; exit 0", options);
  EXPECT_TRUE(r.timed_out);
  const long grandchild = std::stol(ReadFileBytes(pid_file));
  bool ended = false;
  for (int i = 0; i < 200 && !ended; ++i) {
    ended = testing::ProcessEnded(grandchild);
    if (!ended) std::this_thread::sleep_for(milliseconds(10));
  }
  EXPECT_TRUE(ended) << "grandchild " << grandchild << " still runs";
}

TEST_F(SubprocessTest, HelperClosingOutputButRunningIsKilledAtDeadline) {
  ProcessOptions options;
  options.timeout = milliseconds(300);
  ProcessResult r = Run("exec >&- 2>&-; sleep 30", options);
  EXPECT_TRUE(r.timed_out);
}

TEST_F(SubprocessTest, StdoutOverflowKills) {
  ProcessOptions options;
  options.max_output_bytes = 65536;
  ProcessResult r = Run("yes", options);
  EXPECT_TRUE(r.output_overflow);
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.out.size(), 65536u);
}

TEST_F(SubprocessTest, StderrFloodIsDrainedNotFatal) {
  ProcessOptions options;
  options.max_output_bytes = 65536;
  ProcessResult r = Run("head -c 1000000 /dev/zero >&2; echo done", options);
  EXPECT_FALSE(r.output_overflow);
  EXPECT_EQ(r.exit_status, 0);
  EXPECT_EQ(r.out, "done\n");
  EXPECT_EQ(r.err.size(), 65536u);
}

TEST_F(SubprocessTest, StartFailures) {
  ProcessResult r;
  std::string err;
  EXPECT_FALSE(RunProcess(dir_.File("missing"), {"missing"}, {}, &r, &err));
  EXPECT_NE(err.find("cannot run " + dir_.File("missing")), std::string::npos) << err;
  const std::string bad_interpreter = dir_.File("bad");
  testing::WriteFileBytes(bad_interpreter, "#!/nonexistent/interpreter\n");
  ::chmod(bad_interpreter.c_str(), 0755);
  EXPECT_FALSE(RunProcess(bad_interpreter, {"bad"}, {}, &r, &err));
  EXPECT_FALSE(HasChildren());
}

TEST(FindExecutableTest, SearchesAbsoluteDirectoriesOnly) {
  TempDir dir;
  WriteScript(dir.File("a/tool"), "true");
  WriteScript(dir.File("b/tool"), "true");
  WriteScript(dir.File("c/other"), "true");
  testing::WriteFileBytes(dir.File("c/tool"), "not executable");
  ::chmod(dir.File("c/tool").c_str(), 0644);
  std::filesystem::create_directories(dir.File("d/tool"));  // a directory is not a program
  EXPECT_EQ(FindExecutable("tool", dir.File("a") + ":" + dir.File("b")), dir.File("a/tool"));
  EXPECT_EQ(FindExecutable("tool", dir.File("b") + "/:" + dir.File("a")), dir.File("b/tool"));
  EXPECT_EQ(FindExecutable("tool", dir.File("d") + ":" + dir.File("b")), dir.File("b/tool"));
  EXPECT_EQ(FindExecutable("tool", "/nonexistent::" + dir.File("a")), dir.File("a/tool"));
  EXPECT_EQ(FindExecutable("tool", dir.File("c")), "");  // no x bit, even for root
  EXPECT_EQ(FindExecutable("tool", ""), "");
  EXPECT_EQ(FindExecutable("", dir.File("a")), "");
  EXPECT_EQ(FindExecutable("a/tool", dir.path()), "");
  EXPECT_EQ(FindExecutable("../a/tool", dir.File("b")), "");
  // Relative entries (".", "", "a") would run programs from the current directory.
  const std::string cwd = std::filesystem::current_path();
  const std::string relative = std::filesystem::relative(dir.File("a"), cwd);
  ASSERT_NE(relative.front(), '/');
  EXPECT_EQ(FindExecutable("tool", relative), "");
  EXPECT_EQ(FindExecutable("tool", ".:" + relative + ":"), "");
}

}  // namespace
}  // namespace imglint
