// SPDX-License-Identifier: Apache-2.0
#include "analyzer/image/digest.h"

#include <cstdlib>

#include "analyzer/image/lazy_libraries.h"
#include "analyzer/text.h"

namespace imglint {

struct Sha256::Impl {
  EVP_MD_CTX* ctx = nullptr;
  bool finished = false;
};

Sha256::Sha256() : impl_(std::make_unique<Impl>()) {
  const LibcryptoApi& crypto = Libcrypto();
  impl_->ctx = crypto.EVP_MD_CTX_new();
  // Allocation failure of a few hundred bytes is not recoverable here.
  if (impl_->ctx == nullptr ||
      crypto.EVP_DigestInit_ex(impl_->ctx, crypto.EVP_sha256(), nullptr) != 1) {
    std::abort();
  }
}

Sha256::~Sha256() { Libcrypto().EVP_MD_CTX_free(impl_->ctx); }

void Sha256::Update(const void* data, std::size_t size) {
  if (size != 0 && !impl_->finished) Libcrypto().EVP_DigestUpdate(impl_->ctx, data, size);
}

std::string Sha256::Digest() {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!impl_->finished) {
    Libcrypto().EVP_DigestFinal_ex(impl_->ctx, md, &len);
    impl_->finished = true;
  }
  return "sha256:" + HexEncode(md, len);
}

std::string Sha256Digest(std::string_view data) {
  Sha256 h;
  h.Update(data.data(), data.size());
  return h.Digest();
}

bool IsSha256Digest(std::string_view digest) {
  constexpr std::string_view kPrefix = "sha256:";
  if (digest.size() != kPrefix.size() + 64 || digest.substr(0, kPrefix.size()) != kPrefix) {
    return false;
  }
  for (char c : digest.substr(kPrefix.size())) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string_view DigestHex(std::string_view digest) {
  if (!IsSha256Digest(digest)) return {};
  return digest.substr(7);
}

}  // namespace imglint
