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

bool ReadAll(int fd, std::string* out) {
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) return true;
    out->append(buffer, static_cast<size_t>(n));
  }
}

// `data` from offset 0, the rest cut off, flushed.
bool Overwrite(int fd, std::string_view data) {
  return ::lseek(fd, 0, SEEK_SET) == 0 && WriteAll(fd, data) &&
         ::ftruncate(fd, static_cast<off_t>(data.size())) == 0 && ::fsync(fd) == 0;
}

// A new temporary file beside `target`: its descriptor (-1 on failure).
int TempBeside(const std::string& target, std::string* temp_path) {
  const size_t slash = target.rfind('/');
  std::string name =
      target.substr(0, slash + 1) + "." + target.substr(slash + 1) + ".imglint-XXXXXX";
  std::vector<char> temp(name.begin(), name.end());
  temp.push_back('\0');
  const int fd = ::mkstemp(temp.data());
  *temp_path = temp.data();
  return fd;
}

// A file with more than one hard link: a rename would give this name a new
// inode and leave the other names with the old text, so the file is
// rewritten in place, as vim (backupcopy=auto) and Emacs
// (backup-by-copying-when-linked) do. Not atomic: a reader during the write
// may see part of it. The old text goes to a flushed copy beside it first
// and is put back if the write fails; if even that fails, the copy stays.
bool RewriteInPlace(const std::string& target, std::string_view data, std::string* error) {
  UniqueFd fd(::open(target.c_str(), O_RDWR | O_CLOEXEC));
  std::string old;
  if (!fd.open() || !ReadAll(fd.get(), &old)) {
    *error = Errno("cannot open the file to rewrite it in place (it has other hard links)");
    return false;
  }
  std::string backup_path;
  UniqueFd backup(TempBeside(target, &backup_path));
  if (!backup.open() || !WriteAll(backup.get(), old) || ::fsync(backup.get()) != 0) {
    *error = Errno("cannot keep a copy of the file before rewriting it in place");
    if (backup.open()) ::unlink(backup_path.c_str());
    return false;
  }
  backup.Close();
  if (!Overwrite(fd.get(), data)) {
    *error = Errno("cannot rewrite the file in place (it has other hard links)");
    if (Overwrite(fd.get(), old)) {
      ::unlink(backup_path.c_str());
    } else {
      error->append("; its old text is in ").append(backup_path);
    }
    return false;
  }
  ::unlink(backup_path.c_str());
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
  if (S_ISREG(st.st_mode) && st.st_nlink > 1) return RewriteInPlace(target, data, error);
  const size_t slash = target.rfind('/');
  const std::string dir = target.substr(0, slash == 0 ? 1 : slash);
  std::string temp_path;
  UniqueFd fd(TempBeside(target, &temp_path));
  if (!fd.open()) {
    *error = Errno("cannot create a temporary file in " + dir);
    return false;
  }
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
