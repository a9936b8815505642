// SPDX-License-Identifier: Apache-2.0
// zlib-based gzip decoder for layers. Handles multi-member streams (pigz and
// some registries write them) and reports truncation separately from
// corruption, because "truncated" usually means an interrupted download.
#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "analyzer/image/decompressor.h"

namespace imglint {
namespace {

class GzipDecompressor : public ByteSource {
 public:
  explicit GzipDecompressor(ByteSource* input) : input_(input), in_(kBufferSize) {
    std::memset(&zs_, 0, sizeof(zs_));
    ok_ = inflateInit2(&zs_, 16 + MAX_WBITS) == Z_OK;
  }
  ~GzipDecompressor() override {
    if (ok_) inflateEnd(&zs_);
  }

  bool Read(std::uint8_t* buf, std::size_t size, std::size_t* got, std::string* err) override {
    *got = 0;
    if (!ok_) {
      *err = "gzip decoder could not be initialised";
      return false;
    }
    while (*got == 0 && !done_) {
      if (zs_.avail_in == 0 && !input_eof_) {
        std::size_t n = 0;
        if (!input_->Read(in_.data(), in_.size(), &n, err)) return false;
        if (n == 0) {
          input_eof_ = true;
        } else {
          zs_.next_in = in_.data();
          zs_.avail_in = static_cast<uInt>(n);
        }
      }
      if (member_done_) {
        // Another member follows only if the next bytes are a gzip header;
        // anything else is trailing padding that gzip(1) also ignores.
        if (zs_.avail_in == 0 && input_eof_) {
          done_ = true;
          break;
        }
        if (zs_.avail_in == 0) continue;
        if (zs_.next_in[0] != 0x1f) {
          done_ = true;
          break;
        }
        inflateReset(&zs_);
        member_done_ = false;
      }
      if (zs_.avail_in == 0 && input_eof_) {
        *err = "gzip data is truncated";
        return false;
      }
      zs_.next_out = buf;
      zs_.avail_out = static_cast<uInt>(std::min<std::size_t>(size, 1u << 30));
      int rc = inflate(&zs_, Z_NO_FLUSH);
      *got = static_cast<std::size_t>(zs_.next_out - buf);
      if (rc == Z_STREAM_END) {
        member_done_ = true;
      } else if (rc == Z_BUF_ERROR) {
        // No progress possible with the current input: need more bytes.
        if (input_eof_ && *got == 0) {
          *err = "gzip data is truncated";
          return false;
        }
      } else if (rc != Z_OK) {
        *err = std::string("gzip data is corrupt (") + (zs_.msg ? zs_.msg : "inflate error") + ")";
        return false;
      }
    }
    return true;
  }

 private:
  static constexpr std::size_t kBufferSize = 128 * 1024;
  ByteSource* input_;
  std::vector<std::uint8_t> in_;
  z_stream zs_;
  bool ok_ = false;
  bool input_eof_ = false;
  bool member_done_ = false;
  bool done_ = false;
};

}  // namespace

std::unique_ptr<ByteSource> MakeGzipDecompressor(ByteSource* input) {
  return std::make_unique<GzipDecompressor>(input);
}

}  // namespace imglint
