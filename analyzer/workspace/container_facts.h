// SPDX-License-Identifier: Apache-2.0
/// What the manifest side of IL101 and IL301–IL304 needs to know about a
/// Kubernetes container or a Compose service, computed once per container by
/// Analyze so the rules agree with each other: who it runs as (its own settings, else the image or
/// Dockerfile behind it when that is linted too), which ports below 1024 it
/// listens on, whether net.ipv4.ip_unprivileged_port_start lets a non-root
/// process bind them where it runs, and which runtime that is.
///
/// Correlation: a container's `image:` is matched against the references of
/// the linted images (RepoTags, org.opencontainers.image.ref.name), both
/// normalised the way Docker does (analyzer/source/image_ref.h:
/// `nginx` = `docker.io/library/nginx:latest`);
/// a Compose service's `build:` (context + dockerfile, relative to the Compose
/// file's directory) is matched against the linted Dockerfiles by path.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analyzer/finding.h"
#include "analyzer/image/image.h"
#include "analyzer/manifest/compose_model.h"
#include "analyzer/manifest/kube_model.h"
#include "analyzer/port_spec.h"
#include "analyzer/runtime.h"
#include "analyzer/workspace/user_resolution.h"

namespace imglint {

struct DockerfileTarget;
struct Workspace;

/// `--runtime` for a kind of target: kAuto means Kubernetes for manifests and
/// Docker for Compose files (docs/design.md §3).
Runtime KubernetesRuntime(Runtime runtime);
Runtime ComposeRuntime(Runtime runtime);

/// The location of a YAML node of `path`.
Location YamlLocation(const std::string& path, Pos pos);

/// Do two references name the same image? Both are normalised as Docker does
/// (analyzer/source/image_ref.h); a digest on both sides decides alone,
/// otherwise name and tag must be equal.
bool SameImageReference(std::string_view a, std::string_view b);

/// A port the image or Dockerfile behind a container exposes.
struct ExposedFact {
  PortSpec spec;
  Location location;  ///< the image, or the Dockerfile EXPOSE word
};

/// What the image (or the Dockerfile that builds it) behind a container says.
struct ImageSide {
  const ImageTarget* image_target = nullptr;
  const Image* image = nullptr;
  const DockerfileTarget* dockerfile = nullptr;
  std::string label;  ///< "the image app.tar", "the Dockerfile web/Dockerfile"

  /// The image's configured user, or the final stage's USER. False for a
  /// Dockerfile without USER (its base image decides) or whose USER cannot be
  /// expanded: who it runs as is then not guessed.
  bool user_known = false;
  std::string user;  ///< as configured ("" = not set, i.e. root)
  ResolvedUser resolved;
  Location user_location;  ///< the image, or the Dockerfile USER argument

  std::vector<ExposedFact> ports;  ///< valid exposed ports
  /// Executables granted cap_net_bind_service: files of the image (with
  /// their location in it), or the files setcap'd in the Dockerfile's build.
  std::vector<std::pair<std::string, Location>> bind_capabilities;
  /// The image's entrypoint when its own file capability grants
  /// cap_net_bind_service: the process binds a low port with it, whatever
  /// the sysctl, unless no_new_privs makes it inert. Empty otherwise.
  std::string entrypoint_capability;
  Location entrypoint_location;

  bool known() const { return image != nullptr || dockerfile != nullptr; }
};

/// The linted image whose references match `ref`, or an empty ImageSide.
ImageSide ImageForReference(const Workspace& workspace, std::string_view ref);
/// For a Compose service: the image its `image:` names, else the Dockerfile
/// its `build:` names.
ImageSide ImageForService(const Workspace& workspace, const ComposeFile& file,
                          const Service& service);

/// Who a container runs as, and which setting decided it.
struct EffectiveUser {
  enum class Verdict { kUnknown, kRoot, kNonRoot };
  Verdict verdict = Verdict::kUnknown;
  std::string description;  ///< "runAsUser: 1000", "user: root", "the image's user \"app\""
  Location location;        ///< the node that decided it (the `image:` value when the image did)
  bool from_image = false;  ///< decided by the image or Dockerfile behind it
  std::vector<Location> related;  ///< the image / Dockerfile USER behind it

  bool root() const { return verdict == Verdict::kRoot; }
  bool non_root() const { return verdict == Verdict::kNonRoot; }
};
EffectiveUser KubeContainerUser(const std::string& path, const Container& container,
                                const ImageSide& image);
EffectiveUser ComposeServiceUser(const std::string& path, const Service& service,
                                 const ImageSide& image);

/// A port below 1024 a container listens on.
struct LowPort {
  PortSpec spec;
  Location location;  ///< containerPort value / ports item / expose item / `image:` value
  std::string what;   ///< "containerPort 80", "ports entry \"8080:80\"", "expose 80"
  std::string key;    ///< fingerprint suffix, "ports[80/tcp]"
  bool from_image = false;
  std::vector<Location> related;  ///< the image / EXPOSE behind a port from the image
};
/// Valid ports below 1024: the container's own, or, when it declares none,
/// those the image behind it exposes (a Pod lists ports only informationally).
std::vector<LowPort> KubeLowPorts(const std::string& path, const Container& container,
                                  const ImageSide& image);
std::vector<LowPort> ComposeLowPorts(const std::string& path, const Service& service,
                                     const ImageSide& image);
/// The lowest of `ports`, or nullptr.
const LowPort* Lowest(const std::vector<LowPort>& ports);

/// Where net.ipv4.ip_unprivileged_port_start comes from for one pod/service.
struct PortSysctl {
  Runtime runtime = Runtime::kUnknown;
  bool kubernetes = false;  ///< a pod (else a Compose service)
  std::string owner;        ///< "the pod", "service web"
  bool host_network = false;
  Location host_network_location;  ///< `hostNetwork: true` / `network_mode: host`
  std::string host_network_text;   ///< "hostNetwork: true" / "network_mode: host"
  /// The manifest's own entry for the sysctl (also under host networking,
  /// where it cannot apply), or nullptr.
  const Sysctl* setting = nullptr;
  Location setting_location;  ///< its value node (the entry when no value)
  /// Why the entry does not count ("its value 0 is not a string: the API
  /// server rejects the pod"), or "".
  std::string setting_problem;
  /// The value in effect; nullopt: the kernel default (1024) or, under host
  /// networking, the host's own setting, which no manifest shows.
  std::optional<long> value;
  bool from_runtime = false;  ///< value is the runtime's default, not the manifest's
  /// `network_mode: container:X`: the namespace (and its value) belongs to a
  /// container imglint does not see; nothing is concluded about it.
  bool unknown_namespace = false;

  /// Can a non-root process bind `port`?
  bool Allows(int port) const { return value && *value <= port; }
  /// Who refuses the sysctl in the host's network namespace: "Kubernetes
  /// rejects", "Podman rejects" … (checked: Docker 20.10 and Podman 4.3 both
  /// refuse it with host networking).
  std::string HostNetworkRejecter() const;
  /// "Kubernetes does not set it by itself (the node's runtime decides)", …
  std::string WhyMissing(int port) const;
};
PortSysctl KubePortSysctl(const std::string& path, const PodSpec& pod, Runtime runtime);
PortSysctl ComposePortSysctl(const std::string& path, const ComposeFile& file,
                             const Service& service, Runtime runtime);

/// The "set the sysctl" part of a recommendation, ready to paste: the edit
/// lined up with the user's file (plus node-level alternatives for the
/// runtime); under host networking, the host-level advice instead.
std::string KubeSysctlAdvice(const Workload& workload, const PortSysctl& sysctl, int port);
std::string ComposeSysctlAdvice(const Service& service, const PortSysctl& sysctl, int port);

/// Fingerprint prefixes: "Deployment/web/spec.template.spec.containers[web]",
/// "services.web". No line numbers.
std::string ContainerKey(const Workload& workload, const Container& container);
std::string PodKey(const Workload& workload);
std::string ServiceKey(const Service& service);
/// "container web" / "init container setup" / "service web".
std::string ContainerLabel(const Container& container);

/// One Kubernetes pod spec: where net.ipv4.ip_unprivileged_port_start comes from.
struct PodFacts {
  const KubeFile* file = nullptr;
  const Workload* workload = nullptr;
  PortSysctl sysctl;
  std::string key;  ///< PodKey
};

/// One Kubernetes container, with the image (or Dockerfile) behind it.
struct ContainerFacts {
  const KubeFile* file = nullptr;
  const Workload* workload = nullptr;
  const Container* container = nullptr;
  size_t pod = 0;  ///< index into Workspace::pods
  ImageSide image;
  EffectiveUser user;
  /// Where `allowPrivilegeEscalation: false` sets no_new_privs, or nullopt:
  /// with it a file capability of the executable grants nothing. Kept as
  /// written next to `privileged: true`, which the API server rejects.
  std::optional<Location> no_new_privs;
  std::vector<LowPort> declared_low_ports;  ///< its own ports below 1024
  std::vector<LowPort> low_ports;           ///< its own, else those its image exposes
  std::string key;                          ///< ContainerKey
  std::string label;                        ///< ContainerLabel
};

/// One Compose service, with the image (or `build:` Dockerfile) behind it.
struct ServiceFacts {
  const ComposeFile* file = nullptr;
  const Service* service = nullptr;
  ImageSide image;
  EffectiveUser user;
  std::vector<LowPort> declared_low_ports;  ///< its own `ports:`/`expose:` below 1024
  std::vector<LowPort> low_ports;           ///< its own, else those its image exposes
  PortSysctl sysctl;
  /// A non-root user on a runtime that raises no added capability to ambient
  /// (Docker; Podman does): what `cap_add` adds never reaches its process.
  bool cap_add_inert = false;
  std::string key;    ///< ServiceKey
  std::string label;  ///< "service web"
};

/// The facts of every pod, container and service in `workspace` (whose
/// images, Dockerfiles and links are analysed already).
void AnalyzeWorkloads(const Workspace& workspace, std::vector<PodFacts>* pods,
                      std::vector<ContainerFacts>* containers, std::vector<ServiceFacts>* services);

}  // namespace imglint
