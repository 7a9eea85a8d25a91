// Names for what the media page sends back: the file name in Content-Disposition, and the
// name shown on the page, both made from whatever name the browser sent with the upload.
//
// That name is hostile: it may carry a path ("C:\Users\…\photo.jpg" from old browsers), control
// characters, quotes that would end the header's quoted string, or be thousands of bytes long.
// The download name keeps only ASCII letters, digits, '-' and '_' from the stem, so no header
// injection, no hidden file and no path can come out of it; its extension follows the detected
// format, never the upload's claim.
#pragma once

#include <string>
#include <string_view>

namespace rempart::server {

// "photo.jpg", suffix "clean", extension "jpg" -> "photo.clean.jpg". The stem is the last path
// component without its extension, made safe and cut to 64 characters; `fallback` ("photo")
// stands in when nothing usable is left. `extension` comes from the server, not the upload.
std::string DownloadName(std::string_view uploaded_name, std::string_view suffix,
                         std::string_view extension, std::string_view fallback);

// The last path component of the upload's name for display, at most 100 characters, with
// control characters, bidirectional overrides and invalid UTF-8 replaced by U+FFFD. Still to
// be HTML-escaped.
std::string DisplayName(std::string_view uploaded_name);

// The uploaded extension, lower-cased ("JPEG" -> "jpeg"), or "" when there is none.
std::string UploadedExtension(std::string_view uploaded_name);

}  // namespace rempart::server
