// SPDX-License-Identifier: Apache-2.0
/// Recognises the exec (JSON array) form of RUN/CMD/ENTRYPOINT/SHELL and the
/// JSON list form of COPY/ADD/VOLUME the way BuildKit does: the text must be
/// a complete, valid JSON document whose top level is an array. Invalid JSON
/// is *not* an error (the caller falls back to shell form), but a valid array
/// holding anything other than strings is. The validator is iterative, so
/// deeply nested hostile input cannot overflow the stack.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace imglint::dockerfile {

enum class JsonArrayStatus {
  kNotJson,     ///< not a JSON array at all: use shell/whitespace form
  kStrings,     ///< a JSON array of strings: `elements` is filled
  kNonStrings,  ///< valid JSON array with a non-string element: a syntax error
};

struct JsonElement {
  std::string value;  ///< decoded string
  size_t begin = 0;   ///< offset of the opening quote in the input
  size_t end = 0;     ///< offset one past the closing quote
};

/// Parses `text` (leading Unicode whitespace allowed). Offsets are relative
/// to `text`.
JsonArrayStatus ParseJsonStringArray(std::string_view text, std::vector<JsonElement>* elements);

}  // namespace imglint::dockerfile
