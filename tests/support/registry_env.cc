// SPDX-License-Identifier: Apache-2.0
#include "tests/support/registry_env.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <sstream>
#include <stdexcept>

#include "tests/support/image_builder.h"
#include "tests/support/temp_dir.h"

namespace imglint::testing {
namespace {

using json = nlohmann::json;

constexpr std::string_view kNotStarted = "the registry fixture did not start: ";

std::string Trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

struct Loaded {
  std::map<std::string, Registry, std::less<>> registries;
  std::optional<ForwardProxy> proxy;
  std::string error;  // set when registries.json could not be read
};

const Loaded& Load() {
  static const Loaded loaded = [] {
    Loaded out;
    const char* state = std::getenv("IMGLINT_REGISTRY_STATE");
    if (state == nullptr || *state == '\0') {
      out.error = std::string(kNotStarted) +
                  "IMGLINT_REGISTRY_STATE is not set (run these tests through ctest, whose "
                  "registry.setup fixture runs tests/infra/registry.sh start)";
      return out;
    }
    std::string file = std::string(state) + "/registries.json";
    std::ifstream in(file);
    if (!in) {
      out.error = std::string(kNotStarted) + "IMGLINT_REGISTRY_STATE=" + state + " has no " + file +
                  " (see the registry.setup test's output)";
      return out;
    }
    json doc = json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (!doc.is_object()) {
      out.error = std::string(kNotStarted) + file + " (IMGLINT_REGISTRY_STATE) is not valid JSON";
      return out;
    }
    auto field = [](const json& j, const char* key) {
      auto it = j.find(key);
      return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    for (const auto& [name, j] : doc.items()) {
      if (name == "proxy") {
        out.proxy = ForwardProxy{field(j, "host"), field(j, "domain"), field(j, "request_log")};
        continue;
      }
      Registry r;
      r.name = name;
      r.host = field(j, "host");
      r.scheme = field(j, "scheme");
      r.ca = field(j, "ca");
      r.cert_dir = field(j, "cert_dir");
      r.storage = field(j, "storage");
      r.log = field(j, "log");
      r.username = field(j, "username");
      r.password = field(j, "password");
      r.token_realm = field(j, "token_realm");
      r.token_log = field(j, "token_log");
      r.blob_host = field(j, "blob_host");
      r.blob_log = field(j, "blob_log");
      r.upstream = field(j, "upstream");
      r.request_log = field(j, "request_log");
      out.registries.emplace(name, std::move(r));
    }
    return out;
  }();
  return loaded;
}

// Whether `unshare --user` works here; checked once.
bool CanUnshareUser() {
  static const bool ok = RunCommand({"unshare", "--user", "true"}).exit_code == 0;
  return ok;
}

std::string HexDigest(std::string_view digest) {
  std::size_t colon = digest.find(':');
  if (colon == std::string_view::npos)
    throw std::runtime_error("not a digest: " + std::string(digest));
  return std::string(digest.substr(colon + 1));
}

}  // namespace

std::string Registry::Ref(std::string_view repo_ref) const {
  return host + "/" + std::string(repo_ref);
}

std::string Registry::DockerRef(std::string_view repo_ref) const {
  return "docker://" + Ref(repo_ref);
}

std::string Registry::Url(std::string_view path) const {
  return scheme + "://" + host + std::string(path);
}

std::string Registry::BlobStoragePath(std::string_view digest) const {
  std::string hex = HexDigest(digest);
  return "/docker/registry/v2/blobs/sha256/" + hex.substr(0, 2) + "/" + hex + "/data";
}

std::string Registry::BlobFile(std::string_view digest) const {
  return storage + BlobStoragePath(digest);
}

std::string RegistryStateDir() {
  const char* state = std::getenv("IMGLINT_REGISTRY_STATE");
  if (state == nullptr || *state == '\0') {
    throw std::runtime_error(std::string(kNotStarted) + "IMGLINT_REGISTRY_STATE is not set");
  }
  return state;
}

const Registry& GetRegistry(std::string_view name) {
  const Loaded& loaded = Load();
  if (!loaded.error.empty()) throw std::runtime_error(loaded.error);
  auto it = loaded.registries.find(name);
  if (it == loaded.registries.end()) {
    throw std::runtime_error(std::string(kNotStarted) + "no instance \"" + std::string(name) +
                             "\" in $IMGLINT_REGISTRY_STATE/registries.json");
  }
  return it->second;
}

const ForwardProxy& GetForwardProxy() {
  const Loaded& loaded = Load();
  if (!loaded.error.empty()) throw std::runtime_error(loaded.error);
  if (!loaded.proxy) {
    throw std::runtime_error(std::string(kNotStarted) +
                             "no \"proxy\" in $IMGLINT_REGISTRY_STATE/registries.json");
  }
  return *loaded.proxy;
}

CliResult RunSkopeo(const std::vector<std::string>& args, const std::string& stdin_data) {
  std::string state = RegistryStateDir();
  TempDir home;
  EnvChanges env{
      {"HOME", home.path()},
      {"XDG_DATA_HOME", home.File("data")},
      {"XDG_CONFIG_HOME", home.File("config")},
      {"XDG_RUNTIME_DIR", home.path()},
      {"TMPDIR", home.path()},
      {"DOCKER_CONFIG", home.File("docker")},
      {"REGISTRY_AUTH_FILE", state + "/empty-auth.json"},
      {"CONTAINERS_REGISTRIES_CONF", state + "/registries.conf"},
  };
  std::vector<std::string> argv;
  if (CanUnshareUser()) {
    // As uid 0 skopeo writes its blob-info cache to /var/lib/containers;
    // in a user namespace without mappings it runs as "nobody" (while the
    // kernel still checks files as the real user) and uses XDG_DATA_HOME.
    argv = {"unshare", "--user"};
  }
  // --tmpdir: without it skopeo stages big files in /var/tmp whatever TMPDIR says.
  argv.insert(argv.end(),
              {"skopeo", "--policy", state + "/policy.json", "--tmpdir", home.File("tmp")});
  std::filesystem::create_directories(home.File("tmp"));
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv, env, stdin_data);
}

std::vector<std::string> SkopeoRegistryFlags(const Registry& registry, bool credentials,
                                             const std::string& prefix) {
  std::vector<std::string> flags;
  if (registry.scheme == "https") {
    flags.insert(flags.end(), {"--" + prefix + "cert-dir", registry.cert_dir});
  } else {
    // skopeo speaks plain HTTP only when TLS verification is off.
    flags.push_back("--" + prefix + "tls-verify=false");
  }
  flags.insert(flags.end(), {"--" + prefix + "authfile", RegistryStateDir() + "/empty-auth.json"});
  if (credentials && registry.HasCredentials()) {
    flags.insert(flags.end(),
                 {"--" + prefix + "creds", registry.username + ":" + registry.password});
  } else {
    flags.push_back("--" + prefix + "no-creds");
  }
  return flags;
}

PushedImage PushImage(const std::string& source, const Registry& registry,
                      const std::string& repo_tag, const PushOptions& options) {
  TempDir work;
  std::string digest_file = work.File("digest");
  std::string from = source;
  if (from.starts_with("oci-archive:")) {
    // skopeo unpacks an oci-archive itself and chowns what it unpacks to
    // 0:0, which fails in the user namespace RunSkopeo uses; an oci: layout
    // unpacked here is the same image.
    std::string rest = from.substr(std::string_view("oci-archive:").size());
    std::size_t colon = rest.find(':');
    std::string tarball = rest.substr(0, colon);
    std::string layout = work.File("layout");
    std::filesystem::create_directories(layout);
    CliResult untar = RunCommand({"tar", "-xf", tarball, "-C", layout});
    if (untar.exit_code != 0) {
      throw std::runtime_error("cannot unpack " + tarball + ": " + untar.err);
    }
    from = "oci:" + layout + (colon == std::string::npos ? "" : rest.substr(colon));
  }
  std::vector<std::string> args = {"copy", "--quiet", "--digestfile", digest_file};
  switch (options.format) {
    case PushFormat::kSource:
      break;
    case PushFormat::kOci:
      args.insert(args.end(), {"--format", "oci"});
      break;
    case PushFormat::kV2s2:
      args.insert(args.end(), {"--format", "v2s2"});
      break;
  }
  switch (options.compression) {
    case PushCompression::kSource:
      break;
    case PushCompression::kGzip:
      args.insert(args.end(), {"--dest-compress-format", "gzip"});
      break;
    case PushCompression::kZstd:
      args.insert(args.end(), {"--dest-compress-format", "zstd"});
      break;
  }
  if (options.all) args.push_back("--all");
  std::vector<std::string> dest = SkopeoRegistryFlags(registry, options.credentials, "dest-");
  if (registry.scheme == "https" && options.tls == PushTls::kNoVerify) {
    dest[0] = "--dest-tls-verify=false";
    dest.erase(dest.begin() + 1);
  }
  args.insert(args.end(), dest.begin(), dest.end());
  args.push_back(from);
  args.push_back(registry.DockerRef(repo_tag));
  CliResult copy = RunSkopeo(args);
  if (copy.exit_code != 0) {
    throw std::runtime_error("skopeo copy " + source + " " + registry.DockerRef(repo_tag) +
                             " failed (exit " + std::to_string(copy.exit_code) + "): " + copy.err);
  }
  PushedImage pushed;
  pushed.reference = registry.Ref(repo_tag);
  pushed.digest = Trimmed(ReadFileBytes(digest_file));
  pushed.manifest = InspectRaw(registry, repo_tag);
  if (DigestOf(pushed.manifest) != pushed.digest) {
    throw std::runtime_error("skopeo reported " + pushed.digest + " for " + pushed.reference +
                             " but the registry serves a manifest of " + DigestOf(pushed.manifest));
  }
  return pushed;
}

std::string InspectRaw(const Registry& registry, const std::string& repo_ref, bool config) {
  std::vector<std::string> args = {"inspect", "--raw"};
  if (config) args.push_back("--config");
  std::vector<std::string> flags = SkopeoRegistryFlags(registry, /*credentials=*/true);
  args.insert(args.end(), flags.begin(), flags.end());
  args.push_back(registry.DockerRef(repo_ref));
  CliResult r = RunSkopeo(args);
  if (r.exit_code != 0) {
    throw std::runtime_error("skopeo inspect " + registry.DockerRef(repo_ref) +
                             " failed: " + r.err);
  }
  return r.out;
}

CliResult Curl(const Registry& registry, bool credentials, const std::vector<std::string>& args,
               const std::string& stdin_data) {
  std::vector<std::string> argv = {"curl",         "--noproxy",  "*", "--silent",
                                   "--show-error", "--max-time", "20"};
  if (!registry.ca.empty()) argv.insert(argv.end(), {"--cacert", registry.ca});
  if (credentials && registry.HasCredentials()) {
    argv.insert(argv.end(), {"-u", registry.username + ":" + registry.password});
  }
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv, {}, stdin_data);
}

int PutManifest(const Registry& registry, const std::string& repo, const std::string& reference,
                const std::string& media_type, const std::string& body) {
  CliResult r = Curl(
      registry, /*credentials=*/true,
      {"-X", "PUT", "-H", "Content-Type: " + media_type, "--data-binary", "@-", "-o", "/dev/null",
       "-w", "%{http_code}", registry.Url("/v2/" + repo + "/manifests/" + reference)},
      body);
  if (r.exit_code != 0) return 0;
  return std::atoi(r.out.c_str());
}

std::vector<std::string> ReadLogLines(const std::string& path) {
  std::vector<std::string> lines;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

std::string UniqueName(std::string_view prefix) {
  static std::mutex mu;
  static std::mt19937_64 rng{std::random_device{}() ^ static_cast<std::uint64_t>(::getpid())};
  std::lock_guard<std::mutex> lock(mu);
  std::ostringstream out;
  out << prefix << "-" << std::hex << (rng() & 0xffffffffffULL);
  return out.str();
}

}  // namespace imglint::testing
