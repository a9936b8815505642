// SPDX-License-Identifier: Apache-2.0
#include "analyzer/source/image_ref.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstddef>
#include <string>

#include "analyzer/text.h"

namespace imglint {
namespace {

constexpr std::string_view kDefaultDomain = "docker.io";
constexpr std::string_view kLegacyDomain = "index.docker.io";
constexpr std::string_view kHubApiHost = "registry-1.docker.io";
constexpr std::string_view kHubConfigKey = "https://index.docker.io/v1/";
constexpr std::string_view kOfficialPrefix = "library/";
constexpr std::size_t kNameMax = 255;  // distribution's NameTotalLengthMax
constexpr std::size_t kTagMax = 128;
constexpr std::size_t kSha256HexLength = 64;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || IsDigit(c); }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAlnum(char c) { return IsAlpha(c) || IsDigit(c); }
bool IsWordChar(char c) { return IsAlnum(c) || c == '_'; }
bool IsHexDigit(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool IsLowerHexDigit(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f'); }
bool HasUpper(std::string_view s) {
  for (char c : s) {
    if (c >= 'A' && c <= 'Z') return true;
  }
  return false;
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string Quote(std::string_view s) {
  // Appended, not "\"" + … + "\"": GCC 12 -O3 warns falsely (-Wrestrict).
  std::string out = "\"";
  out += EscapeForMessage(s);
  out += '"';
  return out;
}

bool Fail(std::string* err, std::string_view reason) {
  *err = "invalid reference format: " + std::string(reason);
  return false;
}

// path-component := [a-z0-9]+ ( ("." | "_" | "__" | "-"+) [a-z0-9]+ )*
// Rejects "", "..", "a-", "-a", "a..b", "a___b".
bool IsPathComponent(std::string_view c) {
  std::size_t i = 0;
  while (true) {
    const std::size_t start = i;
    while (i < c.size() && IsLowerAlnum(c[i])) ++i;
    if (i == start) return false;
    if (i == c.size()) return true;
    if (c[i] == '.') {
      ++i;
    } else if (c[i] == '_') {
      ++i;
      if (i < c.size() && c[i] == '_') ++i;
    } else if (c[i] == '-') {
      while (i < c.size() && c[i] == '-') ++i;
    } else {
      return false;
    }
  }
}

// domain-name := component ("." component)*, component := [a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?
bool IsDomainName(std::string_view host) {
  if (host.empty()) return false;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = host.find('.', start);
    const std::string_view part =
        host.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (part.empty() || !IsAlnum(part.front()) || !IsAlnum(part.back())) return false;
    for (char c : part) {
      if (!IsAlnum(c) && c != '-') return false;
    }
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

bool IsPort(std::string_view port) {
  if (port.empty()) return false;
  for (char c : port) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

// domain := (domain-name | "[" [0-9a-fA-F:]+ "]") [":" port]; the IPv6 form is
// as loose as Docker's (no address validation), so we accept what it accepts.
bool IsDomain(std::string_view d) {
  if (!d.empty() && d.front() == '[') {
    const std::size_t close = d.find(']');
    if (close == std::string_view::npos || close == 1) return false;
    for (char c : d.substr(1, close - 1)) {
      if (!IsHexDigit(c) && c != ':') return false;
    }
    const std::string_view rest = d.substr(close + 1);
    return rest.empty() || (rest.front() == ':' && IsPort(rest.substr(1)));
  }
  const std::size_t colon = d.find(':');
  if (colon == std::string_view::npos) return IsDomainName(d);
  return IsDomainName(d.substr(0, colon)) && IsPort(d.substr(colon + 1));
}

// tag := [\w][\w.-]{0,127}
bool IsTag(std::string_view tag) {
  if (tag.empty() || tag.size() > kTagMax || !IsWordChar(tag.front())) return false;
  for (char c : tag) {
    if (!IsWordChar(c) && c != '.' && c != '-') return false;
  }
  return true;
}

// algorithm := [A-Za-z][A-Za-z0-9]* ([-_+.][A-Za-z][A-Za-z0-9]*)*
bool IsDigestAlgorithm(std::string_view alg) {
  std::size_t i = 0;
  while (true) {
    if (i >= alg.size() || !IsAlpha(alg[i])) return false;
    while (i < alg.size() && IsAlnum(alg[i])) ++i;
    if (i == alg.size()) return true;
    const char sep = alg[i];
    if (sep != '-' && sep != '_' && sep != '+' && sep != '.') return false;
    ++i;
  }
}

bool CheckDigest(std::string_view digest, std::string* err) {
  const std::size_t colon = digest.find(':');
  if (colon == std::string_view::npos || !IsDigestAlgorithm(digest.substr(0, colon))) {
    return Fail(err, "invalid digest " + Quote(digest) + " (expected sha256:<64 hex digits>)");
  }
  const std::string_view alg = digest.substr(0, colon);
  const std::string_view hex = digest.substr(colon + 1);
  if (alg != "sha256") {
    return Fail(err, "unsupported digest algorithm " + Quote(alg) + " (only sha256 is supported)");
  }
  bool lower_hex = hex.size() == kSha256HexLength;
  for (char c : hex) lower_hex = lower_hex && IsLowerHexDigit(c);
  if (!lower_hex) {
    return Fail(
        err, "invalid digest " + Quote(digest) + " (a sha256 digest has 64 lower-case hex digits)");
  }
  return true;
}

bool IsIdentifier(std::string_view text) {
  if (text.size() != kSha256HexLength) return false;
  for (char c : text) {
    if (!IsLowerHexDigit(c)) return false;
  }
  return true;
}

// Docker's domain detection (distribution/reference splitDockerDomain): the
// first of several components is a domain when it is "localhost", contains
// "." or ":", or has upper case (which a repository path may not have).
bool LooksLikeDomain(std::string_view first) {
  return first == "localhost" || first.find_first_of(".:") != std::string_view::npos ||
         HasUpper(first);
}

std::string Suffix(const ImageRef& ref) {
  std::string out;
  if (!ref.tag.empty()) out += ":" + ref.tag;
  if (!ref.digest.empty()) out += "@" + ref.digest;
  return out;
}

// "host:port" / "[v6]:port" / "v6" -> host, with a well-formed port or none.
bool SplitHostPort(std::string_view domain, std::string* host) {
  std::string_view port;
  if (!domain.empty() && domain.front() == '[') {
    const std::size_t close = domain.find(']');
    if (close == std::string_view::npos) return false;
    *host = std::string(domain.substr(1, close - 1));
    const std::string_view rest = domain.substr(close + 1);
    if (rest.empty()) return true;
    if (rest.front() != ':') return false;
    port = rest.substr(1);
  } else if (domain.find(':') != domain.rfind(':')) {
    *host = std::string(domain);  // bare IPv6 such as "::1"
    return true;
  } else {
    const std::size_t colon = domain.find(':');
    *host = std::string(domain.substr(0, colon));
    if (colon == std::string_view::npos) return true;
    port = domain.substr(colon + 1);
  }
  if (port.empty() || port.size() > 5 || !IsPort(port)) return false;
  return std::stoi(std::string(port)) <= 65535;
}

}  // namespace

std::string ImageRef::Name() const { return domain + "/" + repository; }

std::string ImageRef::String() const { return Name() + Suffix(*this); }

std::string ImageRef::Familiar() const {
  if (domain != kDefaultDomain) return Name() + Suffix(*this);
  std::string_view path = repository;
  if (path.starts_with(kOfficialPrefix) &&
      path.substr(kOfficialPrefix.size()).find('/') == std::string_view::npos) {
    path.remove_prefix(kOfficialPrefix.size());
  }
  // Unlike Docker's FamiliarString, keep "docker.io/" when the short form
  // would read back as another registry ("docker.io/my.org/app").
  const std::size_t slash = path.find('/');
  if (slash != std::string_view::npos && LooksLikeDomain(path.substr(0, slash))) {
    return Name() + Suffix(*this);
  }
  return std::string(path) + Suffix(*this);
}

std::string ImageRef::ManifestReference() const {
  if (!digest.empty()) return digest;
  return tag.empty() ? "latest" : tag;
}

bool ParseImageRef(std::string_view text, ImageRef* out, std::string* err) {
  std::string ignored;
  if (err == nullptr) err = &ignored;
  if (text.empty()) return Fail(err, "empty reference");
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c == 0x7f) return Fail(err, "contains whitespace or a control character");
    if (c >= 0x80) return Fail(err, "contains a non-ASCII character");
  }
  if (const std::size_t scheme = text.find("://"); scheme != std::string_view::npos) {
    return Fail(err, "transport " + Quote(text.substr(0, scheme + 3)) +
                         " is not part of an image reference");
  }
  if (IsIdentifier(text)) {
    *err = "invalid repository name: cannot specify 64-byte hexadecimal strings";
    return false;
  }

  // reference := name [":" tag] ["@" digest]; neither tag nor digest contains
  // "/" or "@", so the first "@" and a ":" after the last "/" delimit them.
  std::string_view name = text;
  std::string_view digest;
  std::string_view tag;
  bool has_digest = false;
  bool has_tag = false;
  if (const std::size_t at = name.find('@'); at != std::string_view::npos) {
    digest = name.substr(at + 1);
    name = name.substr(0, at);
    has_digest = true;
  }
  const std::size_t last_colon = name.rfind(':');
  const std::size_t last_slash = name.rfind('/');
  if (last_colon != std::string_view::npos &&
      (last_slash == std::string_view::npos || last_colon > last_slash)) {
    tag = name.substr(last_colon + 1);
    name = name.substr(0, last_colon);
    has_tag = true;
  }
  if (name.empty()) return Fail(err, "repository name must have at least one component");

  std::string domain(kDefaultDomain);
  std::string_view path = name;
  if (const std::size_t slash = name.find('/'); slash != std::string_view::npos) {
    if (LooksLikeDomain(name.substr(0, slash))) {
      domain = std::string(name.substr(0, slash));
      path = name.substr(slash + 1);
    }
  }
  if (HasUpper(path)) return Fail(err, "repository name must be lowercase");
  if (!IsDomain(domain)) return Fail(err, "invalid registry domain " + Quote(domain));
  if (domain == kLegacyDomain) domain = std::string(kDefaultDomain);
  if (path.empty()) return Fail(err, "repository name must have at least one component");
  for (std::size_t start = 0;;) {
    const std::size_t slash = path.find('/', start);
    const std::string_view component = path.substr(
        start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (component.empty()) return Fail(err, "repository name has an empty path component");
    if (!IsPathComponent(component)) {
      return Fail(err, "invalid repository path component " + Quote(component));
    }
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  std::string repository(path);
  if (domain == kDefaultDomain && path.find('/') == std::string_view::npos) {
    repository = std::string(kOfficialPrefix) + repository;
  }
  if (domain.size() + 1 + repository.size() > kNameMax) {
    return Fail(err, "repository name must not be more than 255 characters");
  }

  if (has_tag && tag.empty()) return Fail(err, "empty tag");
  if (has_tag && !IsTag(tag)) {
    return Fail(err, "invalid tag " + Quote(tag.substr(0, kTagMax + 1)) +
                         " (up to 128 letters, digits, '_', '.', '-'; not starting with '.' "
                         "or '-')");
  }
  if (has_digest && !CheckDigest(digest, err)) return false;

  out->domain = std::move(domain);
  out->repository = std::move(repository);
  out->tag = has_tag ? std::string(tag) : (has_digest ? "" : "latest");
  out->digest = std::string(digest);
  return true;
}

bool IsDockerHubDomain(std::string_view domain) {
  const std::string lower = AsciiLower(domain);
  return lower == kDefaultDomain || lower == kLegacyDomain || lower == kHubApiHost;
}

std::string RegistryApiHost(std::string_view domain) {
  return IsDockerHubDomain(domain) ? std::string(kHubApiHost) : std::string(domain);
}

std::string DockerConfigKey(std::string_view domain) {
  return IsDockerHubDomain(domain) ? std::string(kHubConfigKey) : std::string(domain);
}

bool IsLoopbackRegistry(std::string_view domain) {
  std::string host;
  if (!SplitHostPort(domain, &host) || host.empty()) return false;
  host = AsciiLower(host);
  if (host == "localhost") return true;
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) {
    if (IN6_IS_ADDR_LOOPBACK(&v6)) return true;
    return IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127;  // ::ffff:127.0.0.1
  }
  return false;
}

}  // namespace imglint
