// SPDX-License-Identifier: Apache-2.0
/// Reading a text target (Dockerfile, Kubernetes or Compose file) whole, and
/// the prefix discovery classifies a file by, without ever blocking on a file
/// that was regular when the directory was listed and is a FIFO by the time
/// it is opened (swapped in between by someone who can write to the tree).
#pragma once

#include <cstddef>
#include <string>

namespace imglint {

/// Text targets are read whole (they are small by nature); the cap keeps a
/// hostile multi-gigabyte "Dockerfile" from exhausting memory.
inline constexpr std::size_t kMaxTextTargetBytes = 64 << 20;

/// Reads `path` whole into `*text`. `known_regular`: discovery saw a regular
/// file, so a short read is its end (no fstat(2), which over thousands of
/// Dockerfiles cost a third as much as the read itself), and the file is
/// opened without blocking: should it have become a FIFO, what is there (if
/// anything) is read at once. Otherwise a FIFO or device named by the user is
/// read until its end. False with `*error` set when it cannot be opened or is
/// over kMaxTextTargetBytes.
bool ReadTextFile(const std::string& path, bool known_regular, std::string* text,
                  std::string* error);

/// At most `limit` bytes from the start of `path` (believed regular: opened
/// without blocking), "" when it cannot be read.
std::string ReadFilePrefix(const std::string& path, std::size_t limit);

}  // namespace imglint
