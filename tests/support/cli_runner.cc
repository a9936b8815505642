// SPDX-License-Identifier: Apache-2.0
#include "tests/support/cli_runner.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

namespace imglint::testing {

std::string SourceDir() { return IMGLINT_SOURCE_DIR; }

std::string SystemPython() {
  return access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3";
}

std::string SharedDir() {
  const char* env = std::getenv("IMGLINT_SHARED_DIR");
  std::string dir = env && *env ? env : SourceDir() + "/../shared";
  std::error_code ec;
  return std::filesystem::is_directory(dir, ec) ? dir : "";
}

CliResult RunImglint(const std::vector<std::string>& args, const std::string& stdin_data,
                     const std::string& cwd) {
  return RunImglintWithEnv(args, {}, stdin_data, cwd);
}

CliResult RunImglintWithEnv(const std::vector<std::string>& args, const EnvChanges& env,
                            const std::string& stdin_data, const std::string& cwd) {
  std::vector<std::string> argv{IMGLINT_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv, env, stdin_data, cwd);
}

CliResult RunCommand(const std::vector<std::string>& argv, const EnvChanges& env,
                     const std::string& stdin_data, const std::string& cwd) {
  if (argv.empty()) return {};
  // A child that exits without reading its stdin must not kill the test
  // with SIGPIPE; the child gets the default disposition back before exec.
  ::signal(SIGPIPE, SIG_IGN);
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (pipe(in_pipe) != 0 || pipe(out_pipe) != 0 || pipe(err_pipe) != 0) return {};
  pid_t pid = fork();
  if (pid == 0) {
    ::signal(SIGPIPE, SIG_DFL);
    dup2(in_pipe[0], 0);
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) {
      close(fd);
    }
    if (!cwd.empty() && chdir(cwd.c_str()) != 0) _exit(127);
    for (const auto& [name, value] : env) {
      if (value) {
        setenv(name.c_str(), value->c_str(), 1);
      } else {
        unsetenv(name.c_str());
      }
    }
    std::vector<std::string> copies = argv;
    std::vector<char*> args;
    for (std::string& a : copies) args.push_back(a.data());
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  CliResult result;
  // Feed stdin and drain both outputs together so no pipe fills and blocks.
  size_t written = 0;
  int in_fd = in_pipe[1];
  fcntl(in_fd, F_SETFL, O_NONBLOCK);
  if (stdin_data.empty()) {
    close(in_fd);
    in_fd = -1;
  }
  bool out_open = true, err_open = true;
  char buffer[65536];
  while (out_open || err_open || in_fd >= 0) {
    pollfd fds[3] = {{out_open ? out_pipe[0] : -1, POLLIN, 0},
                     {err_open ? err_pipe[0] : -1, POLLIN, 0},
                     {in_fd, POLLOUT, 0}};
    if (poll(fds, 3, -1) < 0) break;
    if (fds[0].revents) {
      ssize_t n = read(out_pipe[0], buffer, sizeof buffer);
      if (n > 0)
        result.out.append(buffer, static_cast<size_t>(n));
      else
        out_open = false;
    }
    if (fds[1].revents) {
      ssize_t n = read(err_pipe[0], buffer, sizeof buffer);
      if (n > 0)
        result.err.append(buffer, static_cast<size_t>(n));
      else
        err_open = false;
    }
    if (in_fd >= 0 && fds[2].revents) {
      ssize_t n = write(in_fd, stdin_data.data() + written, stdin_data.size() - written);
      if (n > 0) written += static_cast<size_t>(n);
      if (n < 0 || written == stdin_data.size()) {
        close(in_fd);
        in_fd = -1;
      }
    }
  }
  close(out_pipe[0]);
  close(err_pipe[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

}  // namespace imglint::testing
