// SPDX-License-Identifier: Apache-2.0
/// Links an image to the Dockerfile that built it (docs/design.md §4: "when a
/// Dockerfile is linted together with the image it built, image findings also
/// point at the Dockerfile line that produced them").
///
/// How: the image config's `history` lists one entry per build step
/// (`RUN /bin/sh -c chmod u+s /x # buildkit`, `/bin/sh -c #(nop)  USER app`,
/// `EXPOSE map[80/tcp:{}]`, `COPY app /app # buildkit`, …), base-image steps
/// first. The final stage's instructions (parent stages' first, FROM
/// excluded) are aligned to that list with a weighted longest common
/// subsequence: same keyword is a weak match, same RUN text / COPY
/// destination / USER value a strong one, and a USER with another value never
/// matches. History entries that are not `empty_layer` correspond one to one
/// to the image's layers, so the layer that wrote a file names the
/// instruction that wrote it.
///
/// Pairing: with exactly one image target and one Dockerfile they are paired
/// (even if the history says nothing, e.g. a squashed image: then only the
/// user check applies); otherwise each image is paired with the Dockerfile
/// whose alignment scores best, if it has at least one strong match.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "analyzer/finding.h"
#include "analyzer/image/image.h"

namespace imglint {

struct DockerfileTarget;
struct Workspace;

struct BuildLink {
  const ImageTarget* image_target = nullptr;
  const Image* image = nullptr;
  const DockerfileTarget* dockerfile = nullptr;
  /// Per image layer: the instruction (index into Dockerfile::instructions)
  /// that produced it, or -1. Empty when history and layers disagree.
  std::vector<int> layer_instruction;
  /// The USER instruction behind the image's last USER history entry, or -1.
  int user_instruction = -1;
  int score = 0;  ///< alignment weight (3 per strong match, 1 per keyword match)
};

/// The first link of `dockerfile` in `links`, or nullptr.
const BuildLink* LinkOf(const std::vector<BuildLink>& links, const DockerfileTarget& dockerfile);

/// A build step as the image history records it.
struct HistoryStep {
  std::string keyword;  ///< lower case: "run", "user", "copy"; empty if unknown
  std::string body;     ///< the rest: the RUN script, the USER value …
};
HistoryStep ParseCreatedBy(std::string_view created_by);

/// Every image of `images` paired with the Dockerfile that built it.
std::vector<BuildLink> LinkBuilds(const std::vector<ImageTarget>& images,
                                  const std::vector<DockerfileTarget>& dockerfiles);

/// Adds, to every image finding whose image has a linked Dockerfile, the
/// Dockerfile location behind it as a related location: the instruction that
/// wrote the file (the chmod/setcap word when one is there), the USER line
/// for user findings, the EXPOSE word for port findings.
///
/// What the finding is about decides where it points: its Subject (a user,
/// group or root on a port: the USER; a port: the EXPOSE word; a file with a
/// setuid/setgid bit or a capability: the chmod or setcap word of the step
/// that wrote it, else that step's keyword).
void AttachDockerfileLocations(const Workspace& workspace, std::vector<Finding>* findings);

}  // namespace imglint
