// SPDX-License-Identifier: Apache-2.0
#include "cli/parallel_read.h"

#include <algorithm>

#include "analyzer/parallel.h"
#include "cli/progress.h"

namespace imglint {

std::vector<ImageReadResult> ReadImages(const std::vector<std::string>& paths,
                                        const ImageReadOptions& options, int jobs,
                                        ProgressLine* progress,
                                        const ImageSourceOptions* sources) {
  std::vector<ImageReadResult> results(paths.size());
  if (paths.empty()) return results;
  const int budget = ThreadBudget(jobs);
  const std::size_t workers = std::min<std::size_t>(static_cast<std::size_t>(budget), paths.size());
  ImageReadOptions per_target = options;
  // One target keeps the caller's setting (0 = cores) for its layers.
  per_target.jobs = workers == 1 ? jobs : std::max(1, budget / static_cast<int>(workers));

  ParallelFor(paths.size(), static_cast<int>(workers), [&](std::size_t i) {
    ImageReadOptions read_options = per_target;
    if (progress != nullptr && progress->enabled()) {
      progress->Begin(paths[i]);
      read_options.progress = [progress, &path = paths[i]](std::size_t done, std::size_t total) {
        progress->Layers(path, done, total);
      };
    }
    ImageReadResult& r = results[i];
    r.ok = sources != nullptr
               ? ReadImageTarget(paths[i], *sources, read_options, &r.target, &r.error)
               : ReadImage(paths[i], read_options, &r.target, &r.error);
    if (progress != nullptr) progress->End(paths[i]);
  });
  return results;
}

}  // namespace imglint
