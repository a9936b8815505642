// SPDX-License-Identifier: Apache-2.0
#include "analyzer/dockerfile/shell_split.h"

#include <algorithm>
#include <set>

namespace imglint::dockerfile {
namespace {

bool IsName(std::string_view s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

bool IsAssignment(std::string_view w) {
  const size_t eq = w.find('=');
  return eq != std::string_view::npos && eq > 0 && IsName(w.substr(0, eq));
}

bool IsLeadingKeyword(std::string_view w) {
  static constexpr std::string_view kWords[] = {"if", "then", "else",  "elif",  "fi",
                                                "do", "done", "while", "until", "!",
                                                "{",  "}",    "time",  "exec"};
  return std::find(std::begin(kWords), std::end(kWords), w) != std::end(kWords);
}

// Words that open, continue or close a compound command when they come
// first; unlike the leading keywords above, what follows `for`, `case` or
// `function` is not a command name.
bool IsCompoundWord(std::string_view w) {
  static constexpr std::string_view kWords[] = {
      "if", "then", "elif", "else", "fi",     "for",      "while", "until",
      "do", "done", "case", "esac", "select", "function", "{",     "}"};
  return std::find(std::begin(kWords), std::end(kWords), w) != std::end(kWords);
}

bool IsOrdinary(char c) {
  switch (c) {
    case ' ':
    case '\t':
    case '\r':
    case '\n':
    case '\\':
    case '\'':
    case '"':
    case '$':
    case '`':
    case '#':
    case '&':
    case '|':
    case ';':
    case '(':
    case ')':
    case '>':
    case '<':
      return false;
    default:
      return true;
  }
}

class Splitter {
 public:
  Splitter(std::string_view s, const std::function<int(size_t)>& line_of, bool keep_all)
      : s_(s), line_of_(line_of), keep_all_(keep_all) {}

  std::vector<SimpleCommand> Run() {
    while (pos_ < s_.size()) {
      const size_t at = pos_;
      const char c = s_[pos_];
      switch (c) {
        case ' ':
        case '\t':
        case '\r':
          EndWord();
          EndToken();
          ++pos_;
          break;
        case '\n':
          EndWord();
          EndCommand(ShellOperator::kNewline, pos_ + 1);
          ++pos_;
          SkipHeredocBodies();
          break;
        case '\\':
          if (pos_ + 1 < s_.size() && s_[pos_ + 1] == '\n') {
            pos_ += 2;  // line continuation
            // Right after a token it may continue that word (`a\⏎b`), so
            // it belongs to the command's text.
            if (started_ && cmd_.end == at) Took(at);
            break;
          }
          if (pos_ + 1 < s_.size()) {
            StartWord();
            word_.push_back(s_[pos_ + 1]);
            pos_ += 2;
          } else {
            ++pos_;
          }
          Took(at);
          break;
        case '\'': {
          StartWord();
          const size_t end = s_.find('\'', pos_ + 1);
          const size_t stop = end == std::string_view::npos ? s_.size() : end;
          word_.append(s_.substr(pos_ + 1, stop - pos_ - 1));
          pos_ = stop == s_.size() ? stop : stop + 1;
          Took(at);
          break;
        }
        case '"':
          StartWord();
          DoubleQuoted();
          Took(at);
          break;
        case '$':
          StartWord();
          Dollar();
          Took(at);
          break;
        case '`':
          StartWord();
          CopyUntil('`');
          cmd_.substitution = true;
          Took(at);
          break;
        case '#':
          if (!in_word_) {
            EndToken();
            while (pos_ < s_.size() && s_[pos_] != '\n') ++pos_;
          } else {
            word_.push_back(c);
            ++pos_;
            Took(at);
          }
          break;
        case '&':
          if (pos_ + 1 < s_.size() && s_[pos_ + 1] == '>') {  // &> file
            EndWord();
            pos_ += 2;
            if (pos_ < s_.size() && s_[pos_] == '>') ++pos_;
            drop_next_word_ = true;
            Took(at);
            break;
          }
          EndWord();
          if (pos_ + 1 < s_.size() && s_[pos_ + 1] == '&') {
            EndCommand(ShellOperator::kAnd, pos_ + 2);
            pos_ += 2;
          } else {
            EndCommand(ShellOperator::kBackground, pos_ + 1);
            ++pos_;
          }
          break;
        case '|':
        case ';':
        case '(':
        case ')': {
          // `(` right after `<` or `>` opens a process substitution.
          const bool process =
              c == '(' && drop_next_word_ && at > 0 && (s_[at - 1] == '<' || s_[at - 1] == '>');
          EndWord();
          // `((` and `))` are two operators each: a `)` may close a subshell
          // and a `<(…)` at once.
          size_t len = 1;
          if (pos_ + 1 < s_.size() && (c == '|' || c == ';') &&
              (s_[pos_ + 1] == c || (c == '|' && s_[pos_ + 1] == '&')))
            len = 2;
          // `;&` and `;;&` end a case item as `;;` does.
          if (c == ';' && pos_ + len < s_.size() && s_[pos_ + len] == '&') ++len;
          ShellOperator op = ShellOperator::kClose;
          if (c == '|') {
            op = len == 2 && s_[pos_ + 1] == '|' ? ShellOperator::kOr : ShellOperator::kPipe;
          } else if (c == ';') {
            op = len == 1 ? ShellOperator::kSequence : ShellOperator::kCaseEnd;
          } else if (c == '(') {
            op = process ? ShellOperator::kSubstitution : ShellOperator::kOpen;
          }
          EndCommand(op, pos_ + len);
          pos_ += len;
          break;
        }
        case '>':
        case '<':
          Redirect();
          Took(at);
          break;
        default: {
          StartWord();
          // Copy the whole run of ordinary characters at once.
          size_t end = pos_ + 1;
          while (end < s_.size() && IsOrdinary(s_[end])) ++end;
          word_.append(s_.substr(pos_, end - pos_));
          pos_ = end;
          Took(at);
        }
      }
    }
    EndWord();
    EndCommand(ShellOperator::kEnd, pos_);
    return std::move(out_);
  }

 private:
  void StartWord() {
    if (!in_word_) {
      in_word_ = true;
      word_start_ = pos_;
    }
  }

  void EndWord() {
    if (!in_word_) return;
    in_word_ = false;
    std::string w = std::move(word_);
    word_.clear();
    if (drop_next_word_) {
      drop_next_word_ = false;
      return;
    }
    if (heredoc_word_) {
      heredoc_word_ = false;
      pending_.push_back({w, heredoc_chomp_});
      cmd_.heredocs.push_back(std::move(w));
      return;
    }
    if (cmd_.words.empty() && cmd_.assignments.empty() && IsLeadingKeyword(w)) return;
    if (cmd_.words.empty() && cmd_.assignments.empty()) {
      cmd_.offset = word_start_;
      cmd_.line = line_of_(word_start_);
    }
    if (cmd_.words.empty() && IsAssignment(w)) {
      cmd_.assignments.push_back(std::move(w));
    } else {
      cmd_.words.push_back(std::move(w));
    }
  }

  // The current command has a token (word, quote, redirection) at
  // [at, pos_): the first one starts the command's text, each one extends it.
  void Took(size_t at) {
    if (!started_) {
      started_ = true;
      cmd_.begin = at;
    }
    cmd_.end = pos_;
  }

  // A blank, comment or operator: the first token, if any, is complete.
  void EndToken() {
    if (started_ && !first_done_) {
      first_done_ = true;
      cmd_.first_end = cmd_.end;
    }
  }

  void EndCommand(ShellOperator op, size_t operator_end) {
    drop_next_word_ = false;
    heredoc_word_ = false;
    EndToken();
    if (!started_) cmd_.begin = cmd_.first_end = cmd_.end = pos_;
    cmd_.compound = started_ && IsCompoundWord(s_.substr(cmd_.begin, cmd_.first_end - cmd_.begin));
    cmd_.ends_with = op;
    cmd_.operator_end = operator_end;
    cmd_.bodies_follow = op == ShellOperator::kNewline && !pending_.empty();
    const bool has = !cmd_.words.empty() || !cmd_.assignments.empty() || !cmd_.heredocs.empty();
    if (has || keep_all_) {
      if (has && cmd_.words.empty() && cmd_.assignments.empty()) cmd_.line = line_of_(pos_);
      out_.push_back(std::move(cmd_));
    }
    cmd_ = SimpleCommand();
    started_ = false;
    first_done_ = false;
  }

  void DoubleQuoted() {
    ++pos_;
    while (pos_ < s_.size() && s_[pos_] != '"') {
      const char c = s_[pos_];
      if (c == '\\' && pos_ + 1 < s_.size()) {
        const char n = s_[pos_ + 1];
        if (n == '\n') {
          pos_ += 2;
          continue;
        }
        if (n == '"' || n == '\\' || n == '$' || n == '`') {
          word_.push_back(n);
          pos_ += 2;
          continue;
        }
      }
      if (c == '$') {
        Dollar();
        continue;
      }
      if (c == '`') {
        CopyUntil('`');
        cmd_.substitution = true;
        continue;
      }
      word_.push_back(c);
      ++pos_;
    }
    if (pos_ < s_.size()) ++pos_;  // closing quote
  }

  // `$(…)`, `$((…))` and `${…}` are copied verbatim (balanced); a lone `$`
  // or `$NAME` is ordinary text.
  void Dollar() {
    if (pos_ + 1 < s_.size() && (s_[pos_ + 1] == '(' || s_[pos_ + 1] == '{')) {
      const char open = s_[pos_ + 1];
      if (open == '(') cmd_.substitution = true;
      const char close = open == '(' ? ')' : '}';
      const size_t start = pos_;
      pos_ += 2;
      int depth = 1;
      char quote = 0;
      while (pos_ < s_.size() && depth > 0) {
        const char c = s_[pos_];
        if (quote != 0) {
          if (c == '\\' && quote == '"')
            ++pos_;
          else if (c == quote)
            quote = 0;
        } else if (c == '\'' || c == '"') {
          quote = c;
        } else if (c == '\\') {
          ++pos_;
        } else if (c == open) {
          ++depth;
        } else if (c == close) {
          --depth;
        }
        ++pos_;
      }
      pos_ = std::min(pos_, s_.size());
      word_.append(s_.substr(start, pos_ - start));
      return;
    }
    word_.push_back('$');
    ++pos_;
  }

  void CopyUntil(char close) {
    const size_t start = pos_;
    ++pos_;
    while (pos_ < s_.size() && s_[pos_] != close) {
      if (s_[pos_] == '\\') ++pos_;
      ++pos_;
    }
    pos_ = std::min(pos_ + 1, s_.size());
    word_.append(s_.substr(start, pos_ - start));
  }

  void Redirect() {
    // A word made only of digits right before the operator is its fd.
    if (in_word_ && !word_.empty() &&
        std::all_of(word_.begin(), word_.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
        word_start_ + word_.size() == pos_) {
      in_word_ = false;
      word_.clear();
    } else {
      EndWord();
    }
    const char c = s_[pos_++];
    if (c == '<' && pos_ < s_.size() && s_[pos_] == '<') {
      ++pos_;
      cmd_.here_input = true;
      if (pos_ < s_.size() && s_[pos_] == '<') {  // <<< here-string
        ++pos_;
        drop_next_word_ = true;
        return;
      }
      heredoc_chomp_ = false;
      if (pos_ < s_.size() && s_[pos_] == '-') {
        heredoc_chomp_ = true;
        ++pos_;
      }
      heredoc_word_ = true;
      return;
    }
    if (pos_ < s_.size() && (s_[pos_] == '>' || s_[pos_] == '|' || s_[pos_] == '&')) {
      const char n = s_[pos_++];
      if (n == '&') {
        // >&2, >&- : the fd target is a word of its own, drop it.
        drop_next_word_ = true;
        return;
      }
    } else if (c == '<' && pos_ < s_.size() && s_[pos_] == '>') {
      ++pos_;
    }
    drop_next_word_ = true;
  }

  void SkipHeredocBodies() {
    for (const auto& [name, chomp] : pending_) {
      while (pos_ < s_.size()) {
        const size_t nl = s_.find('\n', pos_);
        const size_t end = nl == std::string_view::npos ? s_.size() : nl;
        std::string_view line = s_.substr(pos_, end - pos_);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (chomp) {
          while (!line.empty() && line.front() == '\t') line.remove_prefix(1);
        }
        pos_ = nl == std::string_view::npos ? s_.size() : nl + 1;
        if (line == name) break;
      }
    }
    pending_.clear();
  }

  std::string_view s_;
  const std::function<int(size_t)>& line_of_;
  bool keep_all_ = false;  // also commands without words, for SplitShellScript
  size_t pos_ = 0;
  std::string word_;
  size_t word_start_ = 0;
  bool in_word_ = false;
  bool drop_next_word_ = false;
  bool heredoc_word_ = false;
  bool heredoc_chomp_ = false;
  std::vector<std::pair<std::string, bool>> pending_;
  bool started_ = false;     // cmd_ has a token
  bool first_done_ = false;  // and its first one is complete
  SimpleCommand cmd_;
  std::vector<SimpleCommand> out_;
};

bool IsShell(std::string_view word) {
  const size_t slash = word.rfind('/');
  const std::string_view base = slash == std::string_view::npos ? word : word.substr(slash + 1);
  static constexpr std::string_view kShells[] = {"sh", "bash", "dash", "ash", "zsh", "ksh", "mksh"};
  return std::find(std::begin(kShells), std::end(kShells), base) != std::end(kShells);
}

}  // namespace

std::vector<SimpleCommand> SplitShellCommands(std::string_view script,
                                              const std::function<int(size_t)>& line_of) {
  Splitter splitter(script, line_of, false);
  return splitter.Run();
}

namespace {

std::vector<SimpleCommand> Split(std::string_view script, int first_line, bool keep_all) {
  // Lines are looked up in increasing offset order, so a running count is linear.
  size_t counted_to = 0;
  int line = first_line;
  std::function<int(size_t)> line_of = [&](size_t offset) {
    offset = std::min(offset, script.size());
    if (offset < counted_to) {  // never happens in practice; stay correct anyway
      counted_to = 0;
      line = first_line;
    }
    line +=
        static_cast<int>(std::count(script.begin() + static_cast<std::ptrdiff_t>(counted_to),
                                    script.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
    counted_to = offset;
    return line;
  };
  Splitter splitter(script, line_of, keep_all);
  return splitter.Run();
}

}  // namespace

std::vector<SimpleCommand> SplitShellCommands(std::string_view script, int first_line) {
  return Split(script, first_line, false);
}

std::vector<SimpleCommand> SplitShellScript(std::string_view script) {
  return Split(script, 1, true);
}

std::vector<SimpleCommand> SplitRunCommands(const Dockerfile& dockerfile, const RunCommand& run) {
  std::vector<SimpleCommand> out;
  if (run.instruction >= dockerfile.instructions.size()) return out;
  const Instruction& inst = dockerfile.instructions[run.instruction];
  if (run.exec_form) {
    const auto& a = run.exec_args;
    if (a.size() >= 3 && IsShell(a[0]) && a[1] == "-c") {
      return SplitShellCommands(a[2], inst.range.start.line);
    }
    if (!a.empty()) {
      SimpleCommand c;
      c.words = a;
      c.line = inst.range.start.line;
      out.push_back(std::move(c));
    }
    return out;
  }
  std::function<int(size_t)> line_of = [&](size_t offset) {
    return inst.PositionAt(run.command_offset + offset).line;
  };
  out = SplitShellCommands(run.command, line_of);
  // Heredoc bodies the shell itself runs: `RUN <<EOF` or `RUN bash <<EOF`.
  std::set<std::string, std::less<>> scripts;
  for (const SimpleCommand& c : out) {
    if (c.heredocs.empty()) continue;
    if (c.words.empty() || IsShell(c.words[0]))
      scripts.insert(c.heredocs.begin(), c.heredocs.end());
  }
  for (const Heredoc& doc : run.heredocs) {
    if (scripts.find(doc.name) == scripts.end()) continue;
    std::vector<SimpleCommand> body = SplitShellCommands(doc.content, doc.body_line);
    out.insert(out.end(), std::make_move_iterator(body.begin()),
               std::make_move_iterator(body.end()));
  }
  // `RUN <<EOF` alone is a redirection without a command: nothing to check.
  out.erase(std::remove_if(out.begin(), out.end(),
                           [](const SimpleCommand& c) { return c.words.empty(); }),
            out.end());
  return out;
}

}  // namespace imglint::dockerfile
