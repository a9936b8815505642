// SPDX-License-Identifier: Apache-2.0
/// SHA-256 over streamed bytes (OpenSSL EVP) and validation of "sha256:<hex>"
/// digest strings. Every blob of an image is hashed while it streams, and a
/// digest string is validated before it is ever used to build a path, so a
/// hostile manifest cannot name "../../etc/shadow" as a blob.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace imglint {

/// Incremental SHA-256. Not copyable; one instance per stream.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(const void* data, std::size_t size);
  /// "sha256:<64 lowercase hex>". Call once; the hasher is finished after it.
  std::string Digest();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// "sha256:<hex>" of `data`.
std::string Sha256Digest(std::string_view data);

/// True for exactly "sha256:" followed by 64 lowercase hex digits.
bool IsSha256Digest(std::string_view digest);

/// The 64-hex part of a valid digest; empty when `digest` is not valid.
std::string_view DigestHex(std::string_view digest);

}  // namespace imglint
