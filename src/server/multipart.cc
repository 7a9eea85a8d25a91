#include "server/multipart.h"

#include <cstring>
#include <utility>

namespace rempart::server {
namespace {

constexpr std::string_view kCrlf = "\r\n";
constexpr size_t kMaxBoundary = 70;  // RFC 2046 §5.1.1

Status Malformed() {
  return Error(Code::kInvalidInput,
               "the form upload is damaged or incomplete; choose the file and send the form "
               "again");
}

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

std::string Lowered(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = Lower(c);
  return out;
}

std::string_view TrimSpace(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// RFC 7230 tchar: what header names, media types and parameter names are made of.
bool IsTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return c != '\0' && std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
}

bool IsToken(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!IsTokenChar(c)) return false;
  }
  return true;
}

// Bytes a quoted value may hold: anything but controls (tab aside) and the quote itself.
bool IsQuotedChar(char c) {
  auto u = static_cast<unsigned char>(c);
  return (u >= 0x20 && u != 0x7F && c != '"') || c == '\t';
}

bool IsBoundaryChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return c != '\0' && std::strchr("'()+_,-./:=? ", c) != nullptr;
}

// A header value "main; name=value; name="quoted value"": the main part and the parameters,
// names lower-cased. A repeated parameter is refused: which one to believe is the question an
// attacker wants two readers to answer differently.
struct HeaderValue {
  std::string_view main;
  std::vector<std::pair<std::string, std::string>> params;

  const std::string* Param(std::string_view name) const {
    for (const auto& [key, value] : params) {
      if (key == name) return &value;
    }
    return nullptr;
  }
};

Result<HeaderValue> ParseHeaderValue(std::string_view text) {
  HeaderValue out;
  size_t semi = text.find(';');
  out.main = TrimSpace(text.substr(0, semi));
  text = semi == std::string_view::npos ? std::string_view() : text.substr(semi);
  while (true) {
    text = TrimSpace(text);
    if (text.empty()) break;
    if (text.front() != ';') return Malformed();
    text = TrimSpace(text.substr(1));
    size_t eq = text.find('=');
    if (eq == std::string_view::npos) return Malformed();
    std::string_view name = TrimSpace(text.substr(0, eq));
    if (!IsToken(name)) return Malformed();
    text = TrimSpace(text.substr(eq + 1));
    std::string value;
    if (!text.empty() && text.front() == '"') {
      size_t close = text.find('"', 1);
      if (close == std::string_view::npos) return Malformed();
      value = std::string(text.substr(1, close - 1));
      for (char c : value) {
        if (!IsQuotedChar(c)) return Malformed();
      }
      text = text.substr(close + 1);
    } else {
      size_t end = 0;
      while (end < text.size() && IsTokenChar(text[end])) ++end;
      if (end == 0) return Malformed();
      value = std::string(text.substr(0, end));
      text = text.substr(end);
    }
    std::string key = Lowered(name);
    if (out.Param(key)) return Malformed();
    out.params.emplace_back(std::move(key), std::move(value));
  }
  return out;
}

// Browsers write '"' as %22 and line breaks as %0D and %0A in names and file names (HTML's
// multipart/form-data encoding algorithm); undo exactly those, so "My \"best\".jpg" reads back.
std::string UndoBrowserEscapes(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    std::string_view next = text.substr(i, 3);
    if (next == "%22" || next == "%0D" || next == "%0A" || next == "%0d" || next == "%0a") {
      out += next == "%22" ? '"' : (next[2] == 'D' || next[2] == 'd') ? '\r' : '\n';
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

// Reads the header lines of one part into `part`.
Status ParsePartHeaders(std::string_view block, MultipartPart& part) {
  bool has_disposition = false, has_type = false, has_encoding = false;
  while (!block.empty()) {
    size_t end = block.find(kCrlf);
    std::string_view line = block.substr(0, end);
    block = end == std::string_view::npos ? std::string_view() : block.substr(end + 2);
    // A bare CR or LF, or a folded line, could make two readers split the headers differently.
    if (line.find_first_of("\r\n") != std::string_view::npos) return Malformed();
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || !IsToken(line.substr(0, colon))) return Malformed();
    std::string_view name = line.substr(0, colon);
    std::string_view value = TrimSpace(line.substr(colon + 1));
    if (EqualsIgnoringCase(name, "Content-Disposition")) {
      if (has_disposition) return Malformed();
      has_disposition = true;
      REMPART_ASSIGN_OR_RETURN(HeaderValue parsed, ParseHeaderValue(value));
      if (!EqualsIgnoringCase(parsed.main, "form-data")) return Malformed();
      const std::string* field = parsed.Param("name");
      if (!field || field->empty()) return Malformed();
      part.name = UndoBrowserEscapes(*field);
      if (const std::string* filename = parsed.Param("filename")) {
        part.filename = UndoBrowserEscapes(*filename);
      }
    } else if (EqualsIgnoringCase(name, "Content-Type")) {
      if (has_type) return Malformed();
      has_type = true;
      part.content_type = std::string(value);
    } else if (EqualsIgnoringCase(name, "Content-Transfer-Encoding")) {
      // RFC 7578 §4.7: deprecated; only the encodings that leave the bytes as they are.
      if (has_encoding) return Malformed();
      has_encoding = true;
      if (!EqualsIgnoringCase(value, "binary") && !EqualsIgnoringCase(value, "8bit") &&
          !EqualsIgnoringCase(value, "7bit")) {
        return Malformed();
      }
    }
    // Any other header says nothing we use; browsers send none.
  }
  if (!has_disposition) return Malformed();
  return Status::Ok();
}

}  // namespace

const MultipartPart* MultipartForm::Find(std::string_view name) const {
  for (const MultipartPart& part : parts) {
    if (part.name == name) return &part;
  }
  return nullptr;
}

std::optional<std::string_view> MultipartForm::Field(std::string_view name) const {
  const MultipartPart* part = Find(name);
  if (!part || part->filename) return std::nullopt;
  return part->data;
}

const MultipartPart* MultipartForm::File(std::string_view name) const {
  const MultipartPart* part = Find(name);
  if (!part || !part->filename || (part->filename->empty() && part->data.empty())) return nullptr;
  return part;
}

Result<std::string> MultipartBoundary(std::string_view content_type) {
  auto parsed = ParseHeaderValue(content_type);
  if (!parsed.ok() || !EqualsIgnoringCase(parsed->main, "multipart/form-data")) {
    return Error(Code::kInvalidInput,
                 "the form was sent without its file; it must be sent as multipart/form-data");
  }
  const std::string* boundary = parsed->Param("boundary");
  bool valid =
      boundary && !boundary->empty() && boundary->size() <= kMaxBoundary && boundary->back() != ' ';
  for (size_t i = 0; valid && i < boundary->size(); ++i) valid = IsBoundaryChar((*boundary)[i]);
  if (!valid) return Error(Code::kInvalidInput, "the form upload has no valid boundary");
  return *boundary;
}

Result<MultipartForm> ParseMultipart(std::string_view body, std::string_view boundary,
                                     const MultipartLimits& limits) {
  if (boundary.empty() || boundary.size() > kMaxBoundary) {
    return Error(Code::kInvalidInput, "the form upload has no valid boundary");
  }
  const std::string first = "--" + std::string(boundary);
  // Every later delimiter includes the line break before it, which is not part of the data.
  const std::string delimiter = "\r\n--" + std::string(boundary);
  if (body.substr(0, first.size()) != first) return Malformed();
  size_t pos = first.size();
  MultipartForm form;
  while (true) {
    std::string_view rest = body.substr(pos);
    if (rest.substr(0, 2) == "--") {
      // The close delimiter; browsers end the body with a line break, some clients do not.
      rest.remove_prefix(2);
      if (!rest.empty() && rest != kCrlf) return Malformed();
      return form;
    }
    if (rest.substr(0, 2) != kCrlf) return Malformed();
    pos += 2;
    if (form.parts.size() >= limits.max_parts) {
      return Error(Code::kInvalidInput, "the form upload has too many fields");
    }
    // The header block ends at the first empty line, which must come soon.
    std::string_view window = body.substr(pos, limits.max_part_header_bytes + 4);
    size_t header_end = window.find("\r\n\r\n");
    if (header_end == std::string_view::npos) return Malformed();
    MultipartPart part;
    REMPART_RETURN_IF_ERROR(ParsePartHeaders(window.substr(0, header_end), part));
    if (form.Find(part.name)) {
      return Error(Code::kInvalidInput, "a field of the form was sent twice");
    }
    size_t data_start = pos + header_end + 4;
    size_t data_end = body.find(delimiter, data_start);
    if (data_end == std::string_view::npos) return Malformed();  // cut short
    part.data = body.substr(data_start, data_end - data_start);
    if (!part.filename && part.data.size() > limits.max_field_bytes) {
      return Error(Code::kInvalidInput, "a field of the form is too long");
    }
    form.parts.push_back(std::move(part));
    pos = data_end + delimiter.size();
  }
}

}  // namespace rempart::server
