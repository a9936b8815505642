// SPDX-License-Identifier: Apache-2.0
#include "report/text_report.h"

#include <map>
#include <memory>
#include <string_view>
#include <vector>

#include "analyzer/text.h"
#include "report/source_excerpt.h"
#include "rules/engine.h"

namespace imglint {
namespace {

constexpr std::string_view kReset = "\033[0m";
constexpr std::string_view kBold = "\033[1m";
constexpr std::string_view kGutter = "\033[1;34m";

std::string_view SeverityColor(Severity s) {
  switch (s) {
    case Severity::kError:
      return "\033[1;31m";
    case Severity::kWarning:
      return "\033[1;33m";
    case Severity::kNote:
      return "\033[1;36m";
  }
  return "";
}

std::string Position(const Location& l) {
  std::string out = l.path;
  if (l.line > 0) {
    // Appended, not ":" + …: GCC 12 -O3 warns falsely (-Wrestrict).
    out += ':';
    out += std::to_string(l.line);
    if (l.column > 0) {
      out += ':';
      out += std::to_string(l.column);
    }
  }
  return out;
}

std::string ShortDigest(const std::string& digest) {
  // "sha256:" + 12 hex digits is enough to find a layer and keeps lines short.
  return digest.size() > 19 ? digest.substr(0, 19) : digest;
}

std::string Plural(int n, std::string_view word) {
  return std::to_string(n) + " " + std::string(word) + (n == 1 ? "" : "s");
}

class TextRenderer {
 public:
  TextRenderer(const LintReport& report, const TextOptions& options)
      : report_(report), options_(options) {}

  std::string Render() {
    std::vector<Finding> findings = report_.findings;
    SortFindings(&findings);  // the order never depends on how rules ran
    const std::string* group = nullptr;
    std::string group_key;
    for (const Finding& f : findings) {
      if (!out_.empty()) out_ += "\n";
      if (f.location.line > 0) {
        FileDiagnostic(f);
        group = nullptr;
        continue;
      }
      std::string key = f.location.path + '\0' + f.location.platform;
      if (group == nullptr || key != group_key) {
        group_key = key;
        group = &f.location.path;
        GroupHeader(f.location);
      }
      GroupedDiagnostic(f);
    }
    Summary();
    return std::move(out_);
  }

 private:
  std::string Paint(std::string_view color, std::string_view text) const {
    std::string safe = TerminalSafe(text);
    return options_.color ? std::string(color) + safe + std::string(kReset) : safe;
  }

  std::string Label(const Finding& f) const {
    return Paint(SeverityColor(f.severity),
                 std::string(SeverityName(f.severity)) + "[" + f.rule_id + "]");
  }

  /// `Dockerfile:5:1: error[IL101]: message`, the excerpt, help and notes.
  void FileDiagnostic(const Finding& f) {
    const Location& l = f.location;
    out_ +=
        Paint(kBold, Position(l) + ":") + " " + Label(f) + ": " + Paint(kBold, f.message) + "\n";
    std::string gutter = std::to_string(l.line);
    std::string blank(gutter.size() + 1, ' ');
    if (std::optional<std::string_view> line = SourceLine(l.path, l.line)) {
      int end_column = l.end_line == l.line || l.end_line == 0 ? l.end_column : 0;
      Excerpt excerpt = MakeExcerpt(*line, l.column, end_column);
      out_ += Paint(kGutter, " " + gutter + " |") + " " + excerpt.line + "\n";
      out_ += Paint(kGutter, blank + " |") + " " +
              Paint(SeverityColor(f.severity), excerpt.marker) + "\n";
    }
    Details(f, blank);
  }

  /// `app.tar (image) [linux/amd64]`: the heading for findings without a line.
  void GroupHeader(const Location& l) {
    std::string kind;
    for (const TargetStatus& t : report_.targets) {
      if (t.path == l.path) kind = std::string(TargetKindName(t.kind));
    }
    if (kind.empty() && !l.image_path.empty()) kind = "image";
    std::string source;
    for (const TargetStatus& t : report_.targets) {
      if (t.path == l.path && !t.source.empty()) source = " from " + t.source;
    }
    std::string header = l.path + (kind.empty() ? "" : " (" + kind + source + ")");
    if (!l.platform.empty()) header += " [" + l.platform + "]";
    out_ += Paint(kBold, header) + "\n";
  }

  void GroupedDiagnostic(const Finding& f) {
    const Location& l = f.location;
    out_ += "  " + Label(f) + ": " + Paint(kBold, f.message) + "\n";
    if (!l.image_path.empty() || !l.layer_digest.empty()) {
      std::string where = l.image_path;
      if (!l.layer_digest.empty()) {
        where += (where.empty() ? "" : "  ") + std::string("layer ") + ShortDigest(l.layer_digest);
      }
      out_ += "    " + Paint(kGutter, "-->") + " " + TerminalSafe(where) + "\n";
    }
    Details(f, "   ");
  }

  /// `= note: related …` and `= help: …` lines, continuation lines aligned.
  void Details(const Finding& f, const std::string& indent) {
    for (const Location& r : f.related) {
      std::string where = Position(r);
      if (!r.image_path.empty()) where += " " + r.image_path;
      AnnotatedLines(indent, "note", "related: " + where);
    }
    if (!f.recommendation.empty()) Help(f, indent);
  }

  /// A recommendation's first line, then its snippet (the lines after it).
  /// Each distinct snippet is printed once per target, at its first finding;
  /// later findings keep their one-line help and refer to it, as rustc does
  /// with a long note. JSON and SARIF keep the full text on every finding.
  void Help(const Finding& f, const std::string& indent) {
    const std::string_view text = f.recommendation;
    const size_t newline = text.find('\n');
    if (newline == std::string_view::npos) {
      AnnotatedLines(indent, "help", text);
      return;
    }
    const std::string key = f.location.path + '\0' + std::string(text.substr(newline + 1));
    auto [first, inserted] = snippets_.emplace(key, f.location);
    if (inserted) {
      AnnotatedLines(indent, "help", text);
      return;
    }
    std::string head(text.substr(0, newline));
    while (!head.empty() && (head.back() == ':' || head.back() == ' ')) head.pop_back();
    head += first->second.line > 0 ? " (snippet as at " + Position(first->second) + " above)"
                                   : " (snippet as above)";
    AnnotatedLines(indent, "help", head);
  }

  void AnnotatedLines(const std::string& indent, std::string_view label, std::string_view text) {
    std::string head = "= " + std::string(label) + ": ";
    std::string continuation = indent + " " + std::string(head.size(), ' ');
    out_ += indent + " " + Paint(kBold, head.substr(0, head.size() - 1)) + " ";
    size_t start = 0;
    bool first = true;
    while (start <= text.size()) {
      size_t end = text.find('\n', start);
      if (end == std::string_view::npos) end = text.size();
      std::string_view line = text.substr(start, end - start);
      if (!first) out_ += line.empty() ? "" : continuation;
      out_ += TerminalSafe(line) + "\n";
      first = false;
      start = end + 1;
    }
  }

  std::optional<std::string_view> SourceLine(const std::string& path, int line) {
    auto it = lines_.find(path);
    if (it == lines_.end()) {
      auto source = report_.sources.find(path);
      const bool shown =
          source != report_.sources.end() && source->second.size() <= kMaxExcerptSourceBytes;
      it = lines_.emplace(path, shown ? std::make_unique<SourceLines>(source->second) : nullptr)
               .first;
    }
    if (!it->second) return std::nullopt;
    return it->second->Line(line);
  }

  void Summary() {
    auto counts = report_.Counts();
    std::vector<std::string> unreadable;
    for (const TargetStatus& t : report_.targets) {
      if (t.error) unreadable.push_back(t.path);
    }
    std::string summary = Plural(counts[static_cast<int>(Severity::kError)], "error") + ", " +
                          Plural(counts[static_cast<int>(Severity::kWarning)], "warning") + ", " +
                          Plural(counts[static_cast<int>(Severity::kNote)], "note") + " in " +
                          Plural(static_cast<int>(report_.targets.size()), "target");
    if (!unreadable.empty()) {
      summary += " (" + std::to_string(unreadable.size()) + " unreadable:";
      for (const std::string& path : unreadable) summary += " " + path;
      summary += ")";
    }
    if (!out_.empty()) out_ += "\n";
    // Where each image that is not a file came from, findings or not.
    for (const TargetStatus& t : report_.targets) {
      if (!t.source.empty() && !t.error) {
        out_ += TerminalSafe(t.path) + ": image read from " + TerminalSafe(t.source) + "\n";
      }
    }
    out_ += Paint(kBold, summary) + "\n";
  }

  const LintReport& report_;
  const TextOptions& options_;
  std::map<std::string, std::unique_ptr<SourceLines>> lines_;
  std::map<std::string, Location> snippets_;  // path + snippet -> first finding showing it
  std::string out_;
};

}  // namespace

std::string RenderText(const LintReport& report, const TextOptions& options) {
  return TextRenderer(report, options).Render();
}

}  // namespace imglint
