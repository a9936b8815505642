// SPDX-License-Identifier: Apache-2.0
#include "analyzer/image/decompressor.h"

namespace imglint {

LayerCompression DetectCompression(std::string_view head) {
  auto starts = [&](std::string_view magic) { return head.substr(0, magic.size()) == magic; };
  if (starts("\x1f\x8b")) return LayerCompression::kGzip;
  if (starts("\x28\xb5\x2f\xfd")) return LayerCompression::kZstd;
  if (starts("BZh")) return LayerCompression::kBzip2;
  if (starts("\xfd"
             "7zXZ"))
    return LayerCompression::kXz;
  return LayerCompression::kNone;
}

std::string_view CompressionName(LayerCompression c) {
  switch (c) {
    case LayerCompression::kNone:
      return "tar";
    case LayerCompression::kGzip:
      return "gzip";
    case LayerCompression::kZstd:
      return "zstd";
    case LayerCompression::kBzip2:
      return "bzip2";
    case LayerCompression::kXz:
      return "xz";
  }
  return "unknown";
}

std::unique_ptr<ByteSource> MakeDecompressor(LayerCompression c, ByteSource* input) {
  switch (c) {
    case LayerCompression::kGzip:
      return MakeGzipDecompressor(input);
    case LayerCompression::kZstd:
      return MakeZstdDecompressor(input);
    default:
      return nullptr;
  }
}

}  // namespace imglint
