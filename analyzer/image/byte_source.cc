// SPDX-License-Identifier: Apache-2.0
#include "analyzer/image/byte_source.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace imglint {

bool FdRangeSource::Read(std::uint8_t* buf, std::size_t size, std::size_t* got, std::string* err) {
  *got = 0;
  std::uint64_t left = end_ - pos_;
  std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(size, left));
  while (want > 0) {
    ssize_t n = ::pread(fd_, buf, want, static_cast<off_t>(pos_));
    if (n < 0) {
      if (errno == EINTR) continue;
      *err = std::string("read error: ") + std::strerror(errno);
      return false;
    }
    if (n == 0) {
      *err = "unexpected end of file";
      return false;
    }
    pos_ += static_cast<std::uint64_t>(n);
    *got = static_cast<std::size_t>(n);
    break;
  }
  return true;
}

std::uint64_t FdRangeSource::Skip(std::uint64_t size) {
  std::uint64_t n = std::min(size, end_ - pos_);
  pos_ += n;
  return n;
}

bool MemorySource::Read(std::uint8_t* buf, std::size_t size, std::size_t* got, std::string*) {
  *got = std::min(size, data_.size());
  if (*got > 0) std::memcpy(buf, data_.data(), *got);
  data_.remove_prefix(*got);
  return true;
}

std::uint64_t MemorySource::Skip(std::uint64_t size) {
  std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(size, data_.size()));
  data_.remove_prefix(n);
  return n;
}

bool FdStreamSource::Read(std::uint8_t* buf, std::size_t size, std::size_t* got, std::string* err) {
  for (;;) {
    const ssize_t n = ::read(fd_, buf, size);
    if (n >= 0) {
      *got = static_cast<std::size_t>(n);
      return true;
    }
    if (errno == EINTR) continue;
    *err = std::string("read failed: ") + std::strerror(errno);
    return false;
  }
}

bool PrefixSource::Read(std::uint8_t* buf, std::size_t size, std::size_t* got, std::string* err) {
  if (pos_ < prefix_.size()) {
    *got = std::min(size, prefix_.size() - pos_);
    std::memcpy(buf, prefix_.data() + pos_, *got);
    pos_ += *got;
    return true;
  }
  return rest_->Read(buf, size, got, err);
}

std::uint64_t PrefixSource::Skip(std::uint64_t size) {
  if (pos_ < prefix_.size()) return 0;  // the caller reads the replayed bytes
  return rest_->Skip(size);
}

bool HashingSource::Read(std::uint8_t* buf, std::size_t size, std::size_t* got, std::string* err) {
  if (!inner_->Read(buf, size, got, err)) return false;
  if (hash_) sha_.Update(buf, *got);
  bytes_ += *got;
  return true;
}

std::uint64_t HashingSource::Skip(std::uint64_t size) {
  if (hash_) return 0;
  std::uint64_t n = inner_->Skip(size);
  if (n > 0) skipped_ = true;
  bytes_ += n;
  return n;
}

bool HashingSource::Drain(std::string* err) {
  std::uint8_t buf[64 * 1024];
  for (;;) {
    if (!hash_ && Skip(UINT64_MAX) > 0) continue;
    std::size_t got = 0;
    if (!Read(buf, sizeof(buf), &got, err)) return false;
    if (got == 0) return true;
  }
}

bool ReadAll(ByteSource* src, std::uint64_t limit, std::string* out, std::string* err) {
  out->clear();
  std::uint8_t buf[64 * 1024];
  for (;;) {
    std::size_t got = 0;
    if (!src->Read(buf, sizeof(buf), &got, err)) return false;
    if (got == 0) return true;
    if (out->size() + got > limit) {
      *err = "larger than the limit of " + std::to_string(limit) + " bytes";
      return false;
    }
    out->append(reinterpret_cast<const char*>(buf), got);
  }
}

}  // namespace imglint
