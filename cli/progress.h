// SPDX-License-Identifier: Apache-2.0
/// A one-line progress indicator on stderr while image targets are read:
/// "imglint: reading app.tar: layer 3/5 …", rewritten in place. It appears
/// only when the file descriptor is a terminal and a scan has taken longer
/// than about a second, so tests, CI logs and redirected output never see
/// it. Thread-safe: layer callbacks arrive from the decoding threads.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <thread>

namespace imglint {

class ProgressLine {
 public:
  /// Shows progress on `fd` if it is a terminal; otherwise does nothing.
  explicit ProgressLine(int fd);
  /// Erases the line, if one was drawn.
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  bool enabled() const { return enabled_; }

  /// A target starts or finishes being read.
  void Begin(const std::string& target);
  void End(const std::string& target);
  /// `done` of `total` layer blobs of `target` are decoded (total 0: unknown).
  void Layers(const std::string& target, std::size_t done, std::size_t total);

  /// The text of the line for the targets being read (exposed for tests).
  struct Counts {
    std::size_t done = 0;
    std::size_t total = 0;
  };
  static std::string Render(const std::map<std::string, Counts>& active);

 private:
  void Tick();
  void Draw(const std::string& text);  // called with mu_ held

  const int fd_;
  const bool enabled_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::map<std::string, Counts> active_;
  std::string shown_;  // the text on the terminal now; empty = nothing drawn
  std::thread ticker_;
};

}  // namespace imglint
