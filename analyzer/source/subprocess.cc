// SPDX-License-Identifier: Apache-2.0
#include "analyzer/source/subprocess.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <thread>
#include <tuple>

#include "analyzer/unique_fd.h"

extern char** environ;

namespace imglint {
namespace {

using Clock = std::chrono::steady_clock;

bool MakePipe(UniqueFd* read_end, UniqueFd* write_end) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return false;
  *read_end->put() = fds[0];
  *write_end->put() = fds[1];
  return true;
}

// RAII for the posix_spawn attribute objects.
struct SpawnSetup {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  SpawnSetup() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attr);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;
};

int WaitChild(pid_t pid, int options) {
  int status = 0;
  while (true) {
    const pid_t r = ::waitpid(pid, &status, options);
    if (r == pid) return status;
    if (r == 0) return -1;  // WNOHANG: still running
    if (errno != EINTR) return -2;
  }
}

// True while `pid` is our child and not yet reaped (WNOWAIT leaves a zombie
// in place). False when the host process reaps children itself (SIGCHLD
// ignored) and the pid may already belong to someone else.
bool IsUnreapedChild(pid_t pid) {
  siginfo_t info{};
  while (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0) {
    if (errno != EINTR) return false;
  }
  return true;
}

bool Fail(const std::string& message, std::string* err) {
  *err = message;
  return false;
}

void RecordStatus(int status, ProcessResult* result) {
  if (WIFEXITED(status)) result->exit_status = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result->signal = WTERMSIG(status);
}

}  // namespace

std::string FindExecutable(std::string_view name, std::string_view search_path) {
  if (name.empty() || name.find('/') != std::string_view::npos) return "";
  std::size_t start = 0;
  while (start <= search_path.size()) {
    std::size_t end = search_path.find(':', start);
    if (end == std::string_view::npos) end = search_path.size();
    const std::string_view dir = search_path.substr(start, end - start);
    start = end + 1;
    if (dir.empty() || dir.front() != '/') continue;
    std::string candidate(dir);
    if (candidate.back() != '/') candidate += '/';
    candidate += name;
    struct stat st {};
    if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
        ::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
  }
  return "";
}

bool RunProcess(const std::string& path, const std::vector<std::string>& argv,
                const ProcessOptions& options, ProcessResult* result, std::string* err) {
  *result = ProcessResult{};
  // stdin is a socket so that writing to a helper that exited early fails
  // with EPIPE (MSG_NOSIGNAL) instead of raising SIGPIPE in imglint.
  UniqueFd in_parent, in_child, out_parent, out_child, err_parent, err_child;
  int sockets[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sockets) != 0) {
    *err = std::string("cannot create a socket: ") + std::strerror(errno);
    return false;
  }
  *in_parent.put() = sockets[0];
  *in_child.put() = sockets[1];
  if (!MakePipe(&out_parent, &out_child) || !MakePipe(&err_parent, &err_child)) {
    *err = std::string("cannot create a pipe: ") + std::strerror(errno);
    return false;
  }

  SpawnSetup setup;
  // dup2 clears close-on-exec on 0-2; every other descriptor of ours is
  // O_CLOEXEC, so the helper inherits nothing else.
  posix_spawn_file_actions_adddup2(&setup.actions, in_child.get(), 0);
  posix_spawn_file_actions_adddup2(&setup.actions, out_child.get(), 1);
  posix_spawn_file_actions_adddup2(&setup.actions, err_child.get(), 2);
  // Own process group (killed as a whole on timeout), no inherited signal
  // mask, and default dispositions for signals imglint may ignore.
  sigset_t empty;
  sigemptyset(&empty);
  sigset_t defaults;
  sigemptyset(&defaults);
  for (int sig : {SIGPIPE, SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGCHLD, SIGALRM, SIGUSR1, SIGUSR2}) {
    sigaddset(&defaults, sig);
  }
  posix_spawnattr_setflags(&setup.attr,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setpgroup(&setup.attr, 0);
  posix_spawnattr_setsigmask(&setup.attr, &empty);
  posix_spawnattr_setsigdefault(&setup.attr, &defaults);

  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  const int rc =
      ::posix_spawn(&pid, path.c_str(), &setup.actions, &setup.attr, args.data(), environ);
  in_child.Close();
  out_child.Close();
  err_child.Close();
  if (rc != 0) {
    *err = "cannot run " + path + ": " + std::strerror(rc);
    return false;
  }

  for (const UniqueFd* fd : {&in_parent, &out_parent, &err_parent}) {
    ::fcntl(fd->get(), F_SETFL, ::fcntl(fd->get(), F_GETFL) | O_NONBLOCK);
  }
  std::size_t written = 0;
  if (options.stdin_data.empty()) in_parent.Close();
  const Clock::time_point deadline = Clock::now() + options.timeout;
  bool kill_group = false;
  std::string failure;
  char buffer[16384];
  while (out_parent.open() || err_parent.open()) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      result->timed_out = true;
      kill_group = true;
      break;
    }
    pollfd fds[3];
    nfds_t n = 0;
    int in_index = -1, out_index = -1, err_index = -1;
    if (in_parent.open()) {
      in_index = static_cast<int>(n);
      fds[n++] = {in_parent.get(), POLLOUT, 0};
    }
    if (out_parent.open()) {
      out_index = static_cast<int>(n);
      fds[n++] = {out_parent.get(), POLLIN, 0};
    }
    if (err_parent.open()) {
      err_index = static_cast<int>(n);
      fds[n++] = {err_parent.get(), POLLIN, 0};
    }
    const int ready = ::poll(fds, n, static_cast<int>(std::min<long long>(left, 1000)));
    if (ready < 0 && errno != EINTR) {
      kill_group = true;
      failure = std::string("poll failed: ") + std::strerror(errno);
      break;
    }
    if (ready <= 0) continue;
    if (in_index >= 0 && fds[in_index].revents != 0) {
      const ssize_t w = ::send(in_parent.get(), options.stdin_data.data() + written,
                               options.stdin_data.size() - written, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (w > 0) written += static_cast<std::size_t>(w);
      // Done, or the helper stopped reading (EPIPE): its answer still counts.
      if (written == options.stdin_data.size() || (w < 0 && errno != EAGAIN && errno != EINTR)) {
        in_parent.Close();
      }
    }
    for (auto [index, fd, sink] : {std::tuple{out_index, &out_parent, &result->out},
                                   std::tuple{err_index, &err_parent, &result->err}}) {
      if (index < 0 || fds[index].revents == 0) continue;
      const ssize_t r = ::read(fd->get(), buffer, sizeof buffer);
      if (r < 0 && (errno == EAGAIN || errno == EINTR)) continue;
      if (r <= 0) {
        fd->Close();
        continue;
      }
      const std::size_t room =
          options.max_output_bytes - std::min(options.max_output_bytes, sink->size());
      sink->append(buffer, std::min(room, static_cast<std::size_t>(r)));
      if (fd == &out_parent && static_cast<std::size_t>(r) > room) result->output_overflow = true;
    }
    if (result->output_overflow) {
      kill_group = true;
      break;
    }
  }
  in_parent.Close();
  out_parent.Close();
  err_parent.Close();

  // Output is closed; the helper should be exiting. Wait for it until the
  // deadline.
  if (!kill_group) {
    while (true) {
      const int status = WaitChild(pid, WNOHANG);
      if (status >= 0) {
        RecordStatus(status, result);
        return failure.empty() || Fail(failure, err);
      }
      if (status == -2) return Fail("lost track of the helper process", err);
      if (Clock::now() >= deadline) {
        result->timed_out = true;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  // Until it is reaped, the helper's pid (running or zombie) still names its
  // process group, so killing -pid cannot hit an unrelated process.
  if (!IsUnreapedChild(pid)) return Fail("lost track of the helper process", err);
  ::kill(-pid, SIGKILL);
  ::kill(pid, SIGKILL);
  const int status = WaitChild(pid, 0);
  if (status >= 0) RecordStatus(status, result);
  return failure.empty() || Fail(failure, err);
}

}  // namespace imglint
