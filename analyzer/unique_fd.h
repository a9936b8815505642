// SPDX-License-Identifier: Apache-2.0
/// The one owner of a file descriptor: closed when it goes out of scope.
/// Standard input, output and error (0–2) are never closed, so a reader may
/// hold fd 0 like any other.
#pragma once

#include <unistd.h>

namespace imglint {

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { Close(); }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const { return fd_; }
  bool open() const { return fd_ >= 0; }
  /// For APIs that fill in a descriptor (pipe2 and the like).
  int* put() {
    Close();
    return &fd_;
  }
  void Close() {
    if (fd_ > 2) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

}  // namespace imglint
