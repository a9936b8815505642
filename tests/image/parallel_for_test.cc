// SPDX-License-Identifier: Apache-2.0
// The one thread pool (analyzer/parallel.h): every job runs once, on at most
// --jobs threads, and the start hook runs on each started thread only.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "analyzer/parallel.h"

namespace imglint {
namespace {

std::atomic<int> hook_calls{0};
std::mutex hook_threads_mutex;
std::set<std::thread::id> hook_threads;

void CountingHook() {
  ++hook_calls;
  std::lock_guard<std::mutex> lock(hook_threads_mutex);
  hook_threads.insert(std::this_thread::get_id());
}

TEST(ParallelFor, RunsEveryJobOnceOnAtMostJobsThreads) {
  std::vector<std::atomic<int>> runs(500);
  std::mutex mutex;
  std::set<std::thread::id> threads;
  ParallelFor(runs.size(), 3, [&](std::size_t i) {
    ++runs[i];
    std::lock_guard<std::mutex> lock(mutex);
    threads.insert(std::this_thread::get_id());
  });
  for (const auto& n : runs) EXPECT_EQ(n.load(), 1);
  EXPECT_LE(threads.size(), 3u);
}

TEST(ParallelFor, LargestSizeStartsFirst) {
  std::vector<std::size_t> order;
  ParallelFor(std::vector<std::uint64_t>{5, 50, 1, 50}, 1,
              [&](std::size_t i) { order.push_back(i); });
  EXPECT_EQ(order, (std::vector<std::size_t>{1, 3, 0, 2}));  // ties keep their order
}

TEST(ParallelFor, StartHookRunsOnEachWorkerThreadNotOnTheCaller) {
  hook_calls = 0;
  hook_threads.clear();
  SetWorkerThreadStart(&CountingHook);
  std::mutex mutex;
  std::set<std::thread::id> job_threads;
  // Each job waits until three threads have joined in, so all three start.
  std::atomic<int> arrived{0};
  ParallelFor(3, 3, [&](std::size_t) {
    ++arrived;
    while (arrived.load() < 3) std::this_thread::yield();
    std::lock_guard<std::mutex> lock(mutex);
    job_threads.insert(std::this_thread::get_id());
  });
  EXPECT_EQ(hook_calls.load(), 2);  // two started threads; the caller is the third
  EXPECT_EQ(hook_threads.count(std::this_thread::get_id()), 0u);
  for (const std::thread::id& id : hook_threads) EXPECT_EQ(job_threads.count(id), 1u);

  ParallelFor(3, 1, [](std::size_t) {});  // one thread: nothing is started
  EXPECT_EQ(hook_calls.load(), 2);
  SetWorkerThreadStart(nullptr);
}

}  // namespace
}  // namespace imglint
