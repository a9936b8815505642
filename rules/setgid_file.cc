// SPDX-License-Identifier: Apache-2.0
// IL202 setgid-file: a file in the final image runs with its group's gid.
#include <memory>
#include <string>

#include "rules/dockerfile_facts.h"
#include "rules/image_files.h"
#include "rules/rule.h"

namespace imglint {
namespace {

constexpr RuleMeta kMeta{
    .id = "IL202",
    .name = "setgid-file",
    .title = "Setgid file in the image",
    .severity = Severity::kWarning,
    .rationale = R"md(A setgid file runs with the gid of its group, whoever starts it: a
setgid `shadow` or `tty` binary hands that group's files to any process in the container.
Like setuid, the bit is rarely needed in a container. A setgid *directory* only makes new
files inherit its group and is not reported.

In a Dockerfile, `chmod` with a mode that sets the bit (`2755`, `02755`, `g+s`, `+s`,
`u+x,g+s`), `install -m 2755` and `COPY`/`ADD --chmod=2755` are reported, in the stages the
target stage is built from or copies from. A Dockerfile does not say whether a path is a
directory: `install -d` and paths written with a trailing `/` are taken as directories and not
reported; suppress a `chmod g+s /srv/shared` on a directory with `# imglint ignore=IL202`.)md",
    .remediation = R"md(Remove the bit in the image build:

```dockerfile
RUN chmod g-s /usr/bin/expiry /usr/bin/chage
```

and run with `allowPrivilegeEscalation: false` / `--security-opt no-new-privileges`.)md",
    .bad_example = "FROM debian:12\nRUN chmod 2755 /usr/local/bin/tool\n",
    .good_example = "FROM debian:12\nRUN chmod 0755 /usr/local/bin/tool\n",
    .references =
        R"md(- [CWE-250: Execution with Unnecessary Privileges](https://cwe.mitre.org/data/definitions/250.html))md",
    .cwe = "CWE-250",
    .precision = "very-high",
    .security_severity = "4.0",
};

class SetgidFile final : public Rule {
 public:
  const RuleMeta& Meta() const override { return kMeta; }

  void Check(const Workspace& workspace, Emitter& emit) const override {
    CheckImages(workspace, emit);
    CheckDockerfiles(workspace, emit);
  }

 private:
  // Dockerfiles: chmod/install in RUN (heredoc bodies included) and
  // COPY/ADD --chmod, in the stages the target stage needs.
  static void CheckDockerfiles(const Workspace& workspace, Emitter& emit) {
    for (const DockerfileTarget& target : workspace.dockerfiles) {
      for (const SpecialBitStep& step : SpecialBitSteps(target)) {
        if (!(step.bits & 02000)) continue;
        std::string message = step.command + " sets the setgid bit";
        if (!InFinalChain(target.build, step.stage)) {
          message += " in stage " + StageLabel(target.build.stages[step.stage]);
        }
        emit.Report(std::move(message),
                    "use a mode without the bit (no g+s, or an octal mode such as 0755); run with "
                    "no-new-privileges / allowPrivilegeEscalation: false so setgid bits are inert",
                    step.location, step.key);
      }
    }
  }

  static void CheckImages(const Workspace& workspace, Emitter& emit) {
    for (const ImageTarget& target : workspace.images) {
      for (const Image& image : target.images) {
        for (const FileEntry& entry : image.files) {
          if (!IsExecutableKind(entry) || !(entry.mode & 02000)) continue;
          std::string message = entry.path + " is setgid " + OwnerName(image, entry.gid, true) +
                                " (mode " + OctalMode(entry.mode) + ")";
          if (entry.type == FileType::kHardlink) message += ", a hard link to " + entry.link_target;
          emit.Report(std::move(message),
                      "remove the bit in the build (RUN chmod g-s " + entry.path +
                          "); run with no-new-privileges / allowPrivilegeEscalation: false",
                      FileLocation(target, image, entry), entry.path);
        }
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> MakeSetgidFile() { return std::make_unique<SetgidFile>(); }

}  // namespace imglint
