// SPDX-License-Identifier: Apache-2.0
#include "report/json_report.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

#include "analyzer/parallel.h"
#include "analyzer/text.h"
#include "rules/registry.h"

namespace imglint {
namespace {

constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;

std::uint64_t Load8(const char* p) {
  std::uint64_t w;
  std::memcpy(&w, p, sizeof w);
  return w;
}

// Does any of the 8 bytes of `w` need a JSON escape (below 0x20, '"', '\\')
// or start a non-ASCII character? The has-zero-byte and has-less-than word
// tests: findings carry kilobytes of text, and a byte loop showed in profiles.
bool Special8(std::uint64_t w) {
  const std::uint64_t quote = w ^ (kOnes * '"');
  const std::uint64_t backslash = w ^ (kOnes * '\\');
  const std::uint64_t found = ((quote - kOnes) & ~quote) | ((backslash - kOnes) & ~backslash) |
                              ((w - kOnes * 0x20) & ~w) | w;
  return (found & kHighBits) != 0;
}

// Writes the document straight into a string, byte for byte what
// nlohmann::ordered_json's dump(2) of the same tree printed: the tree cost
// more than all the parsing of a run over thousands of Dockerfiles.
class JsonWriter {
 public:
  explicit JsonWriter(std::string* out) : out_(out) {}
  /// A writer that continues inside `outer`'s innermost container (in a
  /// string of its own), as if `after` elements had been written there.
  JsonWriter(std::string* out, const JsonWriter& outer, bool after)
      : out_(out), empty_(outer.empty_) {
    empty_.back() = !after;
  }
  /// Appends what writers made by the constructor above wrote.
  void Splice(const std::string& text) {
    if (text.empty()) return;
    out_->append(text);
    empty_.back() = false;
  }

  void BeginObject() { Open('{'); }
  void EndObject() { Close('}'); }
  void BeginArray() { Open('['); }
  void EndArray() { Close(']'); }
  JsonWriter& Key(std::string_view key) {
    NextMember();
    String(key);
    out_->append(": ");
    after_key_ = true;
    return *this;
  }
  void Value(std::string_view s) {
    BeforeValue();
    String(s);
  }
  void Value(long long n) {
    BeforeValue();
    char buffer[24];
    const auto end = std::to_chars(buffer, buffer + sizeof buffer, n).ptr;
    out_->append(buffer, end);
  }
  void Null() {
    BeforeValue();
    out_->append("null");
  }
  void OrNull(int n) { n > 0 ? Value(n) : Null(); }
  void OrNull(std::string_view s) { s.empty() ? Null() : Value(s); }

 private:
  void Open(char bracket) {
    BeforeValue();
    out_->push_back(bracket);
    empty_.push_back(true);
  }
  void Close(char bracket) {
    const bool empty = empty_.back();
    empty_.pop_back();
    if (!empty) NewLine();
    out_->push_back(bracket);
  }
  void BeforeValue() {
    if (after_key_) {
      after_key_ = false;
    } else if (!empty_.empty()) {
      NextMember();  // an array element
    }
  }
  void NextMember() {
    if (!empty_.back()) out_->push_back(',');
    empty_.back() = false;
    NewLine();
  }
  void NewLine() {
    out_->push_back('\n');
    out_->append(2 * empty_.size(), ' ');
  }
  // nlohmann's escaping: `"`, `\` and control characters, the short forms
  // where JSON has them; valid UTF-8 is copied as is. A string with invalid
  // UTF-8 goes through nlohmann itself, which replaces it with U+FFFD its own
  // way.
  void String(std::string_view s) {
    size_t i = 0;
    while (i + 8 <= s.size() && (Load8(s.data() + i) & kHighBits) == 0) i += 8;
    while (i < s.size() && static_cast<unsigned char>(s[i]) < 0x80) ++i;
    while (i < s.size()) {
      size_t length = 1;
      if (static_cast<unsigned char>(s[i]) >= 0x80 && DecodeUtf8(s, i, &length) == 0xFFFD &&
          length == 1) {
        out_->append(
            nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
        return;
      }
      i += length;
    }
    out_->push_back('"');
    // Runs of characters that need no escape are copied at once.
    size_t run = 0;
    for (i = 0; i < s.size(); ++i) {
      // Eight bytes at a time past those that need nothing (valid UTF-8
      // needs no escape here, so non-ASCII only stops the skip).
      while (i + 8 <= s.size() && !Special8(Load8(s.data() + i))) i += 8;
      if (i == s.size()) break;
      const char c = s[i];
      if (c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20) continue;
      out_->append(s.data() + run, i - run);
      run = i + 1;
      switch (c) {
        case '"':
          out_->append("\\\"");
          break;
        case '\\':
          out_->append("\\\\");
          break;
        case '\b':
          out_->append("\\b");
          break;
        case '\f':
          out_->append("\\f");
          break;
        case '\n':
          out_->append("\\n");
          break;
        case '\r':
          out_->append("\\r");
          break;
        case '\t':
          out_->append("\\t");
          break;
        default:
          out_->append("\\u");
          AppendHex(out_, static_cast<unsigned char>(c), 4);
      }
    }
    out_->append(s.data() + run, s.size() - run);
    out_->push_back('"');
  }

  std::string* out_;
  std::vector<bool> empty_;  // per open container: nothing written in it yet
  bool after_key_ = false;
};

void WriteLocation(const Location& l, JsonWriter* w);

void WriteFinding(const Finding& f, JsonWriter* w) {
  const Rule* rule = FindRule(f.rule_id);
  w->BeginObject();
  w->Key("rule").Value(f.rule_id);
  w->Key("name").Value(rule ? rule->Meta().name : "");
  w->Key("severity").Value(SeverityName(f.severity));
  w->Key("message").Value(f.message);
  w->Key("recommendation").Value(f.recommendation);
  w->Key("fingerprint").Value(f.fingerprint);
  w->Key("location");
  WriteLocation(f.location, w);
  w->Key("related").BeginArray();
  for (const Location& r : f.related) WriteLocation(r, w);
  w->EndArray();
  w->EndObject();
}

void WriteLocation(const Location& l, JsonWriter* w) {
  w->BeginObject();
  w->Key("path").Value(l.path);
  w->Key("line").OrNull(l.line);
  w->Key("column").OrNull(l.column);
  w->Key("image_path").OrNull(l.image_path);
  w->Key("layer_digest").OrNull(l.layer_digest);
  if (l.end_line > 0) w->Key("end_line").Value(l.end_line);
  if (l.end_column > 0) w->Key("end_column").Value(l.end_column);
  if (!l.platform.empty()) w->Key("platform").Value(l.platform);
  w->EndObject();
}

}  // namespace

std::string RenderJson(const LintReport& report, const std::string& tool_version, int jobs) {
  std::string out;
  out.reserve(1024 + 256 * report.targets.size() + 1024 * report.findings.size());
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("version").Value(1);
  w.Key("tool").BeginObject();
  w.Key("name").Value("imglint");
  w.Key("version").Value(tool_version);
  w.EndObject();
  w.Key("targets").BeginArray();
  for (const TargetStatus& t : report.targets) {
    w.BeginObject();
    w.Key("path").Value(t.path);
    w.Key("kind").Value(TargetKindName(t.kind));
    if (t.error) {
      w.Key("error").Value(*t.error);
    } else {
      w.Key("error").Null();
    }
    if (!t.source.empty()) w.Key("source").Value(t.source);
    if (t.error && t.error_line > 0) {
      w.Key("error_line").Value(t.error_line);
      w.Key("error_column").OrNull(t.error_column);
    }
    w.EndObject();
  }
  w.EndArray();
  w.Key("findings").BeginArray();
  // Thousands of findings are written in chunks at once within --jobs, each
  // into a string of its own, spliced in order.
  constexpr size_t kChunk = 512;
  const size_t chunks = (report.findings.size() + kChunk - 1) / kChunk;
  std::vector<std::string> parts(chunks);
  ParallelFor(chunks, chunks > 1 ? jobs : 1, [&](size_t c) {
    const size_t begin = c * kChunk;
    const size_t end = std::min(report.findings.size(), begin + kChunk);
    parts[c].reserve(1024 * (end - begin));
    JsonWriter part(&parts[c], w, begin > 0);
    for (size_t i = begin; i < end; ++i) WriteFinding(report.findings[i], &part);
  });
  for (const std::string& part : parts) w.Splice(part);
  w.EndArray();
  const auto counts = report.Counts();
  w.Key("summary").BeginObject();
  w.Key("error").Value(counts[static_cast<int>(Severity::kError)]);
  w.Key("warning").Value(counts[static_cast<int>(Severity::kWarning)]);
  w.Key("note").Value(counts[static_cast<int>(Severity::kNote)]);
  w.EndObject();
  w.EndObject();
  out.push_back('\n');
  return out;
}

}  // namespace imglint
