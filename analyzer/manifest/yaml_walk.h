// SPDX-License-Identifier: Apache-2.0
/// Bounded, exception-free access to a loaded yaml-cpp document.
///
/// yaml-cpp's own accessors throw on type mismatches (`node["k"]` on a scalar)
/// and follow aliases into shared — even cyclic (`a: &a {b: *a}`) — node
/// graphs. Readers therefore never index nodes directly: they go through a
/// YamlWalker, which checks types, resolves merge keys (`<<: *defaults`, used
/// by Compose files and accepted by Kubernetes), records type problems as
/// Issues, and charges every node it touches to a visit budget so an alias
/// "billion laughs" ends with an error instead of exhausting time or memory.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "analyzer/manifest/yaml_types.h"

namespace imglint {

/// Which YAML schema resolves plain scalars. Kubernetes decodes YAML with a
/// go-yaml v2 fork (YAML 1.1: `yes`/`on` are booleans, `0755` is octal);
/// Compose uses go-yaml v3 (YAML 1.2 core schema).
enum class YamlSchema { kYaml11, kYaml12 };

/// Resolves an untagged plain scalar's text.
ScalarKind ResolvePlainScalar(std::string_view text, YamlSchema schema);

/// Resolves a scalar node: quoted and block scalars are strings, `!!str` /
/// `!!int` / … tags win, plain scalars go through ResolvePlainScalar.
/// Non-scalars resolve to kNull.
ScalarKind ResolveScalar(const YAML::Node& node, YamlSchema schema);

/// 1-based position of \a node (yaml-cpp marks are 0-based).
Pos PosOf(const YAML::Node& node);

/// For a block mapping or sequence, the 0-based column its entries start at
/// (the indentation a new sibling key needs); -1 for flow style and scalars.
int BlockIndentOf(const YAML::Node& node);

class YamlWalker {
 public:
  /// \a has_aliases only chooses the budget error message.
  YamlWalker(const Limits& limits, YamlSchema schema, bool has_aliases);

  YamlSchema schema() const { return schema_; }

  /// Charges one node to the budget. False once the budget is exhausted;
  /// callers then stop walking (every loop below already does).
  bool Visit();
  /// Charges one model element (a container, a port, …) to the element
  /// budget; false, and exhausted(), once it runs out.
  bool AddElement();
  bool exhausted() const { return exhausted_; }
  /// The error to report once exhausted().
  ReadError BudgetError() const;

  /// The value for \a key in mapping \a map, following merge keys. nullopt
  /// when \a map is not a mapping or has no such key. The key node's position
  /// goes to \a key_pos when given.
  std::optional<YAML::Node> Get(const YAML::Node& map, std::string_view key,
                                Pos* key_pos = nullptr);

  /// All (key, value) entries of \a map, merge keys expanded (own keys win).
  std::vector<std::pair<YAML::Node, YAML::Node>> Entries(const YAML::Node& map);

  /// Every (key, value) entry of \a map as written: duplicate keys and merge
  /// keys included, nothing expanded. Each entry is charged to the budget;
  /// stops early when it runs out. For strict readers (the configuration
  /// file) that judge exactly what the file says.
  std::vector<std::pair<YAML::Node, YAML::Node>> EntriesAsWritten(const YAML::Node& map);

  /// The items of sequence \a seq, each charged to the budget. Stops early
  /// when the budget runs out.
  std::vector<YAML::Node> Items(const YAML::Node& seq);

  /// A scalar value as text (any scalar kind). Records an issue naming
  /// \a what when the node exists but is not a scalar.
  std::optional<Located<std::string>> GetString(const YAML::Node& map, std::string_view key,
                                                std::string_view what);
  /// A plain integer value. Records an issue when present but not an integer.
  std::optional<Located<int64_t>> GetInt(const YAML::Node& map, std::string_view key,
                                         std::string_view what);
  /// A boolean value. \a accept_strings also takes "true"/"false" strings
  /// (Compose converts them; Kubernetes rejects them).
  std::optional<Located<bool>> GetBool(const YAML::Node& map, std::string_view key,
                                       std::string_view what, bool accept_strings = false);
  /// A list of scalars (e.g. `capabilities.add`); non-scalar items become
  /// issues. Where and how it is written goes to \a layout when given.
  std::vector<Located<std::string>> GetStringList(const YAML::Node& map, std::string_view key,
                                                  std::string_view what,
                                                  ListLayout* layout = nullptr);

  void AddIssue(Pos pos, std::string message);
  std::vector<Issue> TakeIssues() { return std::move(issues_); }

 private:
  std::optional<YAML::Node> GetImpl(const YAML::Node& map, std::string_view key, Pos* key_pos,
                                    int merge_depth);
  void CollectEntries(const YAML::Node& map, int merge_depth,
                      std::vector<std::pair<YAML::Node, YAML::Node>>* out,
                      std::unordered_set<std::string>* seen);

  Limits limits_;
  YamlSchema schema_;
  bool has_aliases_;
  size_t visits_ = 0;
  size_t elements_ = 0;
  bool exhausted_ = false;
  bool elements_exhausted_ = false;  // which budget ran out, for the message
  std::vector<Issue> issues_;
};

/// Parses a decimal integer with optional sign into int64 (overflow fails).
bool ParseInt64(std::string_view text, int64_t* out);

}  // namespace imglint
