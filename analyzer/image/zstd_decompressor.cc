// SPDX-License-Identifier: Apache-2.0
// libzstd streaming decoder for layers; multi-frame streams are decoded in
// sequence and a stream that ends inside a frame is reported as truncated.
#include <zstd.h>

#include <vector>

#include "analyzer/image/decompressor.h"

namespace imglint {
namespace {

class ZstdDecompressor : public ByteSource {
 public:
  explicit ZstdDecompressor(ByteSource* input)
      : input_(input), dctx_(ZSTD_createDCtx()), in_(ZSTD_DStreamInSize()) {
    // Refuse absurd window sizes (memory bound on hostile input): 128 MiB is
    // the largest window zstd --long writes by default.
    if (dctx_ != nullptr) ZSTD_DCtx_setParameter(dctx_, ZSTD_d_windowLogMax, 27);
  }
  ~ZstdDecompressor() override { ZSTD_freeDCtx(dctx_); }

  bool Read(std::uint8_t* buf, std::size_t size, std::size_t* got, std::string* err) override {
    *got = 0;
    if (dctx_ == nullptr) {
      *err = "zstd decoder could not be initialised";
      return false;
    }
    while (*got == 0) {
      if (inbuf_.pos == inbuf_.size) {
        if (input_eof_) {
          if (frame_open_) {
            *err = "zstd data is truncated";
            return false;
          }
          return true;  // end of stream at a frame boundary
        }
        std::size_t n = 0;
        if (!input_->Read(in_.data(), in_.size(), &n, err)) return false;
        if (n == 0) {
          input_eof_ = true;
          continue;
        }
        inbuf_ = {in_.data(), n, 0};
      }
      if (!frame_open_ && started_ && !IsFrameStart(in_[inbuf_.pos])) {
        // Bytes after a complete frame that do not start another frame are
        // trailing padding (the digest still covers them), as for gzip.
        return true;
      }
      started_ = true;
      ZSTD_outBuffer out = {buf, size, 0};
      std::size_t rc = ZSTD_decompressStream(dctx_, &out, &inbuf_);
      if (ZSTD_isError(rc)) {
        *err = std::string("zstd data is corrupt (") + ZSTD_getErrorName(rc) + ")";
        return false;
      }
      frame_open_ = rc != 0;
      *got = out.pos;
    }
    return true;
  }

 private:
  ByteSource* input_;
  ZSTD_DCtx* dctx_;
  std::vector<std::uint8_t> in_;
  ZSTD_inBuffer inbuf_ = {nullptr, 0, 0};
  bool input_eof_ = false;
  bool frame_open_ = false;
  bool started_ = false;

  // First byte of a zstd frame (magic 0xFD2FB528, little endian) or of a
  // skippable frame (0x184D2A5?).
  static bool IsFrameStart(std::uint8_t b) { return b == 0x28 || (b & 0xF0) == 0x50; }
};

}  // namespace

std::unique_ptr<ByteSource> MakeZstdDecompressor(ByteSource* input) {
  return std::make_unique<ZstdDecompressor>(input);
}

}  // namespace imglint
