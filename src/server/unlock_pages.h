// The pages that open and close the vault: / (to the right place), GET and POST /unlock,
// POST /lock. A missing or wiped vault gets a page that says so and how to create one.
#pragma once

#include "server/app_context.h"
#include "server/router.h"

namespace rempart::server {

void AddUnlockPages(Router& router, AppContext& app);

}  // namespace rempart::server
