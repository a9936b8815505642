// SPDX-License-Identifier: Apache-2.0
/// Reads several image targets at once within the --jobs budget: the only
/// targets expensive enough to be worth threads (Dockerfiles and manifests
/// are read in place). Results come back in the order given, so reports do
/// not depend on which read finishes first.
#pragma once

#include <string>
#include <vector>

#include "analyzer/image/image_reader.h"
#include "analyzer/source/image_source.h"

namespace imglint {

class ProgressLine;

struct ImageReadResult {
  bool ok = false;
  ImageTarget target;
  std::string error;  // when !ok
};

/// Reads `paths` with up to `jobs` threads in all (0 = number of cores):
/// min(jobs, paths) targets at a time, each decoding its layers with an
/// equal share of the threads. `progress` may be null.
/// `sources` (may be null: paths only) reads targets that are image
/// references or transports.
std::vector<ImageReadResult> ReadImages(const std::vector<std::string>& paths,
                                        const ImageReadOptions& options, int jobs,
                                        ProgressLine* progress,
                                        const ImageSourceOptions* sources = nullptr);

}  // namespace imglint
