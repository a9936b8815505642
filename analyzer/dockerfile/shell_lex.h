// SPDX-License-Identifier: Apache-2.0
/// BuildKit's Dockerfile shell lexer (frontend/dockerfile/shell): variable
/// expansion and word splitting exactly as `docker build` applies them to
/// ENV, ARG, USER, EXPOSE, COPY, FROM … values. It is *not* a POSIX shell: it
/// knows quotes, the escape character, `$VAR`, `${VAR}`, `${VAR:-w}`,
/// `${VAR-w}`, `${VAR:+w}`, `${VAR+w}`, `${VAR:?w}`, `${VAR?w}`, `${VAR#p}`,
/// `${VAR##p}`, `${VAR%p}`, `${VAR%%p}`, `${VAR/p/r}` and `${VAR//p/r}`.
///
/// Unlike BuildKit we also report which variables were needed but unset
/// (`unresolved`), so rules can say "cannot tell" instead of guessing.
/// Nesting of `${…}` is bounded (no recursion proportional to the input).
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace imglint::dockerfile {

/// A set of variables (name -> value). A name that is absent is *unset*;
/// an empty value is set-but-empty (`${X-d}` and `${X:-d}` differ on it).
/// A scope may fall back to another one (a stage's ENV over its ARGs) so
/// that lookups never need to copy maps.
class VarScope {
 public:
  /// kUnknown: the variable is set, but to a value we cannot know (its own
  /// definition used unresolved variables). Expanding it reports it as
  /// unresolved; `${X:-d}` cannot tell whether `d` applies.
  enum class State { kUnset, kSet, kUnknown };

  VarScope() = default;
  explicit VarScope(const VarScope* fallback) : fallback_(fallback) {}

  void Set(const std::string& name, std::string value) {
    vars_[name] = Var{std::move(value), true};
  }
  void SetUnknown(const std::string& name) { vars_[name] = Var{std::string(), false}; }
  void Unset(const std::string& name) { vars_.erase(name); }
  /// Own value, else the fallback's, else nullptr (unset or unknown).
  const std::string* Find(std::string_view name) const;
  /// Like Find, distinguishing unset from unknown.
  State Lookup(std::string_view name, const std::string** value) const;
  void set_fallback(const VarScope* fallback) { fallback_ = fallback; }

 private:
  struct Var {
    std::string value;
    bool known = true;
  };
  std::map<std::string, Var, std::less<>> vars_;
  const VarScope* fallback_ = nullptr;
};

/// The knobs of BuildKit's shell.Lex.
struct LexOptions {
  char escape = '\\';           ///< the Dockerfile escape character
  bool raw_quotes = false;      ///< keep quote characters in the output
  bool raw_escapes = false;     ///< keep escape characters in the output
  bool skip_unset_env = false;  ///< leave references to unset variables as written
  /// When set, bytes produced by variable substitution are deducted from it
  /// and expansion fails once it would go negative. `ENV A=$A$A` repeated
  /// doubles a value per line; a shared budget keeps that bounded.
  size_t* substitution_budget = nullptr;
};

struct LexResult {
  std::string word;                     ///< ProcessWord: one string, spaces kept
  std::vector<std::string> words;       ///< ProcessWords: split outside quotes
  std::vector<std::string> unresolved;  ///< unset variables whose value was used
};

/// Expands `input` (BuildKit's ProcessWord and ProcessWords in one pass).
/// Returns false with `*err` on a syntax error (unterminated quote, `${}`,
/// unsupported modifier, `${X?}` on an unset X, …).
bool ProcessShellWord(std::string_view input, const VarScope& env, const LexOptions& options,
                      LexResult* out, std::string* err);

/// Result of expanding one Dockerfile word against a scope.
struct ExpandResult {
  std::string value;
  /// Variables that were needed but have no value (and no default applied).
  /// Non-empty means `value` is not what the build will see.
  std::vector<std::string> unresolved;
  bool ok = true;     ///< false on a syntax error; `value` is then empty
  std::string error;  ///< the syntax error when !ok
  bool resolved() const { return ok && unresolved.empty(); }
};

/// ProcessWord: expands variables, removes quotes and escapes, keeps spaces.
/// `budget`: see LexOptions::substitution_budget.
ExpandResult Expand(std::string_view word, const VarScope& scope, char escape = '\\',
                    size_t* budget = nullptr);

/// ProcessWords: like Expand, then splits on unquoted whitespace.
struct ExpandWordsResult {
  std::vector<std::string> words;
  std::vector<std::string> unresolved;
  bool ok = true;
  std::string error;
};
ExpandWordsResult ExpandWords(std::string_view word, const VarScope& scope, char escape = '\\');

}  // namespace imglint::dockerfile
