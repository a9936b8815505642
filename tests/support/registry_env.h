// SPDX-License-Identifier: Apache-2.0
/// The real registries the registry tests talk to: tests/infra/registry.sh,
/// run once per ctest run as the `registry` fixture, starts Debian's
/// docker-registry (distribution 2.8) as five instances (plain, tls, basic,
/// token, redirect), a flaky server in front of plain (`flaky`) and a forward
/// proxy, and describes them in $IMGLINT_REGISTRY_STATE/registries.json.
/// This reads that file, pushes images written by image_builder with
/// `skopeo copy`, and talks to the registries with `skopeo` and `curl` for
/// the checks that must not depend on imglint's own client.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tests/support/cli_runner.h"

namespace imglint::testing {

/// One registry instance, as registries.json describes it.
struct Registry {
  std::string name;         // "plain", "tls", "basic", "token", "redirect", "flaky"
  std::string host;         // "127.0.0.1:PORT"
  std::string scheme;       // "http" or "https"
  std::string ca;           // the fixture CA (PEM) for https instances, else ""
  std::string cert_dir;     // the CA as skopeo's --dest-cert-dir wants it, https only
  std::string storage;      // the filesystem driver's rootdirectory
  std::string log;          // the registry's own log
  std::string username;     // basic, token, redirect
  std::string password;     // basic, token, redirect
  std::string token_realm;  // token: the issuer's URL
  std::string token_log;    // token: one JSON line per token request
  std::string blob_host;    // redirect: "127.0.0.2:PORT", where blob GETs are sent
  std::string blob_log;     // redirect: one JSON line per request to blob_host
  /// flaky: the plain registry it forwards to. Push there (storage is
  /// plain's), pull through `host`; tests/infra/flaky_server.py says how a
  /// repository name scripts failures.
  std::string upstream;
  std::string request_log;  // flaky: one JSON line per request (times, fault, status)

  bool HasCredentials() const { return !username.empty(); }
  /// "127.0.0.1:PORT/" + repo_ref ("app:1", "app@sha256:…").
  std::string Ref(std::string_view repo_ref) const;
  /// "docker://" + Ref(repo_ref): the target imglint and skopeo take.
  std::string DockerRef(std::string_view repo_ref) const;
  /// scheme://host + path.
  std::string Url(std::string_view path) const;
  /// The file in `storage` that holds the blob `digest` ("sha256:…").
  std::string BlobFile(std::string_view digest) const;
  /// The path the redirect middleware sends a GET of blob `digest` to.
  std::string BlobStoragePath(std::string_view digest) const;
};

/// $IMGLINT_REGISTRY_STATE, the fixture's state directory. Throws
/// std::runtime_error("the registry fixture did not start: …") when unset.
std::string RegistryStateDir();

/// The instance `name` ("plain", "tls", "basic", "token", "redirect", "flaky").
/// registries.json is read once. Throws std::runtime_error starting "the
/// registry fixture did not start: " naming IMGLINT_REGISTRY_STATE and the
/// file when it is missing or unreadable, or the instance is not in it.
const Registry& GetRegistry(std::string_view name);

/// tests/infra/forward_proxy.py: an HTTP proxy (absolute-form requests and
/// CONNECT) that alone resolves `domain` and the names under it, to 127.0.0.1.
struct ForwardProxy {
  std::string host;         // "127.0.0.1:PORT"
  std::string domain;       // "registry.test"
  std::string request_log;  // one JSON line per request: time, method, host, path

  /// "http://127.0.0.1:PORT": the value of http_proxy / https_proxy.
  std::string Url() const { return "http://" + host; }
};

/// The forward proxy of the fixture; throws like GetRegistry.
const ForwardProxy& GetForwardProxy();

enum class PushFormat { kSource, kOci, kV2s2 };          // skopeo --format
enum class PushCompression { kSource, kGzip, kZstd };    // --dest-compress-format
enum class PushTls { kVerifyWithFixtureCa, kNoVerify };  // https instances only

struct PushOptions {
  PushFormat format = PushFormat::kSource;
  PushCompression compression = PushCompression::kSource;
  bool all = false;  // --all: every image of a multi-platform index
  PushTls tls = PushTls::kVerifyWithFixtureCa;
  bool credentials = true;  // --dest-creds user:password when the instance has them
};

/// What PushImage left in the registry.
struct PushedImage {
  std::string reference;  // "127.0.0.1:PORT/app:1"
  std::string digest;     // "sha256:…" of the manifest (or index) as pushed
  std::string manifest;   // its bytes, as the registry serves them
};

/// `skopeo copy` of `source` (a containers-transports(5) name such as
/// "oci-archive:/tmp/x/image.tar", "docker-archive:…", "oci:/dir") to
/// docker://HOST/`repo_tag`. Throws std::runtime_error with skopeo's stderr
/// when the copy fails.
PushedImage PushImage(const std::string& source, const Registry& registry,
                      const std::string& repo_tag, const PushOptions& options = {});

/// Runs skopeo the way PushImage does (no shell): the fixture's policy.json
/// and an empty registries.conf and auth file, so nothing of the machine's
/// or the user's configuration is read, HOME/XDG dirs and TMPDIR in a temp
/// dir, and, where the kernel allows it, inside a user namespace so that
/// skopeo (root otherwise) keeps its blob-info cache there instead of
/// /var/lib/containers. `args` starts with the subcommand ("inspect", …).
CliResult RunSkopeo(const std::vector<std::string>& args, const std::string& stdin_data = "");

/// The skopeo flags to reach `registry` as a source ("--tls-verify=false",
/// "--cert-dir", "--creds", …) for inspect and for copy's --src-* (prefix "src-").
std::vector<std::string> SkopeoRegistryFlags(const Registry& registry, bool credentials,
                                             const std::string& prefix = "");

/// `skopeo inspect --raw` (or `--config --raw`) of docker://HOST/`repo_ref`;
/// throws with skopeo's stderr on failure.
std::string InspectRaw(const Registry& registry, const std::string& repo_ref, bool config = false);

/// curl (no shell, never through a proxy) against `registry`:
/// `--cacert` for https, `-u user:password` when `credentials`, then `args`.
CliResult Curl(const Registry& registry, bool credentials, const std::vector<std::string>& args,
               const std::string& stdin_data = "");

/// PUT of a hand-written manifest `body` of `media_type` to
/// /v2/`repo`/manifests/`reference`; returns the HTTP status (0 on failure).
int PutManifest(const Registry& registry, const std::string& repo, const std::string& reference,
                const std::string& media_type, const std::string& body);

/// The JSON lines of a log written by token_server.py or blob_server.py.
std::vector<std::string> ReadLogLines(const std::string& path);

/// A short name no other test (or earlier run) uses: "<prefix>-<random hex>",
/// for repositories, since all tests of a run share the registries.
std::string UniqueName(std::string_view prefix);

}  // namespace imglint::testing
