// SPDX-License-Identifier: Apache-2.0
// IL002 windows-image: a Windows image or a Dockerfile on a Windows base;
// the Linux rules are skipped for it, and this note says so once.
#include <memory>
#include <string>

#include "rules/rule.h"

namespace imglint {
namespace {

constexpr RuleMeta kMeta{
    .id = "IL002",
    .name = "windows-image",
    .title = "Windows image: Linux rules do not apply",
    .severity = Severity::kNote,
    .rationale = R"md(Root users, setuid and setgid bits, file capabilities and the
`net.ipv4.ip_unprivileged_port_start` sysctl are Linux concepts. A Windows container has
`ContainerAdministrator` and `ContainerUser` instead, and no privileged-port rule, so
IL101–IL304 would only produce noise on it: imglint skips them for a Windows image (its config
says `os: windows`) and for a Dockerfile whose base image is one, and reports this note once
per target instead of an error per rule.

For a Dockerfile, the base's `os` is read with `--resolve-base`; without it, well-known
Windows bases are recognised by name (`mcr.microsoft.com/windows/…`, `…/dotnet/framework/…`,
tags naming `nanoserver`, `servercore` or an LTSC release).)md",
    .remediation = R"md(Nothing to fix. To keep Windows targets out of a report, exclude
them (`--exclude`) or ignore the note (`--ignore IL002`).)md",
    .bad_example = "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nEXPOSE 80\n",
    .good_example = "FROM alpine:3.20\nUSER 10001\nEXPOSE 8080\n",
    .references =
        R"md(- [Windows containers: user accounts](https://learn.microsoft.com/virtualization/windowscontainers/manage-containers/container-security)
- [OCI image config: os](https://github.com/opencontainers/image-spec/blob/main/config.md))md",
    .cwe = "",
    .precision = "very-high",
    .security_severity = "",
};

class WindowsImage final : public Rule {
 public:
  const RuleMeta& Meta() const override { return kMeta; }

  void Check(const Workspace& workspace, Emitter& emit) const override {
    for (const ImageFacts& image : workspace.image_facts) {
      if (!image.image->config.IsWindows()) continue;
      emit.Report(
          "a Windows image (its config says os: windows): the Linux rules (IL101–IL304) "
          "do not apply and were skipped",
          "nothing to fix", image.location, Subject::Text("os:windows"));
    }
    for (const DockerfileTarget& target : workspace.dockerfiles) {
      if (!target.windows || !target.facts.final_user) continue;
      const dockerfile::FinalUser& user = *target.facts.final_user;
      const std::string how = target.link != nullptr ? "the image it built says os: windows"
                              : target.base
                                  ? "its config says os: windows"
                                  : "recognised by its name; --resolve-base reads its config";
      emit.Report("the base image " + user.external_base + " is a Windows image (" + how +
                      "): the Linux rules (IL101–IL304) do not apply and were skipped",
                  "nothing to fix", user.external_from, Subject::Text("os:windows"));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> MakeWindowsImage() { return std::make_unique<WindowsImage>(); }

}  // namespace imglint
