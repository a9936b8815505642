// SPDX-License-Identifier: Apache-2.0
// Headers of a registry's error answers, which any server (or a proxy in
// between) writes: WWW-Authenticate challenges (RFC 7235: quoted strings,
// escapes, several challenges, token68) and Retry-After (seconds or an HTTP
// date). A wait must come out finite and not negative.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "analyzer/source/registry_client.h"
#include "analyzer/source/www_authenticate.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const imglint::AuthChallenge& c : imglint::ParseWwwAuthenticate(text)) {
    for (char ch : c.scheme) {
      if (ch >= 'A' && ch <= 'Z') std::abort();  // schemes compare in lower case
    }
    for (const auto& [key, value] : c.params) {
      for (char ch : key) {
        if (ch >= 'A' && ch <= 'Z') std::abort();
      }
    }
  }
  const double wait = imglint::ParseRetryAfter(std::string(text), 1.5);
  if (!std::isfinite(wait) || wait < 0) std::abort();
  return 0;
}
