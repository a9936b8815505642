// SPDX-License-Identifier: Apache-2.0
// A whole image tarball (OCI layout or docker-save): outer tar index,
// index/manifest/config JSON, digests, layer merge. The bytes go through a
// memfd so the real seekable path is exercised, not a test double.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "analyzer/image/image_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  int fd = memfd_create("image", 0);
  if (fd < 0) return 0;
  if (write(fd, data, size) == static_cast<ssize_t>(size)) {
    imglint::ImageReadOptions options;
    options.jobs = 1;
    options.limits.max_decompressed_bytes = 64u << 20;
    imglint::ImageTarget target;
    std::string error;
    imglint::ReadImage("/proc/self/fd/" + std::to_string(fd), options, &target, &error);
  }
  close(fd);
  return 0;
}
