// SPDX-License-Identifier: Apache-2.0
#include "analyzer/manifest/yaml_splice.h"

namespace imglint {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t'; }
bool IsBreak(char c) { return c == '\n' || c == '\r'; }

// One past a quoted scalar opening at `offset`, or npos.
size_t QuotedEnd(std::string_view text, size_t offset) {
  const char quote = text[offset];
  for (size_t i = offset + 1; i < text.size(); ++i) {
    if (quote == '"' && text[i] == '\\') {
      ++i;
    } else if (text[i] == quote) {
      if (quote == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
        ++i;  // '' is an escaped quote
        continue;
      }
      return i + 1;
    }
  }
  return std::string_view::npos;
}

}  // namespace

size_t ScalarEnd(std::string_view text, size_t offset, bool flow) {
  if (offset >= text.size()) return std::string_view::npos;
  const char first = text[offset];
  if (first == '"' || first == '\'') return QuotedEnd(text, offset);
  if (first == '|' || first == '>' || first == '*' || first == '&' || first == '!' ||
      first == '[' || first == '{' || IsBreak(first)) {
    return std::string_view::npos;
  }
  size_t i = offset;
  size_t end = offset;
  for (; i < text.size() && !IsBreak(text[i]); ++i) {
    const char c = text[i];
    if (c == '#' && i > offset && IsBlank(text[i - 1])) break;
    if (c == ':' && (i + 1 == text.size() || IsBlank(text[i + 1]) || IsBreak(text[i + 1]) ||
                     (flow && (text[i + 1] == ',' || text[i + 1] == ']' || text[i + 1] == '}')))) {
      break;
    }
    if (flow && (c == ',' || c == ']' || c == '}')) break;
    if (!IsBlank(c)) end = i + 1;
  }
  return end;
}

std::optional<size_t> ValueAfterKey(std::string_view text, size_t key_offset) {
  size_t i = ScalarEnd(text, key_offset, /*flow=*/false);
  if (i == std::string_view::npos) return std::nullopt;
  while (i < text.size() && IsBlank(text[i])) ++i;
  if (i >= text.size() || text[i] != ':') return std::nullopt;
  ++i;
  while (i < text.size() && IsBlank(text[i])) ++i;
  return i;
}

bool RestOfLineIsBlank(std::string_view text, size_t offset) {
  for (size_t i = offset; i < text.size() && !IsBreak(text[i]); ++i) {
    if (text[i] == '#' && (i == offset || IsBlank(text[i - 1]))) return true;
    if (!IsBlank(text[i])) return false;
  }
  return true;
}

bool OnlySpacesBefore(std::string_view text, size_t offset) {
  for (size_t i = offset; i > 0; --i) {
    if (text[i - 1] == '\n') return true;
    if (text[i - 1] != ' ') return false;
  }
  return true;
}

std::optional<FlowCollection> ScanFlowCollection(std::string_view text, size_t open) {
  if (open >= text.size() || (text[open] != '[' && text[open] != '{')) return std::nullopt;
  FlowCollection out;
  out.open = open;
  int depth = 0;
  size_t item_begin = std::string_view::npos;
  size_t item_end = 0;
  char previous = 0;  // the last significant character seen
  for (size_t i = open; i < text.size(); ++i) {
    const char c = text[i];
    if (IsBlank(c) || IsBreak(c)) continue;
    if (c == '#' && (IsBlank(text[i - 1]) || IsBreak(text[i - 1]))) {
      while (i < text.size() && !IsBreak(text[i])) ++i;
      continue;
    }
    if (c == '[' || c == '{') {
      if (depth == 1 && item_begin == std::string_view::npos) item_begin = i;
      ++depth;
    } else if (c == ']' || c == '}') {
      --depth;
      if (depth == 0) {
        if (item_begin != std::string_view::npos) out.items.emplace_back(item_begin, item_end);
        out.trailing_comma = previous == ',';
        out.close = i;
        return out;
      }
      item_end = i + 1;
    } else if (c == ',' && depth == 1) {
      if (item_begin != std::string_view::npos) out.items.emplace_back(item_begin, item_end);
      item_begin = std::string_view::npos;
    } else if ((c == '"' || c == '\'') && (previous == '[' || previous == '{' || previous == ',' ||
                                           previous == ':' || previous == '?' || previous == '-')) {
      const size_t end = QuotedEnd(text, i);
      if (end == std::string_view::npos) return std::nullopt;
      if (depth == 1 && item_begin == std::string_view::npos) item_begin = i;
      item_end = end;
      i = end - 1;
    } else {
      if (depth == 1 && item_begin == std::string_view::npos) item_begin = i;
      item_end = i + 1;
    }
    previous = text[i];
  }
  return std::nullopt;
}

std::pair<size_t, std::string> AppendToFlow(std::string_view text, const FlowCollection& collection,
                                            std::string_view item) {
  (void)text;
  if (collection.items.empty()) return {collection.open + 1, std::string(item)};
  const size_t after = collection.items.back().second;
  if (collection.trailing_comma) {
    // `[a, ]`: the comma is there already; the new item goes after it.
    return {collection.close, std::string(item)};
  }
  std::string text_after(", ");
  text_after.append(item);
  return {after, text_after};
}

bool HasBareCarriageReturn(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n')) return true;
  }
  return false;
}

}  // namespace imglint
