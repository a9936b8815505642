// SPDX-License-Identifier: Apache-2.0
/// The pull interface every blob is read through: a byte range of a file read
/// with pread (so several layers of one tarball decode in parallel on one fd),
/// a member of a streamed tar, or memory. Decorators add SHA-256 hashing and a
/// replayable prefix (to sniff compression magic without seeking).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "analyzer/image/digest.h"

namespace imglint {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  /// Reads up to `size` bytes into `buf`; *got == 0 means end of data.
  /// Returns false and sets *err on an I/O or format error.
  virtual bool Read(std::uint8_t* buf, std::size_t size, std::size_t* got, std::string* err) = 0;
  /// Advances by up to `size` bytes without reading when the source can do so
  /// cheaply; returns how many bytes were skipped (0 = caller must read).
  virtual std::uint64_t Skip(std::uint64_t /*size*/) { return 0; }
};

/// Bytes [offset, offset + size) of a file descriptor via pread; does not own
/// the fd. Thread-compatible: one instance per thread, fd may be shared.
class FdRangeSource : public ByteSource {
 public:
  FdRangeSource(int fd, std::uint64_t offset, std::uint64_t size)
      : fd_(fd), pos_(offset), end_(offset + size) {}
  bool Read(std::uint8_t* buf, std::size_t size, std::size_t* got, std::string* err) override;
  std::uint64_t Skip(std::uint64_t size) override;

 private:
  int fd_;
  std::uint64_t pos_;
  std::uint64_t end_;
};

/// Reads a file descriptor (a pipe, standard input) front to back; does not
/// own the fd.
class FdStreamSource : public ByteSource {
 public:
  explicit FdStreamSource(int fd) : fd_(fd) {}
  bool Read(std::uint8_t* buf, std::size_t size, std::size_t* got, std::string* err) override;

 private:
  int fd_;
};

/// Reads a view of memory the caller keeps alive.
class MemorySource : public ByteSource {
 public:
  explicit MemorySource(std::string_view data) : data_(data) {}
  bool Read(std::uint8_t* buf, std::size_t size, std::size_t* got, std::string* err) override;
  std::uint64_t Skip(std::uint64_t size) override;

 private:
  std::string_view data_;
};

/// Replays `prefix` and then continues with `rest`.
class PrefixSource : public ByteSource {
 public:
  PrefixSource(std::string prefix, ByteSource* rest) : prefix_(std::move(prefix)), rest_(rest) {}
  bool Read(std::uint8_t* buf, std::size_t size, std::size_t* got, std::string* err) override;
  std::uint64_t Skip(std::uint64_t size) override;

 private:
  std::string prefix_;
  std::size_t pos_ = 0;
  ByteSource* rest_;
};

/// Hashes and counts every byte read from `inner`. Skip is passed through
/// only when hashing is disabled (a skipped byte cannot be hashed).
class HashingSource : public ByteSource {
 public:
  HashingSource(ByteSource* inner, bool hash) : inner_(inner), hash_(hash) {}
  bool Read(std::uint8_t* buf, std::size_t size, std::size_t* got, std::string* err) override;
  std::uint64_t Skip(std::uint64_t size) override;
  /// Reads and hashes whatever is left.
  bool Drain(std::string* err);
  std::uint64_t bytes() const { return bytes_; }
  bool hashed_everything() const { return hash_ && !skipped_; }
  std::string Digest() { return sha_.Digest(); }

 private:
  ByteSource* inner_;
  bool hash_;
  bool skipped_ = false;
  std::uint64_t bytes_ = 0;
  Sha256 sha_;
};

/// Reads `src` to the end into *out; fails when it exceeds `limit` bytes.
bool ReadAll(ByteSource* src, std::uint64_t limit, std::string* out, std::string* err);

}  // namespace imglint
