#include "crypto/sodium_init.h"

#include <sodium.h>

namespace rempart {

Status EnsureSodium() {
  if (sodium_init() < 0) {
    return Error(Code::kFailed, "libsodium could not start (no system randomness?)");
  }
  return Status::Ok();
}

}  // namespace rempart
