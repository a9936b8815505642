// SPDX-License-Identifier: Apache-2.0
// The HTTP layer against a real local server (python3 -m http.server): a
// body larger than the buffer streams through with bounded memory, errors
// name the host, and helpers behave.
#include "analyzer/source/http.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "analyzer/image/digest.h"
#include "analyzer/source/registry_client.h"
#include "tests/support/temp_dir.h"

namespace imglint {
namespace {

constexpr const char* kServe =
    "import http.server, os\n"
    "server = http.server.ThreadingHTTPServer(('127.0.0.1', 0),\n"
    "                                         http.server.SimpleHTTPRequestHandler)\n"
    "os.write(3, b'%d\\n' % server.server_address[1])\n"
    "os.close(3)\n"
    "server.serve_forever()\n";

using testing::TempDir;
using testing::WriteFileBytes;

// Python's http.server serving `dir` on a loopback port that the server
// itself chooses (port 0) and reports through a pipe: a port picked in
// advance can be taken by a parallel test's registry before python binds it.
class StaticServer {
 public:
  explicit StaticServer(const std::string& dir) {
    int fds[2];
    if (pipe(fds) != 0) {
      ADD_FAILURE() << "pipe failed";
      return;
    }
    pid_ = fork();
    if (pid_ == 0) {
      close(fds[0]);
      if (chdir(dir.c_str()) != 0 || dup2(fds[1], 3) < 0) _exit(127);
      execlp("python3", "python3", "-c", kServe, static_cast<char*>(nullptr));
      _exit(127);
    }
    close(fds[1]);
    std::string line;
    char c = 0;
    while (read(fds[0], &c, 1) == 1 && c != '\n') line += c;
    close(fds[0]);
    port_ = std::atoi(line.c_str());
    if (port_ <= 0) ADD_FAILURE() << "python3 http.server did not report a port";
  }
  ~StaticServer() {
    if (pid_ <= 0) return;  // kill(-1) would signal every process
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
  }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

TEST(HttpStream, StreamsABodyMuchLargerThanItsBuffer) {
  TempDir dir;
  std::string big(24u << 20, '\0');
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>((i * 131) >> 7);
  WriteFileBytes(dir.File("big.bin"), big);
  StaticServer server(dir.path());
  HttpRequest request;
  request.url = server.url("/big.bin");
  request.direct = true;
  std::string err;
  auto stream = HttpStream::Open(request, &err);
  ASSERT_TRUE(stream) << err;
  EXPECT_EQ(stream->response().status, 200);
  EXPECT_EQ(stream->response().Header("content-length"), std::to_string(big.size()));
  // A slow reader: small reads with pauses; the transfer waits for it.
  Sha256 sha;
  std::uint8_t buf[4096];
  std::size_t total = 0;
  for (;;) {
    std::size_t got = 0;
    ASSERT_TRUE(stream->Read(buf, sizeof buf, &got, &err)) << err;
    if (got == 0) break;
    sha.Update(buf, got);
    total += got;
    if (total % (4u << 20) < sizeof buf) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(total, big.size());
  EXPECT_EQ(sha.Digest(), Sha256Digest(big));
}

TEST(HttpStream, NotFoundIsAStatusNotATransportError) {
  TempDir dir;
  StaticServer server(dir.path());
  HttpRequest request;
  request.url = server.url("/missing");
  request.direct = true;
  std::string err;
  auto stream = HttpStream::Open(request, &err);
  ASSERT_TRUE(stream) << err;
  EXPECT_EQ(stream->response().status, 404);
}

TEST(HttpStream, ConnectionRefusedNamesTheHost) {
  HttpRequest request;
  request.url = "http://127.0.0.1:1/v2/";
  request.direct = true;
  std::string err;
  TransportError kind = TransportError::kNone;
  EXPECT_FALSE(HttpStream::Open(request, &err, &kind));
  EXPECT_EQ(kind, TransportError::kConnect);
  EXPECT_NE(err.find("cannot connect to 127.0.0.1:1"), std::string::npos) << err;
}

TEST(HttpStream, OnlyHttpAndHttpsAreSpoken) {
  HttpRequest request;
  request.url = "file:///etc/passwd";
  std::string err;
  EXPECT_FALSE(HttpStream::Open(request, &err));
}

TEST(HttpHelpers, PercentEncodeAndAuthority) {
  EXPECT_EQ(PercentEncode("repository:o/app:pull"), "repository%3Ao%2Fapp%3Apull");
  EXPECT_EQ(PercentEncode("o/app:1", "/:"), "o/app:1");
  EXPECT_EQ(UrlAuthority("https://User:Secret@Reg.example:5000/v2/"), "reg.example:5000");
  EXPECT_EQ(UrlAuthority("not a url"), "");
}

TEST(RetryAfter, SecondsDatesAndGarbage) {
  EXPECT_EQ(ParseRetryAfter("7", 1), 7);
  EXPECT_EQ(ParseRetryAfter("", 2), 2);
  EXPECT_EQ(ParseRetryAfter("soon", 3), 3);
  EXPECT_EQ(ParseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", 4), 0);  // in the past
}

}  // namespace
}  // namespace imglint
