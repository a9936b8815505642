// SPDX-License-Identifier: Apache-2.0
// Entry point of the image reader: opens the target (seekable tarball, OCI
// directory, or stream), recognises the format by content, plans the images,
// decodes every referenced layer once (in parallel where the input allows),
// verifies layer digests, and merges each image's layers into its final
// filesystem.
#include "analyzer/image/image_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <exception>
#include <map>

#include "analyzer/image/byte_source.h"
#include "analyzer/image/image_archive.h"
#include "analyzer/image/image_path.h"
#include "analyzer/image/image_plan.h"
#include "analyzer/image/merged_fs.h"
#include "analyzer/limit_hint.h"
#include "analyzer/text.h"
#include "analyzer/unique_fd.h"

namespace imglint {
namespace {

// A POSIX tar header: "ustar" magic, or at least a valid header checksum
// (v7 tar has no magic).
bool IsTarHeader(const unsigned char* block, std::size_t size) {
  if (size < 512) return false;
  if (std::memcmp(block + 257, "ustar", 5) == 0) return true;
  unsigned long stored = 0;
  bool digits = false;
  for (int i = 148; i < 156; ++i) {
    unsigned char c = block[i];
    if (c >= '0' && c <= '7') {
      stored = stored * 8 + (c - '0');
      digits = true;
    } else if (c != ' ' && c != 0) {
      return false;
    } else if (digits) {
      break;
    }
  }
  unsigned long sum = 0;
  for (int i = 0; i < 512; ++i) sum += (i >= 148 && i < 156) ? ' ' : block[i];
  return digits && sum == stored;
}

std::string LayerName(const LayerRef& ref) {
  return ref.digest.empty() ? "\"" + ref.member + "\"" : ref.digest;
}

class Reader {
 public:
  Reader(const std::string& path, const ImageReadOptions& options, ImageTarget* out)
      : path_(path), options_(options), out_(out) {
    layer_options_.limits = &options_.limits;
    layer_options_.hash = true;
    layer_options_.decompressed_total = &decompressed_;
    layer_options_.entries_total = &entries_;
    if (options_.progress) {
      layer_options_.layer_done = [this] { options_.progress(++layers_done_, layers_total_); };
    }
  }

  bool Run(std::string* err) {
    out_->path = path_;
    out_->images.clear();
    std::unique_ptr<ImageArchive> archive;
    int fd = -1;
    if (path_ == "-") {
      fd = 0;
    } else {
      struct stat st;
      if (::stat(path_.c_str(), &st) != 0) {
        *err = std::string("cannot open: ") + std::strerror(errno);
        return false;
      }
      if (S_ISDIR(st.st_mode)) {
        archive = OpenDirArchive(path_, err);
        if (!archive) return false;
      } else {
        fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
          *err = std::string("cannot open: ") + std::strerror(errno);
          return false;
        }
        seekable_ = S_ISREG(st.st_mode);
      }
    }
    UniqueFd owned(fd);
    if (!archive && path_ == "-" && !options_.stdin_prefix.empty()) {
      FdStreamSource rest(0);
      PrefixSource input(options_.stdin_prefix, &rest);
      archive = ReadStreamArchive(&input, layer_options_, err);  // reads the stream whole
      if (!archive) return false;
    }
    if (!archive) {
      archive = seekable_ ? OpenTarFileArchive(fd, options_.limits.max_entries_per_layer, err)
                          : ReadStreamArchive(fd, layer_options_, err);
      if (!archive) return false;
    }
    return RunArchive(archive.get(), err);
  }

  bool Run(const ArchiveOpener& open, std::string* err) {
    out_->path = path_;
    out_->images.clear();
    std::unique_ptr<ImageArchive> archive = open(layer_options_, err);
    return archive && RunArchive(archive.get(), err);
  }

 private:
  bool RunArchive(ImageArchive* archive, std::string* err) {
    PlanResult plan;
    if (archive->Exists("manifest.json")) {
      if (!PlanDockerSave(archive, options_, &plan, err)) return false;
    } else if (archive->Exists("oci-layout") && archive->Exists("index.json")) {
      if (!PlanOciLayout(archive, options_, &plan, err)) return false;
    } else {
      *err = "not an image: no manifest.json or oci-layout/index.json";
      return false;
    }
    if (!options_.ref.empty() && !SelectRef(&plan, err)) return false;
    return Build(archive, &plan, err);
  }

  // oci-archive:PATH:REF and friends: keep the images named REF.
  bool SelectRef(PlanResult* plan, std::string* err) {
    std::vector<ImagePlan> kept;
    std::vector<std::string> names;
    for (ImagePlan& p : plan->images) {
      bool match = false;
      for (const std::string& r : p.image.refs) {
        names.push_back(r);
        match = match || RefMatches(r, options_.ref);
      }
      if (match) kept.push_back(std::move(p));
    }
    if (kept.empty()) {
      *err = "no image named \"" + options_.ref + "\"";
      if (!names.empty()) {
        std::sort(names.begin(), names.end());
        names.erase(std::unique(names.begin(), names.end()), names.end());
        *err += " (it holds:";
        for (const std::string& n : names) *err += " " + n;
        *err += ")";
      }
      return false;
    }
    plan->images = std::move(kept);
    return true;
  }

  // An OCI ref.name is often just the tag ("1.0"); docker-save RepoTags are
  // "name:tag". REF may be either.
  static bool RefMatches(const std::string& have, const std::string& wanted) {
    if (have == wanted) return true;
    auto colon = have.rfind(':');
    auto slash = have.rfind('/');
    bool has_tag = colon != std::string::npos && (slash == std::string::npos || colon > slash);
    return has_tag && wanted.find(':') == std::string::npos && have.substr(colon + 1) == wanted;
  }

  bool Build(ImageArchive* archive, PlanResult* plan, std::string* err) {
    // Each distinct member is decoded once, however many images use it.
    std::vector<std::string> members;
    std::map<std::string, std::size_t> index;
    bool need_hash = options_.verify_digests;
    for (const ImagePlan& p : plan->images) {
      if (p.layers.size() > 0xFFFF) {
        *err = "more than 65535 layers";
        return false;
      }
      for (const LayerRef& ref : p.layers) {
        if (ref.digest.empty()) need_hash = true;  // classic layers are named by their hash
        if (index.emplace(ref.member, members.size()).second) members.push_back(ref.member);
      }
    }
    layer_options_.hash = need_hash;
    layers_total_ = members.size();
    std::vector<std::shared_ptr<LayerContents>> decoded;
    archive->ReadLayers(members, layer_options_, options_.jobs, &decoded);

    // A manifest may list one big layer thousands of times: the merge work
    // is bounded as well as the decoding.
    // (A layer that failed to decode is reported as such below.)
    std::uint64_t merged = 0;
    bool decode_failed = false;
    for (const ImagePlan& p : plan->images) {
      for (const LayerRef& ref : p.layers) {
        const LayerContents& contents = *decoded[index[ref.member]];
        decode_failed = decode_failed || !contents.error.empty();
        merged += contents.entries.size();
      }
    }
    if (!decode_failed && merged > options_.limits.max_total_entries) {
      *err = "the manifests list " + std::to_string(merged) +
             " layer entries to merge, more than the limit of " +
             std::to_string(options_.limits.max_total_entries) + LimitHint("max-total-entries");
      return false;
    }
    // Uses left per decoded layer: the last image to use a layer consumes it
    // (moves its strings, then frees it), so the peak holds the merged tree
    // and the layers not yet merged, not every layer besides the tree.
    std::vector<std::size_t> uses(decoded.size(), 0);
    for (const ImagePlan& p : plan->images) {
      for (const LayerRef& ref : p.layers) ++uses[index[ref.member]];
    }
    for (ImagePlan& p : plan->images) {
      Image image = std::move(p.image);
      if (plan->total_images <= 1) image.platform.clear();
      MergedFs fs;
      for (std::size_t i = 0; i < p.layers.size(); ++i) {
        const LayerRef& ref = p.layers[i];
        const std::size_t k = index[ref.member];
        LayerContents& contents = *decoded[k];
        if (!contents.error.empty()) {
          *err = "layer " + LayerName(ref) + ": " + contents.error;
          return false;
        }
        Layer layer;
        layer.digest = ref.digest;
        layer.media_type = ref.media_type;
        layer.size = ref.size != 0 ? ref.size : contents.blob_size;
        if (options_.verify_digests && !ref.digest.empty() && contents.digest != ref.digest) {
          *err = "blob " + ref.digest + ": digest mismatch (got " + contents.digest + ")";
          return false;
        }
        // The OCI spec makes the descriptor's size binding, like its digest.
        if (options_.verify_digests && ref.size != 0 && contents.blob_size != ref.size) {
          *err = "blob " + LayerName(ref) + ": size mismatch (the descriptor declares " +
                 std::to_string(ref.size) + " bytes, the blob has " +
                 std::to_string(contents.blob_size) + ")";
          return false;
        }
        if (layer.digest.empty()) layer.digest = contents.digest;
        image.layers.push_back(std::move(layer));
        if (--uses[k] == 0 && decoded[k].use_count() == 1) {
          fs.ApplyLayer(static_cast<std::uint16_t>(i), std::move(contents));
          decoded[k].reset();
        } else {
          fs.ApplyLayer(static_cast<std::uint16_t>(i), contents);
        }
      }
      image.passwd = fs.ReadSmallFile("/etc/passwd");
      image.group = fs.ReadSmallFile("/etc/group");
      image.files = fs.TakeFiles();
      out_->images.push_back(std::move(image));
    }
    return true;
  }

  const std::string& path_;
  const ImageReadOptions& options_;
  ImageTarget* out_;
  LayerReadOptions layer_options_;
  std::atomic<std::uint64_t> decompressed_{0};
  std::atomic<std::uint64_t> entries_{0};
  std::atomic<std::size_t> layers_done_{0};
  std::atomic<std::size_t> layers_total_{0};
  bool seekable_ = false;
};

}  // namespace

bool StartsWithTarHeader(std::string_view head) {
  return head.size() >= 512 &&
         IsTarHeader(reinterpret_cast<const unsigned char*>(head.data()), head.size());
}

bool LooksLikeImage(const std::string& path) {
  if (path == "-") return true;
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return false;
  if (S_ISDIR(st.st_mode)) {
    struct stat layout;
    return ::stat(JoinPath(path, "oci-layout").c_str(), &layout) == 0 && S_ISREG(layout.st_mode);
  }
  if (!S_ISREG(st.st_mode)) return S_ISFIFO(st.st_mode);  // a pipe can only be a stream
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  unsigned char block[512];
  ssize_t n = ::pread(fd, block, sizeof(block), 0);
  ::close(fd);
  return n == static_cast<ssize_t>(sizeof(block)) && IsTarHeader(block, sizeof(block));
}

namespace {

template <typename Run>
bool Guarded(ImageTarget* out, std::string* err, Run run) {
  // Nothing may escape the reader: hostile input ends as an error message.
  try {
    if (run()) return true;
  } catch (const std::exception& e) {
    *err = std::string("internal error: ") + e.what();
  } catch (...) {
    *err = "internal error";
  }
  // Messages quote names from the image: keep them printable UTF-8.
  *err = EscapeForMessage(*err);
  out->images.clear();
  return false;
}

}  // namespace

bool ReadImage(const std::string& path, const ImageReadOptions& options, ImageTarget* out,
               std::string* err) {
  return Guarded(out, err, [&] { return Reader(path, options, out).Run(err); });
}

bool ReadImageFrom(const std::string& name, const ArchiveOpener& open,
                   const ImageReadOptions& options, ImageTarget* out, std::string* err) {
  return Guarded(out, err, [&] { return Reader(name, options, out).Run(open, err); });
}

}  // namespace imglint
