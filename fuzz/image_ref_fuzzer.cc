// SPDX-License-Identifier: Apache-2.0
// Image references and targets as typed on the command line or found after a
// Dockerfile's FROM: ParseImageRef and its normalisation, ParseImageTarget
// (containers-transports(5) prefixes), --image-src lists, and the helpers
// that derive hosts and keys from a parsed domain. A parsed reference must
// survive a round trip: its String() and Familiar() parse back to the same
// reference, or normalisation is not idempotent and a cache key or a
// credential lookup could name another image.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/source/http.h"
#include "analyzer/source/image_ref.h"
#include "analyzer/source/image_source.h"

namespace {

bool Same(const imglint::ImageRef& a, const imglint::ImageRef& b) {
  return a.domain == b.domain && a.repository == b.repository && a.tag == b.tag &&
         a.digest == b.digest;
}

void Derived(const imglint::ImageRef& ref) {
  imglint::IsDockerHubDomain(ref.domain);
  imglint::RegistryApiHost(ref.domain);
  imglint::DockerConfigKey(ref.domain);
  imglint::IsLoopbackRegistry(ref.domain);
  ref.ManifestReference();
  imglint::PercentEncode(ref.ManifestReference(), ":");
  imglint::UrlAuthority("https://" + imglint::RegistryApiHost(ref.domain) + "/v2/");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string err;
  imglint::ImageRef ref;
  if (imglint::ParseImageRef(text, &ref, &err)) {
    Derived(ref);
    for (const std::string& again : {ref.String(), ref.Familiar()}) {
      imglint::ImageRef reparsed;
      std::string reparse_err;
      if (!imglint::ParseImageRef(again, &reparsed, &reparse_err) || !Same(ref, reparsed)) {
        std::abort();  // normalisation is not a fixed point
      }
    }
  }
  imglint::ImageTargetSpec spec;
  if (imglint::ParseImageTarget(text, &spec, &err) &&
      spec.transport != imglint::ImageTargetSpec::Transport::kArchive) {
    Derived(spec.ref);
  }
  imglint::HasImageTransport(text);
  std::vector<imglint::ImageSourceKind> order;
  imglint::ParseImageSourceList(text, &order, &err);
  // The same bytes as the host part of a URL and as an unverified domain.
  imglint::UrlAuthority(text);
  imglint::IsLoopbackRegistry(text);
  imglint::IsDockerHubDomain(text);
  imglint::DockerConfigKey(text);
  return 0;
}
