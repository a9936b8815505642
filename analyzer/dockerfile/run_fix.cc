// SPDX-License-Identifier: Apache-2.0
#include "analyzer/dockerfile/run_fix.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <tuple>
#include <utility>
#include <vector>

#include "analyzer/dockerfile/file_modes.h"
#include "analyzer/dockerfile/run_commands.h"
#include "analyzer/dockerfile/setcap.h"
#include "analyzer/dockerfile/shell_split.h"
#include "analyzer/text.h"

namespace imglint::dockerfile {
namespace {

constexpr size_t kMaxQuoted = 80;

// Byte offsets of parser positions: columns count bytes of the line, after
// a UTF-8 byte order mark on line 1 (which the parser drops).
class SourceMap {
 public:
  explicit SourceMap(std::string_view text)
      : lines_(text), bom_(text.starts_with("\xEF\xBB\xBF") ? 3 : 0) {}
  size_t At(Position p) const {
    const size_t start = lines_.LineStart(p.line) + (p.line == 1 ? bom_ : 0);
    return std::min(start + static_cast<size_t>(std::max(p.column, 1) - 1), lines_.LineEnd(p.line));
  }
  const LineIndex& lines() const { return lines_; }

 private:
  LineIndex lines_;
  size_t bom_;
};

// The shell text a command was cut from, and where its bytes are in the file.
struct Script {
  std::string_view text;
  std::function<Position(size_t)> position;
  const Heredoc* doc = nullptr;  // a heredoc body; else the RUN's command line
};

size_t StartOf(const SourceMap& map, const Script& script, size_t offset) {
  return map.At(script.position(offset));
}
size_t EndOf(const SourceMap& map, const Script& script, size_t offset) {
  return offset == 0 ? StartOf(map, script, 0) : map.At(script.position(offset - 1)) + 1;
}

std::string Quoted(std::string_view command) {
  // Appended piece by piece: GCC 12 -O3 raises a false -Wrestrict on "`" + s.
  std::string out = "`";
  out.append(ShortenUtf8(CollapseSpaces(command), kMaxQuoted)).append("`");
  return out;
}

bool IsShellProgram(std::string_view word) {
  static constexpr std::string_view kShells[] = {"sh", "bash", "dash", "ash", "zsh", "ksh", "mksh"};
  return std::find(std::begin(kShells), std::end(kShells), Basename(word)) != std::end(kShells);
}

// Positions of a heredoc body's bytes: lines from its first body line, and
// `<<-` bodies lost their leading tabs, which the source line still has.
std::function<Position(size_t)> BodyPositions(std::string_view text, const Heredoc& doc) {
  std::vector<size_t> starts{0};
  for (size_t i = 0; i < doc.content.size(); ++i) {
    if (doc.content[i] == '\n') starts.push_back(i + 1);
  }
  std::vector<int> tabs(starts.size(), 0);
  if (doc.chomp) {
    const LineIndex lines(text);
    for (size_t i = 0; i < starts.size(); ++i) {
      const int line = doc.body_line + static_cast<int>(i);
      for (size_t at = lines.LineStart(line); at < lines.LineEnd(line) && text[at] == '\t'; ++at)
        ++tabs[i];
    }
  }
  return [starts, tabs, &doc](size_t offset) {
    const size_t i = static_cast<size_t>(std::upper_bound(starts.begin(), starts.end(), offset) -
                                         starts.begin()) -
                     1;
    return Position{doc.body_line + static_cast<int>(i),
                    static_cast<int>(offset - starts[i]) + 1 + tabs[i]};
  };
}

// What the command does about the finding: taken out, or its mode word
// rewritten; or why neither is safe.
struct Undo {
  std::string refusal;
  bool remove = false;
  std::string mode;      // the mode word as written, for a rewrite
  std::string new_mode;  // its value without setuid/setgid
};

Undo Refuse(std::string why) {
  Undo undo;
  undo.refusal = std::move(why);
  return undo;
}

Undo CheckSetcap(const Words& cmd) {
  Undo undo;
  size_t i = 1;
  while (i < cmd.size() && (cmd[i] == "-q" || cmd[i] == "-v" || cmd[i] == "-n" || cmd[i] == "-f"))
    i += cmd[i] == "-n" ? 2 : 1;
  if (i >= cmd.size() || (cmd.size() - i) % 2 != 0) {
    undo.refusal = "the setcap command is not a list of CAPS FILE pairs";
    return undo;
  }
  for (; i + 1 < cmd.size(); i += 2) {
    if (!GrantsOnlyNetBindService(cmd[i])) {
      undo.refusal = "setcap " + cmd[i] + " " + cmd[i + 1] +
                     " does more than grant cap_net_bind_service: remove or narrow it yourself";
      return undo;
    }
  }
  undo.remove = true;
  return undo;
}

// A symbolic mode that only adds setuid/setgid ("u+s", "ug+s", "+s,g+s").
bool OnlyAddsSpecialBits(std::string_view mode) {
  while (!mode.empty()) {
    const size_t comma = mode.find(',');
    const std::string_view clause = mode.substr(0, comma);
    size_t i = 0;
    while (i < clause.size() && std::string_view("ugoa").find(clause[i]) != std::string_view::npos)
      ++i;
    if (i >= clause.size() || clause[i] != '+' || i + 1 >= clause.size()) return false;
    for (++i; i < clause.size(); ++i) {
      if (clause[i] != 's') return false;
    }
    mode = comma == std::string_view::npos ? std::string_view() : mode.substr(comma + 1);
  }
  return true;
}

Undo CheckChmod(const Words& cmd) {
  Undo undo;
  const std::string_view program = Basename(cmd[0]);
  if (program == "install" || program == "ginstall") {
    undo.refusal =
        "`install -m` copies the file as it sets the mode: give it a mode without the bit yourself";
    return undo;
  }
  const std::optional<ModeUse> use = program == "chmod" ? ChmodMode(cmd) : std::nullopt;
  if (!use) {
    undo.refusal = "the flagged mode is not a chmod command of its own";
    return undo;
  }
  const std::string& mode = use->mode;
  if (!mode.empty() && mode.find_first_not_of("01234567") == std::string::npos &&
      mode.size() <= 5) {
    const unsigned value = static_cast<unsigned>(std::stoul(mode, nullptr, 8)) & ~06000u;
    std::string digits;
    for (unsigned v = value; v != 0; v >>= 3) digits.insert(digits.begin(), char('0' + (v & 7u)));
    if (digits.size() < mode.size()) digits.insert(0, mode.size() - digits.size(), '0');
    undo.mode = mode;
    undo.new_mode = digits;
    return undo;
  }
  if (OnlyAddsSpecialBits(mode)) {
    undo.remove = true;
    return undo;
  }
  undo.refusal = "chmod " + mode + " changes more than the setuid/setgid bits: drop the s yourself";
  return undo;
}

Undo CheckCommand(const Words& words, RunStepKind kind) {
  const std::vector<Words> programs = Invocations(words);
  if (programs.empty()) return Refuse("the flagged command runs nothing imglint can tell");
  // The command's own program, after `sudo`/`env`; a step run by
  // `find -exec` or `xargs` is part of a larger command.
  const Words& cmd = programs.back();
  if (programs.size() > 1 || Basename(words[0]) == "xargs") {
    return Refuse("the step runs inside `" + words[0] + "`: take it out yourself");
  }
  if (kind == RunStepKind::kSetcap) {
    if (Basename(cmd[0]) != "setcap")
      return Refuse("the flagged setcap is not a command of its own");
    return CheckSetcap(cmd);
  }
  return CheckChmod(cmd);
}

// A script as a flat list of commands and the operators between them, read
// from SplitShellScript's records; `nested` says why it is not one (the
// first reason in the text: what follows it is not read).
struct ListCommand {
  size_t begin = 0;
  size_t end = 0;
  std::string_view first_word;  // as written, quotes kept
  bool substitution = false;    // `$(…)`, backquotes, `<(…)`, `>(…)`
  bool here_input = false;      // `<<`, `<<<`
  size_t record = 0;            // its (first) record
};

struct ListOperator {
  ShellOperator kind = ShellOperator::kEnd;
  bool bodies = false;  // heredoc bodies stand between it and the next command
};

struct CommandList {
  std::vector<SimpleCommand> records;
  std::vector<ListCommand> commands;
  /// operators[i] follows commands[i]; one more than commands.size() - 1
  /// when the script ends with an operator (`;`, `&`, a newline).
  std::vector<ListOperator> operators;
  std::string nested;
};

bool NoTokens(const SimpleCommand& c) { return c.begin == c.end; }

CommandList FlatList(std::string_view script) {
  using Op = ShellOperator;
  CommandList list;
  list.records = SplitShellScript(script);
  const std::vector<SimpleCommand>& all = list.records;
  size_t i = 0;
  while (i < all.size()) {
    const SimpleCommand& head = all[i];
    if (NoTokens(head)) {
      // A blank line or the end; any other operator wants a command before it.
      if (head.ends_with == Op::kNewline || head.ends_with == Op::kEnd) {
        ++i;
        continue;
      }
      list.nested = head.ends_with == Op::kOpen || head.ends_with == Op::kClose
                        ? "a subshell or function definition"
                        : "an empty command";
      return list;
    }
    ListCommand cmd;
    cmd.begin = head.begin;
    cmd.end = head.end;
    cmd.first_word = script.substr(head.begin, head.first_end - head.begin);
    cmd.substitution = head.substitution;
    cmd.here_input = head.here_input;
    cmd.record = i;
    if (head.compound) {
      // Built from chars: GCC 12 -O3 raises a false -Wrestrict on "`" + s.
      std::string why(1, '`');
      why.append(cmd.first_word);
      why.push_back('`');
      list.nested = std::move(why);
      return list;
    }
    // `<(…)`/`>(…)` is part of its command, which goes on after the `)`.
    size_t last = i;
    while (all[last].ends_with == Op::kSubstitution) {
      cmd.substitution = true;
      int depth = 0;
      size_t j = last;
      for (; j < all.size(); ++j) {
        const Op op = all[j].ends_with;
        depth += op == Op::kSubstitution || op == Op::kOpen ? 1 : op == Op::kClose ? -1 : 0;
        if (depth == 0) break;
      }
      if (j >= all.size() - 1) {  // unclosed: it runs to the end
        cmd.end = script.size();
        last = all.size() - 1;
        break;
      }
      last = j + 1;
      cmd.end = NoTokens(all[last]) ? all[j].operator_end : all[last].end;
      cmd.substitution = cmd.substitution || all[last].substitution;
      cmd.here_input = cmd.here_input || all[last].here_input;
    }
    const Op op = all[last].ends_with;
    if (op == Op::kOpen || op == Op::kClose) {
      list.nested = "a subshell or function definition";
      return list;
    }
    list.commands.push_back(cmd);
    if (op == Op::kCaseEnd) {
      list.nested = "`case`";
      return list;
    }
    if (op == Op::kEnd) break;
    ListOperator after{op, all[last].bodies_follow};
    // Blank lines after the operator are part of it.
    for (i = last + 1; i < all.size() && NoTokens(all[i]) && all[i].ends_with == Op::kNewline;
         ++i) {
      after.bodies = after.bodies || all[i].bodies_follow;
    }
    list.operators.push_back(after);
    const bool at_end = i == all.size() || (NoTokens(all[i]) && all[i].ends_with == Op::kEnd);
    if (at_end && (op == Op::kAnd || op == Op::kOr || op == Op::kPipe)) {
      list.nested = "a dangling operator";
      return list;
    }
  }
  return list;
}

// Does a command before `k` turn on errexit (`set -e`, `set -euo pipefail`,
// `set -o errexit`)? Then a failing command stops the script either way.
bool ErrexitBefore(const CommandList& list, size_t k) {
  for (size_t j = 0; j < k; ++j) {
    const ListCommand& c = list.commands[j];
    if (c.first_word != "set") continue;
    const std::vector<std::string>& words = list.records[c.record].words;
    for (size_t w = 1; w < words.size(); ++w) {
      const std::string& word = words[w];
      if (word == "errexit" || (word.size() > 1 && word[0] == '-' && word[1] != '-' &&
                                word.find('e') != std::string::npos)) {
        return true;
      }
    }
  }
  return false;
}

const char* OperatorText(ShellOperator kind) {
  switch (kind) {
    case ShellOperator::kOr:
      return "a `||` list";
    case ShellOperator::kPipe:
      return "a pipeline";
    case ShellOperator::kBackground:
      return "a background job (`&`)";
    default:
      return "";
  }
}

bool Splices(ShellOperator kind) {
  return kind == ShellOperator::kAnd || kind == ShellOperator::kSequence ||
         kind == ShellOperator::kNewline;
}

// The script bytes [begin, end) to cut so command `k` is gone and the rest
// means what it meant, or a refusal.
struct Cut {
  size_t begin = 0;
  size_t end = 0;
  bool whole = false;   // the script is only that command
  bool bodies = false;  // [begin, end) holds heredoc bodies of other commands
  std::string refusal;
};

Cut PlanCut(std::string_view script, const CommandList& list, size_t k) {
  using Kind = ShellOperator;
  Cut cut;
  const ListCommand& x = list.commands[k];
  const ListOperator* before = k > 0 ? &list.operators[k - 1] : nullptr;
  const ListOperator* after = k < list.operators.size() ? &list.operators[k] : nullptr;
  for (const ListOperator* op : {before, after}) {
    if (op != nullptr && !Splices(op->kind)) {
      cut.refusal = std::string("the command is part of ") + OperatorText(op->kind);
      return cut;
    }
  }
  // `a || b && X`: an and-or list with `||` is left alone.
  for (size_t j = k; j > 0 && list.operators[j - 1].kind != Kind::kSequence &&
                     list.operators[j - 1].kind != Kind::kNewline;
       --j) {
    if (list.operators[j - 1].kind == Kind::kOr) cut.refusal = "the command is in a `||` list";
  }
  for (size_t j = k; j < list.operators.size() && list.operators[j].kind != Kind::kSequence &&
                     list.operators[j].kind != Kind::kNewline;
       ++j) {
    if (list.operators[j].kind == Kind::kOr) cut.refusal = "the command is in a `||` list";
  }
  if (!cut.refusal.empty()) return cut;
  const bool last = k + 1 == list.commands.size();
  if (!last) {
    const ListCommand& next = list.commands[k + 1];
    if (script.substr(next.begin, next.end - next.begin).find("$?") != std::string_view::npos) {
      cut.refusal = "the next command reads its exit status ($?)";
      return cut;
    }
  }
  if (list.commands.size() == 1) {
    cut.whole = true;
    return cut;
  }
  if (before != nullptr && before->kind == Kind::kAnd) {
    // `a && X …` -> `a …`
    cut.begin = list.commands[k - 1].end;
    cut.end = x.end;
    cut.bodies = before->bodies;
  } else if (!last) {
    // `X && b`, `a; X && b`, `X; b` -> `b`, `a; b`
    cut.begin = x.begin;
    cut.end = list.commands[k + 1].begin;
    cut.bodies = after->bodies;
  } else if (ErrexitBefore(list, k)) {
    // `set -e; a; X` -> `set -e; a`
    cut.begin = list.commands[k - 1].end;
    cut.end = x.end;
    cut.bodies = before->bodies;
  } else {
    cut.refusal =
        std::string("the command ends a `;` sequence: without it the RUN would fail when ") +
        Quoted(script.substr(list.commands[k - 1].begin,
                             list.commands[k - 1].end - list.commands[k - 1].begin)) +
        " fails, which it ignored before";
  }
  return cut;
}

// For a heredoc command alone on its line(s): the whole lines, else nullopt.
std::optional<std::pair<int, int>> OwnLines(const Script& script, const CommandList& list,
                                            size_t k) {
  const ListCommand& x = list.commands[k];
  if (k > 0 && list.operators[k - 1].kind == ShellOperator::kAnd) return std::nullopt;
  const std::string_view text = script.text;
  const size_t bol = x.begin == 0 ? 0 : text.rfind('\n', x.begin - 1) + 1;
  if (text.substr(bol, x.begin - bol).find_first_not_of(" \t") != std::string_view::npos)
    return std::nullopt;
  const size_t eol = std::min(text.find('\n', x.end), text.size());
  std::string_view rest = text.substr(x.end, eol - x.end);
  auto trim = [&] {
    while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);
  };
  trim();
  if (!rest.empty() && rest.front() == ';') {
    rest.remove_prefix(1);
    trim();
  }
  if (!rest.empty() && rest.front() != '#') return std::nullopt;
  return std::make_pair(script.position(x.begin).line, script.position(x.end - 1).line);
}

// A RUN-line command on continuation lines of its own, with the one
// operator that goes with it (`  X && \`, ` && X \`): those whole lines, so
// comment lines around it and the layout of the rest stay as they were.
std::optional<std::pair<int, int>> OwnContinuationLines(std::string_view text, const SourceMap& map,
                                                        const Script& script,
                                                        const CommandList& list, size_t k,
                                                        const Instruction& inst, char escape) {
  using Kind = ShellOperator;
  const ListCommand& x = list.commands[k];
  if (k + 1 >= list.commands.size()) return std::nullopt;
  const int first = script.position(x.begin).line;
  const int last = script.position(x.end - 1).line;
  if (first <= inst.range.start.line) return std::nullopt;
  auto trim = [](std::string_view s) {
    const size_t b = s.find_first_not_of(" \t");
    if (b == std::string_view::npos) return std::string_view();
    return s.substr(b, s.find_last_not_of(" \t") - b + 1);
  };
  const LineIndex& lines = map.lines();
  const size_t begin = StartOf(map, script, x.begin);
  const std::string_view head =
      trim(text.substr(lines.LineStart(first), begin - lines.LineStart(first)));
  const size_t end = EndOf(map, script, x.end);
  std::string_view tail = trim(text.substr(end, lines.LineEnd(last) - end));
  if (tail.empty() || tail.back() != escape) return std::nullopt;
  tail = trim(tail.substr(0, tail.size() - 1));
  auto op = [](std::string_view s) {
    return s == "&&"  ? std::optional<Kind>(Kind::kAnd)
           : s == ";" ? std::optional<Kind>(Kind::kSequence)
                      : std::nullopt;
  };
  const ListOperator* before = k > 0 ? &list.operators[k - 1] : nullptr;
  const ListOperator& after = list.operators[k];
  if (!head.empty() && tail.empty()) {
    // ` && X \`: `a && X && b` -> `a && b` holds for any operator after X.
    return before != nullptr && op(head) == Kind::kAnd && before->kind == Kind::kAnd
               ? std::optional(std::make_pair(first, last))
               : std::nullopt;
  }
  if (head.empty() && !tail.empty() && op(tail) == after.kind) {
    // `  X && \`: dropping X and the operator after it is right unless the
    // one before is `&&` and this one is not (`a && X; b` must stay `a; b`).
    if (before != nullptr && before->kind == Kind::kAnd && after.kind != Kind::kAnd)
      return std::nullopt;
    return std::make_pair(first, last);
  }
  return std::nullopt;
}

TextEdit Removal(const std::string& path, const LineIndex& lines, size_t begin, size_t end) {
  TextEdit edit;
  edit.path = path;
  edit.begin = begin;
  edit.end = end;
  lines.Locate(&edit);
  return edit;
}

TextEdit WholeLines(const std::string& path, const LineIndex& lines, int first, int last) {
  return Removal(path, lines, lines.LineStart(first), lines.NextLineStart(last));
}

const RunCommand* RunAt(const BuildModel& build, const Dockerfile& dockerfile, int line) {
  for (const Stage& stage : build.stages) {
    for (const RunCommand& run : stage.runs) {
      if (run.instruction >= dockerfile.instructions.size()) continue;
      const Range& r = dockerfile.instructions[run.instruction].range;
      if (line >= r.start.line && line <= r.end.line) return &run;
    }
  }
  return nullptr;
}

// Rewrites the mode word at `at` (`4755` -> `0755`).
TextFix ModeRewrite(std::string_view text, const std::string& path, const SourceMap& map,
                    Position at, const Undo& undo) {
  TextFix fix;
  const size_t begin = map.At(at);
  if (text.substr(begin, undo.mode.size()) != undo.mode) {
    fix.refusal = "the mode " + undo.mode + " is not written as one word imglint can find";
    return fix;
  }
  TextEdit edit = Removal(path, map.lines(), begin, begin + undo.mode.size());
  edit.replacement = undo.new_mode;
  fix.edits.push_back(std::move(edit));
  fix.summary = "chmod " + undo.mode + " -> " + undo.new_mode + ": no setuid/setgid bit";
  return fix;
}

}  // namespace

TextFix RunStepFix(std::string_view text, const std::string& path, const Dockerfile& dockerfile,
                   const BuildModel& build, Position at, RunStepKind kind) {
  TextFix fix;
  const SourceMap map(text);
  const LineIndex& lines = map.lines();
  const RunCommand* run = RunAt(build, dockerfile, at.line);
  if (run == nullptr) {
    fix.refusal = "the step is not in a RUN instruction imglint can edit";
    return fix;
  }
  const Instruction& inst = dockerfile.instructions[run->instruction];
  auto whole_instruction = [&](const std::string& command) {
    fix.edits.push_back(WholeLines(path, lines, inst.range.start.line, inst.range.end.line));
    fix.summary = std::string("remove the RUN ") + Quoted(command);
  };

  if (run->exec_form) {
    const Words& args = run->exec_args;
    if (args.empty() ||
        (IsShellProgram(args[0]) && std::find(args.begin(), args.end(), "-c") != args.end())) {
      fix.refusal = "an exec-form shell script is JSON-escaped text: edit it yourself";
      return fix;
    }
    const Undo undo = CheckCommand(args, kind);
    if (!undo.refusal.empty()) {
      fix.refusal = undo.refusal;
    } else if (undo.remove) {
      whole_instruction(JoinWords(args, 0, args.size()));
    } else {
      fix = ModeRewrite(text, path, map, at, undo);
    }
    return fix;
  }

  Script script;
  for (const Heredoc& doc : run->heredocs) {
    if (at.line >= doc.body_line && at.line < doc.range.end.line) script.doc = &doc;
  }
  if (script.doc != nullptr) {
    // Only a script the shell runs (`RUN <<EOF`, `RUN bash <<EOF`); a
    // heredoc fed to another program is data.
    bool runs = false;
    for (const SimpleCommand& c : SplitShellCommands(run->command, 1)) {
      const bool names =
          std::find(c.heredocs.begin(), c.heredocs.end(), script.doc->name) != c.heredocs.end();
      const bool shell =
          c.words.empty() || (IsShellProgram(c.words[0]) &&
                              std::find(c.words.begin(), c.words.end(), "-c") == c.words.end());
      if (names && shell) runs = true;
    }
    if (!runs) {
      fix.refusal = "the heredoc is not a script the RUN's shell runs";
      return fix;
    }
    script.text = script.doc->content;
    script.position = BodyPositions(text, *script.doc);
  } else {
    script.text = run->command;
    script.position = [&inst, run](size_t offset) {
      return inst.PositionAt(run->command_offset + offset);
    };
  }

  const CommandList list = FlatList(script.text);
  if (!list.nested.empty()) {
    fix.refusal = "the RUN's script has " + list.nested +
                  ": imglint takes commands only out of flat `&&` lists and `;` sequences";
    return fix;
  }
  const size_t flagged = map.At(at);
  size_t k = list.commands.size();
  for (size_t i = 0; i < list.commands.size(); ++i) {
    const ListCommand& c = list.commands[i];
    if (StartOf(map, script, c.begin) <= flagged && flagged < EndOf(map, script, c.end)) k = i;
  }
  if (k == list.commands.size()) {
    fix.refusal = "imglint could not find the flagged command in the RUN's text";
    return fix;
  }
  const ListCommand& x = list.commands[k];
  const std::string_view command = script.text.substr(x.begin, x.end - x.begin);
  if (x.substitution || x.here_input || x.first_word == "!") {
    fix.refusal = "the command has command substitution, a heredoc or `!`: edit it yourself";
    return fix;
  }
  const Words& words = list.records[x.record].words;
  if (words.empty()) {
    fix.refusal = "the flagged text is not one simple command";
    return fix;
  }
  const Undo undo = CheckCommand(words, kind);
  if (!undo.refusal.empty()) {
    fix.refusal = undo.refusal;
    return fix;
  }
  if (!undo.remove) return ModeRewrite(text, path, map, at, undo);

  const Cut cut = PlanCut(script.text, list, k);
  if (!cut.refusal.empty()) {
    fix.refusal = cut.refusal;
    return fix;
  }
  if (cut.whole) {
    // A heredoc script with nothing else to run goes with its RUN, when the
    // RUN line does nothing but run it.
    const bool only_script = script.doc == nullptr || (run->heredocs.size() == 1 &&
                                                       FlatList(run->command).commands.size() == 1);
    if (only_script) {
      whole_instruction(std::string(command));
      return fix;
    }
  }
  if (script.doc != nullptr) {
    if (const auto own = OwnLines(script, list, k)) {
      fix.edits.push_back(WholeLines(path, lines, own->first, own->second));
      fix.summary = std::string("remove ") + Quoted(command) + " from the RUN's heredoc script";
      return fix;
    }
    if (cut.whole) {
      fix.refusal = "the command shares its heredoc line with other text";
      return fix;
    }
  }
  const auto own = script.doc == nullptr
                       ? OwnContinuationLines(text, map, script, list, k, inst, dockerfile.escape)
                       : std::nullopt;
  if (own) {
    fix.edits.push_back(WholeLines(path, lines, own->first, own->second));
    fix.summary = std::string("remove ") + Quoted(command) + " from the RUN";
    return fix;
  }
  if (cut.bodies) {
    fix.refusal = "a heredoc body stands between the command and its neighbour: edit it yourself";
    return fix;
  }
  // Cuts start at a command (X) or just after one, and end likewise.
  const size_t begin =
      cut.begin == x.begin ? StartOf(map, script, cut.begin) : EndOf(map, script, cut.begin);
  const size_t end = cut.end == x.end ? EndOf(map, script, cut.end) : StartOf(map, script, cut.end);
  fix.edits.push_back(Removal(path, lines, begin, end));
  fix.summary = std::string("remove ") + Quoted(command) + " from the RUN";
  return fix;
}

void RefuseOverlappingRunSteps(const std::vector<TextFix*>& fixes) {
  struct Span {
    const TextEdit* edit;
    TextFix* fix;
  };
  std::vector<Span> spans;
  for (TextFix* fix : fixes) {
    if (fix->refused()) continue;
    for (const TextEdit& e : fix->edits) spans.push_back({&e, fix});
  }
  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) {
    return std::tie(a.edit->path, a.edit->begin) < std::tie(b.edit->path, b.edit->begin);
  });
  std::set<TextFix*> overlapping;
  const Span* reach = nullptr;  // the span reaching furthest so far in this file
  for (const Span& span : spans) {
    if (reach != nullptr && reach->edit->path == span.edit->path && reach->fix != span.fix &&
        span.edit->begin < reach->edit->end && !(*span.edit == *reach->edit)) {
      overlapping.insert(span.fix);
      overlapping.insert(reach->fix);
    }
    if (reach == nullptr || reach->edit->path != span.edit->path ||
        span.edit->end > reach->edit->end) {
      reach = &span;
    }
  }
  for (TextFix* fix : overlapping) {
    fix->edits.clear();
    fix->refusal =
        "another flagged command of the same RUN would be taken out too, and two cuts in one "
        "list cannot be made safely: remove them yourself";
  }
}

}  // namespace imglint::dockerfile
