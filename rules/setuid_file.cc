// SPDX-License-Identifier: Apache-2.0
// IL201 setuid-file: a file in the final image runs with its owner's uid.
#include <memory>

#include "rules/rule.h"
#include "rules/special_bit_file.h"

namespace imglint {
namespace {

constexpr RuleMeta kMeta{
    .id = "IL201",
    .name = "setuid-file",
    .title = "Setuid file in the image",
    .severity = Severity::kWarning,
    .rationale = R"md(A setuid file runs with the uid of its owner, whoever starts it. A
setuid-root binary is a ready-made privilege escalation for anyone who gets code execution in
the container as a normal user, and few containers ever need one: `passwd`, `su`, `mount` and
`newgrp` are for interactive systems. Binding a low port is not a reason either: set
`net.ipv4.ip_unprivileged_port_start=0` where the container runs.

The final merged filesystem counts: a setuid file deleted or `chmod u-s`-ed in a later layer
is not reported, and a hard link to a setuid file is one more setuid path.

In a Dockerfile, `chmod` with a mode that sets the bit (`4755`, `04755`, `u+s`, `+s`, `a+s`,
`u=rwxs`), `install -m 4755` and `COPY`/`ADD --chmod=4755` are reported — in `RUN` command
lines and heredoc scripts, in the stages the target stage is built from or copies from.
Removing the bit (`u-s`, `a-s`, `0755`) is not. With `--resolve-base=full` the base image's
setuid files that no step of the build can change are reported at the `FROM`.)md",
    .remediation = R"md(Remove the bit in the image build, or the file itself:

```dockerfile
RUN find / -xdev -perm /6000 -type f -exec chmod a-s {} + || true
```

Run the container with `allowPrivilegeEscalation: false` (Kubernetes) or
`--security-opt no-new-privileges` (Docker, Podman): setuid bits are then inert. Accept a
known file with an allow-list in `.imglint.yaml`.)md",
    .bad_example = "FROM debian:12\nRUN chmod u+s /usr/local/bin/server\n",
    .good_example =
        "FROM debian:12\nRUN chmod a-s /usr/bin/* && useradd -u 10001 app\nUSER 10001\n",
    .references =
        R"md(- [CWE-250: Execution with Unnecessary Privileges](https://cwe.mitre.org/data/definitions/250.html)
- [Docker: --security-opt no-new-privileges](https://docs.docker.com/reference/cli/docker/container/run/#security-opt))md",
    .cwe = "CWE-250",
    .precision = "very-high",
    .security_severity = "5.5",
    .linux_only = true,
    .fix =
        R"md(In a Dockerfile, `imglint fix` undoes a `chmod` in a `RUN` that sets the bit: a command that
only adds it (`chmod u+s FILE`, `g+s`, `ug+s`) is taken out of the `RUN` — the whole `RUN` when
it is the only command, `a && chmod u+s f && b` becomes `a && b` — and an octal mode keeps its
permissions without the bit (`chmod 4755 f` becomes `chmod 0755 f`). It edits only whole
commands of flat `&&` lists and `;` sequences, in shell form, exec form and heredoc scripts;
`||`, pipes, subshells, `if`, command substitution, a symbolic mode that also sets other
bits, `install -m` and `COPY --chmod` are refused with the reason.)md",
};

constexpr SpecialBit kBit{.bit = 04000,
                          .name = "setuid",
                          .who = 'u',
                          .privilege = FilePrivilege::kSetuid,
                          .image_fix =
                              ") or the file; run with no-new-privileges / "
                              "allowPrivilegeEscalation: false so setuid bits are inert"};

}  // namespace

std::unique_ptr<Rule> MakeSetuidFile() { return MakeSpecialBitRule(kMeta, kBit); }

}  // namespace imglint
