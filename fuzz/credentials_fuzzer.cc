// SPDX-License-Identifier: Apache-2.0
// The credential files users keep, as CredentialStore reads them: the bytes
// are written to a containers auth.json (REGISTRY_AUTH_FILE) and, in a
// second store, to Docker's config.json (DOCKER_CONFIG), then looked up for
// a few registries the seeds name, Docker Hub's aliases included. The
// environment is the harness's own: PATH names a directory that does not
// exist, so a credHelpers/credsStore entry is resolved and reported but no
// docker-credential-* program is ever run.
#include <stdlib.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/source/base64.h"
#include "analyzer/source/credentials.h"

namespace {

// tmpfs when there is one: on ext4 a file rewritten in place is flushed to
// disk on close, which made every run wait for the disk.
std::string TempRoot() {
  std::error_code ec;
  if (std::filesystem::is_directory("/dev/shm", ec) && access("/dev/shm", W_OK) == 0) {
    return "/dev/shm";
  }
  const char* tmp = getenv("TMPDIR");
  return tmp != nullptr && *tmp == '/' ? tmp : "/tmp";
}

struct Files {
  std::string dir;
  std::string auth_json;
  std::string docker_dir;
  Files() {
    std::string pattern = TempRoot() + "/imglint-credentials-fuzz-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) abort();
    dir = pattern;
    auth_json = dir + "/auth.json";
    docker_dir = dir + "/docker";
    std::filesystem::create_directories(docker_dir);
  }
  ~Files() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

const Files& TheFiles() {
  static const Files files;
  return files;
}

void Write(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

imglint::CredentialOptions Options(std::map<std::string, std::string> env) {
  imglint::CredentialOptions options;
  env["PATH"] = TheFiles().dir + "/no-such-bin";
  options.getenv = [env](const std::string& name) -> std::optional<std::string> {
    auto it = env.find(name);
    if (it == env.end()) return std::nullopt;
    return it->second;
  };
  options.helper_timeout_seconds = 1;
  return options;
}

constexpr std::pair<std::string_view, std::string_view> kLookups[] = {
    {"docker.io", "library/nginx"},
    {"index.docker.io", "o/app"},
    {"quay.io", "org/team/app"},
    {"127.0.0.1:5000", "app"},
    {"registry.test:443", "a/b"},
    {"ghcr.io", "o/app"},
    {"localhost", "x"},
};

// The secrets of a valid file: every "auth", "password", "identitytoken"
// and "registrytoken" string (and the password an "auth" decodes to) long
// enough not to turn up in a message by chance, and found in no object key
// (keys are printed: they name registries).
std::vector<std::string> Secrets(std::string_view bytes) {
  std::vector<std::string> secrets;
  const nlohmann::json doc = nlohmann::json::parse(bytes, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return secrets;
  std::vector<std::string> keys;
  std::vector<const nlohmann::json*> stack{&doc};
  std::size_t steps = 0;
  while (!stack.empty() && ++steps < 10000) {
    const nlohmann::json* j = stack.back();
    stack.pop_back();
    if (j->is_array()) {
      for (const auto& v : *j) stack.push_back(&v);
      continue;
    }
    if (!j->is_object()) continue;
    for (auto it = j->begin(); it != j->end(); ++it) {
      keys.push_back(it.key());
      const std::string& key = it.key();
      if (it->is_string() && (key == "auth" || key == "password" || key == "identitytoken" ||
                              key == "registrytoken")) {
        secrets.push_back(it->get<std::string>());
        std::string decoded;
        if (key == "auth" && imglint::DecodeBase64(secrets.back(), &decoded)) {
          secrets.push_back(decoded.substr(decoded.find(':') + 1));
        }
      }
      stack.push_back(&*it);
    }
  }
  std::vector<std::string> kept;
  for (const std::string& secret : secrets) {
    if (secret.size() < 8) continue;
    bool in_key = false;
    for (const std::string& key : keys) in_key = in_key || key.find(secret) != std::string::npos;
    if (!in_key && TheFiles().dir.find(secret) == std::string::npos) kept.push_back(secret);
  }
  return kept;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Files& files = TheFiles();
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  Write(files.auth_json, bytes);
  Write(files.docker_dir + "/config.json", bytes);
  const imglint::CredentialStore auth_json(
      Options({{"REGISTRY_AUTH_FILE", files.auth_json}, {"HOME", files.dir + "/home"}}));
  const imglint::CredentialStore docker_config(
      Options({{"DOCKER_CONFIG", files.docker_dir}, {"HOME", files.dir + "/home"}}));
  const std::vector<std::string> secrets = Secrets(bytes);
  for (const auto& [domain, repository] : kLookups) {
    for (const imglint::CredentialStore* store : {&auth_json, &docker_config}) {
      std::string err;
      std::optional<imglint::Credential> found = store->Lookup(domain, repository, &err);
      if (found && !err.empty()) abort();  // an answer or an error, never both
      if (found && found->origin.empty()) abort();
      for (const std::string& secret : secrets) {
        if (err.find(secret) != std::string::npos) abort();  // a secret in a message
      }
    }
  }
  return 0;
}
