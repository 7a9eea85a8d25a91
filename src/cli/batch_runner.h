// Runs one piece of work per file on several threads, with a progress line on a terminal.
//
// Work items must be independent; each reports its own result (the runner only schedules).
// The progress line goes to stderr and only when stderr is a terminal, so pipes and --json
// output stay clean.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include "core/i18n.h"

namespace rempart::cli {

struct BatchOptions {
  int jobs = 0;           // 0: one per core
  bool progress = false;  // show "Cleaning 12 of 40…" (only on a terminal)
  std::string verb;       // translated, e.g. "Cleaning"
};

void RunBatch(size_t count, const BatchOptions& options, const Translator& t,
              const std::function<void(size_t index)>& work);

}  // namespace rempart::cli
