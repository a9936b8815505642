// SPDX-License-Identifier: Apache-2.0
/// Reading YAML text around a recorded position, for edits spliced into it
/// (analyzer/fix/text_edit.h): where a scalar ends, where a key's value
/// starts, whether a line holds nothing else, the items of a flow `[...]` or
/// `{...}`. yaml-cpp records where nodes start, not where they end; these
/// helpers find the rest from the text, and answer "unknown" (npos/nullopt)
/// rather than guess, so a fix refuses a layout it does not understand.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace imglint {

/// One past the last byte of the scalar that starts at `offset`: a quoted
/// one through its closing quote, a plain one up to a comment, the line's
/// end or, with `flow`, a `,` `]` `}`; trailing blanks excluded. npos for a
/// block scalar (`|`, `>`), an alias or anchor, or an unterminated quote.
size_t ScalarEnd(std::string_view text, size_t offset, bool flow);

/// Where the value of the key written at `key_offset` starts: after the key,
/// its `:` and blanks. May be the line's end or a comment (a block value or
/// none on the following lines). nullopt when no `:` follows the key.
std::optional<size_t> ValueAfterKey(std::string_view text, size_t key_offset);

/// Only blanks, then perhaps a comment, from `offset` to the end of its line.
bool RestOfLineIsBlank(std::string_view text, size_t offset);

/// Only spaces from the start of its line to `offset`.
bool OnlySpacesBefore(std::string_view text, size_t offset);

/// A flow collection as written: the offsets of its `[`/`{` and of the
/// matching close, and each item's [begin, end) without surrounding blanks,
/// line breaks or comments.
struct FlowCollection {
  size_t open = 0;
  size_t close = 0;
  std::vector<std::pair<size_t, size_t>> items;
  bool trailing_comma = false;  ///< `[a, b, ]`
};

/// Scans the flow collection opening at `open`; nullopt when `open` is not
/// `[` or `{`, or its close is not found.
std::optional<FlowCollection> ScanFlowCollection(std::string_view text, size_t open);

/// The text with `item` added as the last item of `collection`, as an edit:
/// the offset to insert at and the text (", item" or "item").
std::pair<size_t, std::string> AppendToFlow(std::string_view text, const FlowCollection& collection,
                                            std::string_view item);

/// True when the text has a carriage return that does not end a line (old
/// Mac line endings): line positions are then ambiguous.
bool HasBareCarriageReturn(std::string_view text);

}  // namespace imglint
