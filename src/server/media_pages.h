// The media page: GET /media, the upload form; POST /media, one photo or video checked
// ("check": what it reveals and how many faces), cleaned ("clean": a download of NAME.clean.EXT),
// its faces hidden ("redact": NAME.redacted.EXT) or its faces shown framed ("preview").
//
// It needs no vault and keeps nothing: the upload lives in the request's memory, is wiped with
// it (Request's destructor) as soon as the answer is ready, and a download is wiped once sent
// (HttpServer). So the report page asks for the file again to clean it: no upload is kept
// waiting on the server, and the server holds no state between requests. The preview is a
// data: URL inside the page for the same reason; only that page's policy allows data: images.
//
// The form is plain HTML (works without JavaScript) with a double-submit CSRF token, as the
// unlock form has. Nothing about the file (name, size, content) is logged.
#pragma once

#include <cstddef>

#include "server/app_context.h"
#include "server/router.h"

namespace rempart::server {

inline constexpr std::string_view kMediaPath = "/media";
// Room for the form's text fields and multipart headers around the file.
inline constexpr size_t kUploadFormOverhead = 64 * 1024;

void AddMediaPages(Router& router, AppContext& app);

// True for the requests whose body is an upload: POST /media. For HttpServerOptions::is_upload.
bool IsMediaUpload(const http::request_header<>& header);

// The media page for an upload refused before it reached the handler: 413 (over the limit,
// with the limit and the CLI for larger files) or 503 (other uploads in progress).
Response MediaUploadRefused(AppContext& app, http::status status,
                            const http::request_header<>& header);

}  // namespace rempart::server
