// SPDX-License-Identifier: Apache-2.0
// A fixed pool of std::threads pulls job indexes from an atomic counter.
#include "analyzer/parallel.h"

#include <algorithm>
#include <atomic>
#include <numeric>
#include <thread>

namespace imglint {
namespace {

void (*worker_thread_start)() = nullptr;

void RunInOrder(const std::vector<std::size_t>& order, int jobs,
                const std::function<void(std::size_t)>& run) {
  const std::size_t workers =
      std::min<std::size_t>(static_cast<std::size_t>(ThreadBudget(jobs)), order.size());
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
  for (std::size_t i = 1; i < workers; ++i) {
    pool.emplace_back([&] {
      if (worker_thread_start != nullptr) worker_thread_start();
      worker();
    });
  }
  worker();
  for (std::thread& t : pool) t.join();
}

}  // namespace

void SetWorkerThreadStart(void (*start)()) { worker_thread_start = start; }

int ThreadBudget(int jobs) {
  return jobs > 0 ? jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

void ParallelFor(std::size_t count, int jobs, const std::function<void(std::size_t)>& run) {
  std::vector<std::size_t> order(count);
  std::iota(order.begin(), order.end(), 0);
  RunInOrder(order, jobs, run);
}

void ParallelFor(const std::vector<std::uint64_t>& sizes, int jobs,
                 const std::function<void(std::size_t)>& run) {
  std::vector<std::size_t> order(sizes.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return sizes[a] > sizes[b]; });
  RunInOrder(order, jobs, run);
}

}  // namespace imglint
