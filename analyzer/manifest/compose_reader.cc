// SPDX-License-Identifier: Apache-2.0
#include "analyzer/manifest/compose_reader.h"

#include <utility>
#include <vector>

#include "analyzer/manifest/compose_ports.h"
#include "analyzer/manifest/yaml_load.h"
#include "analyzer/manifest/yaml_walk.h"

namespace imglint {
namespace {

class ComposeReader {
 public:
  explicit ComposeReader(YamlWalker* walker) : w_(*walker) {}

  void ReadServices(const YAML::Node& services, ComposeFile* out) {
    if (services.IsNull()) return;
    if (!services.IsMap()) {
      w_.AddIssue(PosOf(services), "services is not a mapping");
      return;
    }
    for (const auto& [key, value] : w_.Entries(services)) {
      if (w_.exhausted()) return;
      if (!key.IsScalar()) continue;
      if (!w_.AddElement()) return;
      Service s;
      s.name = Located<std::string>{key.Scalar(), PosOf(key)};
      if (value.IsMap()) {
        ReadService(value, &s);
      } else if (!value.IsNull()) {
        w_.AddIssue(PosOf(value), "service " + key.Scalar() + " is not a mapping");
      }
      out->services.push_back(std::move(s));
    }
  }

 private:
  void ReadService(const YAML::Node& node, Service* s) {
    s->pos = PosOf(node);
    s->indent = BlockIndentOf(node);
    s->image = w_.GetString(node, "image", "image");
    s->user = w_.GetString(node, "user", "user");
    s->network_mode = w_.GetString(node, "network_mode", "network_mode");
    s->privileged = w_.GetBool(node, "privileged", "privileged", /*accept_strings=*/true);
    s->cap_add = w_.GetStringList(node, "cap_add", "cap_add", &s->cap_add_layout);
    s->cap_drop = w_.GetStringList(node, "cap_drop", "cap_drop");
    ReadBuild(node, s);
    ReadPorts(node, s);
    ReadExpose(node, s);
    ReadSysctls(node, s);
  }

  void ReadBuild(const YAML::Node& node, Service* s) {
    std::optional<YAML::Node> build = w_.Get(node, "build");
    if (!build || build->IsNull()) return;
    ComposeBuild b;
    b.pos = PosOf(*build);
    if (build->IsScalar()) {
      b.context = Located<std::string>{build->Scalar(), b.pos};
    } else if (build->IsMap()) {
      b.long_form = true;
      b.context = w_.GetString(*build, "context", "build.context");
      b.dockerfile = w_.GetString(*build, "dockerfile", "build.dockerfile");
    } else {
      w_.AddIssue(b.pos, "build is neither a path nor a mapping");
      return;
    }
    s->build = std::move(b);
  }

  // Text of an optional scalar field of a long-form port ("" when absent).
  std::string Field(const YAML::Node& map, std::string_view key) {
    std::optional<Located<std::string>> v = w_.GetString(map, key, "ports." + std::string(key));
    return v ? v->value : std::string();
  }

  void ReadPorts(const YAML::Node& node, Service* s) {
    std::optional<YAML::Node> ports = w_.Get(node, "ports");
    if (!ports || ports->IsNull()) return;
    if (!ports->IsSequence()) {
      w_.AddIssue(PosOf(*ports), "ports is not a list");
      return;
    }
    for (const YAML::Node& item : w_.Items(*ports)) {
      if (!w_.AddElement()) return;
      ComposePort port;
      if (item.IsScalar()) {
        port = ParseComposeShortPort(item.Scalar());
      } else if (item.IsMap()) {
        const std::optional<YAML::Node> target = w_.Get(item, "target");
        port = MakeComposeLongPort(Field(item, "target"), Field(item, "published"),
                                   Field(item, "host_ip"), Field(item, "protocol"),
                                   Field(item, "mode"));
        if (!target || target->IsNull()) {
          port.valid = port.target.valid = false;
          port.reason = port.target.reason = "target is missing";
        }
      } else {
        w_.AddIssue(PosOf(item), "ports item is neither a string nor a mapping");
        continue;
      }
      port.pos = PosOf(item);
      s->ports.push_back(std::move(port));
    }
  }

  void ReadExpose(const YAML::Node& node, Service* s) {
    std::optional<YAML::Node> expose = w_.Get(node, "expose");
    if (!expose || expose->IsNull()) return;
    if (!expose->IsSequence()) {
      w_.AddIssue(PosOf(*expose), "expose is not a list");
      return;
    }
    for (const YAML::Node& item : w_.Items(*expose)) {
      if (!item.IsScalar()) {
        w_.AddIssue(PosOf(item), "expose item is not a scalar");
        continue;
      }
      if (!w_.AddElement()) return;
      s->expose.push_back(ExposedPort{ParseComposeExpose(item.Scalar()), PosOf(item)});
    }
  }

  void ReadSysctls(const YAML::Node& node, Service* s) {
    std::optional<YAML::Node> sysctls = w_.Get(node, "sysctls", &s->sysctls_key_pos);
    if (!sysctls) return;
    s->has_sysctls_key = true;
    if (sysctls->IsNull()) return;
    s->sysctls_indent = BlockIndentOf(*sysctls);
    s->sysctls_flow =
        (sysctls->IsMap() || sysctls->IsSequence()) && sysctls->Style() == YAML::EmitterStyle::Flow;
    if (sysctls->IsMap()) {
      for (const auto& [key, value] : w_.Entries(*sysctls)) {
        if (!key.IsScalar()) continue;
        if (!w_.AddElement()) return;
        Sysctl sysctl;
        sysctl.name = key.Scalar();
        sysctl.pos = PosOf(key);
        sysctl.value_pos = PosOf(value);
        sysctl.value_kind = ResolveScalar(value, w_.schema());
        if (value.IsScalar()) sysctl.value = value.Scalar();
        s->sysctls.push_back(std::move(sysctl));
      }
      return;
    }
    if (!sysctls->IsSequence()) {
      w_.AddIssue(PosOf(*sysctls), "sysctls is neither a mapping nor a list");
      return;
    }
    s->sysctls_list_form = true;
    for (const YAML::Node& item : w_.Items(*sysctls)) {
      if (!item.IsScalar()) {
        w_.AddIssue(PosOf(item), "sysctls item is not a string");
        continue;
      }
      if (!w_.AddElement()) return;
      const std::string& text = item.Scalar();
      const size_t eq = text.find('=');
      Sysctl sysctl;
      sysctl.pos = sysctl.value_pos = PosOf(item);
      if (eq == std::string::npos) {
        w_.AddIssue(sysctl.pos, "sysctl \"" + text.substr(0, 80) + "\" has no =value");
        sysctl.name = text;
        sysctl.value_kind = ScalarKind::kNull;
      } else {
        sysctl.name = text.substr(0, eq);
        sysctl.value = text.substr(eq + 1);
        sysctl.value_kind = ScalarKind::kString;  // `name=value` is always text
      }
      s->sysctls.push_back(std::move(sysctl));
    }
  }

  YamlWalker& w_;
};

}  // namespace

bool ReadCompose(std::string_view text, const std::string& path, ComposeFile* out, ReadError* err,
                 const Limits& limits) {
  *out = ComposeFile();
  out->path = path;
  std::vector<YAML::Node> docs;
  YamlScan scan;
  if (!LoadYamlDocuments(text, limits, &docs, &scan, err)) return false;
  // Compose reads one document; skip leading empty ones (a lone `---`).
  const YAML::Node* root = nullptr;
  for (const YAML::Node& doc : docs) {
    if (!doc.IsNull()) {
      root = &doc;
      break;
    }
  }
  if (root == nullptr || !root->IsMap()) {
    err->kind = ReadError::Kind::kNotManifest;
    err->line = root ? PosOf(*root).line : 1;
    err->column = root ? PosOf(*root).column : 1;
    err->message = "not a Compose file: the top level is not a mapping";
    return false;
  }
  YamlWalker walker(limits, YamlSchema::kYaml12, scan.has_aliases);
  ComposeReader reader(&walker);
  if (std::optional<YAML::Node> services = walker.Get(*root, "services")) {
    reader.ReadServices(*services, out);
  }
  if (walker.exhausted()) {
    *err = walker.BudgetError();
    out->services.clear();
    return false;
  }
  out->issues = walker.TakeIssues();
  return true;
}

}  // namespace imglint
