// SPDX-License-Identifier: Apache-2.0
#include "cli/progress.h"

#include <unistd.h>

#include <algorithm>

namespace imglint {
namespace {

// Quiet for short scans: a line that flashes for 100 ms is noise.
constexpr auto kDelay = std::chrono::seconds(1);
constexpr auto kInterval = std::chrono::milliseconds(250);
// Long paths are cut from the left (the file name matters most), so the line
// stays shorter than a terminal row and "\r" can rewrite it.
constexpr std::size_t kMaxName = 40;

std::string DisplayName(const std::string& path) {
  std::string name = path;
  if (name.size() > kMaxName) {
    std::string cut = "...";
    cut.append(name, name.size() - (kMaxName - 3));
    name = std::move(cut);
  }
  // Names come from the command line, but never send control bytes to a tty.
  for (char& c : name) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  return name;
}

void WriteAll(int fd, const std::string& text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    ssize_t n = ::write(fd, text.data() + pos, text.size() - pos);
    if (n <= 0) return;  // progress is best effort
    pos += static_cast<std::size_t>(n);
  }
}

}  // namespace

ProgressLine::ProgressLine(int fd) : fd_(fd), enabled_(::isatty(fd) == 1) {
  if (enabled_) ticker_ = std::thread([this] { Tick(); });
}

ProgressLine::~ProgressLine() {
  if (!enabled_) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  ticker_.join();
  std::lock_guard<std::mutex> lock(mu_);
  Draw("");
}

void ProgressLine::Begin(const std::string& target) {
  if (!enabled_) return;
  std::lock_guard<std::mutex> lock(mu_);
  active_.try_emplace(target);
}

void ProgressLine::End(const std::string& target) {
  if (!enabled_) return;
  std::lock_guard<std::mutex> lock(mu_);
  active_.erase(target);
}

void ProgressLine::Layers(const std::string& target, std::size_t done, std::size_t total) {
  if (!enabled_) return;
  std::lock_guard<std::mutex> lock(mu_);
  Counts& c = active_[target];
  c.done = std::max(c.done, done);  // callbacks from several threads may race
  c.total = total;
}

std::string ProgressLine::Render(const std::map<std::string, Counts>& active) {
  if (active.empty()) return "";
  std::size_t done = 0;
  std::size_t total = 0;
  bool known = true;
  for (const auto& [name, c] : active) {
    done += c.done;
    total += c.total;
    known = known && c.total > 0;
  }
  // Appended piece by piece, never `"x" + std::string`: GCC 12 at -O3
  // reports a false -Wrestrict for that.
  std::string text = "imglint: reading ";
  if (active.size() == 1) {
    text += DisplayName(active.begin()->first);
  } else {
    text += std::to_string(active.size());
    text += " targets";
  }
  // The layer being read, not the number finished: "layer 1/5" from the start.
  std::size_t current = done + 1;
  if (known) current = std::min(current, total);
  text += ": layer ";
  text += std::to_string(current);
  if (known) {
    text += '/';
    text += std::to_string(total);
  }
  text += " \xE2\x80\xA6";  // "…"
  return text;
}

void ProgressLine::Tick() {
  std::unique_lock<std::mutex> lock(mu_);
  auto busy_since = std::chrono::steady_clock::now();
  bool busy = false;
  while (!stop_) {
    cv_.wait_for(lock, kInterval, [this] { return stop_; });
    if (stop_) break;
    const auto now = std::chrono::steady_clock::now();
    if (active_.empty()) {
      busy = false;
      Draw("");
      continue;
    }
    if (!busy) {
      busy = true;
      busy_since = now;
    }
    if (now - busy_since >= kDelay) Draw(Render(active_));
  }
}

void ProgressLine::Draw(const std::string& text) {
  if (text == shown_) return;
  // "\r" then erase to the end of the line: a shorter text leaves no tail.
  WriteAll(fd_, "\r\x1b[K" + text);
  shown_ = text;
}

}  // namespace imglint
