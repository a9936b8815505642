// SPDX-License-Identifier: Apache-2.0
#include "analyzer/dockerfile/line_parsers.h"

#include "analyzer/dockerfile/json_form.h"
#include "analyzer/dockerfile/text_util.h"
#include "analyzer/text.h"

namespace imglint::dockerfile {
namespace internal {
namespace {

struct Entry {
  std::string_view keyword;
  ArgParser parser;
};

// Every instruction BuildKit knows, with the parser for its arguments: the
// one list of Dockerfile keywords.
constexpr Entry kTable[] = {
    {"add", ArgParser::kMaybeJsonToList},     {"arg", ArgParser::kNameOrNameVal},
    {"cmd", ArgParser::kMaybeJson},           {"copy", ArgParser::kMaybeJsonToList},
    {"entrypoint", ArgParser::kMaybeJson},    {"env", ArgParser::kEnv},
    {"expose", ArgParser::kWhitespace},       {"from", ArgParser::kWhitespace},
    {"healthcheck", ArgParser::kHealthcheck}, {"label", ArgParser::kLabel},
    {"maintainer", ArgParser::kString},       {"onbuild", ArgParser::kSubCommand},
    {"run", ArgParser::kMaybeJson},           {"shell", ArgParser::kMaybeJson},
    {"stopsignal", ArgParser::kString},       {"user", ArgParser::kString},
    {"volume", ArgParser::kMaybeJsonToList},  {"workdir", ArgParser::kString},
};

}  // namespace

ArgParser ParserFor(std::string_view keyword) {
  for (const Entry& e : kTable) {
    if (e.keyword == keyword) return e.parser;
  }
  return ArgParser::kIgnore;
}

void ParseWords(std::string_view rest, size_t base, char escape, std::vector<RawArg>* words) {
  enum Phase { kInSpaces, kInWord, kInQuote };
  Phase phase = kInSpaces;
  char quote = 0;
  bool blank_ok = false;
  std::string word;
  size_t word_begin = 0;
  size_t pos = 0;
  auto flush = [&](size_t end) {
    if (blank_ok || !word.empty())
      words->push_back({std::move(word), base + word_begin, base + end});
  };
  while (pos <= rest.size()) {
    size_t len = 1;
    char32_t ch = 0;
    if (pos < rest.size()) ch = DecodeUtf8(rest, pos, &len);
    if (phase == kInSpaces) {
      if (pos == rest.size()) break;
      if (text::IsSpaceRune(ch)) {
        pos += len;
        continue;
      }
      phase = kInWord;
      word_begin = pos;
    }
    if (pos == rest.size()) {  // in a word or quote at the end of input
      flush(pos);
      break;
    }
    if (phase == kInWord) {
      if (text::IsSpaceRune(ch)) {
        phase = kInSpaces;
        flush(pos);
        word.clear();
        blank_ok = false;
        pos += len;
        continue;
      }
      if (ch == '\'' || ch == '"') {
        quote = static_cast<char>(ch);
        blank_ok = true;
        phase = kInQuote;
      }
      if (ch == static_cast<unsigned char>(escape)) {
        if (pos + len == rest.size()) {  // an escape at the end of the line is dropped
          pos += len;
          continue;
        }
        // Unquoted, the escape and the next character are both kept.
        word.append(rest.substr(pos, len));
        pos += len;
        DecodeUtf8(rest, pos, &len);
      }
      word.append(rest.substr(pos, len));
      pos += len;
      continue;
    }
    // kInQuote
    if (ch == static_cast<unsigned char>(quote)) phase = kInWord;
    if (ch == static_cast<unsigned char>(escape) && quote != '\'') {
      if (pos + len == rest.size()) {
        phase = kInWord;
        pos += len;
        continue;
      }
      word.append(rest.substr(pos, len));
      pos += len;
      DecodeUtf8(rest, pos, &len);
    }
    word.append(rest.substr(pos, len));
    pos += len;
  }
}

namespace {

// Splits on runs of [\t\v\f\r ] (BuildKit's reWhitespace), at most `limit`
// pieces (0 = no limit), appended to `out`.
void SplitWhitespace(std::string_view rest, size_t base, size_t limit, std::vector<RawArg>* out) {
  size_t pieces = 0;
  size_t start = 0;
  size_t pos = 0;
  while (pos < rest.size()) {
    if (text::IsTokenSpace(rest[pos]) && (limit == 0 || pieces + 1 < limit)) {
      out->push_back({std::string(rest.substr(start, pos - start)), base + start, base + pos});
      ++pieces;
      while (pos < rest.size() && text::IsTokenSpace(rest[pos])) ++pos;
      start = pos;
      continue;
    }
    ++pos;
  }
  out->push_back({std::string(rest.substr(start)), base + start, base + rest.size()});
}

bool ParseNameVal(std::string_view rest, size_t base, std::string_view key, char escape,
                  ArgParse* out) {
  std::vector<RawArg> words;
  ParseWords(rest, base, escape, &words);
  if (words.empty()) return true;
  if (words[0].value.find('=') == std::string::npos) {
    // Old form `KEY name value…`: the value is the rest of the line verbatim.
    SplitWhitespace(rest, base, 2, &out->args);
    if (out->args.size() < 2) {
      out->error = std::string(key) + " must have two arguments";
      out->error_offset = base;
      return false;
    }
    const size_t end = out->args[1].end;
    out->args.push_back({"", end, end});
    return true;
  }
  for (const RawArg& w : words) {
    const size_t eq = w.value.find('=');
    if (eq == std::string::npos) {
      out->error = "Syntax error - can't find = in " + text::GoQuote(w.value) +
                   ". Must be of the form: name=value";
      out->error_offset = w.begin;
      return false;
    }
    // Word values keep quotes/escapes, so the key's source length equals its
    // value length unless the key itself held escapes; clamp to the word.
    const size_t key_end = std::min(w.begin + eq, w.end);
    out->args.push_back({w.value.substr(0, eq), w.begin, key_end});
    out->args.push_back({w.value.substr(eq + 1), std::min(key_end + 1, w.end), w.end});
    out->args.push_back({"=", key_end, std::min(key_end + 1, w.end)});
  }
  return true;
}

bool ParseJsonOr(std::string_view rest, size_t base, ArgParse* out, bool* is_json) {
  std::vector<JsonElement> elements;
  switch (ParseJsonStringArray(rest, &elements)) {
    case JsonArrayStatus::kStrings:
      for (JsonElement& e : elements) {
        out->args.push_back({std::move(e.value), base + e.begin, base + e.end});
      }
      out->json = true;
      *is_json = true;
      return true;
    case JsonArrayStatus::kNonStrings:
      out->error = "when using JSON array syntax, arrays must be comprised of strings only";
      out->error_offset = base;
      return false;
    case JsonArrayStatus::kNotJson:
      break;
  }
  *is_json = false;
  return true;
}

bool ParseMaybeJson(std::string_view rest, size_t base, ArgParse* out) {
  if (rest.empty()) return true;
  bool is_json = false;
  if (!ParseJsonOr(rest, base, out, &is_json)) return false;
  if (!is_json) out->args.push_back({std::string(rest), base, base + rest.size()});
  return true;
}

}  // namespace

bool ParseArgs(ArgParser parser, std::string_view rest, size_t base, char escape, ArgParse* out) {
  switch (parser) {
    case ArgParser::kIgnore:
    case ArgParser::kSubCommand:
      return true;
    case ArgParser::kMaybeJson:
      return ParseMaybeJson(rest, base, out);
    case ArgParser::kMaybeJsonToList: {
      bool is_json = false;
      if (!ParseJsonOr(rest, base, out, &is_json)) return false;
      if (!is_json && !rest.empty()) SplitWhitespace(rest, base, 0, &out->args);
      return true;
    }
    case ArgParser::kWhitespace:
      if (!rest.empty()) SplitWhitespace(rest, base, 0, &out->args);
      return true;
    case ArgParser::kString:
      if (!rest.empty()) out->args.push_back({std::string(rest), base, base + rest.size()});
      return true;
    case ArgParser::kNameOrNameVal:
      ParseWords(rest, base, escape, &out->args);
      return true;
    case ArgParser::kEnv:
      return ParseNameVal(rest, base, "ENV", escape, out);
    case ArgParser::kLabel:
      return ParseNameVal(rest, base, "LABEL", escape, out);
    case ArgParser::kHealthcheck: {
      size_t sep = 0;
      while (sep < rest.size() && !text::IsTokenSpace(rest[sep]) && rest[sep] != '\n') ++sep;
      size_t next = sep;
      while (next < rest.size() && (text::IsTokenSpace(rest[next]) || rest[next] == '\n')) ++next;
      if (sep == 0) return true;
      out->args.push_back({std::string(rest.substr(0, sep)), base, base + sep});
      return ParseMaybeJson(rest.substr(next), base + next, out);
    }
  }
  return true;
}

size_t ExtractFlags(std::string_view line, size_t base, std::vector<RawFlag>* flags) {
  enum Phase { kInSpaces, kInWord, kInQuote };
  Phase phase = kInSpaces;
  std::string word;
  size_t word_begin = 0;
  char quote = 0;
  bool blank_ok = false;
  auto is_space = [](char c) { return text::IsTokenSpace(c) || c == '\n'; };
  for (size_t pos = 0; pos <= line.size(); ++pos) {
    const char ch = pos < line.size() ? line[pos] : '\0';
    if (phase == kInSpaces) {
      if (pos == line.size()) break;
      if (is_space(ch)) continue;
      // Only words starting with "--" are flags.
      if (ch != '-' || pos + 1 == line.size() || line[pos + 1] != '-') return pos;
      phase = kInWord;
      word_begin = pos;
    }
    if (pos == line.size()) {
      if (word != "--" && (blank_ok || !word.empty())) {
        flags->push_back({word, base + word_begin, base + pos});
      }
      break;
    }
    if (phase == kInWord) {
      if (is_space(ch)) {
        phase = kInSpaces;
        if (word == "--") return pos;  // "--" ends the flags and is dropped
        if (blank_ok || !word.empty()) flags->push_back({word, base + word_begin, base + pos});
        word.clear();
        blank_ok = false;
        continue;
      }
      if (ch == '\'' || ch == '"') {
        quote = ch;
        blank_ok = true;
        phase = kInQuote;
        continue;
      }
      if (ch == '\\') {
        if (pos + 1 == line.size()) continue;  // a trailing backslash is dropped
        ++pos;
      }
      word.push_back(line[pos]);
      continue;
    }
    // kInQuote
    if (ch == quote) {
      phase = kInWord;
      continue;
    }
    if (ch == '\\') {
      if (pos + 1 == line.size()) {
        phase = kInWord;
        continue;
      }
      ++pos;
    }
    word.push_back(line[pos]);
  }
  return line.size();
}

}  // namespace internal

const std::vector<std::string>& InstructionKeywords() {
  static const std::vector<std::string> keywords = [] {
    std::vector<std::string> out;
    for (const internal::Entry& e : internal::kTable) out.emplace_back(e.keyword);
    return out;
  }();
  return keywords;
}

}  // namespace imglint::dockerfile
