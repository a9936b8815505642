// SPDX-License-Identifier: Apache-2.0
#include "analyzer/workspace/read_text.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <memory>

namespace imglint {
namespace {

int OpenForReading(const std::string& path, bool known_regular) {
  // O_NONBLOCK changes nothing for a regular file; a FIFO opens at once and
  // reads what it holds instead of waiting for a writer.
  return ::open(path.c_str(), O_RDONLY | O_CLOEXEC | (known_regular ? O_NONBLOCK : 0));
}

}  // namespace

bool ReadTextFile(const std::string& path, bool known_regular, std::string* text,
                  std::string* error) {
  const int fd = OpenForReading(path, known_regular);
  if (fd < 0) {
    *error = "cannot read the file";
    return false;
  }
  bool regular = known_regular;
  struct stat info;
  if (!regular && ::fstat(fd, &info) == 0 && S_ISREG(info.st_mode)) {
    if (static_cast<std::size_t>(info.st_size) > kMaxTextTargetBytes) {
      ::close(fd);
      *error = "file is larger than 64 MiB";
      return false;
    }
    regular = true;
  }
  // Read into a buffer and copied: a string sized for a whole chunk would
  // be zero-filled first, for files mostly a few kilobytes long.
  constexpr std::size_t kChunk = 64 * 1024;
  thread_local std::unique_ptr<char[]> buffer(new char[kChunk]);
  bool ok = true;
  for (;;) {
    const ssize_t n = ::read(fd, buffer.get(), kChunk);
    // End of file, an unreadable one (a directory), or a FIFO with nothing
    // in it (EAGAIN): what was read counts.
    if (n <= 0) break;
    if (text->size() + static_cast<std::size_t>(n) > kMaxTextTargetBytes) {
      *error = "file is larger than 64 MiB";
      ok = false;
      break;
    }
    text->append(buffer.get(), static_cast<std::size_t>(n));
    if (regular && static_cast<std::size_t>(n) < kChunk) break;
  }
  ::close(fd);
  if (!ok) text->clear();
  return ok;
}

std::string ReadFilePrefix(const std::string& path, std::size_t limit) {
  std::string text;
  const int fd = OpenForReading(path, /*known_regular=*/true);
  if (fd < 0) return text;
  text.resize(limit);
  std::size_t got = 0;
  while (got < limit) {
    const ssize_t n = ::read(fd, text.data() + got, limit - got);
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  text.resize(got);
  return text;
}

}  // namespace imglint
