// SPDX-License-Identifier: Apache-2.0
/// SHA-256 of a short string in plain C++, for finding fingerprints: a run
/// over Dockerfiles hashes a few short keys per finding and nothing else, and
/// loading libcrypto for them would cost more than all the hashing
/// (analyzer/image/lazy_libraries.h). Blobs stream through OpenSSL
/// (analyzer/image/digest.h), whose SHA-NI code is several times faster on
/// long inputs.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace imglint {

/// The 32-byte SHA-256 digest of `data` (FIPS 180-4).
std::array<std::uint8_t, 32> Sha256Bytes(std::string_view data);

}  // namespace imglint
