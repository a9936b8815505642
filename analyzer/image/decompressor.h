// SPDX-License-Identifier: Apache-2.0
/// Layer decompression behind one small interface, so that a faster codec
/// (ISA-L for gzip) can replace zlib without touching the layer reader. The
/// codec is chosen from the magic bytes, never from the media type: tools
/// such as skopeo label plain tar layers as gzip.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "analyzer/image/byte_source.h"

namespace imglint {

enum class LayerCompression : std::uint8_t { kNone, kGzip, kZstd, kBzip2, kXz };

/// Identifies the compression from the first bytes of a blob (4 are enough).
LayerCompression DetectCompression(std::string_view head);

std::string_view CompressionName(LayerCompression c);

/// Decompressed view of `input` (not owned). Errors read like
/// "gzip data is truncated" / "zstd data is corrupt (…)". Returns nullptr for
/// kNone (read `input` directly) and for unsupported codecs.
std::unique_ptr<ByteSource> MakeDecompressor(LayerCompression c, ByteSource* input);

/// Codec factories, one per implementation file.
std::unique_ptr<ByteSource> MakeGzipDecompressor(ByteSource* input);
std::unique_ptr<ByteSource> MakeZstdDecompressor(ByteSource* input);

}  // namespace imglint
