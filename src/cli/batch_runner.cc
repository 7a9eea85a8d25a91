#include "cli/batch_runner.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <iostream>
#include <mutex>
#include <thread>
#include <vector>

namespace rempart::cli {

void RunBatch(size_t count, const BatchOptions& options, const Translator& t,
              const std::function<void(size_t)>& work) {
  const bool progress = options.progress && count > 1 && ::isatty(STDERR_FILENO);
  unsigned jobs = options.jobs > 0 ? static_cast<unsigned>(options.jobs)
                                   : std::max(1u, std::thread::hardware_concurrency());
  jobs = static_cast<unsigned>(std::min<size_t>(jobs, std::max<size_t>(count, 1)));
  std::atomic<size_t> next{0};
  std::atomic<size_t> done{0};
  std::mutex print;
  auto worker = [&] {
    for (size_t i = next++; i < count; i = next++) {
      work(i);
      const size_t finished = ++done;
      if (progress) {
        std::lock_guard lock(print);
        std::cerr << "\r" << t.trf("{} {} of {}…", options.verb, finished, count) << "\x1b[K"
                  << std::flush;
      }
    }
  };
  if (jobs <= 1) {
    worker();
  } else {
    std::vector<std::jthread> threads;
    for (unsigned j = 0; j < jobs; ++j) threads.emplace_back(worker);
  }
  if (progress) std::cerr << "\r\x1b[K" << std::flush;
}

}  // namespace rempart::cli
