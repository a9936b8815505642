// SPDX-License-Identifier: Apache-2.0
#include "report/sarif_report.h"

#include <cctype>
#include <map>
#include <nlohmann/json.hpp>
#include <string_view>

#include "report/rule_doc.h"
#include "report/sarif_region.h"
#include "report/sarif_uri.h"
#include "rules/registry.h"

namespace imglint {
namespace {

// ordered_json keeps $schema, version, runs first, as people read the file.
using json = nlohmann::ordered_json;

// GitHub warns about (and truncates) descriptions above this many characters.
constexpr size_t kMaxDescription = 1024;

/// The leading paragraphs of `text` that fit in kMaxDescription characters;
/// a single paragraph that is too long is cut at a word boundary.
std::string FitDescription(std::string_view text) {
  if (text.size() <= kMaxDescription) return std::string(text);
  std::string out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find("\n\n", start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view paragraph = text.substr(start, end - start);
    size_t needed = out.size() + (out.empty() ? 0 : 2) + paragraph.size();
    if (needed > kMaxDescription) break;
    if (!out.empty()) out += "\n\n";
    out += paragraph;
    start = end + 2;
  }
  if (out.empty()) {
    std::string_view head = text.substr(0, kMaxDescription - 3);
    size_t space = head.find_last_of(" \n");
    out =
        std::string(head.substr(0, space == std::string_view::npos ? head.size() : space)) + "...";
  }
  return out;
}

/// SARIF messages are sentences: end with a period unless punctuated already.
std::string Sentence(std::string text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\n')) text.pop_back();
  if (text.empty()) return "(no message).";
  char last = text.back();
  if (last != '.' && last != '!' && last != '?') text.push_back('.');
  return text;
}

json RuleDescriptor(const RuleMeta& meta) {
  std::string id(meta.id);
  std::string description = FitDescription(meta.rationale);
  // GitHub files a "security" result as a security alert, ranked by its
  // security-severity: a configuration note without one (IL001, IL002) is not.
  json tags = meta.security_severity.empty() ? json::array({"container"})
                                             : json::array({"security", "container"});
  if (!meta.cwe.empty()) tags.push_back(std::string(meta.cwe));
  json properties = {{"tags", std::move(tags)}};
  if (!meta.precision.empty()) properties["precision"] = std::string(meta.precision);
  if (!meta.security_severity.empty()) {
    properties["security-severity"] = std::string(meta.security_severity);
  }
  return {
      {"id", id},
      {"name", std::string(meta.name)},
      {"shortDescription", {{"text", Sentence(std::string(meta.title))}}},
      {"fullDescription", {{"text", description}, {"markdown", description}}},
      {"help", {{"text", RenderRuleHelpText(meta)}, {"markdown", RenderRuleHelpMarkdown(meta)}}},
      {"helpUri", std::string(kRuleDocBaseUrl) + id + ".md"},
      {"defaultConfiguration", {{"level", SeverityName(meta.severity)}}},
      {"properties", std::move(properties)}};
}

/// A finding whose rule is not registered still needs a descriptor, or GitHub
/// rejects the whole file; it should never happen, but the document stays valid.
json UnknownRuleDescriptor(const std::string& id) {
  std::string text = "Rule " + id + " (no description available).";
  return {{"id", id},
          {"shortDescription", {{"text", text}}},
          {"fullDescription", {{"text", text}}},
          {"help", {{"text", text}}},
          {"properties", {{"tags", json::array({"security", "container"})}}}};
}

/// Builds tool.driver.rules and answers "which index is this rule".
class RuleTable {
 public:
  explicit RuleTable(const LintReport& report) {
    // Every known rule, in registry order, so ruleIndex is stable across runs.
    for (const auto& rule : AllRules())
      Add(std::string(rule->Meta().id), RuleDescriptor(rule->Meta()));
    for (const Finding& f : report.findings) {
      if (!index_.count(f.rule_id)) Add(f.rule_id, UnknownRuleDescriptor(f.rule_id));
    }
  }
  int Index(const std::string& id) const { return index_.at(id); }
  json Take() { return std::move(rules_); }

 private:
  void Add(const std::string& id, json descriptor) {
    index_[id] = static_cast<int>(rules_.size());
    rules_.push_back(std::move(descriptor));
  }
  json rules_ = json::array();
  std::map<std::string, int> index_;
};

json Region(int line, int column, int end_line, int end_column) {
  json region = {{"startLine", line > 0 ? line : 1}};
  if (column > 0) region["startColumn"] = column;
  if (end_line >= line && end_line > 0) region["endLine"] = end_line;
  if (end_column > 0 && (end_line > line || end_column > column)) region["endColumn"] = end_column;
  return region;
}

class LocationBuilder {
 public:
  LocationBuilder(const SarifOptions& options, const std::map<std::string, std::string>& sources)
      : mapper_(options.root, options.working_dir), sources_(sources) {}

  json Physical(const std::string& path, json region) const {
    return {{"artifactLocation", Artifact(path)}, {"region", std::move(region)}};
  }

  /// A file location, or for an image file the tarball itself at line 1 plus
  /// a logical location naming the path inside the image.
  json Location(const imglint::Location& l) const {
    // Readers count columns in bytes; SARIF in UTF-16 code units (no
    // columnKind is declared), which differ after a non-ASCII character.
    int column = l.column;
    int end_column = l.end_column;
    if (const auto text = sources_.find(l.path); text != sources_.end()) {
      column = Utf16Column(text->second, l.line, l.column);
      end_column = Utf16Column(text->second, l.end_line > 0 ? l.end_line : l.line, l.end_column);
    }
    json out = {
        {"physicalLocation", Physical(l.path, Region(l.line, column, l.end_line, end_column))}};
    if (!l.image_path.empty()) {
      size_t slash = l.image_path.find_last_of('/');
      std::string name = slash == std::string::npos ? l.image_path : l.image_path.substr(slash + 1);
      out["logicalLocations"] = json::array({{{"name", name.empty() ? l.image_path : name},
                                              {"fullyQualifiedName", l.image_path},
                                              {"kind", "resource"}}});
    }
    return out;
  }

  /// An artifactLocation, as Physical() writes it.
  json Artifact(const std::string& path) const {
    ArtifactUri uri = mapper_.Map(path);
    json artifact = {{"uri", uri.uri}};
    if (uri.relative) artifact["uriBaseId"] = kSrcRootId;
    return artifact;
  }

  std::string RootUri() const { return mapper_.RootUri(); }

 private:
  SarifUriMapper mapper_;
  const std::map<std::string, std::string>& sources_;
};

/// The message, with what only the image can say (where inside it) appended,
/// because code scanning shows the message but not result.properties.
std::string ResultMessage(const Finding& f) {
  const imglint::Location& l = f.location;
  std::string text = f.message;
  while (!text.empty() && (text.back() == '.' || text.back() == ' ')) text.pop_back();
  std::string details;
  auto add = [&](std::string_view label, const std::string& value) {
    if (value.empty()) return;
    details += (details.empty() ? "" : "; ") + std::string(label) + " " + value;
  };
  if (text.find(l.image_path) == std::string::npos) add("in-image path", l.image_path);
  add("layer", l.layer_digest);
  add("platform", l.platform);
  if (!details.empty()) text += " (" + details + ")";
  if (!f.recommendation.empty()) text += ". Fix: " + f.recommendation;
  return Sentence(text);
}

/// The finding's verified fix as SARIF `fixes` (§3.55–3.57), or null. Each
/// replacement names its region twice, by line and column and by
/// charOffset/charLength, both in UTF-16 code units (sarif_region.h): a
/// consumer may use either. An insertion is an empty region; a deletion
/// has no insertedContent.
json Fixes(const Finding& f, const LintReport& report, const LocationBuilder& where) {
  const auto fix = report.fixes.find(FingerprintOf(f));
  if (fix == report.fixes.end() || fix->second.edits.empty()) return nullptr;
  std::map<std::string, json> replacements;  // by path, in edit order
  for (const TextEdit& e : fix->second.edits) {
    const auto source = report.sources.find(e.path);
    if (source == report.sources.end()) return nullptr;  // no text: no exact region
    const TextRegion r = Utf16Region(source->second, e.begin, e.end);
    json replacement = {{"deletedRegion",
                         {{"startLine", r.start_line},
                          {"startColumn", r.start_column},
                          {"endLine", r.end_line},
                          {"endColumn", r.end_column},
                          {"charOffset", r.char_offset},
                          {"charLength", r.char_length}}}};
    if (!e.replacement.empty()) replacement["insertedContent"] = {{"text", e.replacement}};
    replacements[e.path].push_back(std::move(replacement));
  }
  json changes = json::array();
  for (auto& [path, list] : replacements) {
    changes.push_back(
        {{"artifactLocation", where.Artifact(path)}, {"replacements", std::move(list)}});
  }
  std::string description = fix->second.description;
  if (!description.empty()) description[0] = static_cast<char>(std::toupper(description[0]));
  return json::array({{{"description", {{"text", Sentence(description)}}},
                       {"artifactChanges", std::move(changes)}}});
}

json Result(const Finding& f, const LintReport& report, const RuleTable& rules,
            const LocationBuilder& where, std::map<std::string, int>* fingerprint_uses) {
  // The primary location is the file line GitHub can annotate: an image
  // finding traced back to a Dockerfile line (via the image history) points
  // there, and the tarball moves to the related locations.
  const imglint::Location* primary = &f.location;
  std::vector<const imglint::Location*> related;
  if (f.location.line == 0 && !f.location.image_path.empty()) {
    for (const imglint::Location& r : f.related) {
      if (r.line > 0 && r.image_path.empty()) {
        primary = &r;
        break;
      }
    }
  }
  if (primary != &f.location) related.push_back(&f.location);
  for (const imglint::Location& r : f.related) {
    if (&r != primary) related.push_back(&r);
  }

  json result = {{"ruleId", f.rule_id},
                 {"ruleIndex", rules.Index(f.rule_id)},
                 {"level", SeverityName(f.severity)},
                 {"message", {{"text", ResultMessage(f)}}},
                 {"locations", json::array({where.Location(*primary)})}};
  if (primary != &f.location && !f.location.image_path.empty()) {
    // Keep the in-image path on the primary location too.
    result["locations"][0]["logicalLocations"] = where.Location(f.location)["logicalLocations"];
  }
  if (!related.empty()) {
    json list = json::array();
    int id = 1;
    for (const imglint::Location* r : related) {
      json location = where.Location(*r);
      location["id"] = id++;
      std::string label =
          r->image_path.empty() ? "Related location." : "The image file " + r->image_path + ".";
      location["message"] = {{"text", label}};
      list.push_back(std::move(location));
    }
    result["relatedLocations"] = std::move(list);
  }
  // GitHub tracks alerts by primaryLocationLineHash and would otherwise hash
  // the source line; imglint's fingerprint survives line shifts. The suffix
  // counts repeats like GitHub's own ":n" does.
  std::string fingerprint = FingerprintOf(f);
  int occurrence = ++(*fingerprint_uses)[fingerprint];
  result["partialFingerprints"] = {
      {"imglint/v1", fingerprint},
      {"primaryLocationLineHash", fingerprint + ":" + std::to_string(occurrence)}};
  json properties = json::object();
  if (!f.location.image_path.empty()) properties["imagePath"] = f.location.image_path;
  if (!f.location.layer_digest.empty()) properties["layerDigest"] = f.location.layer_digest;
  if (!f.location.platform.empty()) properties["platform"] = f.location.platform;
  if (!f.recommendation.empty()) properties["recommendation"] = f.recommendation;
  if (!properties.empty()) result["properties"] = std::move(properties);
  if (json fixes = Fixes(f, report, where); !fixes.is_null()) result["fixes"] = std::move(fixes);
  return result;
}

json Invocation(const LintReport& report, const LocationBuilder& where) {
  json notifications = json::array();
  for (const TargetStatus& t : report.targets) {
    if (!t.error) continue;
    json location = {
        {"physicalLocation", where.Physical(t.path, Region(t.error_line, t.error_column, 0, 0))}};
    notifications.push_back(
        {{"level", "error"},
         {"message",
          {{"text", Sentence("Cannot read " + std::string(TargetKindName(t.kind)) + " target " +
                             t.path + ": " + *t.error)}}},
         {"locations", json::array({std::move(location)})}});
  }
  json invocation = {{"executionSuccessful", notifications.empty()}};
  if (!notifications.empty()) invocation["toolExecutionNotifications"] = std::move(notifications);
  return invocation;
}

}  // namespace

std::string RenderSarif(const LintReport& report, const SarifOptions& options) {
  RuleTable rules(report);
  LocationBuilder where(options, report.sources);
  json results = json::array();
  std::map<std::string, int> fingerprint_uses;
  for (const Finding& f : report.findings) {
    results.push_back(Result(f, report, rules, where, &fingerprint_uses));
  }
  json driver = {{"name", "imglint"},
                 {"version", options.tool_version},
                 {"semanticVersion", options.tool_version},
                 {"informationUri", kInformationUri},
                 {"rules", rules.Take()}};
  json run = {{"tool", {{"driver", std::move(driver)}}},
              {"invocations", json::array({Invocation(report, where)})},
              {"originalUriBaseIds", {{kSrcRootId, {{"uri", where.RootUri()}}}}},
              {"results", std::move(results)}};
  if (!options.category.empty()) {
    // GitHub reads the category as everything up to the last '/', as
    // upload-sarif's own `category` input does.
    std::string id = options.category;
    if (id.back() != '/') id.push_back('/');
    run["automationDetails"] = {{"id", id}};
  }
  json doc = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
              {"version", "2.1.0"},
              {"runs", json::array({std::move(run)})}};
  return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace imglint
