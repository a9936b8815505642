// SPDX-License-Identifier: Apache-2.0
#include "analyzer/manifest/yaml_scan.h"

#include <array>
#include <vector>

namespace imglint {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// Decides whether the action starting at `{{` (text[0..]) is Helm-flavoured.
bool IsHelmAction(std::string_view text) {
  // Look at a bounded window: a hostile line of ten million `{` must not
  // make this quadratic.
  constexpr size_t kWindow = 256;
  std::string_view window = text.substr(0, kWindow);
  const size_t close = window.find("}}", 2);
  std::string_view body = window.substr(2, close == std::string_view::npos ? kWindow : close - 2);
  if (StartsWith(body, "-") || (!body.empty() && body.back() == '-')) return true;
  size_t i = 0;
  while (i < body.size() && IsBlank(body[i])) ++i;
  body.remove_prefix(i);
  if (StartsWith(body, "/*")) return true;
  static constexpr std::array<std::string_view, 6> kObjects = {
      ".Values", ".Release", ".Chart", ".Capabilities", ".Files", ".Template"};
  for (std::string_view object : kObjects) {
    if (body.find(object) != std::string_view::npos) return true;
  }
  static constexpr std::array<std::string_view, 9> kFunctions = {
      "include ", "template ", "define ", "tpl ",     "toYaml ",
      "toJson ",  "required ", "lookup ", "fromYaml "};
  for (std::string_view fn : kFunctions) {
    if (StartsWith(body, fn)) return true;
  }
  return false;
}

constexpr size_t kMaxActionsExamined = 10000;

class Scanner {
 public:
  Scanner(std::string_view text, int limit) : text_(text), limit_(limit) {}

  YamlScan Run() {
    size_t pos = 0;
    int line_no = 0;
    while (pos <= text_.size() && !out_.depth_exceeded) {
      size_t eol = text_.find('\n', pos);
      if (eol == std::string_view::npos) eol = text_.size();
      ++line_no;
      ScanLine(text_.substr(pos, eol - pos), line_no);
      if (eol == text_.size()) break;
      pos = eol + 1;
    }
    return out_;
  }

 private:
  void NoteDepth(int depth, int line_no, size_t col) {
    if (depth > out_.max_depth) out_.max_depth = depth;
    if (depth > limit_ && !out_.depth_exceeded) {
      out_.depth_exceeded = true;
      out_.depth_line = line_no;
      out_.depth_column = static_cast<int>(col) + 1;
    }
  }

  // Notes the action at rest[0] and returns how many `{` it starts with, so
  // callers skip a run of braces in one step instead of once per brace.
  size_t NoteTemplate(std::string_view rest, int line_no, size_t col) {
    // Bounded, so a caller that does not skip (a `{{` opening a scalar) stays linear.
    constexpr size_t kMaxRun = 256;
    size_t run = 0;
    while (run < rest.size() && run < kMaxRun && rest[run] == '{') ++run;
    if (!out_.has_template) {
      out_.has_template = true;
      out_.template_line = line_no;
      out_.template_column = static_cast<int>(col) + 1;
    }
    // Helm charts show their markers early; examining every action of a
    // hostile "{{a{{a{{a…" line would cost a window scan per action.
    if (out_.has_helm_markers || ++actions_examined_ > kMaxActionsExamined) return run;
    if (IsHelmAction(rest)) {
      out_.has_helm_markers = true;
      out_.helm_line = line_no;
      out_.helm_column = static_cast<int>(col) + 1;
    }
    return run;
  }

  // Block-scalar content: only template actions matter, nothing is structure.
  void ScanOpaque(std::string_view line, int line_no) {
    for (size_t i = line.find("{{"); i != std::string_view::npos; i = line.find("{{", i)) {
      i += NoteTemplate(line.substr(i), line_no, i);
    }
  }

  void ScanLine(std::string_view line, int line_no) {
    size_t indent = 0;
    while (indent < line.size() && line[indent] == ' ') ++indent;
    const bool blank =
        indent == line.size() || (line.find_first_not_of(" \t\r") == std::string_view::npos);
    if (block_scalar_indent_ >= 0) {
      if (blank || static_cast<int>(indent) > block_scalar_indent_) {
        ScanOpaque(line, line_no);
        return;
      }
      block_scalar_indent_ = -1;
    }
    if (blank) return;
    const bool structural = !in_single_ && !in_double_ && flow_depth_ == 0;
    if (structural && line[indent] != '#') {
      if (indent == 0 && (StartsWith(line, "---") || StartsWith(line, "..."))) {
        stack_.clear();
      } else {
        while (!stack_.empty() && stack_.back() > indent) stack_.pop_back();
        if (stack_.empty() || stack_.back() < indent) stack_.push_back(indent);
      }
    }
    bool leading = structural;  // only indicators seen so far on this line
    block_parent_ = static_cast<int>(indent);
    bool scalar_start = true;
    for (size_t i = indent; i < line.size(); ++i) {
      const char c = line[i];
      if (in_single_) {
        if (c == '\'') {
          if (i + 1 < line.size() && line[i + 1] == '\'') {
            ++i;
          } else {
            in_single_ = false;
            scalar_start = false;
          }
        } else if (c == '{' && i + 1 < line.size() && line[i + 1] == '{') {
          i += NoteTemplate(line.substr(i), line_no, i) - 1;
        }
        continue;
      }
      if (in_double_) {
        if (c == '\\') {
          ++i;
        } else if (c == '"') {
          in_double_ = false;
          scalar_start = false;
        } else if (c == '{' && i + 1 < line.size() && line[i + 1] == '{') {
          i += NoteTemplate(line.substr(i), line_no, i) - 1;
        }
        continue;
      }
      if (c == '#' && (i == 0 || IsBlank(line[i - 1]))) return;  // comment
      if (c == '{' && i + 1 < line.size() && line[i + 1] == '{' && !scalar_start) {
        // Inside a plain scalar: not structure, just template text.
        i += NoteTemplate(line.substr(i), line_no, i) - 1;
        continue;
      }
      if (c == '{' && i + 1 < line.size() && line[i + 1] == '{') {
        NoteTemplate(line.substr(i), line_no, i);  // `{{` opening a scalar also nests
      }
      const bool followed_by_blank =
          i + 1 == line.size() || IsBlank(line[i + 1]) || line[i + 1] == '\r';
      if (IsBlank(c) || c == '\r') continue;
      if ((c == '-' || c == '?') && followed_by_blank) {
        block_parent_ = static_cast<int>(i);
        if (leading) {
          // Compact nesting: `- - x` opens a new level per indicator.
          stack_.push_back(i + 2);
          NoteDepth(Depth(), line_no, i);
          if (out_.depth_exceeded) return;
        }
        scalar_start = true;
        continue;
      }
      leading = false;
      if (c == ':' && (followed_by_blank ||
                       (flow_depth_ > 0 && i + 1 < line.size() &&
                        (line[i + 1] == ',' || line[i + 1] == ']' || line[i + 1] == '}')))) {
        // A block scalar after `key:` belongs to the key's column.
        block_parent_ = structural && !stack_.empty() ? static_cast<int>(stack_.back())
                                                      : static_cast<int>(indent);
        scalar_start = true;
        continue;
      }
      if (scalar_start && (c == '[' || c == '{')) {
        ++flow_depth_;
        NoteDepth(Depth(), line_no, i);
        if (out_.depth_exceeded) return;  // a 10 MB line of `[` stops here
        continue;
      }
      if (flow_depth_ > 0 && (c == ']' || c == '}')) {
        --flow_depth_;
        scalar_start = false;
        continue;
      }
      if (flow_depth_ > 0 && c == ',') {
        scalar_start = true;
        continue;
      }
      if (!scalar_start) continue;
      if (c == '\'') {
        in_single_ = true;
      } else if (c == '"') {
        in_double_ = true;
      } else if (c == '&' || c == '!' || c == '*') {
        // Anchor, tag or alias: a token, then the scalar (if any) starts.
        if (c == '*') out_.has_aliases = true;
        while (i + 1 < line.size() && !IsBlank(line[i + 1]) && line[i + 1] != ',' &&
               line[i + 1] != ']' && line[i + 1] != '}') {
          ++i;
        }
        continue;
      } else if ((c == '|' || c == '>') && flow_depth_ == 0) {
        block_scalar_indent_ = block_parent_;
        return;
      }
      scalar_start = false;
    }
    NoteDepth(Depth(), line_no, indent);
  }

  int Depth() const { return static_cast<int>(stack_.size()) + flow_depth_; }

  std::string_view text_;
  int limit_;
  YamlScan out_;
  std::vector<size_t> stack_;  // indentation columns of the open block levels
  int flow_depth_ = 0;
  bool in_single_ = false;
  bool in_double_ = false;
  int block_scalar_indent_ = -1;  // >= 0 while inside a block scalar's content
  int block_parent_ = 0;
  size_t actions_examined_ = 0;  // column a block scalar starting here must out-indent
};

}  // namespace

YamlScan ScanYamlText(std::string_view text, int depth_limit) {
  return Scanner(text, depth_limit).Run();
}

}  // namespace imglint
