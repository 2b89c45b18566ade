// SPDX-License-Identifier: MIT
// Runs independent tasks on a few threads.
#pragma once

#include <cstddef>
#include <functional>

namespace safetywash {

/// Calls task(0) ... task(count - 1), spread over up to `threads` threads,
/// and rethrows the first exception of a task once every task has run.
void for_each_index(std::size_t count, unsigned threads,
                    const std::function<void(std::size_t)>& task);

/// Returns the number of cores the system reports, at least 1 and at most
/// `limit`.
unsigned core_threads(unsigned limit);

}  // namespace safetywash
