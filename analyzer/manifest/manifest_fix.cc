// SPDX-License-Identifier: Apache-2.0
#include "analyzer/manifest/manifest_fix.h"

#include <algorithm>
#include <optional>

#include "analyzer/capabilities.h"
#include "analyzer/manifest/yaml_splice.h"
#include "analyzer/runtime.h"

namespace imglint {
namespace {

const std::string kSysctl(kPortSysctl);
const std::string kKubeFlowItem = "{name: " + kSysctl + ", value: \"0\"}";

std::string Spaces(int n) { return std::string(static_cast<size_t>(std::max(n, 0)), ' '); }

// Is `p` at or after `owner`? A node that a workload merges (`<<: *x`) or
// aliases (`*x`) sits where its anchor was written, before the workload: an
// edit there would change every workload sharing it.
bool Inside(Pos p, Pos owner) {
  return p.line > owner.line || (p.line == owner.line && p.column >= owner.column);
}

std::string LineRef(Pos p) { return "line " + std::to_string(p.line); }

// One file's text, its line index, and the fix being built.
class Splice {
 public:
  Splice(std::string_view text, const std::string& path, ManifestFix* out)
      : text_(text), index_(text), path_(path), out_(*out) {}

  std::string_view text() const { return text_; }
  const LineIndex& index() const { return index_; }

  std::optional<size_t> At(Pos p) const {
    if (p.line <= 0) return std::nullopt;
    return index_.Offset(p.line, p.column);
  }
  int LineOf(size_t offset) const {
    int line = 0;
    int column = 0;
    index_.LineColumn(offset, &line, &column);
    return line;
  }
  int ColumnOf(size_t offset) const {
    int line = 0;
    int column = 0;
    index_.LineColumn(offset, &line, &column);
    return column;
  }

  // The line break new lines near `line` use: the file's own (CRLF or LF).
  std::string Break(int line) const {
    for (int l : {line, line - 1, 1}) {
      const std::string_view b = index_.LineBreak(l);
      if (!b.empty()) return std::string(b);
    }
    return "\n";
  }

  void Replace(size_t begin, size_t end, std::string text) {
    TextEdit e;
    e.path = path_;
    e.begin = begin;
    e.end = end;
    e.replacement = std::move(text);
    index_.Locate(&e);
    out_.edits.push_back(std::move(e));
  }
  void Insert(size_t at, std::string text) { Replace(at, at, std::move(text)); }

  // `lines` (without breaks) as whole lines before line `line`.
  void InsertLinesBefore(int line, const std::vector<std::string>& lines) {
    const std::string eol = Break(line);
    std::string block;
    for (const std::string& l : lines) block += l + eol;
    Insert(index_.LineStart(line), std::move(block));
  }
  // `lines` as whole lines after line `line` (a last line without a break
  // gets one first).
  void InsertLinesAfter(int line, const std::vector<std::string>& lines) {
    const std::string eol = Break(line);
    std::string block = index_.LineBreak(line).empty() ? eol : "";
    for (const std::string& l : lines) block += l + eol;
    Insert(index_.NextLineStart(line), std::move(block));
  }
  void RemoveLine(int line) { Replace(index_.LineStart(line), index_.NextLineStart(line), ""); }

  bool Refuse(std::string why) {
    out_.edits.clear();
    out_.refusal = std::move(why);
    return false;
  }

 private:
  std::string_view text_;
  LineIndex index_;
  const std::string& path_;
  ManifestFix& out_;
};

// Is the key at `key` alone on its line with its value on the next lines?
bool BlockKeyLine(const Splice& s, size_t key) {
  const std::optional<size_t> value = ValueAfterKey(s.text(), key);
  return OnlySpacesBefore(s.text(), key) && value && RestOfLineIsBlank(s.text(), *value);
}

// How far a nested mapping is indented below its key: the file's own step,
// from `span` columns over `depth` levels; 2 when it cannot tell.
int StepOf(int span, int depth) {
  return span > 0 && depth > 0 && span % depth == 0 ? span / depth : 2;
}

// How far right of its key a block list's `-` sits in this file (0 for
// `key:\n- a`, 2 for `key:\n  - a`), judged from the pod's containers list.
int SequenceOffset(const Splice& s, const PodSpec& pod) {
  for (const Container& c : pod.containers) {
    std::optional<size_t> at = s.At(c.pos);
    if (!at) continue;
    size_t i = *at;
    while (i > 0 && s.text()[i - 1] == ' ') --i;
    if (i == 0 || s.text()[i - 1] != '-' || !OnlySpacesBefore(s.text(), i - 1)) continue;
    const int offset = s.ColumnOf(i - 1) - 1 - pod.indent;
    if (offset >= 0 && offset <= 4) return offset;
  }
  return 0;
}

std::vector<std::string> KubeItem(int dash) {
  return {Spaces(dash) + "- name: " + kSysctl, Spaces(dash + 2) + "value: \"0\""};
}

// Appends `item` to the flow collection opening at `open`.
bool AppendFlowItem(Splice& s, std::optional<size_t> open, const std::string& item,
                    const std::string& what) {
  std::optional<FlowCollection> flow =
      open ? ScanFlowCollection(s.text(), *open) : std::optional<FlowCollection>();
  if (!flow) return s.Refuse(what + " is a flow collection imglint cannot parse; edit it by hand");
  auto [at, text] = AppendToFlow(s.text(), *flow, item);
  s.Insert(at, std::move(text));
  return true;
}

// The value of `key`, a flow collection on the key's line: its `[`/`{`.
std::optional<size_t> FlowValue(const Splice& s, Pos key) {
  std::optional<size_t> at = s.At(key);
  if (!at) return std::nullopt;
  std::optional<size_t> value = ValueAfterKey(s.text(), *at);
  if (!value || *value >= s.text().size()) return std::nullopt;
  const char c = s.text()[*value];
  return c == '[' || c == '{' ? value : std::nullopt;
}

bool KubeSysctl(Splice& s, const Workload& workload, ManifestFix* out) {
  const PodSpec& pod = workload.pod;
  const SecurityContext& sc = pod.sc;
  if (HasBareCarriageReturn(s.text()))
    return s.Refuse("the file ends lines with bare carriage returns");
  if (pod.HostNetwork()) {
    return s.Refuse(
        "hostNetwork: true (" + LineRef(pod.host_network->pos) +
        "): the pod uses the node's network namespace, where Kubernetes rejects net.* sysctls; "
        "set " +
        kSysctl + " on the node, or listen on a port >= 1024");
  }
  if (pod.pos.line == 0 || !Inside(pod.pos, workload.pos))
    return s.Refuse("the pod spec is an alias of a node written elsewhere; edit it by hand");
  for (const Pos p : {pod.pos, sc.pos}) {
    if (std::optional<size_t> at = s.At(p); at && s.text()[*at] == '&') {
      return s.Refuse("the node at " + LineRef(p) +
                      " is an anchor that other objects may share; edit it by hand");
    }
  }
  const std::string where = pod.path + ".securityContext";
  if (sc.present &&
      (!Inside(sc.key_pos, pod.pos) || (sc.pos.line > 0 && !Inside(sc.pos, sc.key_pos)))) {
    return s.Refuse("the pod's securityContext comes from an anchor (" + LineRef(sc.pos) +
                    ") that other objects may share; edit it by hand");
  }
  const int step = StepOf(pod.indent - (workload.pos.column - 1),
                          static_cast<int>(std::count(pod.path.begin(), pod.path.end(), '.')) + 1);
  const int seq = SequenceOffset(s, pod);

  if (const Sysctl* entry = sc.FindSysctl(kPortSysctl)) {
    if (entry->value_is_string() && entry->value == "0") return true;
    std::optional<size_t> at = s.At(entry->value_pos);
    std::optional<size_t> item = s.At(entry->pos);
    if (!at || !item || !Inside(entry->pos, pod.pos) || entry->value_kind == ScalarKind::kNull)
      return s.Refuse("the existing " + kSysctl + " entry has no value imglint can replace");
    const bool flow = sc.sysctls_flow || s.text()[*item] == '{';
    const size_t end = ScalarEnd(s.text(), *at, flow);
    if (end == std::string_view::npos)
      return s.Refuse("the value of " + kSysctl + " (" + LineRef(entry->value_pos) +
                      ") is not a plain or quoted scalar");
    s.Replace(*at, end, "\"0\"");
    out->summary = "set " + kSysctl + " to \"0\" in " + where + ".sysctls (was " +
                   std::string(s.text().substr(*at, end - *at)) + ")";
    return true;
  }
  out->summary = "add " + kSysctl + "=\"0\" to " + where + ".sysctls";
  if (sc.has_sysctls_key) {
    std::optional<size_t> key = s.At(sc.sysctls_key_pos);
    if (!key || !Inside(sc.sysctls_key_pos, pod.pos))
      return s.Refuse("securityContext.sysctls comes from an anchor other objects may share");
    if (sc.sysctls_flow)
      return AppendFlowItem(s, FlowValue(s, sc.sysctls_key_pos), kKubeFlowItem, "sysctls");
    if (!BlockKeyLine(s, *key))
      return s.Refuse("sysctls (" + LineRef(sc.sysctls_key_pos) +
                      ") is not laid out as a block list");
    const int dash = sc.sysctls_indent >= 0 ? sc.sysctls_indent : sc.indent;
    if (dash < 0)
      return s.Refuse("sysctls has no value and its securityContext is not a block mapping");
    s.InsertLinesAfter(sc.sysctls_key_pos.line, KubeItem(dash));
    return true;
  }
  if (sc.present && sc.pos.line > 0) {
    std::optional<size_t> at = s.At(sc.pos);
    if (!at) return s.Refuse("the pod's securityContext position is unknown");
    if (sc.indent < 0) {
      return AppendFlowItem(s, at, "sysctls: [" + kKubeFlowItem + "]", "the pod's securityContext");
    }
    if (!OnlySpacesBefore(s.text(), *at))
      return s.Refuse("the pod's securityContext (" + LineRef(sc.pos) + ") starts mid-line");
    std::vector<std::string> lines = {Spaces(sc.indent) + "sysctls:"};
    for (std::string& l : KubeItem(sc.indent + seq)) lines.push_back(std::move(l));
    s.InsertLinesBefore(sc.pos.line, lines);
    return true;
  }
  if (sc.present) {  // `securityContext:` with no value
    std::optional<size_t> key = s.At(sc.key_pos);
    if (!key || !BlockKeyLine(s, *key) || pod.indent < 0)
      return s.Refuse("the pod's securityContext (" + LineRef(sc.key_pos) +
                      ") is empty in a way imglint cannot extend");
    const int indent = pod.indent + step;
    std::vector<std::string> lines = {Spaces(indent) + "sysctls:"};
    for (std::string& l : KubeItem(indent + seq)) lines.push_back(std::move(l));
    s.InsertLinesAfter(sc.key_pos.line, lines);
    return true;
  }
  std::optional<size_t> at = s.At(pod.pos);
  if (!at) return s.Refuse("the pod spec's position is unknown");
  if (pod.indent < 0) {
    return AppendFlowItem(s, at, "securityContext: {sysctls: [" + kKubeFlowItem + "]}",
                          "the pod spec");
  }
  if (!OnlySpacesBefore(s.text(), *at))
    return s.Refuse("the pod spec (" + LineRef(pod.pos) + ") starts mid-line");
  std::vector<std::string> lines = {Spaces(pod.indent) + "securityContext:",
                                    Spaces(pod.indent + step) + "sysctls:"};
  for (std::string& l : KubeItem(pod.indent + step + seq)) lines.push_back(std::move(l));
  s.InsertLinesBefore(pod.pos.line, lines);
  out->summary = "add securityContext.sysctls with " + kSysctl + "=\"0\" to " + pod.path;
  return true;
}

// Removes the entry whose key is at `key` (its value ending at `value_end`)
// from the flow mapping at `map`, with one separator: `{add: [X], drop: [Y]}`
// becomes `{drop: [Y]}`, a sole entry leaves `{}`.
bool RemoveFlowEntry(Splice& s, Pos map, size_t key, size_t value_end, const std::string& what) {
  std::optional<size_t> open = s.At(map);
  std::optional<FlowCollection> flow =
      open ? ScanFlowCollection(s.text(), *open) : std::optional<FlowCollection>();
  if (!flow)
    return s.Refuse("the mapping around " + what + " is a flow mapping imglint cannot parse");
  const auto& items = flow->items;
  size_t i = 0;
  while (i < items.size() && items[i].first != key) ++i;
  if (i == items.size() || items[i].second != value_end)
    return s.Refuse(what + " is not where the reader saw it in its flow mapping");
  if (items.size() == 1) {
    s.Replace(flow->open, flow->close + 1, "{}");
  } else if (i + 1 < items.size()) {
    s.Replace(items[i].first, items[i + 1].first, "");
  } else {
    s.Replace(items[i - 1].second, items[i].second, "");
  }
  return true;
}

// Removes the entries of a capability list that name `capability`.
bool DropCapability(Splice& s, const ListLayout& layout,
                    const std::vector<Located<std::string>>& entries, std::string_view capability,
                    Pos owner, const std::string& key_name, ManifestFix* out) {
  std::vector<size_t> offsets;
  for (const Located<std::string>& e : entries) {
    if (NormalizeCapabilityName(e.value) != capability) continue;
    std::optional<size_t> at = s.At(e.pos);
    if (!at || !Inside(e.pos, owner) || !Inside(layout.key_pos, owner))
      return s.Refuse(key_name + " comes from an anchor (" + LineRef(layout.pos) +
                      ") that others may share; edit it by hand");
    offsets.push_back(*at);
  }
  if (offsets.empty()) return true;
  if (HasBareCarriageReturn(s.text()))
    return s.Refuse("the file ends lines with bare carriage returns");
  out->summary = "remove " + std::string(capability) + " from " + key_name;
  const size_t left = layout.items - std::min(layout.items, offsets.size());
  std::optional<size_t> key = s.At(layout.key_pos);
  if (!key) return s.Refuse(key_name + " has no known position");
  if (layout.flow) {
    std::optional<size_t> open = s.At(layout.pos);
    // `&name [A, B]`: an alias elsewhere shares the list, so editing it
    // would change another container too.
    if (open && *open < s.text().size() && s.text()[*open] == '&')
      return s.Refuse(key_name + " comes from an anchor (" + LineRef(layout.pos) +
                      ") that others may share; edit it by hand");
    std::optional<FlowCollection> flow =
        open ? ScanFlowCollection(s.text(), *open) : std::optional<FlowCollection>();
    if (!flow || flow->items.size() != layout.items)
      return s.Refuse(key_name + " is a flow list imglint cannot parse; edit it by hand");
    std::vector<std::pair<size_t, size_t>> kept;
    for (const auto& item : flow->items) {
      if (std::find(offsets.begin(), offsets.end(), item.first) == offsets.end())
        kept.push_back(item);
    }
    if (kept.size() + offsets.size() != flow->items.size())
      return s.Refuse(key_name + " items are not where the reader saw them");
    if (kept.empty()) {
      if (OnlySpacesBefore(s.text(), *key) && RestOfLineIsBlank(s.text(), flow->close + 1)) {
        const int first = s.LineOf(*key);
        const int last = s.LineOf(flow->close);
        s.Replace(s.index().LineStart(first), s.index().NextLineStart(last), "");
      } else if (layout.map_flow) {
        return RemoveFlowEntry(s, layout.map_pos, *key, flow->close + 1, key_name);
      } else {
        s.Replace(flow->open, flow->close + 1, "[]");
      }
      return true;
    }
    // The kept items, joined by the separator the file uses after its first.
    const auto& items = flow->items;
    const std::string separator(s.text().substr(items[0].second, items[1].first - items[0].second));
    std::string joined;
    for (const auto& [b, e] : kept) {
      if (!joined.empty()) joined += separator;
      joined += s.text().substr(b, e - b);
    }
    s.Replace(items.front().first, items.back().second, std::move(joined));
    return true;
  }
  for (size_t at : offsets) {
    size_t dash = at;
    while (dash > 0 && s.text()[dash - 1] == ' ') --dash;
    const size_t end = ScalarEnd(s.text(), at, /*flow=*/false);
    if (dash == 0 || s.text()[dash - 1] != '-' || !OnlySpacesBefore(s.text(), dash - 1) ||
        end == std::string_view::npos || !RestOfLineIsBlank(s.text(), end)) {
      return s.Refuse(key_name + " item (line " + std::to_string(s.LineOf(at)) +
                      ") shares its line with other YAML; edit it by hand");
    }
    s.RemoveLine(s.LineOf(at));
  }
  if (left == 0) {
    if (!BlockKeyLine(s, *key))
      return s.Refuse(key_name + " (" + LineRef(layout.key_pos) +
                      ") shares its line with other YAML");
    s.RemoveLine(layout.key_pos.line);
  }
  (void)left;
  return true;
}

}  // namespace

ManifestFix KubernetesPortSysctlFix(std::string_view text, const std::string& path,
                                    const Workload& workload) {
  ManifestFix out;
  Splice s(text, path, &out);
  KubeSysctl(s, workload, &out);
  return out;
}

ManifestFix KubernetesDropCapabilityFix(std::string_view text, const std::string& path,
                                        const Container& container, std::string_view capability) {
  ManifestFix out;
  Splice s(text, path, &out);
  DropCapability(s, container.sc.cap_add_layout, container.sc.cap_add, capability, container.pos,
                 "capabilities.add", &out);
  return out;
}

ManifestFix ComposePortSysctlFix(std::string_view text, const std::string& path,
                                 const Service& service, std::string_view host_network_rejecter) {
  ManifestFix out;
  Splice s(text, path, &out);
  const std::string label = "service " + service.name.value;
  if (HasBareCarriageReturn(text)) {
    s.Refuse("the file ends lines with bare carriage returns");
    return out;
  }
  if (service.HostNetwork()) {
    s.Refuse("network_mode: host (" + LineRef(service.network_mode->pos) +
             "): the service uses the host's network namespace, where " +
             std::string(host_network_rejecter) + " net.* sysctls; set " + kSysctl +
             " on the host, or listen on a port >= 1024");
    return out;
  }
  if (service.SharesNetworkNamespace()) {
    s.Refuse("network_mode: " + service.network_mode->value +
             ": the network namespace, and its sysctls, belong to another container");
    return out;
  }
  if (service.pos.line == 0 || !Inside(service.pos, service.name.pos)) {
    s.Refuse(label + " is an alias of a node written elsewhere; edit it by hand");
    return out;
  }
  if (std::optional<size_t> at = s.At(service.pos); at && text[*at] == '&') {
    s.Refuse(label + " is an anchor (" + LineRef(service.pos) +
             ") that other services may merge: the sysctl would reach them too; edit it by hand");
    return out;
  }
  const int step = StepOf(service.indent - (service.name.pos.column - 1), 1);
  const std::string map_entry = kSysctl + ": 0";
  const std::string list_entry = kSysctl + "=0";
  if (const Sysctl* entry = service.FindSysctl(kPortSysctl)) {
    if (entry->value == "0") return out;
    std::optional<size_t> at = s.At(entry->value_pos);
    if (!at || !Inside(entry->pos, service.pos)) {
      s.Refuse("the existing " + kSysctl + " entry comes from an anchor others may share");
      return out;
    }
    const size_t end = ScalarEnd(text, *at, service.sysctls_flow);
    if (end == std::string_view::npos) {
      s.Refuse("the value of " + kSysctl + " (" + LineRef(entry->value_pos) +
               ") is not a plain or quoted scalar");
      return out;
    }
    const bool quoted = text[*at] == '"' || text[*at] == '\'';
    size_t begin = quoted ? *at + 1 : *at;
    const size_t stop = quoted ? end - 1 : end;
    if (service.sysctls_list_form) {
      const size_t eq = text.substr(begin, stop - begin).find('=');
      if (eq == std::string_view::npos) {
        s.Refuse("the existing " + kSysctl + " entry has no =value");
        return out;
      }
      begin += eq + 1;
    }
    s.Replace(begin, stop, "0");
    out.summary = "set " + kSysctl + " to 0 in the sysctls of " + label + " (was " +
                  std::string(text.substr(begin, stop - begin)) + ")";
    return out;
  }
  out.summary = "add " + kSysctl + "=0 to the sysctls of " + label;
  if (service.has_sysctls_key) {
    std::optional<size_t> key = s.At(service.sysctls_key_pos);
    if (!key || !Inside(service.sysctls_key_pos, service.pos)) {
      s.Refuse("the sysctls of " + label + " come from an anchor others may share");
      return out;
    }
    if (service.sysctls_flow) {
      AppendFlowItem(s, FlowValue(s, service.sysctls_key_pos),
                     service.sysctls_list_form ? list_entry : map_entry, "sysctls");
      return out;
    }
    if (!BlockKeyLine(s, *key)) {
      s.Refuse("sysctls (" + LineRef(service.sysctls_key_pos) + ") is not laid out as a block");
      return out;
    }
    if (service.sysctls_indent >= 0) {
      s.InsertLinesAfter(service.sysctls_key_pos.line,
                         {Spaces(service.sysctls_indent) +
                          (service.sysctls_list_form ? "- " + list_entry : map_entry)});
    } else if (service.indent >= 0) {
      s.InsertLinesAfter(service.sysctls_key_pos.line, {Spaces(service.indent + step) + map_entry});
    } else {
      s.Refuse("sysctls has no value and " + label + " is not a block mapping");
    }
    return out;
  }
  std::optional<size_t> at = s.At(service.pos);
  if (!at) {
    s.Refuse("the position of " + label + " is unknown");
    return out;
  }
  if (service.indent < 0) {
    AppendFlowItem(s, at, "sysctls: {" + map_entry + "}", label);
    return out;
  }
  if (!OnlySpacesBefore(text, *at)) {
    s.Refuse(label + " (" + LineRef(service.pos) + ") starts mid-line");
    return out;
  }
  s.InsertLinesBefore(service.pos.line, {Spaces(service.indent) + "sysctls:",
                                         Spaces(service.indent + step) + map_entry});
  return out;
}

ManifestFix ComposeDropCapabilityFix(std::string_view text, const std::string& path,
                                     const Service& service, std::string_view capability) {
  ManifestFix out;
  Splice s(text, path, &out);
  DropCapability(s, service.cap_add_layout, service.cap_add, capability, service.pos, "cap_add",
                 &out);
  return out;
}

}  // namespace imglint
