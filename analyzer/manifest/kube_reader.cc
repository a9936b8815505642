// SPDX-License-Identifier: Apache-2.0
#include "analyzer/manifest/kube_reader.h"

#include <utility>
#include <vector>

#include "analyzer/manifest/yaml_load.h"
#include "analyzer/manifest/yaml_walk.h"

namespace imglint {
namespace {

// `kind: List` items may themselves be Lists; real files nest at most once.
constexpr int kMaxListNesting = 4;

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

class KubeReader {
 public:
  KubeReader(YamlWalker* walker, KubeFile* out) : w_(*walker), out_(*out) {}

  void ReadDocument(const YAML::Node& doc, int index) {
    if (!doc.IsMap()) return;  // empty documents (`---` at the end) and stray scalars
    ReadObject(doc, index, "", 0, "");
  }

 private:
  void ReadObject(const YAML::Node& obj, int document, const std::string& object_path,
                  int list_depth, std::string_view default_kind) {
    if (!obj.IsMap() || w_.exhausted()) return;
    std::optional<Located<std::string>> kind = w_.GetString(obj, "kind", "kind");
    std::optional<Located<std::string>> api = w_.GetString(obj, "apiVersion", "apiVersion");
    if (!kind && !default_kind.empty()) kind = Located<std::string>{std::string(default_kind), {}};
    if (!kind) return;
    ++out_.object_count;
    const std::string& k = kind->value;
    if (EndsWith(k, "List") && list_depth < kMaxListNesting) {
      std::optional<YAML::Node> items = w_.Get(obj, "items");
      if (!items || items->IsNull()) return;
      if (!items->IsSequence()) {
        w_.AddIssue(PosOf(*items), k + " items is not a list");
        return;
      }
      // Typed lists (DeploymentList) may leave `kind` out of their items.
      const std::string item_kind = k == "List" ? "" : k.substr(0, k.size() - 4);
      int i = 0;
      for (const YAML::Node& item : w_.Items(*items)) {
        const std::string path =
            object_path + (object_path.empty() ? "" : ".") + "items[" + std::to_string(i++) + "]";
        ReadObject(item, document, path, list_depth + 1, item_kind);
      }
      return;
    }
    const std::string_view spec_path = PodSpecPath(k);
    if (spec_path.empty()) return;

    Workload wl;
    wl.kind = *kind;
    if (api) wl.api_version = api->value;
    wl.pos = PosOf(obj);
    wl.document = document;
    wl.object_path = object_path;
    if (std::optional<YAML::Node> meta = w_.Get(obj, "metadata")) {
      if (auto name = w_.GetString(*meta, "name", "metadata.name")) wl.name = *name;
      if (auto ns = w_.GetString(*meta, "namespace", "metadata.namespace")) wl.ns = ns->value;
    }
    std::optional<YAML::Node> spec = FindPath(obj, spec_path);
    if (!spec || !spec->IsMap()) {
      w_.AddIssue(wl.pos, k + " has no " + std::string(spec_path) + " mapping");
      return;
    }
    if (!w_.AddElement()) return;
    wl.pod.path = std::string(spec_path);
    ReadPodSpec(*spec, &wl.pod);
    out_.workloads.push_back(std::move(wl));
  }

  std::optional<YAML::Node> FindPath(const YAML::Node& obj, std::string_view path) {
    YAML::Node node = obj;
    while (!path.empty()) {
      const size_t dot = path.find('.');
      std::optional<YAML::Node> next = w_.Get(node, path.substr(0, dot));
      if (!next) return std::nullopt;
      node = *next;
      path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
    }
    return node;
  }

  void ReadPodSpec(const YAML::Node& spec, PodSpec* pod) {
    pod->pos = PosOf(spec);
    pod->indent = BlockIndentOf(spec);
    pod->host_network = w_.GetBool(spec, "hostNetwork", "hostNetwork");
    ReadSecurityContext(spec, /*pod_level=*/true, &pod->sc);
    static constexpr std::pair<std::string_view, ContainerKind> kLists[] = {
        {"containers", ContainerKind::kContainer},
        {"initContainers", ContainerKind::kInit},
        {"ephemeralContainers", ContainerKind::kEphemeral},
    };
    for (const auto& [list_name, kind] : kLists) {
      std::optional<YAML::Node> list = w_.Get(spec, list_name);
      if (!list || list->IsNull()) continue;
      if (!list->IsSequence()) {
        w_.AddIssue(PosOf(*list), std::string(list_name) + " is not a list");
        continue;
      }
      int index = 0;
      for (const YAML::Node& item : w_.Items(*list)) {
        if (!item.IsMap()) {
          w_.AddIssue(PosOf(item), std::string(list_name) + " item is not a mapping");
          continue;
        }
        if (!w_.AddElement()) return;
        Container c;
        c.kind = kind;
        c.index = index++;
        ReadContainer(item, &c);
        c.pod_sc = pod->sc;
        pod->containers.push_back(std::move(c));
        if (w_.exhausted()) return;
      }
    }
  }

  void ReadContainer(const YAML::Node& item, Container* c) {
    c->pos = PosOf(item);
    if (auto name = w_.GetString(item, "name", "container name")) c->name = *name;
    c->image = w_.GetString(item, "image", "image");
    ReadSecurityContext(item, /*pod_level=*/false, &c->sc);
    std::optional<YAML::Node> ports = w_.Get(item, "ports");
    if (!ports || ports->IsNull()) return;
    if (!ports->IsSequence()) {
      w_.AddIssue(PosOf(*ports), "ports is not a list");
      return;
    }
    for (const YAML::Node& p : w_.Items(*ports)) {
      if (!p.IsMap()) {
        w_.AddIssue(PosOf(p), "ports item is not a mapping");
        continue;
      }
      if (!w_.AddElement()) return;
      c->ports.push_back(ReadPort(p));
    }
  }

  ContainerPort ReadPort(const YAML::Node& item) {
    ContainerPort port;
    port.pos = PosOf(item);
    if (auto name = w_.GetString(item, "name", "port name")) port.name = name->value;
    port.host_port = w_.GetInt(item, "hostPort", "hostPort");
    PortSpec& spec = port.spec;
    std::optional<YAML::Node> number = w_.Get(item, "containerPort");
    std::optional<Located<std::string>> protocol = w_.GetString(item, "protocol", "protocol");
    spec.raw = number && number->IsScalar() ? number->Scalar() : "";
    if (protocol) {
      spec.raw += "/" + protocol->value;
      spec.protocol_explicit = true;
    }
    if (!number || number->IsNull()) {
      spec.reason = "containerPort is missing";
      return port;
    }
    port.pos = PosOf(*number);
    if (!number->IsScalar() || ResolveScalar(*number, w_.schema()) != ScalarKind::kInt) {
      // The API server decodes containerPort as int32: "80" (a string) is rejected.
      spec.reason = "containerPort " +
                    (number->IsScalar() ? "\"" + number->Scalar().substr(0, 80) + "\"" : "value") +
                    " is not an integer";
      return port;
    }
    if (!ParsePortNumber(number->Scalar(), &spec.start, &spec.reason)) return port;
    spec.end = spec.start;
    if (protocol) {
      // Kubernetes is case-sensitive here, unlike Docker: "tcp" is rejected.
      const std::string& p = protocol->value;
      if (p == "TCP") {
        spec.protocol = PortProtocol::kTcp;
      } else if (p == "UDP") {
        spec.protocol = PortProtocol::kUdp;
      } else if (p == "SCTP") {
        spec.protocol = PortProtocol::kSctp;
      } else {
        spec.reason = "protocol \"" + p.substr(0, 80) + "\" is not TCP, UDP or SCTP";
        return port;
      }
    }
    spec.valid = true;
    return port;
  }

  void ReadSecurityContext(const YAML::Node& parent, bool pod_level, SecurityContext* sc) {
    Pos key_pos;
    std::optional<YAML::Node> node = w_.Get(parent, "securityContext", &key_pos);
    if (!node) return;
    sc->present = true;
    sc->key_pos = key_pos;
    if (node->IsNull()) return;
    if (!node->IsMap()) {
      w_.AddIssue(PosOf(*node), "securityContext is not a mapping");
      return;
    }
    sc->pos = PosOf(*node);
    sc->indent = BlockIndentOf(*node);
    sc->run_as_user = w_.GetInt(*node, "runAsUser", "runAsUser");
    sc->run_as_group = w_.GetInt(*node, "runAsGroup", "runAsGroup");
    sc->run_as_non_root = w_.GetBool(*node, "runAsNonRoot", "runAsNonRoot");
    for (const auto* id : {&sc->run_as_user, &sc->run_as_group}) {
      if (*id && (*id)->value < 0) {
        w_.AddIssue((*id)->pos, "negative user/group id " + std::to_string((*id)->value));
      }
    }
    if (!pod_level) {
      sc->allow_privilege_escalation =
          w_.GetBool(*node, "allowPrivilegeEscalation", "allowPrivilegeEscalation");
      sc->privileged = w_.GetBool(*node, "privileged", "privileged");
      if (std::optional<YAML::Node> caps = w_.Get(*node, "capabilities")) {
        sc->cap_add = w_.GetStringList(*caps, "add", "capabilities.add", &sc->cap_add_layout);
        sc->cap_drop = w_.GetStringList(*caps, "drop", "capabilities.drop");
      }
    }
    ReadSysctls(*node, pod_level, sc);
  }

  void ReadSysctls(const YAML::Node& sc_node, bool pod_level, SecurityContext* sc) {
    Pos key_pos;
    std::optional<YAML::Node> list = w_.Get(sc_node, "sysctls", &key_pos);
    if (!list) return;
    sc->has_sysctls_key = true;
    sc->sysctls_key_pos = key_pos;
    if (!pod_level) {
      // Recorded anyway: the container securityContext has no sysctls field,
      // so Kubernetes drops it and the setting silently never applies.
      w_.AddIssue(key_pos,
                  "sysctls is not a container securityContext field (Kubernetes ignores it); "
                  "set it in the pod's spec.securityContext");
    }
    if (list->IsNull()) return;
    if (!list->IsSequence()) {
      w_.AddIssue(PosOf(*list), "sysctls is not a list");
      return;
    }
    sc->sysctls_indent = BlockIndentOf(*list);
    sc->sysctls_flow = list->Style() == YAML::EmitterStyle::Flow;
    for (const YAML::Node& item : w_.Items(*list)) {
      if (!item.IsMap()) {
        w_.AddIssue(PosOf(item), "sysctls item is not a mapping");
        continue;
      }
      if (!w_.AddElement()) return;
      Sysctl s;
      s.pos = PosOf(item);
      if (auto name = w_.GetString(item, "name", "sysctl name")) s.name = name->value;
      std::optional<YAML::Node> value = w_.Get(item, "value");
      if (!value) {
        s.value_kind = ScalarKind::kNull;
      } else {
        s.value_pos = PosOf(*value);
        s.value_kind = ResolveScalar(*value, w_.schema());
        if (value->IsScalar()) s.value = value->Scalar();
      }
      if (!s.value_is_string()) {
        w_.AddIssue(s.value.empty() ? s.pos : s.value_pos,
                    "sysctl " + s.name + " value is not a string (the API server rejects it)");
      }
      sc->sysctls.push_back(std::move(s));
    }
  }

  YamlWalker& w_;
  KubeFile& out_;
};

}  // namespace

bool ReadKubernetes(std::string_view text, const std::string& path, KubeFile* out, ReadError* err,
                    const Limits& limits) {
  *out = KubeFile();
  out->path = path;
  std::vector<YAML::Node> docs;
  YamlScan scan;
  if (!LoadYamlDocuments(text, limits, &docs, &scan, err)) return false;
  YamlWalker walker(limits, YamlSchema::kYaml11, scan.has_aliases);
  KubeReader reader(&walker, out);
  for (size_t i = 0; i < docs.size() && !walker.exhausted(); ++i) {
    reader.ReadDocument(docs[i], static_cast<int>(i));
  }
  if (walker.exhausted()) {
    *err = walker.BudgetError();
    out->workloads.clear();
    return false;
  }
  out->issues = walker.TakeIssues();
  return true;
}

}  // namespace imglint
