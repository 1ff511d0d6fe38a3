// A fixed team of threads that runs one function over `size()` chunks and waits for all of them;
// the calling thread works on chunk 0. Built for many tiny parallel steps: workers spin briefly
// before sleeping, so a dispatch costs about a microsecond instead of a condition-variable wake.
#pragma once

#include <atomic>
#include <functional>
#include <thread>
#include <vector>

namespace tars::core {

class ThreadTeam {
 public:
  // `size` threads in total including the caller; size 1 runs everything inline.
  explicit ThreadTeam(int size);
  ~ThreadTeam();
  ThreadTeam(const ThreadTeam&) = delete;
  ThreadTeam& operator=(const ThreadTeam&) = delete;

  int size() const { return static_cast<int>(workers_.size()) + 1; }
  // Calls task(chunk) for chunk in [0, size()) in parallel and returns when all are done.
  // `task` must not throw.
  void run(const std::function<void(int chunk)>& task);

 private:
  void work(int chunk);

  // The counters the caller and the workers spin on live on separate cache lines.
  static constexpr std::size_t kCacheLine = 64;

  std::vector<std::thread> workers_;
  const std::function<void(int)>* task_ = nullptr;
  std::atomic<bool> stopping_{false};
  alignas(kCacheLine) std::atomic<unsigned> generation_{0};
  alignas(kCacheLine) std::atomic<int> pending_{0};
};

}  // namespace tars::core
