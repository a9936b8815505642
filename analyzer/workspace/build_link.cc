// SPDX-License-Identifier: Apache-2.0
#include "analyzer/workspace/build_link.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>

#include "analyzer/dockerfile/parser.h"
#include "analyzer/dockerfile/text_util.h"
#include "analyzer/text.h"
#include "analyzer/workspace/workspace.h"

namespace imglint {
namespace {

using dockerfile::Instruction;
using dockerfile::Stage;

// Alignment is quadratic: beyond this many cells (hostile histories or
// Dockerfiles) the oldest history entries are left out — the final stage's
// steps are at the end of the history.
constexpr size_t kMaxCells = 1u << 20;

constexpr int kStrong = 3;
constexpr int kWeak = 1;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Splits off the first whitespace-separated word.
std::string_view FirstWord(std::string_view s, std::string_view* rest) {
  s = Trim(s);
  size_t end = 0;
  while (end < s.size() && !std::isspace(static_cast<unsigned char>(s[end]))) ++end;
  *rest = Trim(s.substr(end));
  return s.substr(0, end);
}

bool IsShellPath(std::string_view word) {
  const size_t slash = word.rfind('/');
  const std::string_view base = slash == std::string_view::npos ? word : word.substr(slash + 1);
  return base == "sh" || base == "bash" || base == "dash" || base == "ash" || base == "zsh" ||
         base == "ksh" || base == "mksh";
}

// A history step's keyword: any instruction but FROM (which starts a stage
// and records no step).
bool IsKeyword(std::string_view word) {
  const std::vector<std::string>& keywords = dockerfile::InstructionKeywords();
  return word != "from" && std::find(keywords.begin(), keywords.end(), word) != keywords.end();
}

// "|2 A=1 B=2 /bin/sh -c cmd" -> "cmd": build args used by the step, then the shell.
std::string_view RunScript(std::string_view body) {
  body = Trim(body);
  if (!body.empty() && body[0] == '|') {
    std::string_view rest;
    std::string_view count = FirstWord(body.substr(1), &rest);
    size_t n = 0;
    for (char c : count) {
      if (!std::isdigit(static_cast<unsigned char>(c)) || n > 100000) return body;
      n = n * 10 + static_cast<size_t>(c - '0');
    }
    for (size_t i = 0; i < n && !rest.empty(); ++i) FirstWord(rest, &rest);
    body = rest;
  }
  std::string_view rest;
  std::string_view shell = FirstWord(body, &rest);
  if (IsShellPath(shell)) {
    std::string_view after;
    if (FirstWord(rest, &after) == "-c") return after;
  }
  return body;
}

// The instructions whose steps end up in the final image's history, in order.
std::vector<size_t> ChainInstructions(const DockerfileTarget& df) {
  std::vector<size_t> out;
  for (int s : df.facts.final_chain) {
    const Stage& stage = df.build.stages[s];
    for (size_t index : stage.instructions) {
      if (index != stage.from_instruction && index < df.ast.instructions.size()) {
        out.push_back(index);
      }
    }
  }
  return out;
}

struct StepFacts {
  std::string keyword;
  std::string run_text;  // collapsed RUN script (shell form) or exec words
  bool heredoc = false;
  std::string destination;  // COPY/ADD
  std::string user;         // USER, expanded
  bool user_resolved = true;
};

StepFacts FactsOf(const DockerfileTarget& df, size_t index) {
  const Instruction& inst = df.ast.instructions[index];
  StepFacts facts;
  facts.keyword = inst.keyword;
  for (const Stage& stage : df.build.stages) {
    if (inst.keyword == "run") {
      for (const dockerfile::RunCommand& run : stage.runs) {
        if (run.instruction != index) continue;
        std::string text(run.command);
        if (run.exec_form) {
          text.clear();
          for (const std::string& a : run.exec_args) text += a + " ";
        }
        facts.run_text = CollapseSpaces(text);
        facts.heredoc = !run.heredocs.empty();
      }
    } else if (inst.keyword == "copy" || inst.keyword == "add") {
      for (const dockerfile::CopyCommand& copy : stage.copies) {
        if (copy.instruction == index) facts.destination = copy.destination.value;
      }
    }
  }
  if (inst.keyword == "user") {
    for (const Stage& stage : df.build.stages) {
      if (stage.user && stage.user->instruction == index) {
        facts.user = stage.user->user.value;
        facts.user_resolved = stage.user->user.resolved();
      }
    }
    if (facts.user.empty() && !inst.args.empty()) {
      facts.user = inst.args[0].value;
      facts.user_resolved = inst.args[0].value.find('$') == std::string::npos;
    }
  }
  return facts;
}

int MatchWeight(const HistoryStep& step, const StepFacts& facts) {
  if (step.keyword.empty() || step.keyword != facts.keyword) return 0;
  if (facts.keyword == "run") {
    if (facts.heredoc || facts.run_text.empty()) return kWeak;
    return CollapseSpaces(RunScript(step.body)) == facts.run_text ? kStrong : kWeak;
  }
  if (facts.keyword == "copy" || facts.keyword == "add") {
    if (facts.destination.empty()) return kWeak;
    std::string_view body = Trim(step.body);
    std::string_view dest = facts.destination;
    if (body.size() >= dest.size() && body.substr(body.size() - dest.size()) == dest) {
      return kStrong;
    }
    return kWeak;
  }
  if (facts.keyword == "user") {
    if (!facts.user_resolved) return kWeak;
    return std::string(Trim(step.body)) == facts.user ? kStrong : 0;
  }
  return kWeak;
}

BuildLink Align(const ImageTarget& target, const Image& image, const DockerfileTarget& df) {
  BuildLink link;
  link.image_target = &target;
  link.image = &image;
  link.dockerfile = &df;
  const std::vector<HistoryEntry>& history = image.config.history;
  const std::vector<size_t> instructions = ChainInstructions(df);
  const size_t m = instructions.size();
  if (m == 0 || history.empty() || m > kMaxCells) return link;
  const size_t keep = std::min(history.size(), std::max<size_t>(1, kMaxCells / m));
  const size_t first = history.size() - keep;
  std::vector<HistoryStep> steps;
  steps.reserve(keep);
  for (size_t h = first; h < history.size(); ++h) {
    steps.push_back(ParseCreatedBy(history[h].created_by));
  }
  std::vector<StepFacts> facts;
  facts.reserve(m);
  for (size_t index : instructions) facts.push_back(FactsOf(df, index));

  // dp[i][j]: best weight aligning the first i steps with the first j instructions.
  const size_t n = steps.size();
  std::vector<int> dp((n + 1) * (m + 1), 0);
  auto at = [&](size_t i, size_t j) -> int& { return dp[i * (m + 1) + j]; };
  for (size_t i = 1; i <= n; ++i) {
    for (size_t j = 1; j <= m; ++j) {
      int best = std::max(at(i - 1, j), at(i, j - 1));
      if (int w = MatchWeight(steps[i - 1], facts[j - 1]); w > 0) {
        best = std::max(best, at(i - 1, j - 1) + w);
      }
      at(i, j) = best;
    }
  }
  link.score = at(n, m);
  std::vector<int> step_instruction(history.size(), -1);
  for (size_t i = n, j = m; i > 0 && j > 0;) {
    const int w = MatchWeight(steps[i - 1], facts[j - 1]);
    if (w > 0 && at(i, j) == at(i - 1, j - 1) + w) {
      step_instruction[first + i - 1] = static_cast<int>(instructions[j - 1]);
      --i;
      --j;
    } else if (at(i, j) == at(i - 1, j)) {
      --i;
    } else {
      --j;
    }
  }
  for (size_t h = history.size(); h-- > 0;) {
    if (step_instruction[h] >= 0 && df.ast.instructions[step_instruction[h]].keyword == "user") {
      link.user_instruction = step_instruction[h];
      break;
    }
    if (ParseCreatedBy(history[h].created_by).keyword == "user") break;  // an unmatched USER wins
  }
  std::vector<int> layers;
  for (size_t h = 0; h < history.size(); ++h) {
    if (!history[h].empty_layer) layers.push_back(step_instruction[h]);
  }
  if (layers.size() == image.layers.size()) link.layer_instruction = std::move(layers);
  return link;
}

std::optional<Location> UserLocation(const BuildLink& link) {
  const DockerfileTarget& df = *link.dockerfile;
  if (link.user_instruction >= 0) {
    const Instruction& inst = df.ast.instructions[link.user_instruction];
    if (!inst.args.empty()) return dockerfile::DockerfileLocation(df.path, inst.args[0].range);
    return dockerfile::DockerfileLocation(df.path, inst.range);
  }
  const std::optional<dockerfile::FinalUser>& user = df.facts.final_user;
  if (!user) return std::nullopt;
  // Without a matched history entry, trust the Dockerfile only when it says
  // the same as the image.
  if (!user->has_user ? !link.image->config.user.empty() : user->value != link.image->config.user) {
    return std::nullopt;
  }
  return user->location;
}

std::optional<Location> PortLocation(const BuildLink& link, std::string_view spec) {
  for (const dockerfile::PortFact& port : link.dockerfile->facts.final_ports) {
    if (port.raw == spec || port.value == spec ||
        (port.spec.valid && FormatPortSpec(port.spec) == spec)) {
      return port.location;
    }
  }
  return std::nullopt;
}

std::optional<Location> FileLocationInDockerfile(const BuildLink& link, const Finding& finding) {
  const FileEntry* entry = link.image->Find(finding.location.image_path);
  if (entry == nullptr || entry->layer >= link.layer_instruction.size()) return std::nullopt;
  const int index = link.layer_instruction[entry->layer];
  if (index < 0) return std::nullopt;
  const DockerfileTarget& df = *link.dockerfile;
  // The exact chmod/setcap word when the instruction has one for this privilege.
  const Subject& subject = finding.subject;
  const FilePrivilege privilege = subject.kind == Subject::Kind::kBindCapability
                                      ? FilePrivilege::kCapability
                                      : subject.privilege;
  if (privilege == FilePrivilege::kSetuid || privilege == FilePrivilege::kSetgid) {
    const std::uint32_t bit = privilege == FilePrivilege::kSetuid ? 04000 : 02000;
    for (const dockerfile::SpecialBitStep& step : df.facts.special_bit_steps) {
      if (static_cast<int>(step.instruction) == index && (step.bits & bit)) return step.location;
    }
  } else if (privilege == FilePrivilege::kCapability) {
    for (const dockerfile::SetcapStep& step : df.facts.setcap_steps) {
      if (static_cast<int>(step.instruction) == index) return step.location;
    }
  }
  return dockerfile::DockerfileLocation(df.path, df.ast.instructions[index].keyword_range);
}

bool SameLocation(const Location& a, const Location& b) {
  return a.path == b.path && a.line == b.line && a.column == b.column &&
         a.image_path == b.image_path;
}

}  // namespace

HistoryStep ParseCreatedBy(std::string_view created_by) {
  std::string_view s = Trim(created_by);
  constexpr std::string_view kBuildkit = "# buildkit";
  if (s.size() >= kBuildkit.size() && s.substr(s.size() - kBuildkit.size()) == kBuildkit) {
    s = Trim(s.substr(0, s.size() - kBuildkit.size()));
  }
  HistoryStep step;
  // The classic builder: "/bin/sh -c #(nop)  USER app" for non-RUN steps.
  if (const size_t nop = s.find("#(nop)"); nop != std::string_view::npos) {
    std::string_view before;
    if (IsShellPath(FirstWord(s.substr(0, nop), &before))) {
      std::string_view rest;
      step.keyword = dockerfile::text::ToLowerAscii(FirstWord(s.substr(nop + 6), &rest));
      step.body = std::string(rest);
      if (!IsKeyword(step.keyword)) step.keyword.clear();
      return step;
    }
  }
  std::string_view rest;
  std::string keyword = dockerfile::text::ToLowerAscii(FirstWord(s, &rest));
  if (IsKeyword(keyword)) {
    step.keyword = keyword;
    step.body = std::string(rest);
    return step;
  }
  // The classic builder's RUN: "/bin/sh -c cmd", "|1 A=1 /bin/sh -c cmd".
  if ((!s.empty() && s[0] == '|') || IsShellPath(FirstWord(s, &rest))) {
    step.keyword = "run";
    step.body = std::string(s);
  }
  return step;
}

std::vector<BuildLink> LinkBuilds(const std::vector<ImageTarget>& images,
                                  const std::vector<DockerfileTarget>& dockerfiles) {
  std::vector<BuildLink> links;
  if (images.empty() || dockerfiles.empty()) return links;
  const bool one_each = images.size() == 1 && dockerfiles.size() == 1;
  for (const ImageTarget& target : images) {
    for (const Image& image : target.images) {
      if (one_each) {
        links.push_back(Align(target, image, dockerfiles.front()));
        continue;
      }
      std::optional<BuildLink> best;
      for (const DockerfileTarget& df : dockerfiles) {
        BuildLink link = Align(target, image, df);
        if (link.score >= kStrong && (!best || link.score > best->score)) best = std::move(link);
      }
      if (best) links.push_back(std::move(*best));
    }
  }
  return links;
}

const BuildLink* LinkOf(const std::vector<BuildLink>& links, const DockerfileTarget& dockerfile) {
  for (const BuildLink& link : links) {
    if (link.dockerfile == &dockerfile) return &link;
  }
  return nullptr;
}

void AttachDockerfileLocations(const Workspace& workspace, std::vector<Finding>* findings) {
  if (workspace.links.empty()) return;
  for (Finding& f : *findings) {
    if (f.location.line != 0) continue;  // already a source location
    for (const BuildLink& link : workspace.links) {
      if (link.image_target->path != f.location.path ||
          link.image->platform != f.location.platform) {
        continue;
      }
      std::optional<Location> where;
      switch (f.subject.kind) {
        case Subject::Kind::kUser:
        case Subject::Kind::kGroup:
        case Subject::Kind::kRootOnPort:
          where = UserLocation(link);
          break;
        case Subject::Kind::kPort:
          where = PortLocation(link, f.subject.value);
          break;
        default:
          if (!f.location.image_path.empty()) where = FileLocationInDockerfile(link, f);
          break;
      }
      if (!where) continue;
      const bool known = std::any_of(f.related.begin(), f.related.end(),
                                     [&](const Location& r) { return SameLocation(r, *where); });
      if (!known) f.related.push_back(std::move(*where));
    }
  }
}

}  // namespace imglint
