#include "tars/core/thread_team.h"

namespace tars::core {

namespace {

constexpr int kSpinsBeforeSleep = 20000;

// Tells the CPU this is a spin-wait, which frees the core's resources for a sibling hyperthread.
inline void spin_pause() { __builtin_ia32_pause(); }

}  // namespace

ThreadTeam::ThreadTeam(int size) {
  for (int chunk = 1; chunk < size; ++chunk) workers_.emplace_back([this, chunk] { work(chunk); });
}

ThreadTeam::~ThreadTeam() {
  stopping_.store(true);
  generation_.fetch_add(1);
  generation_.notify_all();
  for (std::thread& worker : workers_) worker.join();
}

void ThreadTeam::run(const std::function<void(int)>& task) {
  if (workers_.empty()) {
    task(0);
    return;
  }
  task_ = &task;
  pending_.store(static_cast<int>(workers_.size()), std::memory_order_relaxed);
  generation_.fetch_add(1, std::memory_order_release);
  generation_.notify_all();
  task(0);
  for (int spins = 0; pending_.load(std::memory_order_acquire) != 0; ++spins) {
    if (spins > kSpinsBeforeSleep) {
      std::this_thread::yield();
    } else {
      spin_pause();
    }
  }
}

void ThreadTeam::work(int chunk) {
  unsigned seen = 0;
  while (true) {
    unsigned current = generation_.load(std::memory_order_acquire);
    for (int spins = 0; current == seen && spins < kSpinsBeforeSleep; ++spins) {
      spin_pause();
      current = generation_.load(std::memory_order_acquire);
    }
    if (current == seen) {
      generation_.wait(seen, std::memory_order_acquire);
      continue;
    }
    seen = current;
    if (stopping_.load()) return;
    (*task_)(chunk);
    pending_.fetch_sub(1, std::memory_order_acq_rel);
  }
}

}  // namespace tars::core
