// SPDX-License-Identifier: Apache-2.0
/// Lexical path handling for names that come from untrusted archives: layer
/// entry names become absolute in-image paths that can never climb above "/",
/// and member names inside an image tarball (manifest.json `Layers`, symlink
/// members) are normalised and rejected when they would escape the archive.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace imglint {

/// Absolute, normalised in-image path: strips "./", collapses "//", resolves
/// "." and ".." lexically; ".." at the root stays at the root. "" -> "/".
std::string NormalizeImagePath(std::string_view path);

/// Normalises a relative member name of an image tarball or layout directory
/// ("./blobs//sha256/x" -> "blobs/sha256/x"). Returns false when the name is
/// empty, absolute, or climbs above the archive root with "..".
bool NormalizeMemberName(std::string_view name, std::string* out);

/// "/usr/bin/passwd" -> "passwd"; "/" -> "".
std::string_view BaseName(std::string_view path);

/// "/usr/bin/passwd" -> "/usr/bin"; "/passwd" -> "/"; "a/b" -> "a"; "a" -> "".
std::string_view DirName(std::string_view path);

/// Joins a directory and a relative path (no normalisation).
std::string JoinPath(std::string_view dir, std::string_view rel);

/// Symlink hops allowed while resolving a path (Linux MAXSYMLINKS).
inline constexpr int kMaxSymlinkHops = 40;

/// Resolves `path` through the image's own symlinks, confined to the image:
/// absolute targets are relative to the image root and ".." stops at "/".
/// `symlink_target(p)` returns the target of the symlink at normalised path
/// `p`, or nullptr when `p` is not a symlink. Returns the final normalised
/// path, or nullopt on a loop (more than kMaxSymlinkHops).
std::optional<std::string> ResolveInImage(
    std::string_view path,
    const std::function<const std::string*(const std::string&)>& symlink_target);

}  // namespace imglint
