// Initialises libsodium once; every crypto entry point calls it (sodium_init is idempotent and
// thread-safe, so this holds no mutable state of ours).
#pragma once

#include "core/status.h"

namespace rempart {
Status EnsureSodium();
}  // namespace rempart
