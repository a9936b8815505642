// SPDX-License-Identifier: Apache-2.0
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <vector>

#include "analyzer/parallel.h"
#include "cli/app.h"

namespace {

std::uintptr_t main_heap_begin = 0;
constexpr std::uintptr_t kHugePage = 2 << 20;

std::uintptr_t HugePageAbove(std::uintptr_t at) { return (at + kHugePage - 1) & ~(kHugePage - 1); }

// Makes the compiler keep an allocation nobody reads (it may drop a
// malloc/free pair, or a block never used, altogether).
void Keep(void* block) { asm volatile("" : : "r"(block) : "memory"); }

// A 2 MiB range of which one page was touched can only be mapped a page at
// a time, each a fault. A block over the rest of it, from `at` to just
// below `end`, never freed and never touched, keeps allocations out of it
// and costs no memory (nullptr when the range is too small to matter).
void* PlugBelow(std::uintptr_t at, std::uintptr_t end) {
  constexpr std::size_t kSlack = 4096;  // chunk headers, and `at` itself
  if (end <= at + 2 * kSlack) return nullptr;
  return std::malloc(end - at - kSlack);
}

// The heap of one short run (docs/design.md §7). On a VM every first touch
// of a 4 KiB page is a costly page fault (about 10 µs on the machines the
// benchmarks run on), and a run over thousands of Dockerfiles touches tens
// of MiB of fresh heap. So the heap is reserved in one piece backed by
// transparent huge pages where the kernel allows them (madvise mode), and
// kept when freed (no trimming, no mmap for big blocks: what one target
// frees the next reuses). That is the main thread's arena; other threads
// keep arenas of their own (sharing one made two reading threads contend for
// its lock and cost more CPU than the faults it saved), and TuneWorkerHeap
// gives each the same treatment. A 2 MiB range can be a huge page only if
// none of its pages was touched before: the part of the heap below the first
// such range is plugged (PlugBelow), else the first allocations of the run,
// over 900 pages of them, were faults one page at a time.
// Returns whether glibc's heap took the reserve (not under a sanitizer).
bool TuneHeap() {
  // Address space (pages count only once touched), enough for 10,000
  // Dockerfiles on one thread (~90 MiB): the heap's growth beyond it is a
  // mapping of its own that the advice does not cover.
  constexpr std::size_t kReserve = 256 << 20;
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
  mallopt(M_TOP_PAD, kReserve);
  // A block just larger than the heap's free top (keepcost) makes malloc
  // extend the heap by it plus the pad. It is kept, so the heap's free space
  // starts where it ends: just above, not 2 MiB on.
  const auto before = reinterpret_cast<std::uintptr_t>(::sbrk(0));
  const std::size_t size = mallinfo2().keepcost + 4096;
  void* grow = std::malloc(size);
  Keep(grow);
  const auto top = reinterpret_cast<std::uintptr_t>(::sbrk(0));
  // The pad stays large: a worker's arena is then created with its whole
  // heap accessible (new_heap adds the pad, up to the heap's maximum) and is
  // never trimmed (heap_trim keeps the pad), not grown a page at a time.
  // Only a heap that grew by the reserve (not under a sanitizer's allocator,
  // which does not use the program break) is advised.
  if (grow == nullptr || before == static_cast<std::uintptr_t>(-1) || top < before + kReserve) {
    std::free(grow);
    return false;
  }
  main_heap_begin = before;
  const std::uintptr_t free_from = reinterpret_cast<std::uintptr_t>(grow) + size;
  const std::uintptr_t begin = HugePageAbove(free_from + 64);
  Keep(PlugBelow(free_from, begin));                                      // never freed
  ::madvise(reinterpret_cast<void*>(begin), top - begin, MADV_HUGEPAGE);  // advice only
  return true;
}

// A worker thread's arena is a heap glibc maps at an address aligned to its
// maximum size (64 MiB on 64-bit: HEAP_MAX_SIZE, twice the largest mmap
// threshold). A huge page can back a 2 MiB range only when the range lies
// wholly in the accessible part of the heap at its first touch. glibc grows
// a thread's heap a page at a time, so before TuneHeap's pad every page of a
// reading thread's heap was a fault of its own (about 1,000 in a run over
// 2,000 Dockerfiles); with the pad larger than a heap, a new heap is made
// accessible whole and never trimmed. Each new heap is then
//  - advised for huge pages before anything but its header was touched;
//  - plugged: the rest of its first 2 MiB, where the arena's header is, is
//    taken by a block never freed and never touched.
// A thread given an arena a finished thread left (or the main heap, when all
// arenas are taken) finds it tuned already: the pool starts threads anew for
// each parallel step, and tuning a heap twice would plug it twice.
void TuneWorkerHeap() {
  constexpr std::uintptr_t kHeapMax = 64 << 20;
  // Where this thread's allocations start.
  void* probe = std::malloc(64);
  if (probe == nullptr) return;
  const auto first = reinterpret_cast<std::uintptr_t>(probe);
  std::free(probe);
  const std::uintptr_t heap = first & ~(kHeapMax - 1);
  if (first >= main_heap_begin && first < reinterpret_cast<std::uintptr_t>(::sbrk(0))) return;
  {
    static std::mutex mutex;
    static std::vector<std::uintptr_t> tuned;
    const std::lock_guard<std::mutex> lock(mutex);
    if (std::find(tuned.begin(), tuned.end(), heap) != tuned.end()) return;
    tuned.push_back(heap);
  }
  ::madvise(reinterpret_cast<void*>(heap), kHeapMax, MADV_HUGEPAGE);  // advice only
  Keep(PlugBelow(first, HugePageAbove(first)));                       // never freed
}

}  // namespace

int main(int argc, char** argv) {
  if (TuneHeap()) imglint::SetWorkerThreadStart(&TuneWorkerHeap);
  return imglint::Main(argc, argv);
}
