// SPDX-License-Identifier: Apache-2.0
// IL202 setgid-file: a file in the final image runs with its group's gid.
#include <memory>

#include "rules/rule.h"
#include "rules/special_bit_file.h"

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

The final merged filesystem counts: a setgid file deleted or `chmod g-s`-ed in a later layer
is not reported, and a hard link to a setgid file is one more setgid path.

In a Dockerfile, `chmod` with a mode that sets the bit (`2755`, `02755`, `g+s`, `+s`,
`u+x,g+s`), `install -m 2755` and `COPY`/`ADD --chmod=2755` are reported, in the stages the
target stage is built from or copies from. A Dockerfile does not say whether a path is a
directory: `install -d` and paths written with a trailing `/` are taken as directories and not
reported; suppress a `chmod g+s /srv/shared` on a directory with `# imglint ignore=IL202`.
With `--resolve-base=full` the base image's setgid files that no step of the build can change
are reported at the `FROM`.)md",
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
    .linux_only = true,
    .fix =
        R"md(In a Dockerfile, `imglint fix` undoes a `chmod` in a `RUN` that sets the bit: a command that
only adds it (`chmod g+s FILE`, `ug+s`) is taken out of the `RUN` — the whole `RUN` when
it is the only command, `a && chmod g+s f && b` becomes `a && b` — and an octal mode keeps its
permissions without the bit (`chmod 2755 f` becomes `chmod 0755 f`). It edits only whole
commands of flat `&&` lists and `;` sequences, in shell form, exec form and heredoc scripts;
`||`, pipes, subshells, `if`, command substitution, a symbolic mode that also sets other
bits, `install -m` and `COPY --chmod` are refused with the reason.)md",
};

constexpr SpecialBit kBit{
    .bit = 02000,
    .name = "setgid",
    .who = 'g',
    .privilege = FilePrivilege::kSetgid,
    .image_fix = "); run with no-new-privileges / allowPrivilegeEscalation: false"};

}  // namespace

std::unique_ptr<Rule> MakeSetgidFile() { return MakeSpecialBitRule(kMeta, kBit); }

}  // namespace imglint
