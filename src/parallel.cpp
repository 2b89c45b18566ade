// SPDX-License-Identifier: MIT
// Runs independent tasks on a few threads.
#include "parallel.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace safetywash {

void for_each_index(std::size_t count, unsigned threads,
                    const std::function<void(std::size_t)>& task) {
  std::size_t workers = std::min<std::size_t>(std::max(1u, threads), count);
  if (workers <= 1) {
    for (std::size_t k = 0; k < count; ++k) task(k);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto work = [&] {
    for (std::size_t k; (k = next.fetch_add(1)) < count;) {
      try {
        task(k);
      } catch (...) {
        std::lock_guard<std::mutex> lock(failure_mutex);
        if (!failure) failure = std::current_exception();
      }
    }
  };
  std::vector<std::thread> pool;
  for (std::size_t w = 1; w < workers; ++w) pool.emplace_back(work);
  work();
  for (std::thread& thread : pool) thread.join();
  if (failure) std::rethrow_exception(failure);
}

unsigned core_threads(unsigned limit) {
  return std::clamp(std::thread::hardware_concurrency(), 1u, std::max(1u, limit));
}

}  // namespace safetywash
