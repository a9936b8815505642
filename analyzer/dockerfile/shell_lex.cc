// SPDX-License-Identifier: Apache-2.0
#include "analyzer/dockerfile/shell_lex.h"

#include <algorithm>
#include <cstdint>
#include <optional>

#include "analyzer/dockerfile/text_util.h"
#include "analyzer/text.h"

namespace imglint::dockerfile {

VarScope::State VarScope::Lookup(std::string_view name, const std::string** value) const {
  for (const VarScope* s = this; s != nullptr; s = s->fallback_) {
    auto it = s->vars_.find(name);
    if (it == s->vars_.end()) continue;
    *value = &it->second.value;
    return it->second.known ? State::kSet : State::kUnknown;
  }
  *value = nullptr;
  return State::kUnset;
}

const std::string* VarScope::Find(std::string_view name) const {
  const std::string* value = nullptr;
  return Lookup(name, &value) == State::kSet ? value : nullptr;
}

namespace {

constexpr int kEof = -1;
// `${a:-${b:-${c…}}}` recurses once per level; hostile input must not be
// able to exhaust the stack, and no real Dockerfile nests this deep.
constexpr int kMaxNesting = 64;
// Pattern operators cost O(value × pattern) (O(value² × pattern) for `/`);
// refuse rather than hang on hostile sizes.
constexpr uint64_t kMaxPatternWork = 50'000'000;

// BuildKit's wordsStruct: accumulates the split words of ProcessWords.
struct Words {
  std::string word;
  std::vector<std::string> words;
  bool in_word = false;

  void AddRawChar(std::string_view bytes) {
    word.append(bytes);
    in_word = true;
  }
  void AddChar(std::string_view bytes, bool is_space) {
    if (is_space && in_word) {
      if (!word.empty()) {
        words.push_back(std::move(word));
        word.clear();
        in_word = false;
      }
    } else if (!is_space) {
      AddRawChar(bytes);
    }
  }
  void AddString(std::string_view s) {
    size_t pos = 0;
    while (pos < s.size()) {
      // Runs of printable non-space ASCII go in at once.
      size_t end = pos;
      while (end < s.size() && static_cast<unsigned char>(s[end]) > ' ' &&
             static_cast<unsigned char>(s[end]) < 0x7F) {
        ++end;
      }
      if (end > pos) {
        AddRawString(s.substr(pos, end - pos));
        pos = end;
        continue;
      }
      size_t len = 0;
      const bool space = text::SpaceAt(s, pos, &len);
      AddChar(s.substr(pos, len), space);
      pos += len;
    }
  }
  void AddRawString(std::string_view s) {
    word.append(s);
    in_word = true;
  }
  std::vector<std::string> Take() {
    if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
      in_word = false;
    }
    return std::move(words);
  }
};

// ---- shell patterns for ${X#p} ${X%p} ${X/p/r} ------------------------------

enum class TokKind { kLiteral, kAny, kStar };
struct PatTok {
  TokKind kind;
  char32_t rune;
};

bool CompilePattern(std::string_view pattern, std::vector<PatTok>* out, std::string* err) {
  size_t pos = 0;
  while (pos < pattern.size()) {
    size_t len = 0;
    char32_t r = DecodeUtf8(pattern, pos, &len);
    pos += len;
    if (r == '*') {
      out->push_back({TokKind::kStar, 0});
    } else if (r == '?') {
      out->push_back({TokKind::kAny, 0});
    } else if (r == '\\') {
      // `\}` and `\/` only protect the ${} syntax; `\*`, `\?`, `\\` are literal.
      if (pos < pattern.size() && (pattern[pos] == '}' || pattern[pos] == '/')) continue;
      if (pos >= pattern.size() ||
          (pattern[pos] != '*' && pattern[pos] != '?' && pattern[pos] != '\\')) {
        *err = "invalid escape in pattern";
        return false;
      }
      out->push_back({TokKind::kLiteral, static_cast<char32_t>(pattern[pos])});
      ++pos;
    } else {
      out->push_back({TokKind::kLiteral, r});
    }
  }
  return true;
}

std::vector<char32_t> Runes(std::string_view s) {
  std::vector<char32_t> out;
  size_t pos = 0;
  while (pos < s.size()) {
    size_t len = 0;
    // Keep invalid bytes distinct from each other: map them to a private range.
    char32_t r = DecodeUtf8(s, pos, &len);
    if (r == 0xFFFD && len == 1) r = 0x110000 + static_cast<unsigned char>(s[pos]);
    out.push_back(r);
    pos += len;
  }
  return out;
}

std::string FromRunes(const std::vector<char32_t>& runes, size_t begin, size_t end) {
  std::string out;
  for (size_t i = begin; i < end; ++i) {
    if (runes[i] >= 0x110000) {
      out.push_back(static_cast<char>(runes[i] - 0x110000));
    } else {
      AppendUtf8(&out, runes[i]);
    }
  }
  return out;
}

// NFA simulation: the lengths k such that pattern matches runes[start, start+k).
// Returns the shortest or longest such k, or nullopt.
std::optional<size_t> MatchAt(const std::vector<PatTok>& pat, const std::vector<char32_t>& runes,
                              size_t start, bool longest) {
  const size_t m = pat.size();
  std::vector<char> cur(m + 1, 0);
  std::vector<char> next(m + 1, 0);
  auto close = [&](std::vector<char>& set) {
    for (size_t i = 0; i < m; ++i) {
      if (set[i] && pat[i].kind == TokKind::kStar) set[i + 1] = 1;
    }
  };
  cur[0] = 1;
  close(cur);
  std::optional<size_t> best;
  if (cur[m]) {
    best = 0;
    if (!longest) return best;
  }
  for (size_t k = start; k < runes.size(); ++k) {
    std::fill(next.begin(), next.end(), 0);
    bool any = false;
    for (size_t i = 0; i < m; ++i) {
      if (!cur[i]) continue;
      const PatTok& t = pat[i];
      if (t.kind == TokKind::kStar) {
        next[i] = 1, any = true;
      } else if (t.kind == TokKind::kAny || t.rune == runes[k]) {
        next[i + 1] = 1, any = true;
      }
    }
    if (!any) break;
    close(next);
    cur.swap(next);
    if (cur[m]) {
      best = k + 1 - start;
      if (!longest) return best;
    }
  }
  return best;
}

std::vector<PatTok> ReversePattern(const std::vector<PatTok>& pat) {
  return std::vector<PatTok>(pat.rbegin(), pat.rend());
}

class ShellWord {
 public:
  ShellWord(std::string_view input, const VarScope& env, const LexOptions& options)
      : in_(input), env_(env), opt_(options), raw_escapes_(options.raw_escapes) {}

  bool Process(LexResult* out, std::string* err) {
    std::string word;
    std::vector<std::string> words;
    if (!ProcessStopOn(kEof, raw_escapes_, &word, &words, err)) return false;
    out->word = std::move(word);
    out->words = std::move(words);
    out->unresolved.clear();
    for (auto& name : unresolved_) {
      if (std::find(out->unresolved.begin(), out->unresolved.end(), name) ==
          out->unresolved.end()) {
        out->unresolved.push_back(name);
      }
    }
    return true;
  }

 private:
  // ASCII that ProcessStopOn copies verbatim: not a quote, `$`, the escape,
  // the stop character or whitespace.
  bool IsPlainByte(char c, int stop) const {
    const auto u = static_cast<unsigned char>(c);
    return u > ' ' && u < 0x7F && c != '$' && c != '\'' && c != '"' && c != opt_.escape &&
           u != stop;
  }
  int Peek() const { return pos_ < in_.size() ? static_cast<unsigned char>(in_[pos_]) : kEof; }
  // Consumes one code point; returns its bytes (empty at EOF).
  std::string_view NextRune() {
    if (pos_ >= in_.size()) return {};
    size_t len = 0;
    DecodeUtf8(in_, pos_, &len);
    std::string_view r = in_.substr(pos_, len);
    pos_ += len;
    return r;
  }
  bool PeekIsSpace() const {
    size_t len = 0;
    return pos_ < in_.size() && text::SpaceAt(in_, pos_, &len);
  }

  bool ProcessStopOn(int stop, bool raw_escapes, std::string* result,
                     std::vector<std::string>* words_out, std::string* err) {
    const bool saved_raw = raw_escapes_;
    raw_escapes_ = raw_escapes;
    Words words;
    std::string res;
    bool ok = true;
    bool stopped = false;
    while (Peek() != kEof) {
      const int ch = Peek();
      if (stop != kEof && ch == stop) {
        ++pos_;
        stopped = true;
        break;
      }
      if (ch == '$' || ch == '\'' || ch == '"') {
        std::string tmp;
        if (ch == '$') {
          ok = ProcessDollar(&tmp, err);
        } else if (ch == '\'') {
          ok = ProcessSingleQuote(&tmp, err);
        } else {
          ok = ProcessDoubleQuote(&tmp, err);
        }
        if (!ok) break;
        res += tmp;
        if (ch == '$') {
          words.AddString(tmp);
        } else {
          words.AddRawString(tmp);
        }
        continue;
      }
      // Fast path: a run of plain ASCII bytes is copied in one go (this loop
      // sees every byte of 20 MB RUN lines when heredocs are looked for).
      size_t run_end = pos_;
      while (run_end < in_.size() && IsPlainByte(in_[run_end], stop)) ++run_end;
      if (run_end > pos_) {
        const std::string_view chunk = in_.substr(pos_, run_end - pos_);
        words.AddRawString(chunk);
        res.append(chunk);
        pos_ = run_end;
        continue;
      }
      const bool space = PeekIsSpace();
      std::string_view r = NextRune();
      if (r.size() == 1 && r[0] == opt_.escape) {
        if (raw_escapes_) {
          words.AddRawChar(r);
          res.append(r);
        }
        r = NextRune();
        if (r.empty()) break;  // an escape at the very end is dropped
        words.AddRawChar(r);
      } else {
        words.AddChar(r, space);
      }
      res.append(r);
    }
    raw_escapes_ = saved_raw;
    if (!ok) return false;
    if (stop != kEof && !stopped) {
      *err = std::string("unexpected end of statement while looking for matching ") +
             static_cast<char>(stop);
      return false;
    }
    *result = std::move(res);
    if (words_out != nullptr) *words_out = words.Take();
    return true;
  }

  bool ProcessSingleQuote(std::string* out, std::string* err) {
    ++pos_;  // the opening quote
    if (opt_.raw_quotes) out->push_back('\'');
    // Everything up to the next quote is literal.
    const size_t close = in_.find('\'', pos_);
    if (close == std::string_view::npos) {
      pos_ = in_.size();
      *err = "unexpected end of statement while looking for matching single-quote";
      return false;
    }
    out->append(in_.substr(pos_, close - pos_));
    pos_ = close + 1;
    if (opt_.raw_quotes) out->push_back('\'');
    return true;
  }

  bool ProcessDoubleQuote(std::string* out, std::string* err) {
    ++pos_;
    if (opt_.raw_quotes) out->push_back('"');
    for (;;) {
      const int ch = Peek();
      if (ch == kEof) {
        *err = "unexpected end of statement while looking for matching double-quote";
        return false;
      }
      if (ch == '"') {
        ++pos_;
        if (opt_.raw_quotes) out->push_back('"');
        return true;
      }
      if (ch == '$') {
        std::string value;
        if (!ProcessDollar(&value, err)) return false;
        *out += value;
        continue;
      }
      size_t run_end = pos_;
      while (run_end < in_.size() && in_[run_end] != '"' && in_[run_end] != '$' &&
             in_[run_end] != opt_.escape) {
        ++run_end;
      }
      if (run_end > pos_) {  // plain text inside the quotes, copied at once
        out->append(in_.substr(pos_, run_end - pos_));
        pos_ = run_end;
        continue;
      }
      std::string_view r = NextRune();
      if (r.size() == 1 && r[0] == opt_.escape) {
        if (raw_escapes_) out->append(r);
        const int nx = Peek();
        if (nx == kEof) continue;  // an escape at the end of the word is dropped
        if (nx == '"' || nx == '$' || nx == static_cast<unsigned char>(opt_.escape)) {
          r = NextRune();
        }
      }
      out->append(r);
    }
  }

  // Reads a parameter name: digits, one special character, or [letters digits _].
  std::string ProcessName() {
    std::string name;
    while (Peek() != kEof) {
      const int ch = Peek();
      if (name.empty() && ch >= '0' && ch <= '9') {
        while (Peek() >= '0' && Peek() <= '9') name.push_back(static_cast<char>(in_[pos_++]));
        return name;
      }
      if (name.empty() && (ch == '@' || ch == '*' || ch == '#' || ch == '?' || ch == '-' ||
                           ch == '$' || ch == '!' || ch == '0')) {
        ++pos_;
        return std::string(1, static_cast<char>(ch));
      }
      size_t len = 0;
      const char32_t r = DecodeUtf8(in_, pos_, &len);
      if (!text::IsLetterRune(r) && !(r >= '0' && r <= '9') && r != '_') break;
      name.append(in_.substr(pos_, len));
      pos_ += len;
    }
    return name;
  }

  // nullptr when unset. An unknown variable is reported as unresolved and
  // reads as set-but-empty, so the result is flagged rather than guessed.
  const std::string* GetEnv(const std::string& name) {
    const std::string* value = nullptr;
    last_unknown_ = false;
    switch (env_.Lookup(name, &value)) {
      case VarScope::State::kSet:
        return value;
      case VarScope::State::kUnknown:
        last_unknown_ = true;
        unresolved_.push_back(name);
        return value;
      case VarScope::State::kUnset:
        return nullptr;
    }
    return nullptr;
  }

  // Forgets variables of a word that turned out unused, but keeps `name`
  // itself when its value is unknown.
  void DropUnusedSince(size_t mark, const std::string& name) {
    unresolved_.resize(mark);
    if (last_unknown_) unresolved_.push_back(name);
  }

  // Deducts substituted bytes from the caller's budget (if any).
  bool Charge(size_t bytes, std::string* err) {
    if (opt_.substitution_budget == nullptr) return true;
    if (bytes > *opt_.substitution_budget) {
      *err = "variable expansion exceeds the size limit";
      return false;
    }
    *opt_.substitution_budget -= bytes;
    return true;
  }

  bool ProcessDollar(std::string* out, std::string* err) {
    ++pos_;  // '$'
    if (Peek() != '{') {
      std::string name = ProcessName();
      if (name.empty()) {
        out->assign(1, '$');  // not `= "$"`: GCC 12 -O3 -Wrestrict false positive
        return true;
      }
      const std::string* value = GetEnv(name);
      if (value == nullptr) {
        unresolved_.push_back(name);
        *out = opt_.skip_unset_env ? "$" + name : "";
        return true;
      }
      if (!Charge(value->size(), err)) return false;
      *out = *value;
      return true;
    }
    ++pos_;  // '{'
    const int first = Peek();
    if (first == kEof) {
      *err = "syntax error: missing '}'";
      return false;
    }
    if (first == '{' || first == '}' || first == ':') {
      *err = "syntax error: bad substitution";
      return false;
    }
    std::string name = ProcessName();
    int ch = Peek();
    if (ch == kEof) {
      // BuildKit says "unsupported modifier" here; the cause is the brace.
      *err = "syntax error: missing '}'";
      return false;
    }
    ++pos_;
    std::string chs = ch == kEof ? std::string() : std::string(1, static_cast<char>(ch));
    bool null_is_unset = false;

    if (ch == '}') {
      const std::string* value = GetEnv(name);
      if (value == nullptr) {
        unresolved_.push_back(name);
        *out = opt_.skip_unset_env ? "${" + name + "}" : "";
        return true;
      }
      if (!Charge(value->size(), err)) return false;
      *out = *value;
      return true;
    }
    if (ch == ':') {
      null_is_unset = true;
      ch = Peek();
      if (ch != kEof) {
        ++pos_;
        chs.push_back(static_cast<char>(ch));
      }
    }
    if (chs == ":" || ch == '+' || ch == '-' || ch == '?' || ch == '#' || ch == '%' ||
        null_is_unset) {
      if (++depth_ > kMaxNesting) {
        *err = "variable substitution nested too deeply";
        return false;
      }
      const size_t mark = unresolved_.size();
      std::string word;
      const bool raw = ch == '#' || ch == '%';
      const bool ok = ProcessStopOn('}', raw, &word, nullptr, err);
      --depth_;
      if (!ok) {
        if (Peek() == kEof) *err = "syntax error: missing '}'";
        return false;
      }
      const std::string* value = GetEnv(name);
      const bool set = value != nullptr;
      const bool empty_or_unset = !set || (null_is_unset && value->empty());
      if (opt_.skip_unset_env && !set) {
        unresolved_.push_back(name);
        *out = "${" + name + chs + word + "}";
        return true;
      }
      switch (ch) {
        case '-':
          if (empty_or_unset) {
            *out = word;
          } else {
            DropUnusedSince(mark, name);  // the default was not used
            if (!Charge(value->size(), err)) return false;
            *out = *value;
          }
          return true;
        case '+':
          if (empty_or_unset) {
            DropUnusedSince(mark, name);
            out->clear();
          } else {
            *out = word;
          }
          return true;
        case '?':
          if (!set) {
            *err = name + ": " + (word.empty() ? "is not allowed to be unset" : word);
            return false;
          }
          if (null_is_unset && value->empty()) {
            *err = name + ": " + (word.empty() ? "is not allowed to be empty" : word);
            return false;
          }
          DropUnusedSince(mark, name);  // the message word was not used
          if (!Charge(value->size(), err)) return false;
          *out = *value;
          return true;
        case '#':
        case '%': {
          if (!set) unresolved_.push_back(name);
          bool greedy = false;
          if (!word.empty() && word[0] == static_cast<char>(ch)) {
            greedy = true;
            word.erase(0, 1);
          }
          if (!TrimPattern(set ? *value : std::string(), word, ch == '#', greedy, out, err)) {
            return false;
          }
          return Charge(out->size(), err);
        }
        default:
          *err = "unsupported modifier (" + chs + ") in substitution";
          return false;
      }
    }
    if (ch == '/') {
      const bool replace_all = Peek() == '/';
      if (replace_all) ++pos_;
      if (++depth_ > kMaxNesting) {
        *err = "variable substitution nested too deeply";
        return false;
      }
      std::string pattern;
      std::string replacement;
      bool ok = ProcessStopOn('/', true, &pattern, nullptr, err);
      if (!ok && Peek() == kEof) *err = "syntax error: missing '/' in ${}";
      if (ok) {
        ok = ProcessStopOn('}', true, &replacement, nullptr, err);
        if (!ok && Peek() == kEof) *err = "syntax error: missing '}'";
      }
      --depth_;
      if (!ok) return false;
      const std::string* value = GetEnv(name);
      if (value == nullptr) {
        unresolved_.push_back(name);
        if (opt_.skip_unset_env) {
          *out = "${" + name + "/" + pattern + "/" + replacement + "}";
          return true;
        }
      }
      if (!Replace(value ? *value : std::string(), pattern, replacement, replace_all, out, err)) {
        return false;
      }
      return Charge(out->size(), err);
    }
    *err = "unsupported modifier (" + chs + ") in substitution";
    return false;
  }

  static bool TrimPattern(const std::string& value, const std::string& pattern, bool prefix,
                          bool greedy, std::string* out, std::string* err) {
    std::vector<PatTok> pat;
    if (!CompilePattern(pattern, &pat, err)) {
      *err = "invalid pattern (" + pattern + ") in substitution: " + *err;
      return false;
    }
    std::vector<char32_t> runes = Runes(value);
    if (static_cast<uint64_t>(runes.size() + 1) * (pat.size() + 1) > kMaxPatternWork) {
      *err = "value too large for pattern substitution";
      return false;
    }
    if (prefix) {
      auto len = MatchAt(pat, runes, 0, greedy);
      *out = len ? FromRunes(runes, *len, runes.size()) : value;
      return true;
    }
    std::vector<char32_t> reversed(runes.rbegin(), runes.rend());
    auto len = MatchAt(ReversePattern(pat), reversed, 0, greedy);
    *out = len ? FromRunes(runes, 0, runes.size() - *len) : value;
    return true;
  }

  static bool Replace(const std::string& value, const std::string& pattern,
                      const std::string& replacement, bool all, std::string* out,
                      std::string* err) {
    std::vector<PatTok> pat;
    if (!CompilePattern(pattern, &pat, err)) {
      *err = "invalid pattern (" + pattern + ") in substitution: " + *err;
      return false;
    }
    std::vector<char32_t> runes = Runes(value);
    const uint64_t n = runes.size() + 1;
    if (n * n * (pat.size() + 1) > kMaxPatternWork) {
      *err = "value too large for pattern substitution";
      return false;
    }
    std::string res;
    size_t pos = 0;
    bool replaced = false;
    while (pos <= runes.size()) {
      std::optional<size_t> len;
      if (all || !replaced) len = MatchAt(pat, runes, pos, true);
      if (len) {
        res += replacement;
        replaced = true;
        if (*len == 0) {
          if (pos < runes.size()) res += FromRunes(runes, pos, pos + 1);
          ++pos;
        } else {
          pos += *len;
        }
      } else {
        if (pos < runes.size()) res += FromRunes(runes, pos, pos + 1);
        ++pos;
      }
    }
    *out = std::move(res);
    return true;
  }

  std::string_view in_;
  size_t pos_ = 0;
  const VarScope& env_;
  LexOptions opt_;
  bool raw_escapes_;
  int depth_ = 0;
  bool last_unknown_ = false;
  std::vector<std::string> unresolved_;
};

}  // namespace

bool ProcessShellWord(std::string_view input, const VarScope& env, const LexOptions& options,
                      LexResult* out, std::string* err) {
  ShellWord sw(input, env, options);
  std::string local_err;
  if (!sw.Process(out, &local_err)) {
    if (err != nullptr) *err = "failed to process \"" + std::string(input) + "\": " + local_err;
    out->word.clear();
    out->words.clear();
    return false;
  }
  return true;
}

ExpandResult Expand(std::string_view word, const VarScope& scope, char escape, size_t* budget) {
  ExpandResult result;
  // Without a variable, a quote or an escape, ProcessWord copies its input:
  // most COPY paths, ports, user names and ENV values take this way.
  const char special[] = {'$', '\'', '"', escape};
  if (word.find_first_of(std::string_view(special, sizeof special)) == std::string_view::npos) {
    result.value = std::string(word);
    return result;
  }
  LexOptions options;
  options.escape = escape;
  options.substitution_budget = budget;
  LexResult lex;
  if (!ProcessShellWord(word, scope, options, &lex, &result.error)) {
    result.ok = false;
    return result;
  }
  result.value = std::move(lex.word);
  result.unresolved = std::move(lex.unresolved);
  return result;
}

ExpandWordsResult ExpandWords(std::string_view word, const VarScope& scope, char escape) {
  ExpandWordsResult result;
  LexOptions options;
  options.escape = escape;
  LexResult lex;
  if (!ProcessShellWord(word, scope, options, &lex, &result.error)) {
    result.ok = false;
    return result;
  }
  result.words = std::move(lex.words);
  result.unresolved = std::move(lex.unresolved);
  return result;
}

}  // namespace imglint::dockerfile
