// SPDX-License-Identifier: Apache-2.0
/// Small value types shared by the Kubernetes and Compose models: source
/// positions, located values, sysctls, non-fatal issues, read errors and the
/// resource limits that keep hostile YAML (docs/design.md §8) bounded in time and memory.
#pragma once

#include <cstddef>
#include <string>

namespace imglint {

/// A position in the YAML text. 1-based; 0 means unknown. yaml-cpp marks are
/// 0-based, so readers add one when they build a Pos.
struct Pos {
  int line = 0;
  int column = 0;
  bool operator==(const Pos&) const = default;
};

/// A value together with the position of the YAML node it came from, so a
/// rule can point at exactly the `runAsUser: 0` or `- NET_BIND_SERVICE` it judges.
template <typename T>
struct Located {
  T value{};
  Pos pos;
};

/// How a scalar resolves under the YAML schema its consumer uses. It matters
/// for sysctls: Kubernetes requires a string value, and `value: 0` (an int)
/// is rejected by the API server, while `value: "0"` is accepted.
enum class ScalarKind { kNull, kBool, kInt, kFloat, kString };

/// One sysctl setting (Kubernetes `securityContext.sysctls[]`, Compose `sysctls:`).
struct Sysctl {
  std::string name;
  std::string value;  // the scalar text as written ("0"), or "" for a non-scalar
  ScalarKind value_kind = ScalarKind::kString;
  Pos pos;        // the entry (the `name:` key / list item / map key)
  Pos value_pos;  // the value node
  bool value_is_string() const { return value_kind == ScalarKind::kString; }
};

/// Where a list was written, for edits that remove items from it
/// (`capabilities.add`, `cap_add`): its key, the list node, its style and
/// how many items it has (scalars or not).
struct ListLayout {
  Pos key_pos;
  Pos pos;
  bool flow = false;
  size_t items = 0;
  /// The mapping that holds the key, and whether it is a flow `{...}`: an
  /// emptied list's key is removed from it as an entry, not as a line.
  Pos map_pos;
  bool map_flow = false;
};

/// Something in the file that the owning tool would reject or that imglint
/// could not interpret (e.g. `containers` is not a list). Not fatal: the rest
/// of the file is still read.
struct Issue {
  Pos pos;
  std::string message;
};

/// Why a file could not be read at all. The caller prints
/// `path:line:column: error: message` and exits 2 (docs/design.md §5).
struct ReadError {
  enum class Kind {
    kInvalidYaml,   // the YAML parser rejected the text
    kHelmTemplate,  // an unrendered Helm template
    kLimit,         // a Limits bound was exceeded (hostile or absurd input)
    kNotManifest,   // valid YAML, but not the expected kind of document
  };
  Kind kind = Kind::kInvalidYaml;
  int line = 0;  // 1-based; 0 when the error has no position
  int column = 0;
  std::string message;
};

/// Bounds on untrusted YAML. yaml-cpp loads aliases as shared nodes, so
/// loading is linear in the text; walking the loaded graph is not (an alias
/// "billion laughs" multiplies), hence the visit budget. The depth bound is
/// checked on the raw text BEFORE yaml-cpp sees it, because yaml-cpp recurses
/// once per nesting level.
struct Limits {
  /// Larger inputs are refused outright. The largest real manifest in the
  /// corpus (argo-cd install.yaml with CRDs) is ~1.9 MB.
  size_t max_input_bytes = 64u << 20;
  /// Block + flow nesting levels. Real manifests stay below ~30.
  int max_depth = 256;
  /// Node visits while walking the loaded documents (map entries scanned,
  /// sequence items, scalars read), summed over all documents of one file.
  size_t max_node_visits = 1'000'000;
  /// Model elements built per file (workloads, containers, ports, sysctls,
  /// services, capabilities, …). Each costs a few hundred bytes, far more
  /// than a visit, so this bounds memory: 100k elements stay under ~50 MB.
  /// Real files have at most a few hundred.
  size_t max_elements = 100'000;
  /// YAML documents (`---`) per file.
  size_t max_documents = 100'000;
};

}  // namespace imglint
