// SPDX-License-Identifier: Apache-2.0
// gzip decoder for layers, on ISA-L's igzip inflate: gzip is most of the
// cost of reading an image, and igzip inflates about twice as fast as zlib
// (bench/README.md). Handles multi-member streams (pigz and some registries
// write them) and reports truncation separately from corruption, because
// "truncated" usually means an interrupted download. ISAL_GZIP makes igzip
// parse each member's header and verify its CRC-32 and ISIZE trailer.
#include <isa-l/igzip_lib.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "analyzer/image/decompressor.h"

namespace imglint {
namespace {

// zlib's wording for the same failures, so messages did not change when the
// codec did.
const char* InflateErrorText(int rc) {
  switch (rc) {
    case ISAL_INVALID_BLOCK:
      return "invalid block type";
    case ISAL_INVALID_SYMBOL:
      return "invalid code";
    case ISAL_INVALID_LOOKBACK:
      return "invalid distance too far back";
    case ISAL_INVALID_WRAPPER:
      return "incorrect header check";
    case ISAL_UNSUPPORTED_METHOD:
      return "unknown compression method";
    case ISAL_INCORRECT_CHECKSUM:
      return "incorrect data check";
    case ISAL_NEED_DICT:
      return "need dictionary";
    default:
      return "inflate error";
  }
}

class GzipDecompressor : public ByteSource {
 public:
  explicit GzipDecompressor(ByteSource* input) : input_(input), in_(kBufferSize) { StartMember(); }

  bool Read(std::uint8_t* buf, std::size_t size, std::size_t* got, std::string* err) override {
    *got = 0;
    while (*got == 0 && !done_) {
      if (state_.avail_in == 0 && !input_eof_ && !Fill(err)) return false;
      if (member_done_) {
        // Another member follows only if the next bytes are a gzip header;
        // anything else is trailing padding that gzip(1) also ignores.
        if (state_.avail_in == 0) {
          done_ = input_eof_;
          continue;
        }
        if (state_.next_in[0] != 0x1f) {
          done_ = true;
          break;
        }
        // Give the next header to igzip in one piece rather than a few
        // bytes left over from the previous member.
        if (state_.avail_in < kMinHeaderBytes && !input_eof_ && !Fill(err)) return false;
        StartMember();
      }
      if (state_.avail_in == 0 && input_eof_) {
        *err = "gzip data is truncated";
        return false;
      }
      state_.next_out = buf;
      state_.avail_out = static_cast<std::uint32_t>(std::min<std::size_t>(size, 1u << 30));
      const std::uint32_t avail_before = state_.avail_in;
      int rc = isal_inflate(&state_);
      *got = static_cast<std::size_t>(state_.next_out - buf);
      if (rc < 0 || rc == ISAL_NEED_DICT) {
        *err = std::string("gzip data is corrupt (") + InflateErrorText(rc) + ")";
        return false;
      }
      if (state_.block_state == ISAL_BLOCK_FINISH) {
        member_done_ = true;
      } else if (*got == 0 && (state_.avail_in == 0 || state_.avail_in == avail_before)) {
        // No progress. igzip keeps a partial header or trailer internally
        // and reports success, so with the input at its end the member is
        // cut; otherwise it needs more input than it was given.
        if (input_eof_) {
          *err = "gzip data is truncated";
          return false;
        }
        if (state_.avail_in == in_.size()) {  // a full buffer should always progress
          *err = "gzip data is corrupt (inflate error)";
          return false;
        }
        if (state_.avail_in > 0 && !Fill(err)) return false;
      }
    }
    return true;
  }

 private:
  static constexpr std::size_t kBufferSize = 1024 * 1024;
  // Larger than a gzip header without optional fields (10 bytes) plus the
  // first deflate block header.
  static constexpr std::uint32_t kMinHeaderBytes = 64;

  void StartMember() {
    std::uint8_t* next_in = state_.next_in;
    std::uint32_t avail_in = state_.avail_in;
    isal_inflate_init(&state_);
    state_.crc_flag = ISAL_GZIP;
    state_.next_in = next_in;
    state_.avail_in = avail_in;
    member_done_ = false;
  }

  // Moves unread input to the front of the buffer and reads until it is
  // full or the input ends: small reads (the sniffed prefix, a pipe) reach
  // igzip as one run of input.
  bool Fill(std::string* err) {
    std::size_t have = state_.avail_in;
    if (have > 0 && state_.next_in != in_.data()) std::memmove(in_.data(), state_.next_in, have);
    while (have < in_.size() && !input_eof_) {
      std::size_t n = 0;
      if (!input_->Read(in_.data() + have, in_.size() - have, &n, err)) return false;
      if (n == 0) input_eof_ = true;
      have += n;
    }
    state_.next_in = in_.data();
    state_.avail_in = static_cast<std::uint32_t>(have);
    return true;
  }

  ByteSource* input_;
  std::vector<std::uint8_t> in_;
  inflate_state state_{};
  bool input_eof_ = false;
  bool member_done_ = false;
  bool done_ = false;
};

}  // namespace

std::unique_ptr<ByteSource> MakeGzipDecompressor(ByteSource* input) {
  return std::make_unique<GzipDecompressor>(input);
}

}  // namespace imglint
