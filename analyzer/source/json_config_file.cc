// SPDX-License-Identifier: Apache-2.0
#include "analyzer/source/json_config_file.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "analyzer/image/json_limits.h"
#include "analyzer/unique_fd.h"

namespace imglint {
namespace {}  // namespace

std::string TextPosition(std::string_view text, std::size_t byte) {
  std::size_t line = 1;
  std::size_t column = 1;
  const std::size_t end = byte == 0 ? 0 : std::min(byte - 1, text.size());
  for (std::size_t i = 0; i < end; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

ConfigFileStatus ReadConfigJson(const std::string& path, std::string_view label,
                                nlohmann::json* out, std::string* err, std::uint64_t max_bytes) {
  const std::string prefix = std::string(label) + ": ";
  // O_NONBLOCK: opening a FIFO must not wait for a writer.
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY));
  if (fd.get() < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return ConfigFileStatus::kMissing;
    *err = prefix + "cannot open: " + std::strerror(errno);
    return ConfigFileStatus::kError;
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) {
    *err = prefix + "cannot stat: " + std::strerror(errno);
    return ConfigFileStatus::kError;
  }
  if (!S_ISREG(st.st_mode)) {
    *err = prefix + "not a regular file";
    return ConfigFileStatus::kError;
  }
  const std::string too_large = prefix + "larger than " + std::to_string(max_bytes) + " bytes";
  if (static_cast<std::uint64_t>(st.st_size) > max_bytes) {
    *err = too_large;
    return ConfigFileStatus::kError;
  }
  std::string text;
  char buffer[65536];
  while (true) {  // the file may grow after fstat: the cap holds while reading too
    const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      *err = prefix + "cannot read: " + std::strerror(errno);
      return ConfigFileStatus::kError;
    }
    if (n == 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
    if (text.size() > max_bytes) {
      *err = too_large;
      return ConfigFileStatus::kError;
    }
  }
  if (JsonNestingDepth(text) > kMaxJsonDepth) {
    *err = prefix + "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
    return ConfigFileStatus::kError;
  }
  try {
    *out = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    *err = prefix + "not valid JSON at " + TextPosition(text, e.byte);
    return ConfigFileStatus::kError;
  } catch (const nlohmann::json::exception&) {
    *err = prefix + "not valid JSON";
    return ConfigFileStatus::kError;
  }
  return ConfigFileStatus::kLoaded;
}

}  // namespace imglint
