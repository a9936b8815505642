// SPDX-License-Identifier: Apache-2.0
#include "analyzer/dockerfile/command_list.h"

#include <algorithm>
#include <array>
#include <utility>

namespace imglint::dockerfile {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// Past the `)` closing a `$(` or `<(` whose body starts at `i`. Quotes inside
// only hide parentheses; no recursion, so hostile nesting costs nothing.
size_t SkipParens(std::string_view s, size_t i) {
  int depth = 1;
  char quote = 0;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '\\' && quote != '\'') {
      ++i;
    } else if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"' || c == '`') {
      quote = c;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')' && --depth == 0) {
      return i + 1;
    }
  }
  return s.size();
}

// Past the `}` closing a `${` whose body starts at `i`.
size_t SkipBraces(std::string_view s, size_t i) {
  int depth = 1;
  for (; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;
    } else if (s[i] == '{') {
      ++depth;
    } else if (s[i] == '}' && --depth == 0) {
      return i + 1;
    }
  }
  return s.size();
}

// Past the closing backquote; `i` is after the opening one.
size_t SkipBackquote(std::string_view s, size_t i) {
  for (; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;
    } else if (s[i] == '`') {
      return i + 1;
    }
  }
  return s.size();
}

// Past the closing `"`; `i` is after the opening one.
size_t SkipDoubleQuoted(std::string_view s, size_t i, bool* substitution) {
  while (i < s.size()) {
    const char c = s[i];
    if (c == '\\') {
      i += 2;
    } else if (c == '"') {
      return i + 1;
    } else if (c == '`') {
      *substitution = true;
      i = SkipBackquote(s, i + 1);
    } else if (c == '$' && i + 1 < s.size() && s[i + 1] == '(') {
      *substitution = true;
      i = SkipParens(s, i + 2);
    } else {
      ++i;
    }
  }
  return s.size();
}

// Words that open or close a compound command in command position.
bool IsCompoundKeyword(std::string_view word) {
  static constexpr std::array<std::string_view, 16> kWords = {
      "if", "then", "elif", "else", "fi",     "for",      "while", "until",
      "do", "done", "case", "esac", "select", "function", "{",     "}"};
  return std::find(kWords.begin(), kWords.end(), word) != kWords.end();
}

class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}

  CommandList Run() {
    SkipGap();
    while (i_ < s_.size() && out_.nested.empty()) {
      ReadCommand();
      if (i_ >= s_.size() || !out_.nested.empty()) break;
      ReadOperator();
    }
    return std::move(out_);
  }

 private:
  // Blanks, newlines, comments and `\`-newline between commands.
  void SkipGap() {
    bool word_start = true;
    while (i_ < s_.size()) {
      const char c = s_[i_];
      if (IsBlank(c) || c == '\n') {
        ++i_;
        word_start = true;
      } else if (c == '\\' && i_ + 1 < s_.size() && s_[i_ + 1] == '\n') {
        i_ += 2;
      } else if (c == '#' && word_start) {
        while (i_ < s_.size() && s_[i_] != '\n') ++i_;
      } else {
        break;
      }
    }
  }

  void ReadCommand() {
    ListCommand cmd;
    cmd.begin = i_;
    cmd.end = i_;
    bool word_start = true;
    while (i_ < s_.size()) {
      const char c = s_[i_];
      if (IsBlank(c)) {
        ++i_;
        word_start = true;
      } else if (c == '\\' && i_ + 1 < s_.size() && s_[i_ + 1] == '\n') {
        i_ += 2;
        word_start = true;
      } else if (c == '#' && word_start) {
        while (i_ < s_.size() && s_[i_] != '\n') ++i_;
      } else if (c == '\n' || c == ';' || c == '|' || (c == '&' && !RedirectAmpersand())) {
        break;
      } else if (c == '(' || c == ')') {
        out_.nested = "a subshell or function definition";
        return;
      } else {
        const size_t begin = i_;
        ReadWord(&cmd);
        if (cmd.first_word.empty()) {
          cmd.first_word = s_.substr(begin, i_ - begin);
          if (IsCompoundKeyword(cmd.first_word)) {
            // Built from chars: GCC 12 -O3 raises a false -Wrestrict on "`" + s.
            std::string why(1, '`');
            why.append(cmd.first_word);
            why.push_back('`');
            out_.nested = std::move(why);
            return;
          }
        }
        cmd.end = i_;
        word_start = false;
      }
    }
    if (cmd.first_word.empty()) {
      out_.nested = "an empty command";
      return;
    }
    out_.commands.push_back(cmd);
  }

  // `&>file` redirects; it does not put a command in the background.
  bool RedirectAmpersand() const { return i_ + 1 < s_.size() && s_[i_ + 1] == '>'; }

  void ReadWord(ListCommand* cmd) {
    while (i_ < s_.size()) {
      const char c = s_[i_];
      const char next = i_ + 1 < s_.size() ? s_[i_ + 1] : '\0';
      if (c == '\\') {
        i_ = std::min(i_ + 2, s_.size());
      } else if (c == '\'') {
        const size_t close = s_.find('\'', i_ + 1);
        i_ = close == std::string_view::npos ? s_.size() : close + 1;
      } else if (c == '"') {
        i_ = SkipDoubleQuoted(s_, i_ + 1, &cmd->substitution);
      } else if (c == '`') {
        cmd->substitution = true;
        i_ = SkipBackquote(s_, i_ + 1);
      } else if (c == '$' && next == '(') {
        cmd->substitution = true;
        i_ = SkipParens(s_, i_ + 2);
      } else if (c == '$' && next == '{') {
        i_ = SkipBraces(s_, i_ + 2);
      } else if ((c == '<' || c == '>') && next == '(') {
        cmd->substitution = true;
        i_ = SkipParens(s_, i_ + 2);
      } else if (c == '<' && next == '<') {
        cmd->heredoc = true;
        i_ += 2;
      } else if ((c == '<' || c == '>') && (next == '&' || next == '|')) {
        i_ += 2;  // `2>&1`, `>|`: a redirection, not an operator
      } else if (c == '&' && next == '>') {
        i_ += 2;
      } else if (IsBlank(c) || c == '\n' || c == ';' || c == '&' || c == '|' || c == '(' ||
                 c == ')') {
        return;
      } else {
        ++i_;
      }
    }
  }

  void ReadOperator() {
    ListOperator op;
    op.begin = i_;
    const std::string_view rest = s_.substr(i_);
    using Kind = ListOperator::Kind;
    if (rest.starts_with("&&")) {
      op.kind = Kind::kAnd;
      i_ += 2;
    } else if (rest.starts_with("||")) {
      op.kind = Kind::kOr;
      i_ += 2;
    } else if (rest.starts_with(";;") || rest.starts_with(";&")) {
      out_.nested = "`case`";
      return;
    } else if (rest.starts_with("|&")) {
      op.kind = Kind::kPipe;
      i_ += 2;
    } else {
      op.kind = rest[0] == '|'   ? Kind::kPipe
                : rest[0] == '&' ? Kind::kBackground
                : rest[0] == ';' ? Kind::kSequence
                                 : Kind::kNewline;
      i_ += 1;
    }
    SkipGap();
    op.end = i_;
    out_.operators.push_back(op);
    if (i_ >= s_.size() &&
        (op.kind == Kind::kAnd || op.kind == Kind::kOr || op.kind == Kind::kPipe)) {
      out_.nested = "a dangling operator";
    }
  }

  std::string_view s_;
  size_t i_ = 0;
  CommandList out_;
};

}  // namespace

CommandList SplitCommandList(std::string_view script) { return Scanner(script).Run(); }

}  // namespace imglint::dockerfile
