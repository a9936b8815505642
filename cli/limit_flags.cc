// SPDX-License-Identifier: Apache-2.0
#include "cli/limit_flags.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <limits>
#include <utility>

namespace imglint {
namespace {

constexpr std::uint64_t kNoMax = std::numeric_limits<std::uint64_t>::max();
// yaml-cpp's own recursion guard stops at 2000 levels; stay well below it.
constexpr std::uint64_t kMaxYamlDepth = 1000;
constexpr std::uint64_t kMaxIndexDepth = 64;

template <typename T>
T Clamp(std::uint64_t value) {
  return static_cast<T>(std::min<std::uint64_t>(value, std::numeric_limits<T>::max()));
}

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

const std::vector<LimitInfo>& LimitTable() {
  static const std::vector<LimitInfo> table{
      {"max-entries-per-layer", "tar entries in one image layer, and members of the image tarball",
       false, kNoMax, [](const LintLimits& l) { return l.image.max_entries_per_layer; },
       [](LintLimits* l, std::uint64_t v) { l->image.max_entries_per_layer = v; }},
      {"max-total-entries",
       "layer entries of one image target, counted as decoded and again as merged", false, kNoMax,
       [](const LintLimits& l) { return l.image.max_total_entries; },
       [](LintLimits* l, std::uint64_t v) { l->image.max_total_entries = v; }},
      {"max-path-length", "bytes of a layer entry name or link target", true, kNoMax,
       [](const LintLimits& l) { return l.image.max_path_length; },
       [](LintLimits* l, std::uint64_t v) { l->image.max_path_length = v; }},
      {"max-metadata-bytes",
       "bytes of each image metadata file (index.json, manifests, config, manifest.json)", true,
       kNoMax, [](const LintLimits& l) { return l.image.max_metadata_bytes; },
       [](LintLimits* l, std::uint64_t v) { l->image.max_metadata_bytes = v; }},
      {"max-decompressed-bytes",
       "decompressed layer bytes of one image target (decompression bombs)", true, kNoMax,
       [](const LintLimits& l) { return l.image.max_decompressed_bytes; },
       [](LintLimits* l, std::uint64_t v) { l->image.max_decompressed_bytes = v; }},
      {"max-index-depth", "image indexes nested inside image indexes", false, kMaxIndexDepth,
       [](const LintLimits& l) { return static_cast<std::uint64_t>(l.image.max_index_depth); },
       [](LintLimits* l, std::uint64_t v) { l->image.max_index_depth = Clamp<int>(v); }},
      {"max-yaml-bytes", "bytes of one Kubernetes or Compose YAML file", true, kNoMax,
       [](const LintLimits& l) { return static_cast<std::uint64_t>(l.yaml.max_input_bytes); },
       [](LintLimits* l, std::uint64_t v) { l->yaml.max_input_bytes = Clamp<size_t>(v); }},
      {"max-yaml-depth", "nesting levels of YAML mappings and sequences", false, kMaxYamlDepth,
       [](const LintLimits& l) { return static_cast<std::uint64_t>(l.yaml.max_depth); },
       [](LintLimits* l, std::uint64_t v) { l->yaml.max_depth = Clamp<int>(v); }},
      {"max-yaml-nodes", "YAML nodes visited per file, with aliases expanded (\"billion laughs\")",
       false, kNoMax,
       [](const LintLimits& l) { return static_cast<std::uint64_t>(l.yaml.max_node_visits); },
       [](LintLimits* l, std::uint64_t v) { l->yaml.max_node_visits = Clamp<size_t>(v); }},
      {"max-yaml-elements",
       "workloads, containers, ports, capabilities... built from one YAML file", false, kNoMax,
       [](const LintLimits& l) { return static_cast<std::uint64_t>(l.yaml.max_elements); },
       [](LintLimits* l, std::uint64_t v) { l->yaml.max_elements = Clamp<size_t>(v); }},
      {"max-yaml-documents", "YAML documents (---) in one file", false, kNoMax,
       [](const LintLimits& l) { return static_cast<std::uint64_t>(l.yaml.max_documents); },
       [](LintLimits* l, std::uint64_t v) { l->yaml.max_documents = Clamp<size_t>(v); }},
  };
  return table;
}

bool ParseLimitValue(std::string_view text, const LimitInfo& info, std::uint64_t* value,
                     std::string* err) {
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  if (digits == 0) {
    *err = "\"" + std::string(text) + "\" is not a whole number";
    return false;
  }
  std::uint64_t number = 0;
  for (std::size_t i = 0; i < digits; ++i) {
    const std::uint64_t digit = static_cast<std::uint64_t>(text[i] - '0');
    if (number > (kNoMax - digit) / 10) {
      *err = "\"" + std::string(text) + "\" is too large";
      return false;
    }
    number = number * 10 + digit;
  }
  const std::string suffix = Lower(text.substr(digits));
  int shift = 0;
  if (!suffix.empty()) {
    static const std::vector<std::pair<std::string_view, int>> kSuffixes{
        {"k", 10}, {"kib", 10}, {"m", 20}, {"mib", 20},
        {"g", 30}, {"gib", 30}, {"t", 40}, {"tib", 40}};
    auto it = std::find_if(kSuffixes.begin(), kSuffixes.end(),
                           [&](const auto& s) { return s.first == suffix; });
    if (it == kSuffixes.end()) {
      *err = "\"" + std::string(text) +
             "\" has an unknown suffix (use K, M, G or T, or KiB, MiB, GiB, TiB)";
      return false;
    }
    shift = it->second;
  }
  if (shift > 0 && number > (kNoMax >> shift)) {
    *err = "\"" + std::string(text) + "\" is too large";
    return false;
  }
  number <<= shift;
  if (number == 0) {
    *err = "must be at least 1";
    return false;
  }
  if (number > info.max) {
    *err =
        std::string(text) + " is more than the largest allowed value, " + std::to_string(info.max);
    return false;
  }
  *value = number;
  return true;
}

namespace {

// 68719476736 -> "64G" in the help text.
std::string Pretty(std::uint64_t value, bool is_size) {
  if (is_size) {
    static constexpr std::pair<int, const char*> kUnits[] = {
        {40, "T"}, {30, "G"}, {20, "M"}, {10, "K"}};
    for (const auto& [shift, suffix] : kUnits) {
      const std::uint64_t unit = std::uint64_t{1} << shift;
      if (value >= unit && value % unit == 0) return std::to_string(value / unit) + suffix;
    }
  }
  return std::to_string(value);
}

}  // namespace

void AddLimitFlags(CLI::App& app, LimitFlags* flags) {
  for (const LimitInfo& info : LimitTable()) {
    const LintLimits defaults;
    std::string help = std::string(info.help) + " (default " +
                       Pretty(info.get(defaults), info.is_size) +
                       (info.is_size ? "; K/M/G suffixes" : "") + ")";
    std::string name(info.name);
    app.add_option_function<std::string>(
           "--" + name, [flags, name](const std::string& value) { flags->given[name] = value; },
           help)
        ->type_name("N")
        ->group("Limits (docs/limits.md)")
        ->check(
            [&info](const std::string& value) {
              std::uint64_t parsed = 0;
              std::string err;
              return ParseLimitValue(value, info, &parsed, &err) ? std::string() : err;
            },
            "");
  }
}

LintLimits ResolveLimits(const LimitFlags& flags,
                         const std::map<std::string, std::uint64_t>& from_config) {
  LintLimits limits;
  for (const LimitInfo& info : LimitTable()) {
    const std::string name(info.name);
    if (auto flag = flags.given.find(name); flag != flags.given.end()) {
      std::uint64_t value = 0;
      std::string err;
      if (ParseLimitValue(flag->second, info, &value, &err)) info.set(&limits, value);
    } else if (auto file = from_config.find(name); file != from_config.end()) {
      info.set(&limits, file->second);
    }
  }
  return limits;
}

std::string RenderLimits(const LimitFlags& flags,
                         const std::map<std::string, std::uint64_t>& from_config,
                         const std::string& config_origin) {
  const LintLimits limits = ResolveLimits(flags, from_config);
  std::string out = "limits:\n";
  for (const LimitInfo& info : LimitTable()) {
    const std::string name(info.name);
    std::string origin = "default";
    if (flags.given.count(name)) {
      origin = "command line";
    } else if (from_config.count(name)) {
      origin = config_origin;
    }
    out += "  " + name + ": " + std::to_string(info.get(limits)) + "  # " + origin + "\n";
  }
  return out;
}

}  // namespace imglint
