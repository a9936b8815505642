// SPDX-License-Identifier: Apache-2.0
#include "analyzer/workspace/resolve_bases.h"

#include <map>
#include <string>
#include <vector>

#include "analyzer/parallel.h"

namespace imglint {

void ResolveBases(BaseImageResolver& resolver, int jobs, Workspace* workspace) {
  // Distinct references first, so two Dockerfiles on one base fetch it once
  // and different bases are fetched side by side.
  std::map<std::string, std::vector<DockerfileTarget*>> by_reference;
  for (DockerfileTarget& target : workspace->dockerfiles) {
    const auto& user = target.facts.final_user;
    if (!user || !user->external_base_resolved) continue;
    if (user->external_base == "scratch") continue;  // no image: nothing to read
    by_reference[user->external_base].push_back(&target);
  }
  std::vector<const std::string*> references;
  for (const auto& [reference, targets] : by_reference) references.push_back(&reference);
  std::vector<std::shared_ptr<const BaseImage>> images(references.size());
  std::vector<std::string> errors(references.size());
  ParallelFor(references.size(), jobs,
              [&](size_t i) { images[i] = resolver.Resolve(*references[i], &errors[i]); });
  for (size_t i = 0; i < references.size(); ++i) {
    for (DockerfileTarget* target : by_reference[*references[i]]) {
      target->base = images[i];
      target->base_error = images[i] ? "" : errors[i];
    }
  }
}

}  // namespace imglint
