// SPDX-License-Identifier: Apache-2.0
// An OCI image-layout directory: members are files below the directory,
// named only by normalised relative paths that cannot climb out of it.
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "analyzer/image/image_archive.h"
#include "analyzer/image/image_path.h"
#include "analyzer/limit_hint.h"
#include "analyzer/parallel.h"
#include "analyzer/unique_fd.h"

namespace imglint {
namespace {

class DirArchive : public ImageArchive {
 public:
  explicit DirArchive(std::string dir) : dir_(std::move(dir)) {
    dir_fd_ = ::open(dir_.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (char* real = ::realpath(dir_.c_str(), nullptr)) {
      real_dir_ = real;
      std::free(real);
    }
  }
  ~DirArchive() override {
    if (dir_fd_ >= 0) ::close(dir_fd_);
  }
  DirArchive(const DirArchive&) = delete;
  DirArchive& operator=(const DirArchive&) = delete;

  bool Resolve(std::string_view name, std::string* canonical, std::string* err) const override {
    std::string normalized;
    if (!NormalizeMemberName(name, &normalized)) {
      *err = "path \"" + std::string(name) + "\" escapes the archive";
      return false;
    }
    std::string ignored;
    UniqueFd fd(Open(normalized, &ignored));
    struct stat st;
    if (fd.get() < 0 || ::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
      *err = "no such member \"" + normalized + "\"";
      return false;
    }
    *canonical = std::move(normalized);
    return true;
  }

  bool ReadSmall(const std::string& canonical, std::uint64_t limit, std::string* out,
                 std::string* err) override {
    UniqueFd fd(Open(canonical, err));
    if (fd.get() < 0) return false;
    struct stat st;
    if (::fstat(fd.get(), &st) != 0) {
      *err = std::string("cannot stat: ") + std::strerror(errno);
      return false;
    }
    if (static_cast<std::uint64_t>(st.st_size) > limit) {
      *err = "larger than the limit of " + std::to_string(limit) + " bytes" +
             LimitHint("max-metadata-bytes");
      return false;
    }
    FdRangeSource src(fd.get(), 0, static_cast<std::uint64_t>(st.st_size));
    return ReadAll(&src, limit, out, err);
  }

  std::uint64_t MemberSize(const std::string& canonical) const override {
    std::string ignored;
    UniqueFd fd(Open(canonical, &ignored));
    struct stat st;
    if (fd.get() < 0 || ::fstat(fd.get(), &st) != 0) return 0;
    return static_cast<std::uint64_t>(st.st_size);
  }

  void ReadLayers(const std::vector<std::string>& members, const LayerReadOptions& options,
                  int jobs, std::vector<std::shared_ptr<LayerContents>>* out) override {
    out->assign(members.size(), nullptr);
    std::vector<std::uint64_t> sizes;
    for (const auto& name : members) sizes.push_back(MemberSize(name));
    ParallelFor(sizes, jobs, [&](std::size_t i) {
      auto contents = std::make_shared<LayerContents>();
      std::string err;
      UniqueFd fd(Open(members[i], &err));
      struct stat st;
      if (fd.get() < 0) {
        contents->error = err;
      } else if (::fstat(fd.get(), &st) != 0) {
        contents->error = std::string("cannot stat: ") + std::strerror(errno);
      } else {
        FdRangeSource src(fd.get(), 0, static_cast<std::uint64_t>(st.st_size));
        ReadLayer(&src, options, contents.get());
      }
      (*out)[i] = std::move(contents);
    });
  }

 private:
  // Opens a member without leaving the directory: symlinks inside the layout
  // (docker's "<id>/layer.tar" -> "../blobs/sha256/…") are followed, but one
  // that leads outside it (to /etc/shadow, say) is refused, so nothing of the
  // host is read, hashed or quoted in a message. openat2(RESOLVE_BENEATH)
  // where the kernel has it (5.6+), else realpath() and a prefix check.
  int Open(const std::string& canonical, std::string* err) const {
    int fd = -1;
    if (dir_fd_ >= 0) {
      struct open_how how {};
      how.flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK;
      how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
      fd = static_cast<int>(::syscall(SYS_openat2, dir_fd_, canonical.c_str(), &how, sizeof how));
      if (fd < 0 && errno == EXDEV) {
        *err = "member \"" + canonical + "\" leads outside the image directory";
        return -1;
      }
      if (fd < 0 && errno != ENOSYS && errno != EPERM && errno != EINVAL) {
        *err = "cannot open \"" + canonical + "\": " + std::strerror(errno);
        return -1;
      }
    }
    if (fd < 0) {
      const std::string path = JoinPath(dir_, canonical);
      char* real = ::realpath(path.c_str(), nullptr);
      if (real == nullptr) {
        *err = "cannot open \"" + canonical + "\": " + std::strerror(errno);
        return -1;
      }
      const std::string resolved(real);
      std::free(real);
      if (real_dir_.empty() || resolved.rfind(real_dir_ + "/", 0) != 0) {
        *err = "member \"" + canonical + "\" leads outside the image directory";
        return -1;
      }
      fd = ::open(resolved.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
      if (fd < 0) *err = "cannot open \"" + canonical + "\": " + std::strerror(errno);
    }
    return fd;
  }

  std::string dir_;
  int dir_fd_ = -1;
  std::string real_dir_;
};

}  // namespace

std::unique_ptr<ImageArchive> OpenDirArchive(const std::string& dir, std::string*) {
  return std::make_unique<DirArchive>(dir);
}

}  // namespace imglint
