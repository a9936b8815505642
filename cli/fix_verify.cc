// SPDX-License-Identifier: Apache-2.0
#include "cli/fix_verify.h"

#include "analyzer/image/image_reader.h"

namespace imglint {
namespace {

// The fingerprints of `findings` in `path`.
std::multiset<std::string> FingerprintsIn(const std::vector<Finding>& findings,
                                          const std::string& path) {
  std::multiset<std::string> out;
  for (const Finding& f : findings) {
    if (f.location.path == path) out.insert(f.fingerprint);
  }
  return out;
}

// Why the edited text of `path` does not lint as planned, or "".
std::string Verify(const std::string& path, const std::vector<Finding>& before,
                   const std::vector<Finding>& after, const Workspace& edited,
                   const std::set<std::string>& covered) {
  for (const TargetStatus& t : edited.targets) {
    if (t.path == path && t.error)
      return std::string("the edited file does not read: ").append(*t.error);
  }
  std::multiset<std::string> expected;
  for (const std::string& fp : FingerprintsIn(before, path)) {
    if (covered.count(fp) == 0) expected.insert(fp);
  }
  const std::multiset<std::string> got = FingerprintsIn(after, path);
  if (got == expected) return "";
  for (const Finding& f : after) {
    if (f.location.path != path) continue;
    if (covered.count(f.fingerprint) > 0)
      return DescribeFinding(f) + " is still reported after the edit";
    if (expected.count(f.fingerprint) == 0)
      return std::string("the edit would add ").append(DescribeFinding(f));
  }
  for (const Finding& f : before) {
    if (f.location.path == path && covered.count(f.fingerprint) == 0 &&
        got.count(f.fingerprint) == 0) {
      return std::string("the edit would also remove ").append(DescribeFinding(f));
    }
  }
  return "the findings after the edit differ from the plan";
}

// What an edit may change in a workload: its sysctls and added capabilities
// (and, through them, nothing else the rules read).
std::string Shape(const PodSpec& pod) {
  std::string out = pod.path + "|";
  for (const Sysctl& s : pod.sc.sysctls) out.append(s.name).append("=").append(s.value).append(";");
  for (const Container& c : pod.containers) {
    out.append(c.name.value).append(":");
    for (const auto& cap : c.sc.cap_add) out.append(cap.value).append(",");
  }
  return out;
}
std::string Shape(const Service& service) {
  std::string out = service.name.value + "|";
  for (const Sysctl& s : service.sysctls)
    out.append(s.name).append("=").append(s.value).append(";");
  for (const auto& cap : service.cap_add) out.append(cap.value).append(",");
  return out;
}

// The workloads of `path` that are no target must read as before: an edit
// that reached one (through an anchor, say) is wrong even when no finding
// shows it.
template <typename File, typename Items, typename Name>
std::string OthersUnchanged(const std::vector<File>& before, const std::vector<File>& after,
                            const std::string& path, const std::set<size_t>& targets, Items items,
                            Name name) {
  for (const File& b : before) {
    if (b.path != path) continue;
    for (const File& a : after) {
      if (a.path != path) continue;
      const auto& old_items = items(b);
      const auto& new_items = items(a);
      if (old_items.size() != new_items.size()) return "the edit changed how many workloads it has";
      for (size_t i = 0; i < old_items.size(); ++i) {
        if (targets.count(i) == 0 && Shape(name(old_items[i])) != Shape(name(new_items[i]))) {
          return "the edit also changed a workload it was not for (item " + std::to_string(i + 1) +
                 " of the file)";
        }
      }
    }
  }
  return "";
}

}  // namespace

std::string DescribeFinding(const Finding& f) {
  std::string text = f.rule_id;
  text.append(" (").append(f.location.path);
  if (f.location.line > 0) text.append(":").append(std::to_string(f.location.line));
  text.append(": ").append(f.message).append(")");
  return text;
}

FixVerification VerifyFixes(LoadRequest request, const EngineOptions& engine,
                            const Workspace& workspace, const std::vector<Finding>& findings,
                            const FixPlan& plan) {
  FixVerification out;
  for (const auto& [path, edits] : plan.edits) {
    out.edited[path] = ApplyEdits(workspace.sources.at(path), edits);
  }
  if (out.edited.empty()) return out;
  request.text_overrides = out.edited;
  request.observer = nullptr;  // the second read is no news to the user
  // Edits never touch an image: the second read takes each one from the first
  // instead of decoding its layers (or pulling it) again.
  request.read_image = [&workspace, read = request.read_image](
                           const std::string& target, const ImageReadOptions& options,
                           ImageTarget* image, std::string* err) {
    for (const ImageTarget& known : workspace.images) {
      if (known.path == target) {
        *image = known;
        return true;
      }
    }
    return read ? read(target, options, image, err) : ReadImage(target, options, image, err);
  };
  const Workspace after = LoadWorkspace(request);
  const std::vector<Finding> relinted = RunRules(after, engine);
  static const std::set<size_t> kNone;
  for (const auto& [path, text] : out.edited) {
    std::string why = Verify(path, findings, relinted, after, plan.covered);
    const auto targets_it = plan.targets.find(path);
    const std::set<size_t>& targets = targets_it == plan.targets.end() ? kNone : targets_it->second;
    if (why.empty()) {
      why = OthersUnchanged(
          workspace.kubernetes, after.kubernetes, path, targets,
          [](const KubeFile& f) -> const std::vector<Workload>& { return f.workloads; },
          [](const Workload& w) -> const PodSpec& { return w.pod; });
    }
    if (why.empty()) {
      why = OthersUnchanged(
          workspace.compose, after.compose, path, targets,
          [](const ComposeFile& f) -> const std::vector<Service>& { return f.services; },
          [](const Service& s) -> const Service& { return s; });
    }
    if (why.empty()) {
      out.verified.insert(path);
    } else {
      out.failures[path] = std::move(why);
    }
  }
  return out;
}

}  // namespace imglint
