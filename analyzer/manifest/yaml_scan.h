// SPDX-License-Identifier: Apache-2.0
/// A cheap, allocation-light pass over raw YAML text that runs BEFORE
/// yaml-cpp: it measures nesting depth (block indentation levels plus flow
/// brackets) so absurdly deep input is refused without giving yaml-cpp's
/// recursive parser a chance to exhaust the stack, notes whether aliases are
/// used (for a precise error message), and finds Go-template actions `{{ … }}`
/// outside comments (unrendered Helm charts).
///
/// It is a lexer-lite, not a parser: it understands comments, quoted scalars
/// (also across lines), block scalars (`|`, `>`), flow brackets and compact
/// `- - x` nesting. It may over-estimate depth a little on odd input (never by
/// more than a few levels on real files) and may under-estimate on malformed
/// input, where yaml-cpp's own depth guard is the backstop.
#pragma once

#include <string_view>

namespace imglint {

struct YamlScan {
  int max_depth = 0;
  bool depth_exceeded = false;  // max_depth > the limit; scanning stopped there
  int depth_line = 0;           // 1-based position where the limit was exceeded
  int depth_column = 0;
  bool has_aliases = false;  // an `*alias` appears at the start of a scalar
  /// First `{{` outside comments (in any scalar, quoted or not), 1-based.
  bool has_template = false;
  int template_line = 0;
  int template_column = 0;
  /// Some `{{ … }}` action looks like Helm rather than another Go-template
  /// user (Prometheus alert text uses `{{ $labels.x }}` inside strings): it
  /// references .Values/.Release/.Chart/.Capabilities/.Files/.Template, calls
  /// include/template/define/tpl/toYaml/…, or uses `{{-`/`-}}` trim markers.
  bool has_helm_markers = false;
  int helm_line = 0;
  int helm_column = 0;
};

/// Scans \a text; stops early once nesting exceeds \a depth_limit.
YamlScan ScanYamlText(std::string_view text, int depth_limit);

}  // namespace imglint
