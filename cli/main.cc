// SPDX-License-Identifier: Apache-2.0
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>

#include "analyzer/parallel.h"
#include "cli/app.h"

namespace {

std::uintptr_t main_heap_begin = 0;

// The heap of one short run (docs/design.md §7). On a VM every first touch
// of a 4 KiB page is a costly page fault, and a run over thousands of
// Dockerfiles touches tens of MiB of fresh heap: a third of its CPU time
// went to faults. So the heap is reserved in one piece backed by transparent
// huge pages where the kernel allows them (madvise mode), and kept when
// freed (no trimming, no mmap for big blocks: what one target frees the next
// reuses). That is the main thread's arena; other threads keep arenas of
// their own (sharing one made two reading threads contend for its lock and
// cost more CPU than the faults it saved), and TuneWorkerHeap gives each the
// same treatment.
// Returns whether glibc's heap took the reserve (not under a sanitizer).
bool TuneHeap() {
  constexpr std::size_t kHugePage = 2 << 20;
  constexpr std::size_t kReserve = 64 << 20;  // address space: pages count only once touched
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
  mallopt(M_TOP_PAD, kReserve);
  // A block larger than the heap's top makes malloc extend the heap by it
  // plus the pad; the block is freed at once and the space stays.
  const auto before = reinterpret_cast<std::uintptr_t>(::sbrk(0));
  void* grow = std::malloc(kHugePage);
  const auto top = reinterpret_cast<std::uintptr_t>(::sbrk(0));
  std::free(grow);
  mallopt(M_TOP_PAD, kHugePage);
  // Only a heap that grew by the reserve (not under a sanitizer's allocator,
  // which does not use the program break) is advised.
  if (grow == nullptr || before == static_cast<std::uintptr_t>(-1) || top < before + kReserve) {
    return false;
  }
  main_heap_begin = before;
  const std::uintptr_t begin = (top - kReserve + kHugePage - 1) & ~(kHugePage - 1);
  ::madvise(reinterpret_cast<void*>(begin), top - begin, MADV_HUGEPAGE);  // advice only
  return true;
}

// A worker thread's arena is a heap glibc maps at an address aligned to its
// maximum size (64 MiB on 64-bit: HEAP_MAX_SIZE, twice the largest mmap
// threshold) and grows in place. Growing it once by a block that is freed at
// once keeps the space (the trim threshold above applies to these heaps too),
// and advising the whole heap lets its pages come as huge pages: a second
// reading thread cost 25 % more CPU than one, mostly page faults in its arena.
void TuneWorkerHeap() {
  constexpr std::uintptr_t kHeapMax = 64 << 20;
  void* grow = std::malloc(16 << 20);
  if (grow == nullptr) return;
  const auto at = reinterpret_cast<std::uintptr_t>(grow);
  const std::uintptr_t heap = at & ~(kHeapMax - 1);
  std::free(grow);
  // All arenas taken, this thread shares the main heap: already advised.
  if (at >= main_heap_begin && at < reinterpret_cast<std::uintptr_t>(::sbrk(0))) return;
  ::madvise(reinterpret_cast<void*>(heap), kHeapMax, MADV_HUGEPAGE);  // advice only
}

}  // namespace

int main(int argc, char** argv) {
  if (TuneHeap()) imglint::SetWorkerThreadStart(&TuneWorkerHeap);
  return imglint::Main(argc, argv);
}
