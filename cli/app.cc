// SPDX-License-Identifier: Apache-2.0
#include "cli/app.h"

#include <CLI/CLI.hpp>
#include <iostream>
#include <regex>

#include "analyzer/runtime.h"
#include "cli/lint_run.h"
#include "report/rule_doc.h"
#include "rules/registry.h"

#ifndef IMGLINT_VERSION
#define IMGLINT_VERSION "0.0.0"
#endif

namespace imglint {
namespace {

// "os/arch[/variant]" with no empty part.
bool ValidPlatform(const std::string& text) {
  static const std::regex kPlatform("[a-z0-9._-]+/[a-z0-9._-]+(/[a-z0-9._-]+)?");
  return std::regex_match(text, kPlatform);
}

}  // namespace

int Main(int argc, char** argv) {
  CLI::App app{
      "imglint: lint container images, Dockerfiles, Kubernetes manifests and Compose files for "
      "root users, setuid/setgid files, file capabilities and privileged ports, and recommend "
      "net.ipv4.ip_unprivileged_port_start instead of privilege.",
      "imglint"};
  app.set_version_flag("--version", std::string("imglint ") + IMGLINT_VERSION);
  app.footer(
      "Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 usage error or an "
      "unreadable target.");

  CliOptions options;
  std::string format = "text";
  std::string color = "auto";
  std::vector<std::string> build_args;
  app.add_option("targets", options.targets,
                 "image tarballs, OCI layout directories, Dockerfiles, Kubernetes or Compose "
                 "YAML, directories, or - for a tarball on stdin");
  app.add_option("-f,--format", format, "output format")
      ->check(CLI::IsMember({"text", "json", "sarif"}));
  app.add_option("-o,--output", options.output, "write the report to FILE instead of stdout");
  app.add_option("--fail-on", options.fail_on,
                 "exit 1 when a finding is at or above this severity")
      ->check(CLI::IsMember({"error", "warning", "note", "never"}));
  app.add_option("--platform", options.platform,
                 "lint only this platform of a multi-platform image (os/arch[/variant])");
  app.add_option("--runtime", options.runtime, "where the containers run: " + RuntimeNames())
      ->check([](const std::string& value) {
        return ParseRuntime(value) ? std::string() : "unknown runtime \"" + value + "\"";
      });
  app.add_option("--dockerfile", options.dockerfiles, "lint FILE as a Dockerfile");
  app.add_option("--target", options.target_stage, "the Dockerfile stage that is built");
  app.add_option("--build-arg", build_args, "NAME=VALUE for Dockerfile ARGs");
  app.add_option("-j,--jobs", options.jobs, "parallel jobs (default: number of cores)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--color", color, "colour the text output")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  app.add_option("--ignore", options.ignore, "disable a rule (ID or name); repeatable");

  CLI::App* rules_cmd = app.add_subcommand("rules", "list the rules");
  std::string explain_id;
  CLI::App* explain_cmd = app.add_subcommand("explain", "explain a rule");
  explain_cmd->add_option("rule", explain_id, "rule ID or name")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : kExitError;
  }

  if (*rules_cmd) {
    std::cout << RenderRuleTable();
    return kExitClean;
  }
  if (*explain_cmd) {
    const Rule* rule = FindRule(explain_id);
    if (!rule) {
      std::cerr << "imglint: unknown rule \"" << explain_id << "\" (see imglint rules)\n";
      return kExitError;
    }
    std::cout << RenderRuleMarkdown(rule->Meta());
    return kExitClean;
  }
  if (options.targets.empty() && options.dockerfiles.empty()) {
    std::cerr << "imglint: no targets given (try: imglint image.tar; imglint --help)\n";
    return kExitError;
  }
  if (!options.platform.empty() && !ValidPlatform(options.platform)) {
    std::cerr << "imglint: --platform \"" << options.platform
              << "\" is not os/arch[/variant] (e.g. linux/arm64/v8)\n";
    return kExitError;
  }
  for (const std::string& rule : options.ignore) {
    if (!FindRule(rule)) {
      std::cerr << "imglint: --ignore: unknown rule \"" << rule << "\" (see imglint rules)\n";
      return kExitError;
    }
  }
  for (const std::string& arg : build_args) {
    size_t eq = arg.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::cerr << "imglint: --build-arg \"" << arg << "\" is not NAME=VALUE\n";
      return kExitError;
    }
    options.build_args[arg.substr(0, eq)] = arg.substr(eq + 1);
  }
  options.format = format == "json"    ? OutputFormat::kJson
                   : format == "sarif" ? OutputFormat::kSarif
                                       : OutputFormat::kText;
  options.color = color == "always"  ? ColorMode::kAlways
                  : color == "never" ? ColorMode::kNever
                                     : ColorMode::kAuto;
  return RunLint(options, std::cout, std::cerr);
}

}  // namespace imglint
