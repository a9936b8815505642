// SPDX-License-Identifier: Apache-2.0
#include "analyzer/dockerfile/build_model.h"

#include <set>
#include <string_view>
#include <utility>

#include "analyzer/dockerfile/shell_lex.h"
#include "analyzer/dockerfile/text_util.h"

namespace imglint::dockerfile {
namespace {

const std::vector<std::string>& DefaultShell() {
  static const std::vector<std::string> kShell = {"/bin/sh", "-c"};
  return kShell;
}

std::vector<std::string> SplitFields(std::string_view s) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < s.size()) {
    size_t len = 0;
    if (text::SpaceAt(s, pos, &len)) {
      pos += len;
      continue;
    }
    const size_t start = pos;
    while (pos < s.size() && !text::SpaceAt(s, pos, &len)) pos += len;
    out.emplace_back(s.substr(start, pos - start));
  }
  return out;
}

bool AllDigits(std::string_view s) {
  if (s.empty() || s.size() > 6) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

class Analyzer {
 public:
  Analyzer(const Dockerfile& df, const BuildOptions& options) : df_(df), opt_(options) {
    stage_env_.set_fallback(&stage_args_);
  }

  BuildModel Run() {
    for (size_t i = 0; i < df_.instructions.size() && !model_.truncated; ++i) {
      const Instruction& inst = df_.instructions[i];
      if (std::string_view(inst.keyword) == "from") {
        From(i, inst);
      } else if (model_.stages.empty()) {
        BeforeFirstFrom(i, inst);
      } else {
        InStage(i, inst);
      }
    }
    SelectTarget();
    return std::move(model_);
  }

 private:
  ExpandedValue ExpandRaw(const std::string& raw, const Range& range, const VarScope& scope) {
    ExpandedValue ev;
    ev.raw = raw;
    ev.range = range;
    ExpandResult r = Expand(raw, scope, df_.escape, &substitution_budget_);
    ev.ok = r.ok;
    ev.error = r.error;
    ev.value = std::move(r.value);
    ev.unresolved = std::move(r.unresolved);
    if (!r.ok) model_.diagnostics.push_back({range, r.error});
    return ev;
  }
  ExpandedValue ExpandArg(const Argument& a, const VarScope& scope) {
    return ExpandRaw(a.value, a.range, scope);
  }

  // `ARG NAME[=default]` word -> (name, default?)
  static std::pair<std::string, std::optional<std::string>> SplitArgWord(const std::string& w) {
    const size_t eq = w.find('=');
    if (eq == std::string::npos) return {w, std::nullopt};
    return {w.substr(0, eq), w.substr(eq + 1)};
  }

  void BeforeFirstFrom(size_t /*index*/, const Instruction& inst) {
    if (inst.keyword != "arg") {
      model_.diagnostics.push_back(
          {inst.keyword_range, "instruction " + text::GoQuote(inst.keyword) +
                                   " appears before the first FROM (only ARG may)"});
      return;
    }
    // All defaults of one ARG line are expanded before any is defined.
    struct Def {
      std::string name;
      ExpandedValue ev;
      bool has_value = false;
    };
    std::vector<Def> defs;
    for (const Argument& a : inst.args) {
      auto [name, def] = SplitArgWord(a.value);
      Def d;
      auto ba = opt_.build_args.find(name);
      if (ba != opt_.build_args.end()) {
        d.ev.value = ba->second;
        d.ev.range = a.range;
        d.has_value = true;
      } else if (def) {
        d.ev = ExpandRaw(*def, a.range, global_scope_);
        // A default built from unset variables is itself not known.
        d.has_value = d.ev.resolved();
      } else {
        d.ev.range = a.range;
        d.ev.unresolved.push_back(name);
      }
      d.ev.raw = a.value;
      d.name = std::move(name);
      defs.push_back(std::move(d));
    }
    for (Def& d : defs) {
      if (d.has_value) {
        global_scope_.Set(d.name, d.ev.value);
      } else if (d.ev.raw != d.name) {
        global_scope_.SetUnknown(d.name);  // a default we cannot evaluate
      } else {
        global_scope_.Unset(d.name);  // declared without a value
      }
      model_.global_args[d.name] = std::move(d.ev);
    }
  }

  void From(size_t index, const Instruction& inst) {
    Stage stage;
    stage.index = static_cast<int>(model_.stages.size());
    stage.from_instruction = index;
    stage.range = inst.range;
    stage.instructions.push_back(index);
    if (const Flag* p = inst.FindFlag("platform"); p != nullptr) {
      stage.platform = ExpandRaw(p->value, p->range, global_scope_);
    }
    if (!inst.args.empty()) {
      stage.base = ExpandArg(inst.args[0], global_scope_);
    } else {
      model_.diagnostics.push_back({inst.keyword_range, "FROM without an image"});
    }
    if (inst.args.size() == 3 && text::EqualsIgnoreCaseAscii(inst.args[1].value, "as")) {
      stage.name = text::ToLowerAscii(inst.args[2].value);
    }
    if (stage.base.resolved()) {
      const std::string base = text::ToLowerAscii(stage.base.value);
      for (const Stage& s : model_.stages) {
        if (!s.name.empty() && s.name == base) stage.base_stage = s.index;
      }
    }

    // Reset the per-stage scopes; inherit from a parent stage.
    stage_args_ = VarScope();
    stage_env_ = VarScope(&stage_args_);
    if (stage.base_stage >= 0) {
      const Stage& parent = model_.stages[stage.base_stage];
      const size_t cost = parent.env.size() + parent.expose.size() + 1;
      if (cost > copy_budget_) {
        model_.truncated = true;
        model_.diagnostics.push_back(
            {inst.range, "Dockerfile too complex to analyse: stopped at this stage"});
        return;
      }
      copy_budget_ -= cost;
      stage.user = parent.user;
      stage.expose = parent.expose;
      stage.env = parent.env;
      stage.shell = parent.shell;
      for (const auto& [name, entry] : parent.env) {
        if (entry.value.resolved()) {
          stage_env_.Set(name, entry.value.value);
        } else {
          stage_env_.SetUnknown(name);
        }
      }
    } else {
      stage.shell = DefaultShell();
    }
    model_.stages.push_back(std::move(stage));
  }

  void InStage(size_t index, const Instruction& inst) {
    Stage& stage = model_.stages.back();
    stage.instructions.push_back(index);
    // A view: compared with each keyword below by length first, not by a
    // strlen and memcmp per comparison.
    const std::string_view kw = inst.keyword;
    if (kw == "arg") {
      StageArg(inst);
    } else if (kw == "env") {
      StageEnv(index, inst, &stage);
    } else if (kw == "user") {
      if (inst.args.empty()) return;
      UserSetting user;
      user.user = ExpandArg(inst.args[0], stage_env_);
      user.stage = stage.index;
      user.instruction = index;
      stage.user = std::move(user);
    } else if (kw == "expose") {
      for (const Argument& a : inst.args) {
        ExpandedValue ev = ExpandArg(a, stage_env_);
        std::vector<std::string> ports = SplitFields(ev.value);
        if (ports.empty()) ports.emplace_back();
        for (std::string& p : ports) {
          ExposeEntry e;
          e.port = ev;
          e.port.value = std::move(p);
          e.stage = stage.index;
          e.instruction = index;
          stage.expose.push_back(std::move(e));
        }
      }
    } else if (kw == "shell") {
      if (inst.json && !inst.args.empty()) {
        stage.shell.clear();
        for (const Argument& a : inst.args) stage.shell.push_back(a.value);
      }
    } else if (kw == "run") {
      RunCommand run;
      run.instruction = index;
      run.exec_form = inst.json;
      if (inst.json) {
        for (const Argument& a : inst.args) run.exec_args.push_back(a.value);
      } else if (!inst.args.empty()) {
        run.command = inst.args[0].value;
        run.command_offset = inst.args[0].offset;
      }
      run.heredocs = inst.heredocs;
      run.shell = stage.shell;
      run.flags = inst.flags;
      run.range = inst.range;
      stage.runs.push_back(std::move(run));
    } else if (kw == "copy" || kw == "add") {
      stage.copies.push_back(Copy(index, inst, stage));
    }
  }

  void StageArg(const Instruction& inst) {
    struct Value {
      std::string name;
      VarScope::State state = VarScope::State::kUnset;
      std::string value;
    };
    std::vector<Value> values;
    for (const Argument& a : inst.args) {
      auto [name, def] = SplitArgWord(a.value);
      Value v;
      auto ba = opt_.build_args.find(name);
      if (ba != opt_.build_args.end()) {
        v.state = VarScope::State::kSet;
        v.value = ba->second;
      } else if (def) {
        ExpandedValue ev = ExpandRaw(*def, a.range, stage_env_);
        // An unresolved default stays unknown for whoever uses the ARG.
        v.state = ev.resolved() ? VarScope::State::kSet : VarScope::State::kUnknown;
        v.value = std::move(ev.value);
      } else {
        const std::string* global = nullptr;
        v.state = global_scope_.Lookup(name, &global);
        if (global != nullptr) v.value = *global;
      }
      v.name = std::move(name);
      values.push_back(std::move(v));
    }
    for (Value& v : values) {
      switch (v.state) {
        case VarScope::State::kSet:
          stage_args_.Set(v.name, std::move(v.value));
          break;
        case VarScope::State::kUnknown:
          stage_args_.SetUnknown(v.name);
          break;
        case VarScope::State::kUnset:
          stage_args_.Unset(v.name);
          break;
      }
    }
  }

  void StageEnv(size_t index, const Instruction& inst, Stage* stage) {
    std::vector<std::pair<std::string, ExpandedValue>> defs;
    for (size_t i = 0; i + 1 < inst.args.size(); i += 3) {  // (key, value, separator)
      const Argument& key = inst.args[i];
      const Argument& value = inst.args[i + 1];
      ExpandedValue k = ExpandArg(key, stage_env_);
      ExpandedValue v = ExpandArg(value, stage_env_);
      v.range.start = key.range.start;  // report ENV entries from the key
      defs.emplace_back(k.value, std::move(v));
    }
    for (auto& [name, ev] : defs) {
      if (ev.resolved()) {
        stage_env_.Set(name, ev.value);
      } else {
        stage_env_.SetUnknown(name);  // later uses are flagged, not guessed
      }
      EnvEntry entry;
      entry.value = std::move(ev);
      entry.stage = stage->index;
      entry.instruction = index;
      stage->env[name] = std::move(entry);
    }
  }

  CopyCommand Copy(size_t index, const Instruction& inst, const Stage& stage) {
    CopyCommand c;
    c.instruction = index;
    c.add = std::string_view(inst.keyword) == "add";
    c.range = inst.range;
    c.heredocs = inst.heredocs;
    for (const Flag& f : inst.flags) {
      const std::string_view name = f.name;
      if (name == "chmod") c.chmod = ExpandRaw(f.value, f.range, stage_env_);
      if (name == "chown") c.chown = ExpandRaw(f.value, f.range, stage_env_);
      if (name == "from") c.from = ExpandRaw(f.value, f.range, stage_env_);
      if (name == "link") c.link = !f.has_value || text::EqualsIgnoreCaseAscii(f.value, "true");
    }
    if (c.from && c.from->resolved()) {
      const std::string from = text::ToLowerAscii(c.from->value);
      for (const Stage& s : model_.stages) {
        if (s.index >= stage.index) break;
        if (!s.name.empty() && s.name == from) c.from_stage = s.index;
      }
      if (c.from_stage < 0 && AllDigits(from) && std::stoi(from) < stage.index) {
        c.from_stage = std::stoi(from);
      }
    }
    for (size_t i = 0; i < inst.args.size(); ++i) {
      const Argument& a = inst.args[i];
      // Heredoc sources are file contents, not paths to expand.
      ExpandedValue ev;
      if (a.value.rfind("<<", 0) == 0 && !inst.heredocs.empty()) {
        ev.raw = ev.value = a.value;
        ev.range = a.range;
      } else {
        ev = ExpandArg(a, stage_env_);
      }
      if (i + 1 == inst.args.size() && inst.args.size() >= 2) {
        c.destination = std::move(ev);
      } else {
        c.sources.push_back(std::move(ev));
      }
    }
    return c;
  }

  void SelectTarget() {
    if (model_.stages.empty()) {
      model_.diagnostics.push_back({{}, "no FROM instruction: the Dockerfile has no build stage"});
      return;
    }
    if (opt_.target.empty()) {
      model_.target = static_cast<int>(model_.stages.size()) - 1;
      return;
    }
    const std::string target = text::ToLowerAscii(opt_.target);
    for (const Stage& s : model_.stages) {
      if (s.name == target) model_.target = s.index;
    }
    if (model_.target < 0) {
      model_.diagnostics.push_back(
          {{}, "target stage " + text::GoQuote(opt_.target) + " could not be found"});
    }
  }

  const Dockerfile& df_;
  const BuildOptions& opt_;
  BuildModel model_;
  size_t substitution_budget_ = size_t{64} << 20;
  size_t copy_budget_ = size_t{1} << 18;
  VarScope global_scope_;
  VarScope stage_args_;
  VarScope stage_env_;
};

}  // namespace

BuildModel AnalyzeBuild(const Dockerfile& dockerfile, const BuildOptions& options) {
  Analyzer analyzer(dockerfile, options);
  return analyzer.Run();
}

}  // namespace imglint::dockerfile
