// SPDX-License-Identifier: Apache-2.0
// YAML text -> classification -> Kubernetes and Compose readers.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "analyzer/manifest/classify.h"
#include "analyzer/manifest/compose_reader.h"
#include "analyzer/manifest/kube_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  imglint::ClassifyYaml(text);
  imglint::ReadError error;
  imglint::KubeFile kube;
  imglint::ReadKubernetes(text, "fuzz.yaml", &kube, &error);
  imglint::ComposeFile compose;
  imglint::ReadCompose(text, "compose.yaml", &compose, &error);
  return 0;
}
