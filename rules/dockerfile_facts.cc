// SPDX-License-Identifier: Apache-2.0
#include "rules/dockerfile_facts.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <set>

#include "analyzer/dockerfile/shell_split.h"
#include "analyzer/dockerfile/text_util.h"
#include "analyzer/text.h"
#include "rules/capability_sets.h"
#include "rules/image_files.h"

namespace imglint {
namespace {

using dockerfile::BuildModel;
using dockerfile::CopyCommand;
using dockerfile::Heredoc;
using dockerfile::Instruction;
using dockerfile::Position;
using dockerfile::Range;
using dockerfile::RunCommand;
using dockerfile::SimpleCommand;
using dockerfile::Stage;

using Words = std::vector<std::string>;

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

std::string_view Basename(std::string_view word) {
  const size_t slash = word.rfind('/');
  return slash == std::string_view::npos ? word : word.substr(slash + 1);
}

// Messages quote commands; a generated 10 KB RUN line must not become a
// 10 KB message.
std::string Shorten(std::string text, size_t limit = 120) {
  return ShortenUtf8(std::move(text), limit);
}

std::string Join(const Words& words, size_t begin, size_t end) {
  std::string out;
  for (size_t i = begin; i < end && i < words.size(); ++i) {
    if (!out.empty()) out.push_back(' ');
    out += words[i];
  }
  return out;
}

bool IsAssignment(std::string_view w) {
  const size_t eq = w.find('=');
  if (eq == std::string_view::npos || eq == 0) return false;
  return std::all_of(w.begin(), w.begin() + static_cast<std::ptrdiff_t>(eq), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

// ---------------------------------------------------------------------------
// Where a word of a RUN command is in the source.

// A simple command of a RUN, as SplitRunCommands lists it.
struct LocatedCommand {
  SimpleCommand cmd;
  size_t index = 0;  // position in SplitRunCommands' list
};

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
  for (const SimpleCommand& c :
       dockerfile::SplitShellCommands(run.command, [](size_t) { return 0; })) {
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

using TextFilter = bool (*)(std::string_view);

// Is any text of the RUN (line, heredoc bodies, exec words) `relevant`?
// Splitting into commands is the costly part of the scan, and most RUNs
// never mention chmod, install -m or setcap.
bool Mentions(const RunCommand& run, TextFilter relevant) {
  auto in = [&](std::string_view text) { return relevant(text); };
  if (in(run.command)) return true;
  for (const Heredoc& doc : run.heredocs) {
    if (in(doc.content)) return true;
  }
  for (const std::string& arg : run.exec_args) {
    if (in(arg)) return true;
  }
  return false;
}

// Line `line` of the instruction's source text, or "".
std::string_view SourceLine(const Instruction& inst, int line) {
  std::string_view text = inst.source_text;
  for (int at = inst.range.start.line; at < line; ++at) {
    const size_t nl = text.find('\n');
    if (nl == std::string_view::npos) return {};
    text.remove_prefix(nl + 1);
  }
  return text.substr(0, text.find('\n'));
}

// The source range of `word` in `located`, searched from the command's first
// token on. Falls back to the command's line when the word is not found
// verbatim (escapes, exec form with JSON escapes).
Range WordRange(const Instruction& inst, const RunCommand& run, const LocatedCommand& located,
                std::string_view word) {
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
      const std::string_view source = SourceLine(inst, line);
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

// ---------------------------------------------------------------------------
// Which programs a simple command runs: `sudo chmod`, `env X=1 chmod`,
// `busybox chmod`, `xargs chmod`, `find … -exec chmod … {} +`.

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

bool IsModeChars(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::string_view("rwxXstugoa,+-=01234567").find(c) != std::string_view::npos;
  });
}

struct ModeUse {
  size_t mode_word = 0;  // index of the word carrying the mode
  std::string mode;      // the mode itself
  std::string paths;     // files it applies to, as written
  // Only directories are named (`install -d`, `dir/`): a setgid directory
  // just passes its group on, and setuid means nothing on a directory.
  bool directories_only = false;
};

// `chmod [OPTION]... MODE FILE...`; GNU chmod takes "-s", "-w" … as modes.
std::optional<ModeUse> ChmodMode(const Words& cmd) {
  bool options = true;
  for (size_t i = 1; i < cmd.size(); ++i) {
    const std::string& w = cmd[i];
    if (options && w == "--") {
      options = false;
      continue;
    }
    if (options && StartsWith(w, "--")) {
      if (StartsWith(w, "--reference")) return std::nullopt;  // copies another file's mode
      continue;
    }
    if (options && w.size() > 1 && w[0] == '-' && !IsModeChars(w.substr(1))) continue;
    ModeUse use{i, w, Join(cmd, i + 1, cmd.size())};
    use.directories_only =
        i + 1 < cmd.size() &&
        std::all_of(cmd.begin() + static_cast<std::ptrdiff_t>(i + 1), cmd.end(),
                    [](const std::string& path) { return path.size() > 1 && path.back() == '/'; });
    return use;
  }
  return std::nullopt;
}

// `install [-m MODE | -mMODE | --mode=MODE | -Dm MODE] … DEST`.
std::optional<ModeUse> InstallMode(const Words& cmd) {
  std::optional<ModeUse> use;
  std::vector<std::string> files;
  bool directory = false;  // -d: create directories
  bool options = true;
  for (size_t i = 1; i < cmd.size(); ++i) {
    const std::string& w = cmd[i];
    if (!options || w.size() < 2 || w[0] != '-') {
      files.push_back(w);
      continue;
    }
    if (w == "--") {
      options = false;
    } else if (w == "--directory") {
      directory = true;
    } else if (StartsWith(w, "--mode=")) {
      use = ModeUse{i, w.substr(7), ""};
    } else if (w == "--mode" && i + 1 < cmd.size()) {
      use = ModeUse{i + 1, cmd[i + 1], ""};
      ++i;
    } else if (w == "--owner" || w == "--group" || w == "--suffix" || w == "--target-directory" ||
               w == "--strip-program") {
      ++i;
    } else if (!StartsWith(w, "--")) {
      // A cluster of short options; g, o, m, S, t take an argument.
      for (size_t k = 1; k < w.size(); ++k) {
        directory |= w[k] == 'd';
        if (std::string_view("gomSt").find(w[k]) == std::string_view::npos) continue;
        std::string argument = w.substr(k + 1);
        size_t word = i;
        if (argument.empty() && i + 1 < cmd.size()) {
          argument = cmd[++i];
          word = i;
        }
        if (w[k] == 'm') use = ModeUse{word, argument, ""};
        if (w[k] == 't') files.push_back(argument);
        break;
      }
    }
  }
  if (use && !files.empty()) use->paths = files.back();
  if (use) use->directories_only = directory;
  return use;
}

// ---------------------------------------------------------------------------

Location At(const DockerfileTarget& target, const Range& range) {
  return DockerfileLocation(target, range);
}

}  // namespace

Location DockerfileLocation(const DockerfileTarget& target, const Range& range) {
  Location l;
  l.path = target.path;
  l.line = range.start.line;
  l.column = range.start.column;
  l.end_line = range.end.line;
  l.end_column = range.end.column;
  return l;
}

std::string InstructionKey(const DockerfileTarget& target, size_t instruction) {
  if (instruction >= target.ast.instructions.size()) return "";
  return CollapseSpaces(target.ast.instructions[instruction].source_text);
}

std::string StageLabel(const Stage& stage) {
  // Appended piece by piece: GCC 12 -O3 raises a false -Wrestrict on "#" + s.
  std::string label = stage.name.empty() ? "#" : "\"";
  label += stage.name.empty() ? std::to_string(stage.index) : stage.name + "\"";
  return label;
}

std::vector<int> NeededStages(const BuildModel& build) {
  std::vector<int> out;
  if (build.TargetStage() == nullptr) return out;
  const int count = static_cast<int>(build.stages.size());
  std::vector<bool> seen(build.stages.size(), false);
  std::vector<int> todo{build.target};
  seen[build.target] = true;
  auto visit = [&](int s) {
    if (s >= 0 && s < count && !seen[s]) {
      seen[s] = true;
      todo.push_back(s);
    }
  };
  while (!todo.empty()) {
    const Stage& stage = build.stages[todo.back()];
    todo.pop_back();
    visit(stage.base_stage);
    for (const CopyCommand& copy : stage.copies) visit(copy.from_stage);
  }
  for (int s = 0; s < count; ++s) {
    if (seen[s]) out.push_back(s);
  }
  return out;
}

bool InFinalChain(const BuildModel& build, int stage) {
  size_t steps = 0;
  for (int s = build.target;
       s >= 0 && s < static_cast<int>(build.stages.size()) && steps <= build.stages.size();
       s = build.stages[s].base_stage, ++steps) {
    if (s == stage) return true;
  }
  return false;
}

std::optional<FinalUser> FinalStageUser(const DockerfileTarget& target) {
  const Stage* stage = target.build.TargetStage();
  if (stage == nullptr || stage->from_instruction >= target.ast.instructions.size()) {
    return std::nullopt;
  }
  FinalUser out;
  out.stage = stage;
  out.final_from = At(target, target.ast.instructions[stage->from_instruction].range);
  if (!stage->user) {
    out.instruction = &target.ast.instructions[stage->from_instruction];
    out.location = out.final_from;
    return out;
  }
  const dockerfile::UserSetting& setting = *stage->user;
  if (setting.instruction >= target.ast.instructions.size()) return std::nullopt;
  out.setting = &setting;
  out.instruction = &target.ast.instructions[setting.instruction];
  out.unresolved = !setting.user.resolved();
  out.value = setting.user.value;
  out.raw = setting.user.raw;
  out.inherited = setting.stage != stage->index;
  out.location = At(target, setting.user.range);
  return out;
}

ResolvedUser ResolveFinalUser(const FinalUser& user, const Image* image) {
  const std::optional<std::string> none;
  if (user.setting == nullptr) {
    return ResolveUser(image != nullptr ? image->config.user : "",
                       image != nullptr ? image->passwd : none,
                       image != nullptr ? image->group : none, image != nullptr);
  }
  return ResolveUser(user.value, image != nullptr ? image->passwd : none,
                     image != nullptr ? image->group : none, image != nullptr);
}

std::vector<DockerfilePort> StagePorts(const DockerfileTarget& target, int stage_index,
                                       bool inherited) {
  std::vector<DockerfilePort> out;
  if (stage_index < 0 || stage_index >= static_cast<int>(target.build.stages.size())) return out;
  const Stage& stage = target.build.stages[stage_index];
  for (const dockerfile::ExposeEntry& entry : stage.expose) {
    if (!inherited && entry.stage != stage.index) continue;
    DockerfilePort port;
    port.raw = entry.port.raw;
    port.value = entry.port.value;
    port.stage = entry.stage;
    port.instruction = entry.instruction;
    port.location = At(target, entry.port.range);
    port.key = "expose:" + port.raw + "=" + port.value;
    if (!entry.port.resolved()) {
      port.unresolved = true;
      port.missing = entry.port.unresolved;
      port.spec.raw = port.raw;
      port.spec.reason = entry.port.ok
                             ? "no value for " + Join(port.missing, 0, port.missing.size())
                             : entry.port.error;
    } else {
      port.spec = ParsePortSpec(port.value);
    }
    out.push_back(std::move(port));
  }
  return out;
}

std::vector<DockerfilePort> FinalStagePorts(const DockerfileTarget& target) {
  return StagePorts(target, target.build.target, /*inherited=*/true);
}

const DockerfilePort* LowestPrivileged(const std::vector<DockerfilePort>& ports) {
  const DockerfilePort* best = nullptr;
  for (const DockerfilePort& p : ports) {
    if (p.unresolved || !IsPrivilegedPort(p.spec)) continue;
    if (best == nullptr || p.spec.start < best->spec.start) best = &p;
  }
  return best;
}

std::optional<std::uint32_t> SpecialBitsSetByMode(std::string_view mode) {
  if (mode.empty()) return std::nullopt;
  auto octal = [](std::string_view digits, size_t* pos) -> std::optional<std::uint32_t> {
    std::uint32_t value = 0;
    size_t i = *pos;
    for (; i < digits.size() && std::isdigit(static_cast<unsigned char>(digits[i])); ++i) {
      if (digits[i] > '7') return std::nullopt;
      value = value * 8 + static_cast<std::uint32_t>(digits[i] - '0');
      if (value > 07777) return std::nullopt;  // chmod: invalid mode
    }
    *pos = i;
    return value;
  };
  if (std::all_of(mode.begin(), mode.end(),
                  [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
    size_t pos = 0;
    auto value = octal(mode, &pos);
    if (!value) return std::nullopt;
    return *value & 06000;
  }
  // Symbolic: [ugoa]*([-+=]([rwxXst]*|[ugo]|[0-7]+))+ (, …)*, applied in order.
  std::optional<bool> suid;
  std::optional<bool> sgid;
  size_t i = 0;
  const size_t n = mode.size();
  while (true) {
    bool who_u = false;
    bool who_g = false;
    bool who_any = false;
    for (; i < n && std::string_view("ugoa").find(mode[i]) != std::string_view::npos; ++i) {
      who_any = true;
      who_u |= mode[i] == 'u' || mode[i] == 'a';
      who_g |= mode[i] == 'g' || mode[i] == 'a';
    }
    if (!who_any) who_u = who_g = true;  // `+s` affects user and group alike
    if (i >= n || std::string_view("+-=").find(mode[i]) == std::string_view::npos) {
      return std::nullopt;
    }
    while (i < n && std::string_view("+-=").find(mode[i]) != std::string_view::npos) {
      const char op = mode[i++];
      bool s_user = false;
      bool s_group = false;
      if (i < n && std::isdigit(static_cast<unsigned char>(mode[i]))) {
        auto value = octal(mode, &i);
        if (!value) return std::nullopt;
        s_user = *value & 04000;
        s_group = *value & 02000;
      } else if (i < n && std::string_view("ugo").find(mode[i]) != std::string_view::npos) {
        ++i;  // `g=u` copies rwx only; special bits are not copied
      } else {
        for (; i < n && std::string_view("rwxXst").find(mode[i]) != std::string_view::npos; ++i) {
          if (mode[i] == 's') s_user = s_group = true;
        }
      }
      switch (op) {
        case '+':
          if (who_u && s_user) suid = true;
          if (who_g && s_group) sgid = true;
          break;
        case '-':
          if (who_u && s_user) suid = false;
          if (who_g && s_group) sgid = false;
          break;
        default:  // '='
          if (who_u) suid = s_user;
          if (who_g) sgid = s_group;
          break;
      }
    }
    if (i == n) break;
    if (mode[i] != ',' || i + 1 == n) return std::nullopt;
    ++i;
  }
  return (suid.value_or(false) ? 04000u : 0u) | (sgid.value_or(false) ? 02000u : 0u);
}

bool SetcapGrants(std::string_view caps) {
  for (size_t i = 0; i < caps.size(); ++i) {
    if (caps[i] != '+' && caps[i] != '=') continue;
    for (size_t k = i + 1; k < caps.size() && std::isalpha(static_cast<unsigned char>(caps[k]));
         ++k) {
      const char flag = static_cast<char>(std::tolower(static_cast<unsigned char>(caps[k])));
      if (flag == 'e' || flag == 'i' || flag == 'p') return true;
    }
  }
  return false;
}

namespace {

// chmod, or install with a mode option (`-m`, `-Dm`, `--mode`): "install"
// alone is in every apt-get line.
bool MayChangeMode(std::string_view text) {
  if (text.find("chmod") != std::string_view::npos) return true;
  if (text.find("install") == std::string_view::npos) return false;
  if (text.find("--mode") != std::string_view::npos) return true;
  for (size_t dash = text.find('-'); dash != std::string_view::npos;
       dash = text.find('-', dash + 1)) {
    if (dash > 0 && !std::isspace(static_cast<unsigned char>(text[dash - 1]))) continue;
    size_t k = dash + 1;
    while (k < text.size() && std::isalpha(static_cast<unsigned char>(text[k])) && text[k] != 'm') {
      ++k;
    }
    if (k < text.size() && text[k] == 'm') return true;
  }
  return false;
}

bool MayRunSetcap(std::string_view text) { return text.find("setcap") != std::string_view::npos; }

// Visits every program invocation in the RUNs of the needed stages whose
// text is `relevant`.
void ForEachInvocation(const DockerfileTarget& target, TextFilter relevant,
                       const std::function<void(const Stage&, const RunCommand&, const Instruction&,
                                                const LocatedCommand&, const Words&)>& visit) {
  for (int s : NeededStages(target.build)) {
    const Stage& stage = target.build.stages[s];
    for (const RunCommand& run : stage.runs) {
      if (run.instruction >= target.ast.instructions.size() || !Mentions(run, relevant)) continue;
      const Instruction& inst = target.ast.instructions[run.instruction];
      std::vector<SimpleCommand> commands = dockerfile::SplitRunCommands(target.ast, run);
      for (size_t i = 0; i < commands.size(); ++i) {
        LocatedCommand located{std::move(commands[i]), i};
        std::vector<Words> invocations;
        AddInvocations(located.cmd.words, 0, &invocations);
        for (const Words& words : invocations) visit(stage, run, inst, located, words);
      }
    }
  }
}

}  // namespace

std::vector<SpecialBitStep> SpecialBitSteps(const DockerfileTarget& target) {
  std::vector<SpecialBitStep> out;
  ForEachInvocation(target, MayChangeMode,
                    [&](const Stage& stage, const RunCommand& run, const Instruction& inst,
                        const LocatedCommand& located, const Words& words) {
                      const std::string_view program = Basename(words[0]);
                      std::optional<ModeUse> use;
                      if (program == "chmod") {
                        use = ChmodMode(words);
                      } else if (program == "install" || program == "ginstall") {
                        use = InstallMode(words);
                      }
                      if (!use || use->directories_only) return;
                      const std::optional<std::uint32_t> bits = SpecialBitsSetByMode(use->mode);
                      if (!bits || *bits == 0) return;
                      SpecialBitStep step;
                      step.bits = *bits;
                      step.mode = use->mode;
                      step.command = Shorten(Join(words, 0, use->mode_word + 1));
                      if (!use->paths.empty()) {
                        step.command += ' ';
                        step.command += Shorten(use->paths, 80);
                      }
                      step.stage = stage.index;
                      step.instruction = run.instruction;
                      step.location =
                          At(target, WordRange(inst, run, located, words[use->mode_word]));
                      step.key = "run:" + CollapseSpaces(Join(words, 0, words.size()));
                      out.push_back(std::move(step));
                    });
  for (int s : NeededStages(target.build)) {
    const Stage& stage = target.build.stages[s];
    for (const CopyCommand& copy : stage.copies) {
      if (!copy.chmod || !copy.chmod->resolved()) continue;  // never guessed
      const std::optional<std::uint32_t> bits = SpecialBitsSetByMode(copy.chmod->value);
      if (!bits || *bits == 0) continue;
      SpecialBitStep step;
      step.bits = *bits;
      step.mode = copy.chmod->value;
      step.command = std::string(copy.add ? "ADD" : "COPY") + " --chmod=" + copy.chmod->value +
                     " … " + Shorten(copy.destination.value, 80);
      step.stage = stage.index;
      step.instruction = copy.instruction;
      step.location = At(target, copy.chmod->range);
      step.key = "copy:" + InstructionKey(target, copy.instruction);
      out.push_back(std::move(step));
    }
  }
  return out;
}

std::vector<SetcapStep> SetcapSteps(const DockerfileTarget& target) {
  std::vector<SetcapStep> out;
  ForEachInvocation(target, MayRunSetcap,
                    [&](const Stage& stage, const RunCommand& run, const Instruction& inst,
                        const LocatedCommand& located, const Words& words) {
                      if (Basename(words[0]) != "setcap") return;
                      // setcap [-q] [-v] [-n ROOTID] (-r|-|CAPS) FILE [(-r|-|CAPS) FILE …]
                      size_t i = 1;
                      while (i < words.size() && (words[i] == "-q" || words[i] == "-v" ||
                                                  words[i] == "-n" || words[i] == "-f")) {
                        i += words[i] == "-n" ? 2 : 1;
                      }
                      for (; i + 1 < words.size(); i += 2) {
                        const std::string& caps = words[i];
                        if (caps == "-r" || caps == "-" || !SetcapGrants(caps)) continue;
                        const std::string lower = dockerfile::text::ToLowerAscii(caps);
                        SetcapStep step;
                        step.caps = caps;
                        step.file = words[i + 1];
                        step.net_bind_service = (!lower.empty() && lower[0] == '=') ||
                                                ContainsCap(lower, "all") ||
                                                ContainsCap(lower, "cap_net_bind_service");
                        step.root_equivalent = IsRootEquivalentCaps(lower);
                        step.stage = stage.index;
                        step.instruction = run.instruction;
                        step.location = At(target, WordRange(inst, run, located, caps));
                        step.key = "setcap:" + caps + " " + step.file;
                        out.push_back(std::move(step));
                      }
                    });
  return out;
}

}  // namespace imglint
