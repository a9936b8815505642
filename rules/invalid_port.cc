// SPDX-License-Identifier: Apache-2.0
// IL302 invalid-port: a port specification no runtime accepts.
#include <memory>
#include <string>

#include "rules/dockerfile_facts.h"
#include "rules/image_files.h"
#include "rules/rule.h"
#include "rules/workload_facts.h"

namespace imglint {
namespace {

constexpr RuleMeta kMeta{
    .id = "IL302",
    .name = "invalid-port",
    .title = "Invalid port specification",
    .severity = Severity::kError,
    .rationale = R"md(A port outside 1–65535, a range whose end comes before its start, a
protocol other than `tcp`, `udp` or `sctp`, or a variable that cannot be expanded is rejected
by the builder or the runtime, or silently means something else than intended.

In a Dockerfile, `EXPOSE` values are expanded with the stage's `ARG` and `ENV`. A variable
without a value — an `ARG` with no default and no `--build-arg`, or a global `ARG` that the
stage does not redeclare — is reported as unexpandable rather than guessed; pass the same
`--build-arg` to imglint as to the build.)md",
    .remediation = R"md(Write ports as `PORT[/PROTOCOL]` or `START-END[/PROTOCOL]` with numbers in
1–65535 and a protocol of `tcp`, `udp` or `sctp`:

```dockerfile
EXPOSE 8080/tcp 5353/udp 9000-9010
```)md",
    .bad_example = "FROM alpine\nEXPOSE 70000 80/http\n",
    .good_example = "FROM alpine\nEXPOSE 8080/tcp\n",
    .references =
        R"md(- [Dockerfile reference: EXPOSE](https://docs.docker.com/reference/dockerfile/#expose))md",
    .cwe = "CWE-20",
    .precision = "very-high",
    .security_severity = "2.0",
};

class InvalidPort final : public Rule {
 public:
  const RuleMeta& Meta() const override { return kMeta; }

  void Check(const Workspace& workspace, Emitter& emit) const override {
    CheckImages(workspace, emit);
    CheckDockerfiles(workspace, emit);
    CheckManifests(workspace, emit);
  }

 private:
  // Dockerfiles: every EXPOSE word in the stages the target stage needs
  // (BuildKit rejects them when it builds the stage). A variable without a
  // value is reported as such: the port is not guessed.
  static void CheckDockerfiles(const Workspace& workspace, Emitter& emit) {
    for (const DockerfileTarget& target : workspace.dockerfiles) {
      for (int stage : NeededStages(target.build)) {
        for (const DockerfilePort& port : StagePorts(target, stage, /*inherited=*/false)) {
          if (port.unresolved) {
            emit.Report("EXPOSE " + port.raw + " cannot be expanded: " + port.spec.reason,
                        "give the variable a default (ARG NAME=8080) or pass --build-arg to "
                        "imglint as to the build",
                        port.location, port.key);
          } else if (!port.spec.valid) {
            std::string what = "EXPOSE " + port.raw;
            if (port.raw != port.value) what += " (\"" + port.value + "\")";
            emit.Report(what + " is not a valid port: " + port.spec.reason,
                        "write ports as PORT[-PORT][/tcp|udp|sctp] with numbers in 1-65535",
                        port.location, port.key);
          }
        }
      }
    }
  }
  // Kubernetes and Compose: ports the reader could not accept, with its
  // reason (the API server / Compose rejects them).
  static void CheckManifests(const Workspace& workspace, Emitter& emit) {
    for (const KubeFile& file : workspace.kubernetes) {
      for (const Workload& workload : file.workloads) {
        for (const Container& container : workload.pod.containers) {
          for (const ContainerPort& port : container.ports) {
            if (port.spec.valid) continue;
            const std::string raw = port.spec.raw.empty() ? "entry" : "\"" + port.spec.raw + "\"";
            emit.Report("port " + raw + " of " + ContainerLabel(container) +
                            " is not valid: " + port.spec.reason,
                        "write containerPort as an integer in 1-65535 and protocol as TCP, UDP "
                        "or SCTP",
                        YamlLocation(file.path, port.pos),
                        ContainerKey(workload, container) + ".ports[" + port.spec.raw + "]");
          }
        }
      }
    }
    for (const ComposeFile& file : workspace.compose) {
      for (const Service& service : file.services) {
        for (const ComposePort& port : service.ports) {
          if (port.valid) continue;
          emit.Report("ports entry \"" + port.raw + "\" of service " + service.name.value +
                          " is not valid: " + port.reason,
                      "write ports as [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL] with "
                      "ports in 1-65535 and protocol tcp, udp or sctp",
                      YamlLocation(file.path, port.pos),
                      ServiceKey(service) + ".ports[" + port.raw + "]");
        }
        for (const ExposedPort& port : service.expose) {
          if (port.spec.valid) continue;
          emit.Report("expose \"" + port.spec.raw + "\" of service " + service.name.value +
                          " is not valid: " + port.spec.reason,
                      "write expose entries as PORT[-PORT][/tcp|udp|sctp] with numbers in 1-65535",
                      YamlLocation(file.path, port.pos),
                      ServiceKey(service) + ".expose[" + port.spec.raw + "]");
        }
      }
    }
  }

  static void CheckImages(const Workspace& workspace, Emitter& emit) {
    for (const ImageTarget& target : workspace.images) {
      for (const Image& image : target.images) {
        for (const PortSpec& port : ExposedPorts(image)) {
          if (port.valid) continue;
          emit.Report("the image exposes an invalid port \"" + port.raw + "\": " + port.reason,
                      "write ports as PORT[/tcp|udp|sctp] with numbers in 1-65535",
                      ImageLocation(target, image), "port:" + port.raw);
        }
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> MakeInvalidPort() { return std::make_unique<InvalidPort>(); }

}  // namespace imglint
