// SPDX-License-Identifier: Apache-2.0
// Parallel layer decoding: a fixed pool of std::threads pulls job indexes
// from an atomic counter, largest layer first, so one big layer does not end
// up last on a single thread.
#include <algorithm>
#include <atomic>
#include <numeric>
#include <thread>

#include "analyzer/image/image_archive.h"

namespace imglint {

void RunLayerJobs(const std::vector<std::uint64_t>& sizes, int threads,
                  const std::function<void(std::size_t)>& run) {
  std::vector<std::size_t> order(sizes.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return sizes[a] > sizes[b]; });
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::size_t workers = std::min<std::size_t>(static_cast<std::size_t>(threads), order.size());
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i = next++; i < order.size(); i = next++) run(order[i]);
  };
  if (workers <= 1) {
    worker();
    return;
  }
  std::vector<std::thread> pool;
  pool.reserve(workers - 1);
  for (std::size_t i = 1; i < workers; ++i) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
}

}  // namespace imglint
