// SPDX-License-Identifier: Apache-2.0
// .imglint.yaml text -> configuration loader (validation, patterns).
#include <cstddef>
#include <cstdint>
#include <string>

#include "cli/config_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  imglint::ConfigFile config;
  std::string error;
  if (imglint::ParseConfig(text, ".imglint.yaml", &config, &error)) {
    for (const auto& pattern : config.exclude) pattern->Matches("/usr/bin/passwd");
  }
  return 0;
}
