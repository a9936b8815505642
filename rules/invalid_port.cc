// SPDX-License-Identifier: Apache-2.0
// IL302 invalid-port: a port specification no runtime accepts.
#include <memory>
#include <string>

#include "rules/image_files.h"
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
by the builder or the runtime, or silently means something else than intended.)md",
    .remediation = R"md(Write ports as `PORT[/PROTOCOL]` or `START-END[/PROTOCOL]` with numbers in
1–65535 and a protocol of `tcp`, `udp` or `sctp`:

```dockerfile
EXPOSE 8080/tcp 5353/udp 9000-9010
```)md",
    .bad_example = "FROM alpine\nEXPOSE 70000 80/http\n",
    .good_example = "FROM alpine\nEXPOSE 8080/tcp\n",
    .references = R"md(- [Dockerfile reference: EXPOSE](https://docs.docker.com/reference/dockerfile/#expose))md",
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
  // Dockerfiles: filled by the Dockerfile side.
  static void CheckDockerfiles(const Workspace&, Emitter&) {}
  // Kubernetes and Compose: filled by the manifest side.
  static void CheckManifests(const Workspace&, Emitter&) {}

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
