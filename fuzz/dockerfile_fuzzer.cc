// SPDX-License-Identifier: Apache-2.0
// Dockerfile text -> parser -> build semantics -> shell splitting.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "analyzer/dockerfile/build_model.h"
#include "analyzer/dockerfile/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  imglint::dockerfile::Dockerfile dockerfile;
  imglint::dockerfile::ParseError error;
  if (imglint::dockerfile::ParseDockerfile(text, &dockerfile, &error)) {
    imglint::dockerfile::AnalyzeBuild(dockerfile);
  }
  return 0;
}
