#include "server/media_pages.h"

#include <fmt/format.h>
#include <sodium.h>

#include <cctype>
#include <span>

#include "media/privacy_text.h"
#include "server/cookies.h"
#include "server/download_name.h"
#include "server/media_actions.h"
#include "server/multipart.h"
#include "server/page.h"

namespace rempart::server {
namespace {

// The preview page alone may show images from data: URLs (its preview); no other policy changes.
constexpr char kPreviewPolicy[] =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
// Downloads are the user's own file, but treat them as hostile content all the same.
constexpr char kDownloadPolicy[] = "default-src 'none'; sandbox";
constexpr int kBusyRetrySeconds = 5;

// What the form shows besides its fields: an error above it, results (a report or a preview),
// and what the person typed last, so a mistake in a region does not cost them the rest.
struct FormState {
  std::string error;
  std::string results;  // HTML rendered from media_report or media_preview
  std::string regions;
  bool faces = true;
  bool solid = false;
  bool data_images = false;  // the results hold a data: image
};

uint64_t MaxUploadMb(const AppContext& app) { return app.config.max_upload_bytes >> 20; }

// Messages from the cores are clauses ("not a photo or video format …"); the page shows
// sentences.
std::string Sentence(std::string text) {
  if (!text.empty() && text.front() >= 'a' && text.front() <= 'z') text.front() -= 'a' - 'A';
  if (!text.empty() && text.back() != '.' && text.back() != '!' && text.back() != '?') {
    text += '.';
  }
  return text;
}

Response ShowForm(Page& page, std::optional<std::string> csrf_cookie, http::status status,
                  const FormState& state) {
  const Translator& t = page.t();
  std::string csrf = csrf_cookie.value_or("");
  if (csrf.size() != 64) {
    csrf = RandomToken();
    page.AddCookie(FormatSetCookie(kUnlockCsrfCookie, csrf, page.app().SessionCookieOptions()));
  }
  TemplateData data = TemplateData::type::object;
  data.set("csrf", csrf);
  data.set("limit_text", t.trf("Photos and videos up to {} MB. For larger videos, use rempart "
                               "scrub on your computer.",
                               MaxUploadMb(page.app())));
  if (!state.error.empty()) data.set("error", state.error);
  data.set("has_results", !state.results.empty());
  data.set("results", state.results);
  data.set("regions", state.regions);
  data.set("faces_checked", state.faces);
  data.set("style_solid", state.solid);
  data.set("style_pixelate", !state.solid);
  Response response = page.Render(status, "media", t.tr("Check a photo or video"), std::move(data));
  if (state.data_images) response.headers.set("Content-Security-Policy", kPreviewPolicy);
  return response;
}

Response ShowError(Page& page, const Request& request, http::status status, FormState state,
                   std::string message) {
  state.error = std::move(message);
  state.results.clear();
  return ShowForm(page, request.Cookie(kUnlockCsrfCookie), status, state);
}

std::string TooLargeMessage(const AppContext& app, const Translator& t) {
  return t.trf(
      "This file is larger than {} MB, the most this page takes. For a big video, use rempart "
      "scrub on your computer: it has no size limit.",
      MaxUploadMb(app));
}

bool IsReadable(MediaFormat format) {
  switch (format) {
    case MediaFormat::kUnknown:
    case MediaFormat::kRawCamera:
    case MediaFormat::kPsd:
    case MediaFormat::kOtherKnown:
      return false;
    default:
      return true;
  }
}

// The status for a failed action: what the person sent (400, 415, 422) or our fault (500).
http::status StatusFor(const Status& status, MediaFormat format) {
  if (!IsReadable(format)) return http::status::unsupported_media_type;
  switch (status.code()) {
    case Code::kUsage:
      return http::status::bad_request;
    case Code::kInvalidInput:
    case Code::kNotFound:
      return http::status::unprocessable_entity;
    default:
      return http::status::internal_server_error;
  }
}

std::string FormatText(const PrivacyReport& report, const Translator& t) {
  std::string name = report.format;
  for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (report.width <= 0 || report.height <= 0) return name;
  return t.trf("{}, {} × {} pixels", name, report.width, report.height);
}

std::string FacesText(const CheckResult& check, const Translator& t) {
  switch (check.face_search) {
    case CheckResult::FaceSearch::kVideo:
      return t.tr("Faces are not searched in videos.");
    case CheckResult::FaceSearch::kNotPossible:
      return t.tr("Faces could not be searched in this file.");
    case CheckResult::FaceSearch::kDone:
      break;
  }
  if (check.faces == 0) {
    return t.tr(
        "No face found. The detector misses faces in profile, small or partly hidden: look at "
        "the photo yourself.");
  }
  return t.trf("Faces found: {}", check.faces) + ". " +
         t.tr("Cleaning does not hide faces: choose Preview faces, then Hide faces.");
}

Result<std::string> ReportHtml(Page& page, const std::string& name, const CheckResult& check) {
  const Translator& t = page.t();
  const PrivacyReport& report = check.report;
  TemplateData lines = TemplateData::type::list;
  for (const ReportLine& line : DescribeReport(report, t)) {
    TemplateData item = TemplateData::type::object;
    item.set("label", line.label);
    item.set("text", line.text);
    lines.push_back(std::move(item));
  }
  bool has_metadata = !report.findings.empty() || report.location.has_value();
  TemplateData data = TemplateData::type::object;
  data.set("heading", t.trf("What {} reveals", name));
  data.set("format_text", FormatText(report, t));
  data.set("clean", !has_metadata);
  data.set("has_lines", has_metadata);
  data.set("lines", lines);
  data.set("faces_text", FacesText(check, t));
  return page.app().templates.Render("media_report", std::move(data), t);
}

std::string Base64(std::span<const uint8_t> bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

Result<std::string> PreviewHtml(Page& page, const PreviewResult& preview) {
  const Translator& t = page.t();
  TemplateData boxes = TemplateData::type::list;
  for (size_t i = 0; i < preview.boxes.size(); ++i) {
    const Box& b = preview.boxes[i];
    TemplateData item = TemplateData::type::object;
    item.set("coords", fmt::format("{},{},{},{}", b.x, b.y, b.width, b.height));
    item.set("kind", i < preview.faces ? t.tr("face") : t.tr("area"));
    boxes.push_back(std::move(item));
  }
  TemplateData data = TemplateData::type::object;
  data.set("heading", t.trf("Faces found: {}", preview.faces));
  data.set("src", "data:image/jpeg;base64," + Base64(preview.jpeg));
  data.set("width", std::to_string(preview.width));
  data.set("height", std::to_string(preview.height));
  data.set("has_boxes", !preview.boxes.empty());
  data.set("boxes", boxes);
  return page.app().templates.Render("media_preview", std::move(data), t);
}

Response Download(std::string body, MediaFormat format, const std::string& filename) {
  Response response;
  response.body = std::move(body);
  response.headers.set(http::field::content_type, std::string(MimeTypeFor(format)));
  response.headers.set(http::field::content_disposition,
                       fmt::format("attachment; filename=\"{}\"", filename));
  response.headers.set("Content-Security-Policy", kDownloadPolicy);
  return response;
}

std::string Fallback(MediaFormat format) {
  return format == MediaFormat::kMp4 || format == MediaFormat::kMov ? "video" : "photo";
}

Response MediaGet(AppContext& app, Request& request) {
  Page page(app, request);
  return ShowForm(page, request.Cookie(kUnlockCsrfCookie), http::status::ok, {});
}

Response MediaPost(AppContext& app, Request& request) {
  Page page(app, request);
  const Translator& t = page.t();
  FormState state;
  auto fail = [&](http::status status, std::string message) {
    return ShowError(page, request, status, state, std::move(message));
  };

  auto boundary = MultipartBoundary(request.Header(http::field::content_type));
  if (!boundary.ok())
    return fail(http::status::bad_request, Sentence(t.Explain(boundary.status())));
  auto form = ParseMultipart(request.message().body(), *boundary);
  if (!form.ok()) return fail(http::status::bad_request, Sentence(t.Explain(form.status())));
  state.regions = std::string(form->Field("regions").value_or(""));
  state.faces = form->Field("faces").has_value();
  state.solid = form->Field("style") == "solid";

  auto cookie = request.Cookie(kUnlockCsrfCookie);
  auto field = form->Field("csrf");
  if (!cookie || !field || !TokensEqual(*cookie, *field)) {
    return fail(http::status::forbidden,
                t.tr("This form had expired. Choose the file and send it again."));
  }
  const MultipartPart* file = form->File("file");
  if (!file) return fail(http::status::bad_request, t.tr("Choose a photo or video first."));
  if (file->data.size() > app.config.max_upload_bytes) {
    return fail(http::status::payload_too_large, TooLargeMessage(app, t));
  }
  std::span<const uint8_t> bytes(reinterpret_cast<const uint8_t*>(file->data.data()),
                                 file->data.size());
  const MediaFormat format = SniffMediaFormat(bytes);
  const std::string& uploaded = *file->filename;
  auto failed = [&](const Status& status) {
    return fail(StatusFor(status, format), Sentence(t.Explain(status)));
  };

  std::string_view action = form->Field("action").value_or("check");
  if (action == "check") {
    auto check = CheckMedia(bytes);
    if (!check.ok()) return failed(check.status());
    auto html = ReportHtml(page, DisplayName(uploaded), *check);
    if (!html.ok()) return failed(html.status());
    state.results = std::move(*html);
    return ShowForm(page, cookie, http::status::ok, state);
  }
  if (action == "clean") {
    auto cleaned = CleanMedia(bytes);
    if (!cleaned.ok()) return failed(cleaned.status());
    std::string name = DownloadName(
        uploaded, "clean", ExtensionFor(format, UploadedExtension(uploaded)), Fallback(format));
    return Download(std::move(cleaned->bytes), format, name);
  }
  if (action != "redact" && action != "preview") {
    return fail(http::status::bad_request, t.tr("Choose one of the buttons of the form."));
  }
  auto regions = ParseRegionList(state.regions);
  if (!regions.ok()) return failed(regions.status());
  if (action == "preview") {
    auto preview = PreviewFaces(bytes, *regions);
    if (!preview.ok()) return failed(preview.status());
    auto html = PreviewHtml(page, *preview);
    sodium_memzero(preview->jpeg.data(), preview->jpeg.size());
    if (!html.ok()) return failed(html.status());
    state.results = std::move(*html);
    state.data_images = true;
    return ShowForm(page, cookie, http::status::ok, state);
  }
  RedactChoices choices{.faces = state.faces,
                        .regions = std::move(*regions),
                        .style = state.solid ? RedactStyle::kSolid : RedactStyle::kPixelate};
  auto redacted = RedactPhoto(bytes, choices);
  if (!redacted.ok()) return failed(redacted.status());
  std::string name = DownloadName(uploaded, "redacted", ExtensionFor(redacted->format, ""),
                                  Fallback(redacted->format));
  std::string body(redacted->bytes.begin(), redacted->bytes.end());
  sodium_memzero(redacted->bytes.data(), redacted->bytes.size());
  return Download(std::move(body), redacted->format, name);
}

}  // namespace

void AddMediaPages(Router& router, AppContext& app) {
  router.Add(http::verb::get, kMediaPath, [&app](Request& r) { return MediaGet(app, r); });
  router.Add(http::verb::post, kMediaPath, [&app](Request& r) { return MediaPost(app, r); });
}

bool IsMediaUpload(const http::request_header<>& header) {
  std::string_view target(header.target().data(), header.target().size());
  return header.method() == http::verb::post && target.substr(0, target.find('?')) == kMediaPath;
}

Response MediaUploadRefused(AppContext& app, http::status status,
                            const http::request_header<>& header) {
  Page page(app, header);
  auto cookie_header = header[http::field::cookie];
  auto cookies = ParseCookieHeader({cookie_header.data(), cookie_header.size()});
  std::optional<std::string> csrf;
  if (auto it = cookies.find(std::string(kUnlockCsrfCookie)); it != cookies.end()) {
    csrf = it->second;
  }
  FormState state;
  if (status == http::status::service_unavailable) {
    state.error = page.t().tr(
        "Rempart is busy with other files. Wait a moment, then send the "
        "form again.");
  } else {
    state.error = TooLargeMessage(app, page.t());
  }
  Response response = ShowForm(page, csrf, status, state);
  if (status == http::status::service_unavailable) {
    response.headers.set(http::field::retry_after, std::to_string(kBusyRetrySeconds));
  }
  return response;
}

}  // namespace rempart::server
