// SPDX-License-Identifier: Apache-2.0
/// Fabricated reports shared by the renderer tests: the renderers only format,
/// so hand-made findings (with the lines, columns and in-image paths real
/// rules produce) exercise every output path without the readers.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "report/report.h"
#include "rules/registry.h"

namespace imglint::testing {

inline Finding MakeFinding(std::string rule, Severity severity, std::string message,
                           std::string recommendation, Location location) {
  Finding f;
  f.rule_id = std::move(rule);
  f.severity = severity;
  f.message = std::move(message);
  f.recommendation = std::move(recommendation);
  f.location = std::move(location);
  f.subject = Subject::Text(f.message);
  return f;
}

inline Location FileAt(std::string path, int line, int column, int end_column = 0) {
  Location l;
  l.path = std::move(path);
  l.line = line;
  l.column = column;
  if (end_column > 0) {
    l.end_line = line;
    l.end_column = end_column;
  }
  return l;
}

inline Location InImage(std::string tarball, std::string image_path, std::string layer,
                        std::string platform = "") {
  Location l;
  l.path = std::move(tarball);
  l.image_path = std::move(image_path);
  l.layer_digest = std::move(layer);
  l.platform = std::move(platform);
  return l;
}

inline TargetStatus Target(std::string path, TargetKind kind,
                           std::optional<std::string> error = std::nullopt) {
  TargetStatus t;
  t.path = std::move(path);
  t.kind = kind;
  t.error = std::move(error);
  return t;
}

inline const std::string kLayerA = "sha256:" + std::string(64, 'a');
inline const std::string kLayerB =
    "sha256:9baf2fa59a7102526c44aee825737e5b3b92156632d8215bf278e32e493447e9";

inline constexpr char kSysctlHelp[] =
    "set net.ipv4.ip_unprivileged_port_start=0 where the container runs:\n"
    "securityContext:\n"
    "  sysctls:\n"
    "  - name: net.ipv4.ip_unprivileged_port_start\n"
    "    value: \"0\"";

/// The source files the Dockerfile and YAML findings point into.
inline std::map<std::string, std::string> SampleSources() {
  return {
      {"Dockerfile",
       "# syntax=docker/dockerfile:1\n"
       "FROM debian:12 AS build\n"
       "RUN chmod u+s /usr/local/bin/tool && \\\n"
       "\tsetcap cap_net_bind_service=ep /usr/local/bin/server\n"
       "FROM debian:12-slim\n"
       "COPY --chmod=2755 --from=build /usr/local/bin/tool /usr/local/bin/\n"
       "EXPOSE 80 70000/tcp\n"
       "USER nobody-here\n"},
      {"deploy/web.yaml",
       "apiVersion: v1\n"
       "kind: Pod\n"
       "metadata:\n"
       "  name: web\n"
       "spec:\n"
       "  containers:\n"
       "  - name: web\n"
       "    image: web:1\n"
       "    ports:\n"
       "    - containerPort: 80\n"
       "    securityContext:\n"
       "      runAsUser: 1000\n"
       "      capabilities:\n"
       "        add: [\"NET_BIND_SERVICE\"]\n"},
      {"compose.yaml",
       "services:\n"
       "  web:\n"
       "    image: web:1\n"
       "    user: root\n"
       "    ports:\n"
       "      - \"8080:80\"\n"},
  };
}

inline std::vector<Finding> DockerfileFindings() {
  return {
      MakeFinding("IL201", Severity::kWarning, "chmod u+s makes /usr/local/bin/tool setuid",
                  "drop the setuid bit; run with no-new-privileges",
                  FileAt("Dockerfile", 3, 5, 10)),
      MakeFinding("IL203", Severity::kWarning,
                  "setcap grants cap_net_bind_service=ep to /usr/local/bin/server",
                  std::string("remove the setcap; ") + kSysctlHelp, FileAt("Dockerfile", 4, 2)),
      MakeFinding("IL202", Severity::kWarning, "COPY --chmod=2755 makes the files setgid",
                  "use --chmod=0755", FileAt("Dockerfile", 6, 6, 18)),
      MakeFinding("IL301", Severity::kWarning, "EXPOSE 80: port below 1024",
                  std::string("listen on 8080 or ") + kSysctlHelp, FileAt("Dockerfile", 7, 8, 10)),
      MakeFinding("IL302", Severity::kError, "port 70000 is outside 1-65535",
                  "use a port between 1 and 65535", FileAt("Dockerfile", 7, 11)),
      MakeFinding("IL102", Severity::kError, "USER nobody-here is not in /etc/passwd",
                  "create the user with useradd, or use a numeric uid", FileAt("Dockerfile", 8, 6)),
  };
}

inline std::vector<Finding> ManifestFindings() {
  Finding il303 = MakeFinding(
      "IL303", Severity::kError,
      "container web runs as uid 1000 and listens on port 80, but the pod does not set "
      "net.ipv4.ip_unprivileged_port_start",
      std::string("add to the pod spec:\n") + kSysctlHelp, FileAt("deploy/web.yaml", 10, 20, 22));
  il303.related.push_back(FileAt("Dockerfile", 7, 8));
  return {
      il303,
      MakeFinding("IL304", Severity::kWarning,
                  "NET_BIND_SERVICE is added to bind port 80; Kubernetes grants no ambient "
                  "capabilities, so it does not help a non-root process",
                  std::string("drop the capability and ") + kSysctlHelp,
                  FileAt("deploy/web.yaml", 14, 15)),
      MakeFinding("IL101", Severity::kError, "service web runs as root (user: root)",
                  "set user: \"10001:10001\"", FileAt("compose.yaml", 4, 11)),
  };
}

inline std::vector<Finding> ImageFindings() {
  return {
      MakeFinding("IL101", Severity::kError, "the image runs as root: no user is set",
                  "end the final stage with USER 10001:10001",
                  InImage("app.tar", "", "", "linux/amd64")),
      MakeFinding("IL201", Severity::kWarning, "/usr/bin/passwd is setuid root (mode 4755)",
                  "RUN chmod u-s /usr/bin/passwd",
                  InImage("app.tar", "/usr/bin/passwd", kLayerB, "linux/amd64")),
      MakeFinding("IL203", Severity::kWarning,
                  "/usr/sbin/httpd has file capabilities cap_net_bind_service=ep",
                  std::string("RUN setcap -r /usr/sbin/httpd; ") + kSysctlHelp,
                  InImage("app.tar", "/usr/sbin/httpd", kLayerA, "linux/arm64/v8")),
      MakeFinding("IL202", Severity::kWarning, "/usr/bin/wall is setgid tty (mode 2755)",
                  "RUN chmod g-s /usr/bin/wall",
                  InImage("images/base image.tar", "/usr/bin/wall", kLayerA)),
  };
}

/// One finding for every registered rule not covered above (IL001 and any
/// rule added later), so "every rule" stays true as the catalogue grows.
inline std::vector<Finding> OtherRuleFindings(const std::vector<Finding>& covered) {
  std::vector<Finding> out;
  int line = 1;
  for (const auto& rule : AllRules()) {
    std::string id(rule->Meta().id);
    bool seen = false;
    for (const Finding& f : covered) seen = seen || f.rule_id == id;
    if (seen) continue;
    out.push_back(MakeFinding(id, rule->Meta().severity,
                              std::string(rule->Meta().title) + " (fabricated)",
                              "see imglint explain " + id, FileAt("Dockerfile", line++, 1)));
  }
  return out;
}

inline LintReport DockerfileReport() {
  LintReport r;
  r.targets = {Target("Dockerfile", TargetKind::kDockerfile)};
  r.findings = DockerfileFindings();
  return r;
}

inline LintReport ManifestReport() {
  LintReport r;
  r.targets = {Target("deploy/web.yaml", TargetKind::kKubernetes),
               Target("compose.yaml", TargetKind::kCompose)};
  r.findings = ManifestFindings();
  return r;
}

inline LintReport ImageReport() {
  LintReport r;
  r.targets = {Target("app.tar", TargetKind::kImage),
               Target("images/base image.tar", TargetKind::kImage)};
  r.findings = ImageFindings();
  return r;
}

/// Everything at once, every registered rule, and one unreadable target.
inline LintReport MixedReport() {
  LintReport r;
  r.targets = {
      Target("Dockerfile", TargetKind::kDockerfile),
      Target("deploy/web.yaml", TargetKind::kKubernetes),
      Target("compose.yaml", TargetKind::kCompose),
      Target("app.tar", TargetKind::kImage),
      Target("images/base image.tar", TargetKind::kImage),
      Target("broken.tar", TargetKind::kImage, "layer 2 (sha256:0bad…): truncated gzip stream")};
  for (auto part : {DockerfileFindings(), ManifestFindings(), ImageFindings()}) {
    r.findings.insert(r.findings.end(), part.begin(), part.end());
  }
  std::vector<Finding> other = OtherRuleFindings(r.findings);
  r.findings.insert(r.findings.end(), other.begin(), other.end());
  return r;
}

}  // namespace imglint::testing
