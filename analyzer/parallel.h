// SPDX-License-Identifier: Apache-2.0
/// The one thread pool: every parallel step (targets read at once, layers of
/// one image decoded at once) runs through ParallelFor, so `--jobs` means the
/// same thing everywhere. Jobs write to their own slots, so results never
/// depend on which job finishes first.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace imglint {

/// Runs first on every thread the pool starts (not on the calling thread).
/// The process's heap policy lives in main, not here: it uses this to give
/// each worker's malloc arena the reserve the main heap has. Set it once,
/// before any ParallelFor; nullptr (the default) does nothing.
void SetWorkerThreadStart(void (*start)());

/// `jobs` as the user gave it: 0 means the number of cores (at least 1).
int ThreadBudget(int jobs);

/// Runs `run(i)` for every i in [0, count) on up to ThreadBudget(jobs)
/// threads, the calling thread included, in index order of start.
void ParallelFor(std::size_t count, int jobs, const std::function<void(std::size_t)>& run);

/// The same over `sizes.size()` jobs, largest size first, so one big job
/// (a large layer) does not end up last on a single thread.
void ParallelFor(const std::vector<std::uint64_t>& sizes, int jobs,
                 const std::function<void(std::size_t)>& run);

}  // namespace imglint
