// SPDX-License-Identifier: Apache-2.0
/// Shared helpers for the image reader tests: read a target and get either
/// the result or the exact error, and feed a file through a pipe so the
/// one-pass stream path is exercised.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <thread>

#include "analyzer/image/image_reader.h"
#include "tests/support/image_builder.h"
#include "tests/support/temp_dir.h"

namespace imglint::testing {

/// Reads `path`; on failure returns the error text in *err.
inline bool Read(const std::string& path, ImageTarget* out, std::string* err,
                 const ImageReadOptions& options = {}) {
  return ReadImage(path, options, out, err);
}

/// The error message ReadImage gives for `path` ("" when it succeeds).
inline std::string ReadError(const std::string& path, const ImageReadOptions& options = {}) {
  ImageTarget target;
  std::string err;
  if (ReadImage(path, options, &target, &err)) return "";
  return err;
}

/// Reads `file` through a named pipe, so the reader sees a non-seekable
/// stream and must take the one-pass path.
inline bool ReadThroughFifo(const TempDir& dir, const std::string& file, ImageTarget* out,
                            std::string* err, const ImageReadOptions& options = {}) {
  std::string fifo = dir.File("stream.fifo");
  ::unlink(fifo.c_str());
  if (::mkfifo(fifo.c_str(), 0600) != 0) {
    *err = "mkfifo failed";
    return false;
  }
  std::string bytes = ReadFileBytes(file);
  ::signal(SIGPIPE, SIG_IGN);  // the reader may close before reading padding
  std::thread writer([&] {
    int fd = ::open(fifo.c_str(), O_WRONLY);
    if (fd < 0) return;
    std::size_t off = 0;
    while (off < bytes.size()) {
      ssize_t n = ::write(fd, bytes.data() + off, bytes.size() - off);
      if (n <= 0) break;  // reader stopped early (EPIPE); fine
      off += static_cast<std::size_t>(n);
    }
    ::close(fd);
  });
  bool ok = ReadImage(fifo, options, out, err);
  writer.join();
  return ok;
}

}  // namespace imglint::testing
