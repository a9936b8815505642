// SPDX-License-Identifier: Apache-2.0
#include "cli/atomic_write.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "analyzer/unique_fd.h"

namespace imglint {
namespace {

std::string Errno(const std::string& what) { return what + ": " + std::strerror(errno); }

bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

}  // namespace

bool ReplaceFileAtomically(const std::string& path, std::string_view data, std::string* error) {
  // Through a symbolic link: replace the file, keep the link.
  char resolved[PATH_MAX];
  if (::realpath(path.c_str(), resolved) == nullptr) {
    *error = Errno("cannot resolve the path");
    return false;
  }
  const std::string target(resolved);
  struct stat st {};
  if (::stat(target.c_str(), &st) != 0) {
    *error = Errno("cannot stat the file");
    return false;
  }
  const size_t slash = target.rfind('/');
  const std::string dir = target.substr(0, slash == 0 ? 1 : slash);
  std::string name =
      target.substr(0, slash + 1) + "." + target.substr(slash + 1) + ".imglint-XXXXXX";
  std::vector<char> temp(name.begin(), name.end());
  temp.push_back('\0');
  UniqueFd fd(::mkstemp(temp.data()));
  if (!fd.open()) {
    *error = Errno("cannot create a temporary file in " + dir);
    return false;
  }
  const std::string temp_path(temp.data());
  auto fail = [&](const std::string& why) {
    *error = Errno(why);
    ::unlink(temp_path.c_str());
    return false;
  };
  if (!WriteAll(fd.get(), data)) return fail("cannot write " + temp_path);
  if ((st.st_uid != ::geteuid() || st.st_gid != ::getegid()) &&
      ::fchown(fd.get(), st.st_uid, st.st_gid) != 0) {
    return fail("cannot keep the file's owner and group");
  }
  if (::fchmod(fd.get(), st.st_mode & 07777) != 0) return fail("cannot keep the file's mode");
  if (::fsync(fd.get()) != 0) return fail("cannot flush " + temp_path);
  fd.Close();
  if (::rename(temp_path.c_str(), target.c_str()) != 0) return fail("cannot rename over the file");
  // The rename itself reaches the disk with the directory.
  UniqueFd dir_fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir_fd.open()) ::fsync(dir_fd.get());
  return true;
}

}  // namespace imglint
