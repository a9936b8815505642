// SPDX-License-Identifier: Apache-2.0
#include "analyzer/dockerfile/parser.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "analyzer/dockerfile/directives.h"
#include "analyzer/dockerfile/heredoc.h"
#include "analyzer/dockerfile/instruction_check.h"
#include "analyzer/dockerfile/line_parsers.h"
#include "analyzer/dockerfile/text_util.h"
#include "analyzer/text.h"

namespace imglint::dockerfile {
namespace {

using internal::ArgParse;
using internal::ArgParser;
using internal::RawFlag;

// `ONBUILD ONBUILD …` nests; BuildKit rejects chaining later anyway, and a
// fixed bound keeps the parser from recursing once per hostile word.
constexpr int kMaxSubInstructionDepth = 8;

struct PhysLine {
  std::string_view content;  // without the trailing \r/\n characters
  int number = 0;
  size_t begin = 0;  // offset of the line in the text
};

// Splits the text into lines the way BuildKit's scanner does.
class LineReader {
 public:
  explicit LineReader(std::string_view text) : text_(text) {}
  bool Next(PhysLine* out) {
    if (pos_ >= text_.size()) return false;
    const size_t nl = text_.find('\n', pos_);
    const size_t end = nl == std::string_view::npos ? text_.size() : nl + 1;
    std::string_view content = text_.substr(pos_, end - pos_);
    while (!content.empty() && (content.back() == '\n' || content.back() == '\r')) {
      content.remove_suffix(1);
    }
    out->content = content;
    out->begin = pos_;
    out->number = ++line_;
    pos_ = end;
    return true;
  }
  int line() const { return line_; }

 private:
  std::string_view text_;
  size_t pos_ = 0;
  int line_ = 0;
};

bool IsComment(std::string_view line) {
  const std::string_view t = text::TrimLeftSpace(line);
  return !t.empty() && t[0] == '#';
}

// BuildKit's line-continuation regex `([^E])E[ \t]*$|^E[ \t]*$` (E = the
// escape character): a trailing escape continues the line unless it is
// itself escaped. Returns whether the line continues; *kept is the text
// without the escape and the blanks after it.
bool TrimContinuation(std::string_view line, char escape, std::string_view* kept) {
  size_t end = line.size();
  while (end > 0 && (line[end - 1] == ' ' || line[end - 1] == '\t')) --end;
  if (end == 0 || line[end - 1] != escape) {
    *kept = line;
    return false;
  }
  const size_t esc = end - 1;
  if (esc > 0 && line[esc - 1] == escape) {
    *kept = line;
    return false;
  }
  *kept = line.substr(0, esc);
  return true;
}

// Builds instructions from one logical line.
class InstructionBuilder {
 public:
  // `scratch` holds the argument list between parsing and the instruction;
  // one for the whole file, so its storage is reused.
  InstructionBuilder(const std::string& line, const std::vector<Segment>& segments, char escape,
                     ArgParse* scratch)
      : line_(line), segments_(segments), escape_(escape), parsed_(*scratch) {}

  Position At(size_t offset) const {
    auto it = std::upper_bound(segments_.begin(), segments_.end(), offset,
                               [](size_t off, const Segment& s) { return off < s.offset; });
    if (it != segments_.begin()) --it;
    return {it->line, it->column + static_cast<int>(offset - it->offset)};
  }
  Range RangeOf(size_t begin, size_t end) const {
    Range r;
    r.start = At(begin);
    if (end > begin) {
      r.end = At(end - 1);
      r.end.column += 1;
    } else {
      r.end = r.start;
    }
    return r;
  }

  // Fills `inst` from the line at `begin`. At 0 (a whole logical line) the
  // caller has already moved the line and its segments into `inst`.
  bool Build(size_t begin, int depth, Instruction* inst, ParseError* err) const {
    const std::string_view view = std::string_view(line_).substr(begin);
    const std::string_view trimmed = text::TrimSpace(view);
    const size_t off = begin + static_cast<size_t>(trimmed.data() - view.data());
    size_t k = 0;
    while (k < trimmed.size() && !text::IsTokenSpace(trimmed[k])) ++k;
    inst->keyword = text::ToLowerAscii(trimmed.substr(0, k));
    inst->keyword_range = RangeOf(off, off + k);
    if (begin != 0) {  // ONBUILD's trigger; the caller moved the whole line in
      inst->original = std::string(view);
      inst->segments = SegmentsFrom(begin);
    }

    size_t rest_begin = k;
    while (rest_begin < trimmed.size() && text::IsTokenSpace(trimmed[rest_begin])) ++rest_begin;
    const std::string_view after = trimmed.substr(rest_begin);
    const size_t after_off = off + rest_begin;
    std::vector<RawFlag> flags;
    const size_t rem = after.empty() ? 0 : internal::ExtractFlags(after, after_off, &flags);
    inst->flags.reserve(flags.size());
    for (RawFlag& f : flags) {
      Flag flag;
      flag.range = RangeOf(f.begin, f.end);
      std::string_view body = f.text;
      if (body.substr(0, 2) == "--") body.remove_prefix(2);
      const size_t eq = body.find('=');
      flag.name = std::string(body.substr(0, eq));
      if (eq != std::string_view::npos) {
        flag.value = std::string(body.substr(eq + 1));
        flag.has_value = true;
      }
      flag.text = std::move(f.text);
      inst->flags.push_back(std::move(flag));
    }
    const std::string_view rest_raw = after.substr(rem);
    const std::string_view args = text::TrimSpace(rest_raw);
    const size_t args_off = after_off + rem + static_cast<size_t>(args.data() - rest_raw.data());

    const ArgParser parser = internal::ParserFor(inst->keyword);
    inst->known = parser != ArgParser::kIgnore;
    if (parser == ArgParser::kSubCommand) {
      if (args.empty()) return true;
      if (depth >= kMaxSubInstructionDepth) {
        Fail(args_off, "ONBUILD instructions nested too deeply", err);
        return false;
      }
      inst->sub.emplace_back();
      return Build(args_off, depth + 1, &inst->sub.back(), err);
    }
    parsed_.args.clear();
    parsed_.json = false;
    if (!internal::ParseArgs(parser, args, args_off, escape_, &parsed_)) {
      Fail(parsed_.error_offset, parsed_.error, err);
      return false;
    }
    inst->json = parsed_.json;
    inst->args.reserve(parsed_.args.size());
    for (internal::RawArg& a : parsed_.args) {
      Argument arg;
      arg.range = RangeOf(a.begin, a.end);
      arg.offset = a.begin - begin;
      arg.value = std::move(a.value);
      inst->args.push_back(std::move(arg));
    }
    return true;
  }

 private:
  void Fail(size_t offset, const std::string& message, ParseError* err) const {
    const Position p = At(offset);
    err->line = p.line;
    err->column = p.column;
    err->message = message;
  }

  // The segment table re-based on `begin` (for ONBUILD's sub-instruction).
  std::vector<Segment> SegmentsFrom(size_t begin) const {
    std::vector<Segment> out;
    const Position p = At(begin);
    out.push_back({0, p.line, p.column});
    for (const Segment& s : segments_) {
      if (s.offset > begin) out.push_back({s.offset - begin, s.line, s.column});
    }
    return out;
  }

  const std::string& line_;
  const std::vector<Segment>& segments_;
  char escape_;
  ArgParse& parsed_;
};

bool CanContainHeredoc(const Instruction& inst) {
  const Instruction* node = &inst;
  if (node->keyword == "onbuild" && !node->sub.empty()) node = &node->sub.front();
  if (node->keyword != "run" && node->keyword != "copy" && node->keyword != "add") return false;
  return !node->json;
}

// Room for the instructions of `text`, reserved once so that growing the
// vector does not move every instruction several times: the lines that start
// with a letter (instructions, and continuation lines written flush left),
// up to a bound a hostile file cannot turn into gigabytes. Reserving a slot
// per line was five times too many on real Dockerfiles, 46 MB of the 144 MB
// allocated over 2,000 of them.
size_t EstimateInstructions(std::string_view text) {
  constexpr size_t kMaxReserved = 1024;
  auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  size_t count = 1;
  for (size_t nl = text.find('\n'); nl != std::string_view::npos && count < kMaxReserved;
       nl = text.find('\n', nl + 1)) {
    if (nl + 1 < text.size() && letter(text[nl + 1])) ++count;
  }
  return count;
}

// How much of a line or keyword a message quotes: a hostile file can make
// either megabytes long.
constexpr size_t kQuoted = 80;

}  // namespace

bool ParseDockerfile(std::string_view text, Dockerfile* out, ParseError* err,
                     const ParseOptions& options) {
  *out = Dockerfile();
  *err = ParseError();
  // Offsets recorded in the AST count from the caller's text, BOM included.
  const size_t bom = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  text.remove_prefix(bom);

  internal::DirectiveScanner directives;
  LineReader reader(text);
  out->instructions.reserve(EstimateInstructions(text));
  std::vector<std::string> comments;
  ArgParse scratch;
  std::vector<std::string_view> pieces;
  std::vector<Segment> segments;
  PhysLine first;
  while (reader.Next(&first)) {
    const std::string_view token = text::TrimLeftSpace(first.content);
    const int token_col = static_cast<int>(token.data() - first.content.data()) + 1;
    if (!token.empty() && token[0] == '#') {
      const std::string_view comment = text::TrimSpace(token.substr(1));
      if (comment.empty()) {
        comments.clear();
      } else {
        comments.emplace_back(comment);
      }
    }
    std::string derr;
    if (!directives.Scan(token, first.number, token_col, &out->directives, &derr)) {
      *err = {first.number, token_col, derr};
      return false;
    }
    const char escape = directives.escape();
    // A comment line (after the directives) contributes nothing.
    const std::string_view code = (!token.empty() && token[0] == '#') ? std::string_view() : token;
    std::string_view kept;
    bool continues = TrimContinuation(code, escape, &kept);
    if (!continues && kept.empty()) continue;

    // The pieces of the logical line are gathered first (into vectors reused
    // from one instruction to the next) and joined once, at their size: a RUN
    // over many lines grew its string and segment table a step at a time.
    pieces.assign(1, kept);
    segments.assign(1, {0, first.number, token_col});
    size_t length = kept.size();
    PhysLine last = first;
    bool empty_continuation = false;
    PhysLine next;
    while (continues && reader.Next(&next)) {
      last = next;
      if (IsComment(next.content)) continue;
      if (text::TrimLeftSpace(next.content).empty()) {
        empty_continuation = true;
        continue;
      }
      continues = TrimContinuation(next.content, escape, &kept);
      segments.push_back({length, next.number, 1});
      pieces.push_back(kept);
      length += kept.size();
    }
    Instruction& inst = out->instructions.emplace_back();
    inst.original.reserve(length);
    for (const std::string_view piece : pieces) inst.original.append(piece);
    if (segments.size() > 1) inst.segments.assign(segments.begin(), segments.end());
    if (empty_continuation) {
      out->warnings.push_back(
          "line " + std::to_string(first.number) +
          ": empty continuation line found in: " + ShortenUtf8(inst.original, kQuoted));
    }
    const InstructionBuilder builder(inst.original, segments, escape, &scratch);
    if (!builder.Build(0, 0, &inst, err)) return false;
    inst.comments = std::move(comments);
    comments.clear();

    if (CanContainHeredoc(inst)) {
      std::vector<HeredocMarker> markers;
      std::string herr;
      if (!FindHeredocMarkers(inst.original, &markers, &herr)) {
        *err = {first.number, token_col, herr};
        return false;
      }
      for (const HeredocMarker& marker : markers) {
        Heredoc doc;
        doc.name = marker.name;
        doc.fd = marker.fd;
        doc.expand = marker.expand;
        doc.chomp = marker.chomp;
        bool terminated = false;
        PhysLine body;
        while (reader.Next(&body)) {
          last = body;
          if (doc.body_line == 0) doc.body_line = body.number;
          if (IsHeredocTerminator(body.content, marker)) {
            terminated = true;
            break;
          }
          doc.content.append(body.content);
          doc.content.push_back('\n');
        }
        if (!terminated) {
          // Point at the `<<` that opened it when we can find it.
          const size_t at = inst.original.find("<<");
          const Position p = at == std::string::npos ? inst.keyword_range.start : builder.At(at);
          *err = {p.line, p.column, "unterminated heredoc " + marker.name};
          return false;
        }
        if (doc.chomp) doc.content = ChompHeredocContent(doc.content);
        doc.range.start = {doc.body_line, 1};
        doc.range.end = {last.number, static_cast<int>(last.content.size()) + 1};
        inst.heredocs.push_back(std::move(doc));
      }
    }

    inst.range.start = inst.keyword_range.start;
    inst.range.end = {last.number, static_cast<int>(last.content.size()) + 1};
    inst.source_begin = bom + first.begin;
    inst.source_end = bom + last.begin + last.content.size();
  }
  out->escape = directives.escape();

  if (out->instructions.empty()) {
    *err = {std::max(reader.line(), 1), 1, "file with no instructions"};
    return false;
  }
  if (options.validate) {
    for (const Instruction& inst : out->instructions) {
      if (!CheckInstruction(inst, err)) return false;
    }
  }
  return true;
}

bool CheckKnownInstructions(const Dockerfile& dockerfile, ParseError* err) {
  auto upper = [](std::string word) {
    for (char& c : word) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return word;
  };
  for (const Instruction& inst : dockerfile.instructions) {
    if (inst.known) continue;
    err->message = "unknown instruction: " + upper(ShortenUtf8(inst.keyword, kQuoted));
    if (auto close = ClosestMatch(inst.keyword, InstructionKeywords())) {
      err->message += " (did you mean " + upper(*close) + "?)";
    }
    err->line = inst.keyword_range.start.line;
    err->column = inst.keyword_range.start.column;
    return false;
  }
  return true;
}

}  // namespace imglint::dockerfile
