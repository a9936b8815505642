// SPDX-License-Identifier: Apache-2.0
// IL302 invalid-port: a port specification no runtime accepts.
#include <memory>
#include <string>

#include "rules/rule.h"

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
    .linux_only = true,
};

class InvalidPort final : public Rule {
 public:
  const RuleMeta& Meta() const override { return kMeta; }

  void Check(const Workspace& workspace, Emitter& emit) const override {
    for (const ImageFacts& image : workspace.image_facts) {
      for (const PortSpec& port : image.ports) {
        if (port.valid) continue;
        emit.Report("the image exposes an invalid port \"" + port.raw + "\": " + port.reason,
                    "write ports as PORT[/tcp|udp|sctp] with numbers in 1-65535", image.location,
                    Subject::Port(port.raw));
      }
    }
    // Dockerfiles: every EXPOSE word in the stages the target stage needs
    // (BuildKit rejects them when it builds the stage). A variable without a
    // value is reported as such: the port is not guessed.
    for (const DockerfileTarget& target : workspace.dockerfiles) {
      for (const dockerfile::PortFact& port : target.facts.written_ports) {
        const Subject subject = Subject::Expose(port.raw, port.value);
        if (port.unresolved) {
          emit.Report("EXPOSE " + port.raw + " cannot be expanded: " + port.spec.reason,
                      "give the variable a default (ARG NAME=8080) or pass --build-arg to "
                      "imglint as to the build",
                      port.location, subject);
        } else if (!port.spec.valid) {
          std::string what = "EXPOSE " + port.raw;
          if (port.raw != port.value) what += " (\"" + port.value + "\")";
          emit.Report(what + " is not a valid port: " + port.spec.reason,
                      "write ports as PORT[-PORT][/tcp|udp|sctp] with numbers in 1-65535",
                      port.location, subject);
        }
      }
    }
    CheckManifests(workspace, emit);
  }

 private:
  // Kubernetes and Compose: ports the reader could not accept, with its
  // reason (the API server / Compose rejects them).
  static void CheckManifests(const Workspace& workspace, Emitter& emit) {
    for (const ContainerFacts& c : workspace.containers) {
      for (const ContainerPort& port : c.container->ports) {
        if (port.spec.valid) continue;
        const std::string raw = port.spec.raw.empty() ? "entry" : "\"" + port.spec.raw + "\"";
        emit.Report("port " + raw + " of " + c.label + " is not valid: " + port.spec.reason,
                    "write containerPort as an integer in 1-65535 and protocol as TCP, UDP or SCTP",
                    YamlLocation(c.file->path, port.pos),
                    Subject::Setting(c.key + ".ports[" + port.spec.raw + "]"));
      }
    }
    for (const ServiceFacts& s : workspace.services) {
      const Service& service = *s.service;
      for (const ComposePort& port : service.ports) {
        if (port.valid) continue;
        emit.Report(
            "ports entry \"" + port.raw + "\" of " + s.label + " is not valid: " + port.reason,
            "write ports as [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL] with ports in "
            "1-65535 and protocol tcp, udp or sctp",
            YamlLocation(s.file->path, port.pos),
            Subject::Setting(s.key + ".ports[" + port.raw + "]"));
      }
      for (const ExposedPort& port : service.expose) {
        if (port.spec.valid) continue;
        emit.Report(
            "expose \"" + port.spec.raw + "\" of " + s.label + " is not valid: " + port.spec.reason,
            "write expose entries as PORT[-PORT][/tcp|udp|sctp] with numbers in 1-65535",
            YamlLocation(s.file->path, port.pos),
            Subject::Setting(s.key + ".expose[" + port.spec.raw + "]"));
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> MakeInvalidPort() { return std::make_unique<InvalidPort>(); }

}  // namespace imglint
