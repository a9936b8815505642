// SPDX-License-Identifier: Apache-2.0
#include "cli/effective_config.h"

#include "rules/registry.h"

namespace imglint {

void EffectiveSettings::Resolve(const std::string& key, std::string* value,
                                const ConfigFile& config, bool from_flag,
                                const std::optional<std::string>& from_file) {
  if (from_flag) {
    origin[key] = "command line";
  } else if (from_file) {
    *value = *from_file;
    origin[key] = config.origin.count(key) ? config.origin.at(key) : config.path;
  } else {
    origin[key] = "default";
  }
}

std::string RenderEffectiveConfig(const CliOptions& options, const EffectiveSettings& settings) {
  const ConfigFile& config = options.config;
  auto from = [&](const std::string& key) {
    auto it = config.origin.find(key);
    return it == config.origin.end() ? std::string("default") : it->second;
  };
  std::string out = "# configuration file: " + (config.path.empty() ? "none" : config.path) + "\n";
  out += "fail-on: " + options.fail_on + "  # " + settings.origin.at("fail-on") + "\n";
  out += "runtime: " + options.runtime + "  # " + settings.origin.at("runtime") + "\n";
  out += "ignore: [";
  std::string sep;
  for (const std::string& id : config.ignore) {
    out += sep + id;
    sep = ", ";
  }
  for (const std::string& rule : options.ignore) {
    const Rule* r = FindRule(rule);
    out += sep + (r ? std::string(r->Meta().id) : rule);
    sep = ", ";
  }
  out += "]  # " + (options.ignore.empty() ? from("ignore") : from("ignore") + " + command line") +
         "\n";
  out += "severity:";
  out += config.severity.empty() ? " {}  # default\n" : "  # " + from("severity") + "\n";
  for (const auto& [id, severity] : config.severity) {
    out += "  " + id + ": " + std::string(SeverityName(severity)) + "\n";
  }
  out += "allow:";
  out += config.allow.empty() ? " {}  # default\n" : "  # " + from("allow") + "\n";
  for (const auto& [id, patterns] : config.allow) {
    out += "  " + id + ":\n";
    for (const auto& p : patterns) out += "    - \"" + p->text() + "\"\n";
  }
  out += "exclude:";
  out += config.exclude.empty() ? " []  # default\n" : "  # " + from("exclude") + "\n";
  for (const auto& p : config.exclude) out += "  - \"" + p->text() + "\"\n";
  out += RenderLimits(options.limit_flags, config.limits,
                      config.origin.count("limits") ? config.origin.at("limits") : config.path);
  return out;
}

}  // namespace imglint
