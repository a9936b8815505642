// SPDX-License-Identifier: Apache-2.0
// One layer blob (plain, gzip or zstd tar) -> entries, whiteouts, capabilities.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "analyzer/image/layer_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  imglint::MemorySource source(std::string_view(reinterpret_cast<const char*>(data), size));
  imglint::ImageLimits limits;
  limits.max_decompressed_bytes = 64u << 20;  // keep each run fast; bombs stop here
  std::atomic<std::uint64_t> total{0};
  imglint::LayerReadOptions options;
  options.limits = &limits;
  options.decompressed_total = &total;
  imglint::LayerContents contents;
  imglint::ReadLayer(&source, options, &contents);
  return 0;
}
