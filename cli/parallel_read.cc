// SPDX-License-Identifier: Apache-2.0
#include "cli/parallel_read.h"

#include <algorithm>
#include <atomic>
#include <thread>

#include "cli/progress.h"

namespace imglint {

std::vector<ImageReadResult> ReadImages(const std::vector<std::string>& paths,
                                        const ImageReadOptions& options, int jobs,
                                        ProgressLine* progress,
                                        const ImageSourceOptions* sources) {
  std::vector<ImageReadResult> results(paths.size());
  if (paths.empty()) return results;
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const int budget = jobs > 0 ? jobs : cores;
  const std::size_t workers = std::min<std::size_t>(static_cast<std::size_t>(budget), paths.size());
  ImageReadOptions per_target = options;
  // One target keeps the caller's setting (0 = cores) for its layers.
  per_target.jobs = workers == 1 ? jobs : std::max(1, budget / static_cast<int>(workers));

  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i = next++; i < paths.size(); i = next++) {
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
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(workers - 1);
  for (std::size_t i = 1; i < workers; ++i) pool.emplace_back(worker);
  worker();
  for (std::thread& t : pool) t.join();
  return results;
}

}  // namespace imglint
