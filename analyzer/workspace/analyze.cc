// SPDX-License-Identifier: Apache-2.0
#include "analyzer/workspace/analyze.h"

namespace imglint {

void Analyze(Workspace* workspace) {
  workspace->image_facts.clear();
  for (const ImageTarget& target : workspace->images) {
    for (const Image& image : target.images) {
      workspace->image_facts.push_back(AnalyzeImage(target, image));
    }
  }
  workspace->links = LinkBuilds(workspace->images, workspace->dockerfiles);
  for (DockerfileTarget& target : workspace->dockerfiles) {
    target.link = LinkOf(workspace->links, target);
    target.final_user.reset();
    const std::optional<dockerfile::FinalUser>& user = target.facts.final_user;
    if (user && !user->unresolved) {
      target.final_user =
          ResolveFinalUser(*user, target.link != nullptr ? target.link->image : nullptr);
    }
  }
  workspace->pods.clear();
  workspace->containers.clear();
  workspace->services.clear();
  AnalyzeWorkloads(*workspace, &workspace->pods, &workspace->containers, &workspace->services);
  // An image a linted workload runs is judged through that workload.
  for (ImageFacts& facts : workspace->image_facts) {
    for (const ContainerFacts& c : workspace->containers) {
      facts.run_by_workload = facts.run_by_workload || c.image.image == facts.image;
    }
    for (const ServiceFacts& s : workspace->services) {
      facts.run_by_workload = facts.run_by_workload || s.image.image == facts.image;
    }
  }
}

}  // namespace imglint
