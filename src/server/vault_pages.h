// The pages over an unlocked vault: GET /cases, /cases/{id}, /cases/{id}/bundle,
// /entries/{id} and /entries/{id}/content. Each finds the browser's session first and sends
// a locked browser to /unlock; each holds the session's mutex while it uses the Vault.
#pragma once

#include "server/app_context.h"
#include "server/router.h"

namespace rempart::server {

void AddVaultPages(Router& router, AppContext& app);

}  // namespace rempart::server
