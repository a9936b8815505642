// SPDX-License-Identifier: Apache-2.0
#include "analyzer/workspace/container_facts.h"

#include <charconv>
#include <filesystem>
#include <system_error>

#include "analyzer/manifest/sysctl_edit.h"
#include "analyzer/source/image_ref.h"
#include "analyzer/sysctl_advice.h"
#include "analyzer/workspace/workspace.h"

namespace imglint {
namespace {

namespace fs = std::filesystem;

std::string Display(Runtime runtime) { return std::string(InfoFor(runtime).display_name); }

// A bare tag ("1.27") is what `org.opencontainers.image.ref.name` often
// holds in an OCI layout written by skopeo or `docker buildx --output oci`.
bool IsBareTag(std::string_view ref) {
  return !ref.empty() && ref.find('/') == std::string_view::npos &&
         ref.find(':') == std::string_view::npos && ref.find('@') == std::string_view::npos;
}

std::optional<long> ParseSysctlValue(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

std::string Quoted(std::string_view text) { return "\"" + std::string(text.substr(0, 80)) + "\""; }

fs::path Normalize(const fs::path& path) {
  std::error_code ec;
  fs::path absolute = fs::absolute(path, ec);
  if (ec) absolute = path;
  fs::path canonical = fs::weakly_canonical(absolute, ec);
  return ec ? absolute.lexically_normal() : canonical;
}

ImageSide FromImage(const ImageFacts& facts) {
  ImageSide side;
  side.image_target = facts.target;
  side.image = facts.image;
  side.label = "the image " + facts.target->path;
  side.user_known = true;
  side.user = facts.image->config.user;
  side.resolved = facts.user;
  side.user_location = facts.location;
  for (const PortSpec& spec : facts.ports) {
    if (spec.valid) side.ports.push_back({spec, facts.location});
  }
  for (const FileEntry* entry : facts.bind_capability_files) {
    side.bind_capabilities.emplace_back(entry->path,
                                        FileLocation(*facts.target, *facts.image, *entry));
  }
  if (facts.EntrypointBindsLowPorts()) {
    side.entrypoint_capability = facts.entrypoint->path;
    side.entrypoint_location = FileLocation(*facts.target, *facts.image, *facts.entrypoint);
  }
  return side;
}

ImageSide FromDockerfile(const DockerfileTarget& target) {
  ImageSide side;
  side.dockerfile = &target;
  side.label = "the Dockerfile " + target.path;
  const std::optional<dockerfile::FinalUser>& user = target.facts.final_user;
  // Without USER the base image decides: known only when --resolve-base read it.
  if (user && target.final_user && (user->has_user || target.base)) {
    side.user_known = true;
    side.user = user->has_user ? user->value : target.base->config.user;
    side.resolved = *target.final_user;
    side.user_location = user->location;
  }
  for (const dockerfile::PortFact& port : target.facts.final_ports) {
    if (!port.unresolved && port.spec.valid) side.ports.push_back({port.spec, port.location});
  }
  for (const dockerfile::SetcapStep& step : target.facts.setcap_steps) {
    if (step.net_bind_service) side.bind_capabilities.emplace_back(step.file, step.location);
  }
  return side;
}

// A reference as matching needs it: Docker's normal form, with Docker Hub
// under any of its names as docker.io.
std::optional<ImageRef> MatchableReference(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  ImageRef ref;
  if (!ParseImageRef(text, &ref, nullptr)) return std::nullopt;
  if (IsDockerHubDomain(ref.domain) && ref.domain != "docker.io") {
    ref.domain = "docker.io";
    if (ref.repository.find('/') == std::string::npos) ref.repository.insert(0, "library/");
  }
  return ref;
}

std::string ImageUserText(const ImageSide& image) {
  if (image.user.empty()) return image.label + " sets no user";
  return image.label + " runs as \"" + image.user + "\"";
}

// The user the image side decides, for a container without its own setting.
EffectiveUser FromImageUser(const ImageSide& image, Location at) {
  EffectiveUser out;
  out.from_image = true;
  out.location = std::move(at);
  out.related.push_back(image.user_location);
  out.description = ImageUserText(image);
  out.verdict =
      image.resolved.is_root ? EffectiveUser::Verdict::kRoot : EffectiveUser::Verdict::kNonRoot;
  if (image.resolved.is_root && !image.resolved.reason.empty()) {
    out.description += " (" + image.resolved.reason + ")";
  }
  return out;
}

std::vector<LowPort> ImageLowPorts(const ImageSide& image, const Location& at) {
  std::vector<LowPort> out;
  for (const ExposedFact& fact : image.ports) {
    if (fact.spec.start >= 1024) continue;
    LowPort port;
    port.spec = fact.spec;
    port.location = at;
    port.what = "port " + FormatPortSpec(fact.spec) + " that " + image.label + " exposes";
    port.key = "image-ports[" + FormatPortSpec(fact.spec) + "]";
    port.from_image = true;
    port.related.push_back(fact.location);
    out.push_back(std::move(port));
  }
  return out;
}

void FillSetting(const Sysctl& s, const std::string& path, bool kubernetes, PortSysctl* out) {
  out->setting = &s;
  out->setting_location = YamlLocation(path, s.value_pos.line > 0 ? s.value_pos : s.pos);
  if (s.value_kind == ScalarKind::kNull) {
    out->setting_problem = "it has no value";
  } else if (kubernetes && !s.value_is_string()) {
    out->setting_problem = "its value " + s.value +
                           " is not a string, so the API server rejects the pod (write \"" +
                           s.value + "\")";
  } else if (std::optional<long> v = ParseSysctlValue(s.value)) {
    out->value = v;
  } else {
    out->setting_problem = "its value " + Quoted(s.value) + " is not a number";
  }
}

}  // namespace

Runtime KubernetesRuntime(Runtime runtime) {
  return runtime == Runtime::kAuto ? Runtime::kKubernetes : runtime;
}

Runtime ComposeRuntime(Runtime runtime) {
  return runtime == Runtime::kAuto ? Runtime::kDocker : runtime;
}

Location YamlLocation(const std::string& path, Pos pos) {
  Location l;
  l.path = path;
  l.line = pos.line;
  l.column = pos.column;
  return l;
}

bool SameImageReference(std::string_view a, std::string_view b) {
  std::optional<ImageRef> x = MatchableReference(a);
  std::optional<ImageRef> y = MatchableReference(b);
  if (!x || !y) return false;
  if (!x->digest.empty() && !y->digest.empty()) return x->digest == y->digest;
  return x->Name() == y->Name() && x->tag == y->tag && !x->tag.empty();
}

ImageSide ImageForReference(const Workspace& workspace, std::string_view ref) {
  std::optional<ImageRef> wanted = MatchableReference(ref);
  if (!wanted) return {};
  for (const ImageFacts& facts : workspace.image_facts) {
    for (const std::string& have : facts.image->refs) {
      if (SameImageReference(ref, have)) return FromImage(facts);
    }
    if (!wanted->digest.empty() && wanted->digest == facts.image->manifest_digest) {
      return FromImage(facts);
    }
  }
  // A bare tag as reference name matches a container reference with that tag,
  // but only when it is the only image that could be meant.
  const ImageTarget* candidate_target = nullptr;
  const ImageFacts* candidate = nullptr;
  int candidates = 0;
  for (const ImageFacts& facts : workspace.image_facts) {
    for (const std::string& have : facts.image->refs) {
      if (IsBareTag(have) && have == wanted->tag) {
        if (candidate_target != facts.target) ++candidates;
        candidate_target = facts.target;
        if (candidate == nullptr) candidate = &facts;
        break;
      }
    }
  }
  if (candidates == 1) return FromImage(*candidate);
  return {};
}

ImageSide ImageForService(const Workspace& workspace, const ComposeFile& file,
                          const Service& service) {
  if (service.image) {
    ImageSide side = ImageForReference(workspace, service.image->value);
    if (side.known()) return side;
  }
  if (!service.build || workspace.dockerfiles.empty()) return {};
  const ComposeBuild& build = *service.build;
  const std::string context = build.context ? build.context->value : ".";
  // Remote contexts (git URLs, tarball URLs) are not on disk.
  if (context.find("://") != std::string::npos || context.rfind("git@", 0) == 0 ||
      context.find('$') != std::string::npos) {
    return {};
  }
  const fs::path dir = fs::path(file.path).parent_path() / context;
  std::vector<fs::path> candidates;
  if (build.dockerfile) {
    const fs::path df(build.dockerfile->value);
    candidates.push_back(df.is_absolute() ? df : dir / df);
  } else {
    candidates.push_back(dir / "Dockerfile");
    candidates.push_back(dir / "Containerfile");
  }
  for (const fs::path& candidate : candidates) {
    const fs::path want = Normalize(candidate);
    for (const DockerfileTarget& target : workspace.dockerfiles) {
      if (Normalize(target.path) == want) return FromDockerfile(target);
    }
  }
  return {};
}

EffectiveUser KubeContainerUser(const std::string& path, const Container& container,
                                const ImageSide& image) {
  EffectiveUser out;
  if (std::optional<Located<int64_t>> uid = container.EffectiveRunAsUser()) {
    out.verdict =
        uid->value == 0 ? EffectiveUser::Verdict::kRoot : EffectiveUser::Verdict::kNonRoot;
    out.description = "runAsUser: " + std::to_string(uid->value);
    if (!container.sc.run_as_user) out.description += " in the pod securityContext";
    out.location = YamlLocation(path, uid->pos);
    return out;
  }
  std::optional<Located<bool>> non_root = container.EffectiveRunAsNonRoot();
  if (image.user_known && container.image) {
    // runAsNonRoot: true with a root image: the kubelet refuses to start the
    // container, so it never runs as root (nor binds anything).
    if (non_root && non_root->value && image.resolved.is_root) return out;
    return FromImageUser(image, YamlLocation(path, container.image->pos));
  }
  if (non_root && non_root->value) {
    out.verdict = EffectiveUser::Verdict::kNonRoot;
    out.description = "runAsNonRoot: true";
    out.location = YamlLocation(path, non_root->pos);
  }
  return out;
}

EffectiveUser ComposeServiceUser(const std::string& path, const Service& service,
                                 const ImageSide& image) {
  EffectiveUser out;
  if (service.user) {
    const std::string& text = service.user->value;
    if (text.find('$') != std::string::npos) return out;  // known at deploy time only
    const std::optional<std::string> none;
    ResolvedUser resolved =
        ResolveUser(text, image.image ? image.image->passwd : none,
                    image.image ? image.image->group : none, image.image != nullptr);
    out.verdict =
        resolved.is_root ? EffectiveUser::Verdict::kRoot : EffectiveUser::Verdict::kNonRoot;
    out.description = "user: " + text;
    if (resolved.is_root && text != "root" && text.rfind("root:", 0) != 0 && text != "0" &&
        text.rfind("0:", 0) != 0 && !resolved.reason.empty()) {
      out.description += " (" + resolved.reason + " of " + image.label.substr(4) + ")";
    }
    out.location = YamlLocation(path, service.user->pos);
    return out;
  }
  if (image.user_known) {
    Pos at = service.image ? service.image->pos : service.build ? service.build->pos : service.pos;
    return FromImageUser(image, YamlLocation(path, at));
  }
  return out;
}

std::vector<LowPort> KubeLowPorts(const std::string& path, const Container& container,
                                  const ImageSide& image) {
  std::vector<LowPort> out;
  for (const ContainerPort& p : container.ports) {
    if (!p.spec.valid || p.spec.start >= 1024) continue;
    LowPort port;
    port.spec = p.spec;
    port.location = YamlLocation(path, p.pos);
    port.what =
        "containerPort " + (p.spec.protocol == PortProtocol::kTcp ? std::to_string(p.spec.start)
                                                                  : FormatPortSpec(p.spec));
    port.key = "ports[" + FormatPortSpec(p.spec) + "]";
    out.push_back(std::move(port));
  }
  if (container.ports.empty() && container.image) {
    out = ImageLowPorts(image, YamlLocation(path, container.image->pos));
  }
  return out;
}

std::vector<LowPort> ComposeLowPorts(const std::string& path, const Service& service,
                                     const ImageSide& image) {
  std::vector<LowPort> out;
  for (const ComposePort& p : service.ports) {
    if (!p.valid || !p.target.valid || p.target.start >= 1024) continue;
    LowPort port;
    port.spec = p.target;
    port.location = YamlLocation(path, p.pos);
    port.what = "container port " + FormatPortSpec(p.target) + " (" + Quoted(p.raw) + ")";
    port.key = "ports[" + p.raw + "]";
    out.push_back(std::move(port));
  }
  for (const ExposedPort& e : service.expose) {
    if (!e.spec.valid || e.spec.start >= 1024) continue;
    LowPort port;
    port.spec = e.spec;
    port.location = YamlLocation(path, e.pos);
    port.what = "expose " + FormatPortSpec(e.spec);
    port.key = "expose[" + FormatPortSpec(e.spec) + "]";
    out.push_back(std::move(port));
  }
  if (service.ports.empty() && service.expose.empty()) {
    Pos at = service.image ? service.image->pos : service.build ? service.build->pos : service.pos;
    out = ImageLowPorts(image, YamlLocation(path, at));
  }
  return out;
}

const LowPort* Lowest(const std::vector<LowPort>& ports) {
  const LowPort* best = nullptr;
  for (const LowPort& p : ports) {
    if (best == nullptr || p.spec.start < best->spec.start) best = &p;
  }
  return best;
}

std::string PortSysctl::HostNetworkRejecter() const {
  if (kubernetes) return "Kubernetes rejects";
  if (runtime == Runtime::kDocker) return "Docker rejects";
  if (runtime == Runtime::kPodman) return "Podman rejects";
  return "Docker and Podman reject";
}

std::string PortSysctl::WhyMissing(int port) const {
  const std::string sysctl(kPortSysctl);
  if (host_network) {
    return host_network_text + " uses the host's own " + sysctl + " (" + HostNetworkRejecter() +
           " net.* sysctls there)";
  }
  if (unknown_namespace) return owner + " joins another container's network namespace";
  if (setting != nullptr && !setting_problem.empty()) {
    return owner + " sets " + sysctl + " but " + setting_problem;
  }
  if (value && !from_runtime) {
    return owner + " sets " + sysctl + " to " + std::to_string(*value) + ", above " +
           std::to_string(port);
  }
  if (runtime == Runtime::kKubernetes) {
    return owner + " does not set " + sysctl + " and Kubernetes leaves it to the node's runtime";
  }
  return owner + " does not set " + sysctl + " and " + Display(runtime) +
         " does not set it by default";
}

PortSysctl KubePortSysctl(const std::string& path, const PodSpec& pod, Runtime runtime) {
  PortSysctl out;
  out.runtime = runtime;
  out.kubernetes = true;
  out.owner = "the pod";
  if (pod.HostNetwork()) {
    out.host_network = true;
    out.host_network_location = YamlLocation(path, pod.host_network->pos);
    out.host_network_text = "hostNetwork: true";
  }
  if (const Sysctl* s = pod.sc.FindSysctl(kPortSysctl)) FillSetting(*s, path, true, &out);
  if (out.host_network) {
    out.value.reset();  // Kubernetes rejects the setting; the node's own value applies
  } else if (out.setting == nullptr && InfoFor(runtime).sets_unprivileged_port_sysctl) {
    out.value = 0;
    out.from_runtime = true;
  }
  return out;
}

PortSysctl ComposePortSysctl(const std::string& path, const ComposeFile& file,
                             const Service& service, Runtime runtime) {
  PortSysctl out;
  out.runtime = runtime;
  out.owner = "service " + service.name.value;
  // `network_mode: service:db` joins db's network namespace: db's settings
  // decide. Followed a few hops; a cycle is a Compose error anyway.
  const Service* owner = &service;
  for (int hop = 0; hop < 8 && owner->network_mode; ++hop) {
    const std::string& mode = owner->network_mode->value;
    if (mode.rfind("service:", 0) != 0) break;
    const Service* next = file.FindService(std::string_view(mode).substr(8));
    if (next == nullptr || next == owner) break;
    owner = next;
  }
  if (owner->HostNetwork()) {
    out.host_network = true;
    out.host_network_location = YamlLocation(path, owner->network_mode->pos);
    out.host_network_text = "network_mode: host";
    if (owner != &service) out.host_network_text += " (of service " + owner->name.value + ")";
  }
  if (owner->network_mode && owner->network_mode->value.rfind("container:", 0) == 0) {
    out.unknown_namespace = true;
  }
  const Sysctl* s = service.FindSysctl(kPortSysctl);
  if (s == nullptr && owner != &service) s = owner->FindSysctl(kPortSysctl);
  if (s != nullptr) FillSetting(*s, path, false, &out);
  if (out.host_network || out.unknown_namespace) {
    out.value.reset();
  } else if (out.setting == nullptr && InfoFor(runtime).sets_unprivileged_port_sysctl) {
    out.value = 0;
    out.from_runtime = true;
  }
  return out;
}

std::string KubeSysctlAdvice(const Workload& workload, const PortSysctl& sysctl, int port) {
  if (sysctl.host_network) return HostSysctlAdvice(port);
  std::string out = KubernetesSysctlEdit(workload.pod, workload.pod.path).Text();
  const std::string node = NodeRuntimeSysctlAdvice(sysctl.runtime);
  if (!node.empty()) out += "\nor " + node;
  return out;
}

std::string ComposeSysctlAdvice(const Service& service, const PortSysctl& sysctl, int port) {
  if (sysctl.host_network) return HostSysctlAdvice(port);
  std::string out = ComposeSysctlEdit(service).Text();
  if (sysctl.runtime == Runtime::kPodman) out += "\nor " + SysctlSnippet(Runtime::kPodman);
  return out;
}

std::string PodKey(const Workload& workload) {
  std::string key = workload.ns.empty() ? "" : workload.ns + "/";
  key += workload.kind.value + "/" + workload.name.value;
  if (workload.name.value.empty() && !workload.object_path.empty()) key += workload.object_path;
  return key + "/" + workload.pod.path;
}

std::string ContainerKey(const Workload& workload, const Container& container) {
  return PodKey(workload) + "." + std::string(container.ListName()) + "[" +
         (container.name.value.empty() ? std::to_string(container.index) : container.name.value) +
         "]";
}

std::string ServiceKey(const Service& service) { return "services." + service.name.value; }

std::string ContainerLabel(const Container& container) {
  switch (container.kind) {
    case ContainerKind::kInit:
      return "init container " + container.name.value;
    case ContainerKind::kEphemeral:
      return "ephemeral container " + container.name.value;
    case ContainerKind::kContainer:
      break;
  }
  return "container " + container.name.value;
}

void AnalyzeWorkloads(const Workspace& workspace, std::vector<PodFacts>* pods,
                      std::vector<ContainerFacts>* containers,
                      std::vector<ServiceFacts>* services) {
  const Runtime kube_runtime = KubernetesRuntime(workspace.options.runtime);
  for (const KubeFile& file : workspace.kubernetes) {
    for (const Workload& workload : file.workloads) {
      const size_t pod = pods->size();
      pods->push_back({.file = &file,
                       .workload = &workload,
                       .sysctl = KubePortSysctl(file.path, workload.pod, kube_runtime),
                       .key = PodKey(workload)});
      for (const Container& container : workload.pod.containers) {
        ContainerFacts facts;
        facts.file = &file;
        facts.workload = &workload;
        facts.container = &container;
        facts.pod = pod;
        if (container.image) facts.image = ImageForReference(workspace, container.image->value);
        facts.user = KubeContainerUser(file.path, container, facts.image);
        const auto& escalation = container.sc.allow_privilege_escalation;
        if (escalation && !escalation->value) {
          facts.no_new_privs = YamlLocation(file.path, escalation->pos);
        }
        facts.declared_low_ports = KubeLowPorts(file.path, container, ImageSide());
        facts.low_ports = KubeLowPorts(file.path, container, facts.image);
        facts.key = ContainerKey(workload, container);
        facts.label = ContainerLabel(container);
        containers->push_back(std::move(facts));
      }
    }
  }
  const Runtime compose_runtime = ComposeRuntime(workspace.options.runtime);
  for (const ComposeFile& file : workspace.compose) {
    for (const Service& service : file.services) {
      ServiceFacts facts;
      facts.file = &file;
      facts.service = &service;
      facts.image = ImageForService(workspace, file, service);
      facts.user = ComposeServiceUser(file.path, service, facts.image);
      facts.declared_low_ports = ComposeLowPorts(file.path, service, ImageSide());
      facts.low_ports = ComposeLowPorts(file.path, service, facts.image);
      facts.sysctl = ComposePortSysctl(file.path, file, service, compose_runtime);
      facts.cap_add_inert =
          facts.user.non_root() && !InfoFor(facts.sysctl.runtime).ambient_capabilities_for_non_root;
      facts.key = ServiceKey(service);
      facts.label = "service " + service.name.value;
      services->push_back(std::move(facts));
    }
  }
}

}  // namespace imglint
