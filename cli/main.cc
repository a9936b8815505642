// SPDX-License-Identifier: Apache-2.0
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>

#include "cli/app.h"

namespace {

// The heap of one short run (docs/design.md §7). On a VM every first touch
// of a 4 KiB page is a costly page fault, and a run over thousands of
// Dockerfiles touches tens of MiB of fresh heap: a third of its CPU time
// went to faults. So the heap is reserved in one piece backed by transparent
// huge pages where the kernel allows them (madvise mode), and kept when
// freed (no trimming, no mmap for big blocks: what one target frees the next
// reuses). That is the main thread's arena; other threads keep arenas of
// their own: sharing one made two reading threads contend for its lock and
// cost more CPU than the faults it saved.
void TuneHeap() {
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
    return;
  }
  const std::uintptr_t begin = (top - kReserve + kHugePage - 1) & ~(kHugePage - 1);
  ::madvise(reinterpret_cast<void*>(begin), top - begin, MADV_HUGEPAGE);  // advice only
}

}  // namespace

int main(int argc, char** argv) {
  TuneHeap();
  return imglint::Main(argc, argv);
}
