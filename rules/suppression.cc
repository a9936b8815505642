// SPDX-License-Identifier: Apache-2.0
#include "rules/suppression.h"

#include <algorithm>
#include <set>

#include "rules/registry.h"

namespace imglint {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// Parses "# imglint [global] ignore=A,B [# reason]" in one comment line.
bool ParsePragma(std::string_view line, int line_number, Pragma* out) {
  std::string_view text = Trim(line);
  if (!text.starts_with("#")) return false;
  text.remove_prefix(1);
  std::string_view body = Trim(text);
  if (!body.starts_with("imglint ")) return false;
  body = Trim(body.substr(8));
  if (body.starts_with("global ")) {
    out->global = true;
    body = Trim(body.substr(7));
  }
  if (!body.starts_with("ignore=")) return false;
  body.remove_prefix(7);
  body = body.substr(0, body.find('#'));  // the reason follows a second '#'
  out->line = line_number;
  size_t base = static_cast<size_t>(body.data() - line.data());
  out->column = static_cast<int>(base) + 1;
  size_t start = 0;
  while (start <= body.size()) {
    size_t comma = body.find(',', start);
    std::string_view item =
        body.substr(start, comma == std::string_view::npos ? body.npos : comma - start);
    std::string_view trimmed = Trim(item);
    // A space ends the list: "ignore=IL101 because" keeps only IL101.
    trimmed = trimmed.substr(0, trimmed.find(' '));
    if (!trimmed.empty()) {
      int column = static_cast<int>(base + static_cast<size_t>(trimmed.data() - body.data())) + 1;
      out->rules.emplace_back(std::string(trimmed), column);
    }
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return true;
}

bool IsCommentLine(std::string_view line) { return Trim(line).starts_with("#"); }

// What the pragmas of one file silence.
struct FileSuppressions {
  std::set<std::string> global;                  // rule IDs
  std::map<int, std::set<std::string>> by_line;  // 1-based line -> rule IDs
};

FileSuppressions Suppressions(std::string_view text) {
  FileSuppressions out;
  for (const Pragma& pragma : ParsePragmas(text)) {
    for (const auto& [name, column] : pragma.rules) {
      const Rule* rule = FindRule(name);
      if (rule == nullptr) continue;  // IL001 reports it
      std::string id(rule->Meta().id);
      if (pragma.global) {
        out.global.insert(id);
      } else {
        out.by_line[pragma.target_line].insert(id);
      }
    }
  }
  return out;
}

}  // namespace

std::vector<Pragma> ParsePragmas(std::string_view text) {
  std::vector<Pragma> out;
  std::vector<std::string_view> lines;
  for (size_t start = 0; start <= text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  for (size_t i = 0; i < lines.size(); ++i) {
    Pragma pragma;
    if (!ParsePragma(lines[i], static_cast<int>(i) + 1, &pragma)) continue;
    // The pragma covers the first non-comment line below its comment block.
    size_t target = i + 1;
    while (target < lines.size() && IsCommentLine(lines[target])) ++target;
    pragma.target_line = static_cast<int>(target) + 1;
    out.push_back(std::move(pragma));
  }
  return out;
}

void ApplyInlineSuppressions(const std::map<std::string, std::string>& sources,
                             const std::set<std::string>& candidates,
                             std::vector<Finding>* findings) {
  std::map<std::string, FileSuppressions> by_path;
  for (const std::string& path : candidates) {
    const auto source = sources.find(path);
    if (source != sources.end()) by_path.emplace(path, Suppressions(source->second));
  }
  if (by_path.empty()) return;
  std::erase_if(*findings, [&](const Finding& f) {
    auto file = by_path.find(f.location.path);
    if (file == by_path.end() || f.subject.kind == Subject::Kind::kSuppression) return false;
    if (file->second.global.count(f.rule_id)) return true;
    auto line = file->second.by_line.find(f.location.line);
    return line != file->second.by_line.end() && line->second.count(f.rule_id) > 0;
  });
}

}  // namespace imglint
