// Multipart: a strict reader of the multipart/form-data bodies (RFC 7578) that browsers send
// for a form with a file input, as used by the media page.
//
// The body is hostile, so the reader accepts only what browsers and curl actually send and
// refuses the rest with kInvalidInput (the page answers 400): the body starts with the first
// delimiter (no preamble), every line ends in CRLF, each part has a Content-Disposition of
// form-data with a name, header lines are neither folded nor long, names are unique, and there
// are few parts. Parameters are read the way browsers write them (RFC 7578 §4.2; HTML's
// "multipart/form-data encoding algorithm"): a quoted value ends at the next double quote,
// since browsers percent-encode quotes and line breaks in names, and backslashes are plain.
//
// Nothing is copied out of the body: a part's data is a view into it, so the caller keeps the
// body alive (and wipes it) for as long as it uses them.
// File sizes are the caller's to check (it knows the upload limit and answers 413 itself);
// text fields over max_field_bytes are refused here.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace rempart::server {

struct MultipartLimits {
  size_t max_parts = 16;
  size_t max_part_header_bytes = 2048;  // all header lines of one part together
  size_t max_field_bytes = 4096;        // a text field's value (file parts are not limited)
};

struct MultipartPart {
  std::string name;
  // Set for file inputs: the name the browser gave, possibly empty when no file was chosen,
  // with the browser's %22, %0D and %0A escapes undone. Whatever the browser sent, path
  // included: never use it as a path or in a header as is (see download_name.h).
  std::optional<std::string> filename;
  std::string content_type;  // as sent, "" when absent; the browser's guess, never trusted
  std::string_view data;     // into the parsed body
};

struct MultipartForm {
  std::vector<MultipartPart> parts;  // in the order sent; names are unique

  // The part named `name`, or nullptr.
  const MultipartPart* Find(std::string_view name) const;
  // A text field's value; nullopt when absent or when the part is a file.
  std::optional<std::string_view> Field(std::string_view name) const;
  // A file part with a file chosen (a non-empty name or content), or nullptr.
  const MultipartPart* File(std::string_view name) const;
};

// The boundary of a "multipart/form-data; boundary=…" Content-Type (quoted or not), checked
// against RFC 2046's 1 to 70 allowed characters; kInvalidInput for any other type.
Result<std::string> MultipartBoundary(std::string_view content_type);

// Parses a whole body. Each part's data views into `body`.
Result<MultipartForm> ParseMultipart(std::string_view body, std::string_view boundary,
                                     const MultipartLimits& limits = {});

}  // namespace rempart::server
