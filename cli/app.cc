// SPDX-License-Identifier: Apache-2.0
#include "cli/app.h"

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>

#include "analyzer/image/platform.h"
#include "analyzer/runtime.h"
#include "analyzer/source/base_image.h"
#include "cli/config_file.h"
#include "cli/docs_command.h"
#include "cli/effective_config.h"
#include "cli/fix_run.h"
#include "cli/limit_flags.h"
#include "cli/lint_run.h"
#include "cli/man_page.h"
#include "report/rule_doc.h"
#include "rules/registry.h"

#ifndef IMGLINT_VERSION
#define IMGLINT_VERSION "0.0.0"
#endif

namespace imglint {
namespace {

bool ValidPlatform(const std::string& text) {
  Platform platform;
  std::string error;
  return ParsePlatform(text, &platform, &error);
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

  // Options given after a subcommand still apply: `imglint config --runtime podman`.
  app.fallthrough();
  CliOptions options;
  std::string format = "text";
  std::string color = "auto";
  std::vector<std::string> build_args;
  app.add_option("targets", options.targets,
                 "image tarballs, OCI layout directories, Dockerfiles, Kubernetes or Compose "
                 "YAML, directories, or - for a tarball on stdin");
  app.add_option("-f,--format", format, "output format: text, json, sarif, gitlab, checkstyle")
      ->check(CLI::IsMember({"text", "json", "sarif", "gitlab", "checkstyle"}));
  app.add_option("--sarif-root", options.sarif_root,
                 "make SARIF URIs relative to DIR (%SRCROOT%; default: current directory)");
  app.add_option("--sarif-category", options.sarif_category,
                 "SARIF runAutomationDetails.id, to tell several analyses apart on GitHub");
  app.add_option("-o,--output", options.output, "write the report to FILE instead of stdout");
  app.add_option("--fail-on", options.fail_on, "exit 1 when a finding is at or above this severity")
      ->check(CLI::IsMember({"error", "warning", "note", "never"}));
  app.add_option("--platform", options.platform,
                 "lint only this platform of a multi-platform image (os/arch[/variant])");
  app.add_option("--runtime", options.runtime, "where the containers run: " + RuntimeNames())
      ->check([](const std::string& value) {
        return ParseRuntime(value) ? std::string() : "unknown runtime \"" + value + "\"";
      });
  // Repeatable options take one value each: `--dockerfile Dockerfile image.tar`
  // must leave image.tar a target.
  app.add_option("--dockerfile", options.dockerfiles, "lint FILE as a Dockerfile; repeatable")
      ->allow_extra_args(false);
  app.add_flag("--resolve-base{config}", options.resolve_base,
               "read each Dockerfile's external base image (config; =full: its layers too) "
               "from a daemon, the registry or the cache, so Dockerfile verdicts use its user, "
               "ports and os")
      ->check([](const std::string& value) {
        BaseResolution mode;
        std::string why;
        return ParseBaseResolution(value, &mode, &why) ? std::string() : why;
      });
  app.add_option("--stdin-name", options.stdin_name,
                 "the path standard input (-) has in reports, e.g. for SARIF (default <stdin>)");
  app.add_option("--target", options.target_stage, "the Dockerfile stage that is built");
  app.add_option("--build-arg", build_args, "NAME=VALUE for Dockerfile ARGs; repeatable")
      ->allow_extra_args(false);
  app.add_option("-j,--jobs", options.jobs, "parallel jobs (default: number of cores)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--color", color,
                 "colour the text output: auto (a TTY without NO_COLOR), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  bool help_man = false;  // hidden: the build writes imglint.1 from this definition
  app.add_flag("--help-man", help_man, "print the man page (roff) and exit")->group("");
  app.add_option("--ignore", options.ignore, "disable a rule (ID or name); repeatable")
      ->allow_extra_args(false);
  std::string config_path;
  app.add_option("-c,--config", config_path,
                 "configuration file (default: .imglint.yaml here or in a parent directory)");
  app.add_option("--baseline", options.baseline,
                 "report and fail only on findings not recorded in FILE");
  app.add_option("--write-baseline", options.write_baseline,
                 "record the current findings in FILE (sorted JSON)");

  AddLimitFlags(app, &options.limit_flags);
  AddSourceFlags(app, &options.source_flags);

  CLI::App* rules_cmd = app.add_subcommand("rules", "list the rules");
  std::string rules_format = "text";
  rules_cmd->add_option("-f,--format", rules_format, "table or JSON")
      ->check(CLI::IsMember({"text", "json"}));
  std::string explain_id;
  CLI::App* explain_cmd = app.add_subcommand("explain", "explain a rule");
  explain_cmd->add_option("rule", explain_id, "rule ID or name")->required();
  CLI::App* config_cmd = app.add_subcommand(
      "config", "print the effective configuration and where each value came from");
  std::string docs_dir;
  std::string docs_readme;
  CLI::App* docs_cmd = app.add_subcommand("docs", "generate docs/rules/<ID>.md from the rules");
  docs_cmd->add_option("dir", docs_dir, "output directory")->required();
  docs_cmd->add_option("--readme", docs_readme, "also update the rules table in this README");

  FixOptions fix_options;
  std::vector<std::string> fix_targets;
  CLI::App* fix_cmd = app.add_subcommand(
      "fix",
      "fix what can be fixed mechanically (the unprivileged-port sysctl instead of "
      "NET_BIND_SERVICE in Kubernetes and Compose files): print a unified diff, or apply it "
      "with --write");
  fix_cmd->add_option("paths", fix_targets, "Kubernetes or Compose YAML files or directories");
  fix_cmd->add_flag("--write", fix_options.write,
                    "apply the fixes in place (atomically) instead of printing the diff");
  fix_cmd->add_option("--rule", fix_options.rules, "fix only this rule (ID or name); repeatable")
      ->allow_extra_args(false);
  fix_cmd->footer(
      "Exit codes: 0 nothing left to fix, 1 fixes planned (diff mode) or findings left without "
      "an automatic fix at or above --fail-on, 2 an unreadable target or a fix that failed "
      "verification.");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : kExitError;
  }

  if (help_man) {
    std::cout << RenderManPage(app, IMGLINT_VERSION);
    return kExitClean;
  }
  if (*rules_cmd) {
    std::cout << (rules_format == "json" ? RenderRuleJson() : RenderRuleTable());
    return kExitClean;
  }
  if (*docs_cmd) return WriteRuleDocs(docs_dir, docs_readme, std::cerr);
  if (*explain_cmd) {
    const Rule* rule = FindRule(explain_id);
    if (!rule) {
      std::cerr << "imglint: unknown rule \"" << explain_id << "\" (see imglint rules)\n";
      return kExitError;
    }
    std::cout << RenderRuleMarkdown(rule->Meta());
    return kExitClean;
  }
  // The configuration file, then command-line flags on top of it.
  std::string config_error;
  if (config_path.empty()) {
    if (auto found = FindConfigUpwards(std::filesystem::current_path())) {
      config_path = found->string();
    }
  }
  if (!config_path.empty() && !LoadConfig(config_path, &options.config, &config_error)) {
    std::cerr << "imglint: " << config_error << "\n";
    return kExitError;
  }
  options.limits = ResolveLimits(options.limit_flags, options.config.limits);
  EffectiveSettings settings;
  settings.Resolve("fail-on", &options.fail_on, options.config, app.count("--fail-on") > 0,
                   options.config.fail_on);
  settings.Resolve("runtime", &options.runtime, options.config, app.count("--runtime") > 0,
                   options.config.runtime);
  settings.Resolve("resolve-base", &options.resolve_base, options.config,
                   app.count("--resolve-base") > 0, options.config.resolve_base);
  if (*config_cmd) {
    std::cout << RenderEffectiveConfig(options, settings);
    return kExitClean;
  }
  if (*fix_cmd) {
    options.targets.insert(options.targets.end(), fix_targets.begin(), fix_targets.end());
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
  {
    BaseResolution mode;
    std::string why;
    if (!ParseBaseResolution(options.resolve_base, &mode, &why)) {
      std::cerr << "imglint: --resolve-base: " << why << "\n";
      return kExitError;
    }
  }
  options.sources = std::make_shared<SourceSettings>();
  std::string source_error;
  if (!ResolveSourceFlags(options.source_flags, options.targets, std::cin, options.sources.get(),
                          &source_error)) {
    std::cerr << "imglint: " << source_error << "\n";
    return kExitError;
  }
  options.format = format == "json"         ? OutputFormat::kJson
                   : format == "sarif"      ? OutputFormat::kSarif
                   : format == "gitlab"     ? OutputFormat::kGitlab
                   : format == "checkstyle" ? OutputFormat::kCheckstyle
                                            : OutputFormat::kText;
  options.color = color == "always"  ? ColorMode::kAlways
                  : color == "never" ? ColorMode::kNever
                                     : ColorMode::kAuto;
  if (*fix_cmd) return RunFix(options, fix_options, std::cout, std::cerr);
  return RunLint(options, std::cout, std::cerr);
}

}  // namespace imglint
