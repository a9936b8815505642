// SPDX-License-Identifier: Apache-2.0
#include "analyzer/dockerfile/run_commands.h"

#include <algorithm>
#include <cctype>

namespace imglint::dockerfile {

std::string_view Basename(std::string_view word) {
  const size_t slash = word.rfind('/');
  return slash == std::string_view::npos ? word : word.substr(slash + 1);
}

namespace {

bool IsAssignment(std::string_view w) {
  const size_t eq = w.find('=');
  if (eq == std::string_view::npos || eq == 0) return false;
  return std::all_of(w.begin(), w.begin() + static_cast<std::ptrdiff_t>(eq), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

// Appends the programs `words` runs (see Invocations); `depth` stops
// `find -exec find -exec …` from recursing.
void AddInvocations(const Words& words, int depth, std::vector<Words>* out) {
  size_t i = 0;
  const size_t n = words.size();
  auto skip_options = [&](std::initializer_list<std::string_view> with_argument) {
    while (i < n && words[i].size() > 1 && words[i][0] == '-') {
      if (words[i] == "--") {
        ++i;
        break;
      }
      const bool takes =
          std::find(with_argument.begin(), with_argument.end(), words[i]) != with_argument.end();
      i += takes ? 2 : 1;
    }
  };
  while (i < n) {
    const std::string_view base = Basename(words[i]);
    if (base == "sudo" || base == "doas") {
      ++i;
      skip_options({"-u", "-g", "-U", "-C", "-h", "-p", "-r", "-t", "-D", "-R"});
    } else if (base == "env") {
      ++i;
      while (i < n && ((words[i].size() > 1 && words[i][0] == '-') || IsAssignment(words[i]))) {
        i += (words[i] == "-u" || words[i] == "-C" || words[i] == "-S") ? 2 : 1;
      }
    } else if (base == "busybox" || base == "command" || base == "nohup" || base == "nice" ||
               base == "xargs") {
      ++i;
      skip_options({"-n", "-I", "-P", "-L", "-s", "-d", "-E", "-a"});
    } else {
      break;
    }
  }
  if (i >= n) return;
  Words command(words.begin() + static_cast<std::ptrdiff_t>(i), words.end());
  if (Basename(command[0]) == "find" && depth == 0) {
    for (size_t j = 1; j < command.size(); ++j) {
      const std::string& w = command[j];
      if (w != "-exec" && w != "-execdir" && w != "-ok" && w != "-okdir") continue;
      size_t end = j + 1;
      while (end < command.size() && command[end] != ";" && command[end] != "+") ++end;
      AddInvocations(Words(command.begin() + static_cast<std::ptrdiff_t>(j + 1),
                           command.begin() + static_cast<std::ptrdiff_t>(end)),
                     depth + 1, out);
      j = end;
    }
  }
  out->push_back(std::move(command));
}

}  // namespace

std::string JoinWords(const Words& words, size_t begin, size_t end) {
  std::string out;
  for (size_t i = begin; i < end && i < words.size(); ++i) {
    if (!out.empty()) out.push_back(' ');
    out += words[i];
  }
  return out;
}

std::vector<Words> Invocations(const Words& words) {
  std::vector<Words> out;
  AddInvocations(words, 0, &out);
  return out;
}

namespace {

// Which text the offsets of `located` refer to. SplitRunCommands lists the
// commands of the RUN line first, then those of the heredoc bodies the shell
// runs, without saying which text an offset belongs to, so the line's
// commands are counted by splitting that text alone. Only done for a finding.
struct CommandSource {
  const Heredoc* doc = nullptr;  // offsets are into this heredoc body
  bool in_command = false;       // offsets are into RunCommand::command
};

CommandSource SourceOf(const RunCommand& run, const LocatedCommand& located) {
  CommandSource source;
  if (run.exec_form) return source;
  size_t from_line = 0;
  for (const SimpleCommand& c : SplitShellCommands(run.command, [](size_t) { return 0; })) {
    if (!c.words.empty()) ++from_line;
  }
  if (located.index < from_line) {
    source.in_command = true;
    return source;
  }
  for (const Heredoc& doc : run.heredocs) {
    const int lines = static_cast<int>(std::count(doc.content.begin(), doc.content.end(), '\n'));
    if (located.cmd.line >= doc.body_line && located.cmd.line < doc.body_line + lines) {
      source.doc = &doc;
      break;
    }
  }
  return source;
}

}  // namespace

bool Mentions(const RunCommand& run, TextFilter relevant) {
  auto in = [&](std::string_view text) { return relevant(text); };
  if (in(run.command)) return true;
  for (const Heredoc& doc : run.heredocs) {
    if (in(doc.content)) return true;
  }
  // Exec form: the words together, as a filter may need two of them
  // (`["install", "-m", "4755", …]`).
  if (run.exec_args.empty()) return false;
  std::string words;
  for (const std::string& arg : run.exec_args) {
    words += arg;
    words += ' ';
  }
  return in(words);
}

namespace {

// Line `line` of the instruction's source text, or "".
std::string_view SourceLine(std::string_view text, const Instruction& inst, int line) {
  text = inst.SourceText(text);
  for (int at = inst.range.start.line; at < line; ++at) {
    const size_t nl = text.find('\n');
    if (nl == std::string_view::npos) return {};
    text.remove_prefix(nl + 1);
  }
  text = text.substr(0, text.find('\n'));
  if (text.ends_with('\r')) text.remove_suffix(1);
  return text;
}

}  // namespace

Range WordRange(std::string_view text, const Instruction& inst, const RunCommand& run,
                const LocatedCommand& located, std::string_view word) {
  const SimpleCommand& cmd = located.cmd;
  const CommandSource source = SourceOf(run, located);
  Range range;
  range.start = {cmd.line, 0};
  range.end = {cmd.line, 0};
  auto finish = [&](Position start) {
    range.start = start;
    range.end = {start.line, start.column + static_cast<int>(word.size())};
    return range;
  };
  if (word.empty()) return range;
  if (source.in_command) {
    const size_t at = run.command.find(word, std::min(cmd.offset, run.command.size()));
    if (at != std::string::npos) return finish(inst.PositionAt(run.command_offset + at));
    return finish(inst.PositionAt(run.command_offset + cmd.offset));
  }
  if (source.doc != nullptr) {
    const std::string& body = source.doc->content;
    size_t at = body.find(word, std::min(cmd.offset, body.size()));
    if (at == std::string::npos) at = std::min(cmd.offset, body.size());
    const int line = source.doc->body_line +
                     static_cast<int>(std::count(
                         body.begin(), body.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
    const size_t bol = at == 0 ? std::string::npos : body.rfind('\n', at - 1);
    size_t column = bol == std::string::npos ? at : at - bol - 1;
    // `<<-` bodies lost their leading tabs: take the column from the source line.
    if (source.doc->chomp) {
      const std::string_view source = SourceLine(text, inst, line);
      size_t tabs = 0;
      while (tabs < source.size() && source[tabs] == '\t') ++tabs;
      column += tabs;
    }
    return finish({line, static_cast<int>(column) + 1});
  }
  // Exec form, or a command whose text could not be told: search the
  // instruction's logical line.
  const size_t at = inst.original.find(word);
  if (at != std::string::npos) return finish(inst.PositionAt(at));
  return range;
}

void ForEachInvocation(const Dockerfile& dockerfile, const BuildModel& build,
                       const std::vector<int>& stages, TextFilter relevant,
                       const InvocationVisitor& visit) {
  for (int s : stages) {
    const Stage& stage = build.stages[s];
    for (const RunCommand& run : stage.runs) {
      if (run.instruction >= dockerfile.instructions.size() || !Mentions(run, relevant)) continue;
      const Instruction& inst = dockerfile.instructions[run.instruction];
      std::vector<SimpleCommand> commands = SplitRunCommands(dockerfile, run);
      for (size_t i = 0; i < commands.size(); ++i) {
        LocatedCommand located{std::move(commands[i]), i};
        for (const Words& words : Invocations(located.cmd.words)) {
          visit(stage, run, inst, located, words);
        }
      }
    }
  }
}

}  // namespace imglint::dockerfile
