#include "evidence/report_pdf.h"

#include <cairo-pdf.h>
#include <fmt/format.h>
#include <glib.h>
#include <pango/pangocairo.h>
#include <turbojpeg.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <memory>
#include <optional>
#include <string_view>
#include <system_error>
#include <thread>
#include <variant>

#include "core/time_format.h"
#include "evidence/bundle_fs.h"
#include "media/image_decode.h"

namespace rempart {
namespace {

// ---- Page geometry, in PDF points (1/72 inch) ----

constexpr double kPageWidth = 595.276;  // A4
constexpr double kPageHeight = 841.890;
constexpr double kMargin = 56.693;  // 2 cm
constexpr double kContentWidth = kPageWidth - 2 * kMargin;
constexpr double kContentTop = kMargin;
constexpr double kContentBottom = kPageHeight - 68;
constexpr double kFooterBaseline = kPageHeight - 36;
constexpr double kLabelWidth = 116;  // label column of an entry; values start after it
constexpr double kValueX = kLabelWidth + 10;
constexpr double kValueWidth = kContentWidth - kValueX;
constexpr double kThumbnailMax = 170.079;  // 6 cm
// Thumbnails are stored at 144 dpi: sharp on paper, about 20 kB each as JPEG.
constexpr double kThumbnailPixelsPerPoint = 2;
constexpr int kThumbnailPixels = static_cast<int>(kThumbnailMax * kThumbnailPixelsPerPoint);
// An entry shorter than this moves whole to the next page rather than split.
constexpr double kKeepTogether = 0.55 * (kContentBottom - kContentTop);
// A hostile 50 MB "message" would take minutes to lay out; the bundle keeps the full text.
constexpr size_t kMaxTextBytes = 100'000;
constexpr size_t kMaxUnbrokenBytes = 600;

struct Rgb {
  double r, g, b;
};
constexpr Rgb kInk{0.08, 0.08, 0.10};
constexpr Rgb kMuted{0.36, 0.37, 0.40};
constexpr Rgb kAccent{0.11, 0.22, 0.42};
constexpr Rgb kBand{0.91, 0.93, 0.96};
constexpr Rgb kCodeBackground{0.95, 0.95, 0.95};
constexpr Rgb kRule{0.72, 0.73, 0.76};

// ---- Text hygiene ----

// Valid UTF-8 without control characters (but newlines and tabs), cut at kMaxTextBytes, with
// a line break forced into any run of kMaxUnbrokenBytes without white space: Pango refuses
// invalid UTF-8, stray controls would print as boxes, and breaking one giant "word" into lines
// takes Pango time that grows with the square of its length.
std::string CleanText(std::string_view text, const Translator& t) {
  const bool shortened = text.size() > kMaxTextBytes;
  if (shortened) text = text.substr(0, kMaxTextBytes);
  std::string bytes;
  bytes.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\r') {
      if (i + 1 < text.size() && text[i + 1] == '\n') continue;
      bytes += '\n';
    } else if (c < 0x20 && c != '\n' && c != '\t') {
      bytes += ' ';
    } else {
      bytes += static_cast<char>(c);
    }
  }
  gchar* valid = g_utf8_make_valid(bytes.data(), static_cast<gssize>(bytes.size()));
  std::string out;
  size_t run = 0;
  for (const char* p = valid; *p; ++p) {
    const auto c = static_cast<unsigned char>(*p);
    const bool starts_char = (c & 0xC0) != 0x80;
    run = c == ' ' || c == '\n' || c == '\t' ? 0 : run + 1;
    if (run > kMaxUnbrokenBytes && starts_char) out += '\n', run = 1;
    out += *p;
  }
  g_free(valid);
  if (shortened) {
    out += '\n';
    out += t.tr("[Text shortened here: the full text is in the bundle.]");
  }
  return out;
}

// "1234567" -> "1 234 567" with narrow no-break spaces, readable in French and English alike.
std::string GroupDigits(uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += "\u202F";
    out += digits[i];
  }
  return out;
}

// ---- Times: local for the reader, UTC for the record ----

struct Moment {
  std::string local;        // "2024-03-12 14:03:05" (order per language)
  std::string local_short;  // "2024-03-12 14:03"
  std::string local_date;   // "2024-03-12"
  std::string offset;       // "+01:00"
  std::string utc;          // "2024-03-12 13:03:05"
};

std::optional<Moment> ToMoment(std::string_view rfc3339, std::string_view language) {
  if (rfc3339.empty()) return std::nullopt;
  auto parsed = ParseRfc3339(rfc3339);
  if (!parsed.ok()) return std::nullopt;
  const std::time_t secs = std::chrono::system_clock::to_time_t(*parsed);
  std::tm local{}, utc{};
  if (!localtime_r(&secs, &local) || !gmtime_r(&secs, &utc)) return std::nullopt;
  const bool fr = language == "fr";
  auto format = [](const char* pattern, const std::tm& tm) {
    char buf[64];
    return std::string(buf, std::strftime(buf, sizeof buf, pattern, &tm));
  };
  Moment m;
  m.local = format(fr ? "%d/%m/%Y %H:%M:%S" : "%Y-%m-%d %H:%M:%S", local);
  m.local_short = format(fr ? "%d/%m/%Y %H:%M" : "%Y-%m-%d %H:%M", local);
  m.local_date = format(fr ? "%d/%m/%Y" : "%Y-%m-%d", local);
  m.utc = format("%Y-%m-%d %H:%M:%S", utc);
  const long offset = local.tm_gmtoff;
  const long minutes = (offset < 0 ? -offset : offset) / 60;
  m.offset = fmt::format("{}{:02}:{:02}", offset < 0 ? '-' : '+', minutes / 60, minutes % 60);
  return m;
}

// Two lines, local time then UTC; the text as given when it is not a time we understand.
std::string WhenText(std::string_view rfc3339, const Translator& t) {
  auto m = ToMoment(rfc3339, t.language());
  if (!m) return std::string(rfc3339);
  return t.trf("{} local time (UTC{})", m->local, m->offset) + "\n" + t.trf("{} UTC", m->utc);
}

std::optional<TimePoint> ParseTime(std::string_view rfc3339) {
  auto parsed = ParseRfc3339(rfc3339);
  if (!parsed.ok()) return std::nullopt;
  return *parsed;
}

// ---- Thumbnails ----

// A JPEG small enough to embed as is (cairo passes JPEG through to the PDF untouched), so a
// thousand screenshots make megabytes, not the gigabyte raw pixels would.
struct Thumbnail {
  int width = 0, height = 0;
  std::vector<uint8_t> jpeg;
  Status status;  // why there is no thumbnail
};

struct TjCloser {
  void operator()(void* handle) const { tjDestroy(handle); }
};

Thumbnail MakeThumbnail(std::span<const uint8_t> bytes) {
  Thumbnail thumb;
  try {
    auto decoded = DecodeImage(bytes, kThumbnailPixels);
    if (!decoded.ok()) {
      thumb.status = decoded.status();
      return thumb;
    }
    const Image& image = *decoded;
    // JPEG has no alpha: flatten onto white paper.
    std::vector<uint8_t> rgb(static_cast<size_t>(image.width) * image.height * 3);
    for (size_t i = 0, o = 0; o < rgb.size(); i += 4, o += 3) {
      const unsigned alpha = image.pixels[i + 3];
      for (int c = 0; c < 3; ++c) {
        rgb[o + c] =
            static_cast<uint8_t>((image.pixels[i + c] * alpha + 255 * (255 - alpha)) / 255);
      }
    }
    std::unique_ptr<void, TjCloser> tj(tjInitCompress());
    unsigned char* out = nullptr;
    unsigned long size = 0;
    if (!tj || tjCompress2(tj.get(), rgb.data(), image.width, 0, image.height, TJPF_RGB, &out,
                           &size, TJSAMP_444, 85, 0) != 0) {
      tjFree(out);
      thumb.status = Status(Code::kFailed, N_("The preview could not be made."));
      return thumb;
    }
    thumb.jpeg.assign(out, out + size);
    tjFree(out);
    thumb.width = image.width;
    thumb.height = image.height;
  } catch (const std::exception&) {  // bad_alloc, mostly; a worker thread must not throw
    thumb = {};
    thumb.status = Status(Code::kFailed, N_("There is not enough memory to open the image."));
  }
  return thumb;
}

// Decoding is the slow part of a report full of screenshots, and entries are independent.
std::vector<Thumbnail> MakeThumbnails(const std::vector<const ReportEntry*>& entries) {
  std::vector<Thumbnail> thumbs(entries.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i; (i = next++) < entries.size();) {
      if (!entries[i]->image.empty()) thumbs[i] = MakeThumbnail(entries[i]->image);
    }
  };
  size_t images = 0;
  for (const ReportEntry* entry : entries) images += entry->image.empty() ? 0 : 1;
  const unsigned helpers =
      std::min<size_t>({3, std::thread::hardware_concurrency(), images > 1 ? images - 1 : 0});
  std::vector<std::jthread> threads;
  try {
    for (unsigned k = 0; k < helpers; ++k) threads.emplace_back(work);
  } catch (const std::system_error&) {
    // No threads to be had: this thread does all of it.
  }
  work();
  threads.clear();  // joins: the helpers may still be finishing their last image
  return thumbs;
}

// ---- Laid-out content: rows that pagination never splits ----

using LayoutRef = std::shared_ptr<PangoLayout>;

struct TextPiece {
  LayoutRef layout;  // keeps `line` alive
  PangoLayoutLine* line;
  double x, baseline;  // from the row's left and top
  Rgb color;
};
struct RectPiece {
  double x, y, width, height;
  Rgb color;
  bool stroke = false;
};
struct ImagePiece {
  size_t thumbnail;
  double x, y, width, height;
};
using Piece = std::variant<TextPiece, RectPiece, ImagePiece>;

struct Row {
  double height = 0;
  double space_before = 0;  // dropped at the top of a page
  bool keep_with_next = false;
  std::vector<Piece> pieces;
  int outline_level = -1;  // 0: section, 1: entry, -1: not in the PDF outline
  std::string outline;
};

// A section or an entry. Rows after the first may go to the next page, where `continuation`
// (if any) repeats the block's title.
struct Block {
  std::vector<Row> rows;
  bool new_page = false;
  std::optional<Row> continuation;
};

struct LineBox {
  LayoutRef layout;
  PangoLayoutLine* line;
  double x, ascent, descent;
};

struct FontFree {
  void operator()(PangoFontDescription* font) const { pango_font_description_free(font); }
};
using Font = std::unique_ptr<PangoFontDescription, FontFree>;

struct Style {
  const PangoFontDescription* font;
  Rgb color;
  PangoWrapMode wrap = PANGO_WRAP_WORD_CHAR;
  bool one_line = false;  // cut with an ellipsis instead of wrapping
};

double LineWidth(const LineBox& box) {
  PangoRectangle logical;
  pango_layout_line_get_extents(box.line, nullptr, &logical);
  return pango_units_to_double(logical.width);
}

// ---- Building the blocks of the report ----

class ReportBuilder {
 public:
  ReportBuilder(PangoContext* context, const Translator& t)
      : context_(context),
        t_(t),
        title_(pango_font_description_from_string("Sans Bold 24")),
        subtitle_(pango_font_description_from_string("Sans 15")),
        heading_(pango_font_description_from_string("Sans Bold 16")),
        subheading_(pango_font_description_from_string("Sans Bold 11.5")),
        body_(pango_font_description_from_string("Sans 10")),
        bold_(pango_font_description_from_string("Sans Bold 10.5")),
        label_(pango_font_description_from_string("Sans 8.5")),
        mono_(pango_font_description_from_string("Monospace 9")),
        code_(pango_font_description_from_string("Monospace 8.5")),
        small_(pango_font_description_from_string("Sans 8")) {}

  void AddSummary(const ReportInput& input, const std::vector<const ReportEntry*>& sorted);
  void AddTimeline(const std::vector<const ReportEntry*>& sorted,
                   const std::vector<Thumbnail>& thumbs);
  void AddVerification(const ReportInput& input, const std::vector<const ReportEntry*>& sorted);
  std::vector<Block> TakeBlocks() { return std::move(blocks_); }

  Style Small() const { return {small_.get(), kMuted}; }
  std::vector<LineBox> Lines(std::string_view text, const Style& style, double width) const;

 private:
  void AddEntry(const ReportEntry& item, const Thumbnail& thumb, size_t thumb_index);
  // Columns side by side, line by line, baselines aligned: one row per line.
  void AddColumns(Block& block, const std::vector<std::pair<std::vector<LineBox>, double>>& columns,
                  const std::vector<Rgb>& colors, double space_before, int keep_rows = 0);
  void AddParagraph(Block& block, std::string_view text, const Style& style, double space_before,
                    double x = 0, double width = kContentWidth);
  void AddField(Block& block, std::string_view label, std::string_view value, const Style& style,
                double space_before = 3.5);
  void AddCode(Block& block, std::string_view code);
  void AddHeading(Block& block, std::string_view text, const Style& style, double space_before,
                  int outline_level);
  Row EntryTitleRow(std::string_view left, std::string_view right) const;

  Style Body() const { return {body_.get(), kInk}; }
  Style Mono() const { return {mono_.get(), kInk, PANGO_WRAP_CHAR}; }

  PangoContext* context_;
  const Translator& t_;
  Font title_, subtitle_, heading_, subheading_, body_, bold_, label_, mono_, code_, small_;
  std::vector<Block> blocks_;
};

std::vector<LineBox> ReportBuilder::Lines(std::string_view text, const Style& style,
                                          double width) const {
  const std::string clean = CleanText(text, t_);
  LayoutRef layout(pango_layout_new(context_), g_object_unref);
  pango_layout_set_font_description(layout.get(), style.font);
  pango_layout_set_width(layout.get(), pango_units_from_double(width));
  pango_layout_set_wrap(layout.get(), style.wrap);
  if (style.one_line) {
    pango_layout_set_height(layout.get(), -1);  // at most one line per paragraph
    pango_layout_set_ellipsize(layout.get(), PANGO_ELLIPSIZE_END);
  }
  pango_layout_set_text(layout.get(), clean.data(), static_cast<int>(clean.size()));
  std::vector<LineBox> lines;
  PangoLayoutIter* iter = pango_layout_get_iter(layout.get());
  do {
    PangoRectangle logical;
    pango_layout_iter_get_line_extents(iter, nullptr, &logical);
    const double baseline = pango_units_to_double(pango_layout_iter_get_baseline(iter));
    const double top = pango_units_to_double(logical.y);
    lines.push_back({layout, pango_layout_iter_get_line_readonly(iter),
                     pango_units_to_double(logical.x), baseline - top,
                     top + pango_units_to_double(logical.height) - baseline});
  } while (pango_layout_iter_next_line(iter));
  pango_layout_iter_free(iter);
  return lines;
}

void ReportBuilder::AddColumns(Block& block,
                               const std::vector<std::pair<std::vector<LineBox>, double>>& columns,
                               const std::vector<Rgb>& colors, double space_before, int keep_rows) {
  size_t count = 0;
  for (const auto& column : columns) count = std::max(count, column.first.size());
  for (size_t i = 0; i < count; ++i) {
    Row row;
    row.space_before = i == 0 ? space_before : 0;
    row.keep_with_next = static_cast<int>(i) + 1 < keep_rows;
    double ascent = 0, descent = 0;
    for (const auto& [lines, x] : columns) {
      if (i >= lines.size()) continue;
      ascent = std::max(ascent, lines[i].ascent);
      descent = std::max(descent, lines[i].descent);
    }
    for (size_t c = 0; c < columns.size(); ++c) {
      const auto& [lines, x] = columns[c];
      if (i >= lines.size()) continue;
      row.pieces.push_back(
          TextPiece{lines[i].layout, lines[i].line, x + lines[i].x, ascent, colors[c]});
    }
    row.height = ascent + descent;
    block.rows.push_back(std::move(row));
  }
}

void ReportBuilder::AddParagraph(Block& block, std::string_view text, const Style& style,
                                 double space_before, double x, double width) {
  // Two rows kept together: no paragraph starts with a lone line at the foot of a page.
  AddColumns(block, {{Lines(text, style, width), x}}, {style.color}, space_before, 2);
}

void ReportBuilder::AddField(Block& block, std::string_view label, std::string_view value,
                             const Style& style, double space_before) {
  if (value.empty()) return;
  AddColumns(block,
             {{Lines(label, {label_.get(), kMuted}, kLabelWidth), 0.0},
              {Lines(value, style, kValueWidth), kValueX}},
             {kMuted, style.color}, space_before, 2);
}

void ReportBuilder::AddCode(Block& block, std::string_view code) {
  constexpr double kPad = 4;
  const auto lines = Lines(code, {code_.get(), kInk, PANGO_WRAP_CHAR}, kContentWidth - 2 * kPad);
  for (size_t i = 0; i < lines.size(); ++i) {
    const double top = i == 0 ? kPad : 0, bottom = i + 1 == lines.size() ? kPad : 0;
    Row row;
    row.space_before = i == 0 ? 5 : 0;
    row.keep_with_next = i + 1 < lines.size();  // a command is never split across pages
    row.height = top + lines[i].ascent + lines[i].descent + bottom;
    row.pieces.push_back(RectPiece{0, 0, kContentWidth, row.height, kCodeBackground});
    row.pieces.push_back(
        TextPiece{lines[i].layout, lines[i].line, kPad + lines[i].x, top + lines[i].ascent, kInk});
    block.rows.push_back(std::move(row));
  }
}

void ReportBuilder::AddHeading(Block& block, std::string_view text, const Style& style,
                               double space_before, int outline_level) {
  const size_t first = block.rows.size();
  AddColumns(block, {{Lines(text, style, kContentWidth), 0.0}}, {style.color}, space_before);
  for (size_t i = first; i < block.rows.size(); ++i) block.rows[i].keep_with_next = true;
  block.rows[first].outline_level = outline_level;
  block.rows[first].outline = CleanText(text, t_);
}

Row ReportBuilder::EntryTitleRow(std::string_view left, std::string_view right) const {
  constexpr double kPad = 4.5, kInset = 6;
  const LineBox r =
      Lines(right, {body_.get(), kInk, PANGO_WRAP_WORD_CHAR, true}, kContentWidth / 2)[0];
  const double right_width = LineWidth(r);
  const LineBox l = Lines(left, {bold_.get(), kAccent, PANGO_WRAP_WORD_CHAR, true},
                          kContentWidth - right_width - 4 * kInset)[0];
  const double ascent = std::max(l.ascent, r.ascent), descent = std::max(l.descent, r.descent);
  Row row;
  row.height = kPad + ascent + descent + kPad;
  row.pieces.push_back(RectPiece{0, 0, kContentWidth, row.height, kBand});
  row.pieces.push_back(TextPiece{l.layout, l.line, kInset + l.x, kPad + ascent, kAccent});
  row.pieces.push_back(
      TextPiece{r.layout, r.line, kContentWidth - kInset - right_width, kPad + ascent, kInk});
  return row;
}

// ---- The three parts ----

std::string CaseTitle(const ReportInput& input, const Translator& t) {
  return input.case_title.empty() ? t.tr("Untitled case") : input.case_title;
}

void ReportBuilder::AddSummary(const ReportInput& input,
                               const std::vector<const ReportEntry*>& sorted) {
  Block block;
  AddHeading(block, t_.tr("Evidence report"), {title_.get(), kAccent}, 0, 0);
  AddParagraph(block, CaseTitle(input, t_), {subtitle_.get(), kInk}, 6);
  block.rows.back().keep_with_next = false;

  AddField(block, t_.tr("Case opened"), WhenText(input.case_created_at, t_), Body(), 22);
  AddField(block, t_.tr("Exported"), WhenText(input.exported_at, t_), Body(), 6);
  AddField(block, t_.tr("Entries"), std::to_string(sorted.size()), Body(), 6);
  if (!sorted.empty()) {
    // Undated entries sort last, so the last dated one may come before them.
    auto first = ToMoment(sorted.front()->entry.captured_at, t_.language());
    std::optional<Moment> last;
    for (auto it = sorted.rbegin(); it != sorted.rend() && !last; ++it) {
      last = ToMoment((*it)->entry.captured_at, t_.language());
    }
    if (first && last) {
      AddField(block, t_.tr("Period covered"),
               t_.trf("From {} to {}", first->local_date, last->local_date), Body(), 6);
    }
  }

  AddHeading(block, t_.tr("About this document"), {subheading_.get(), kAccent}, 24, -1);
  AddParagraph(block,
               t_.tr("This document lists, in the order they were recorded, the pieces of "
                     "evidence kept for this case in a Rempart vault: files such as screenshots "
                     "and photos, messages, web addresses and notes. Rempart is an application "
                     "that keeps evidence safe and makes any later change to it detectable; the "
                     "person who recorded the evidence exported this report from their vault."),
               Body(), 6);
  AddParagraph(block,
               t_.tr("Each entry shows when it was recorded, in local time and in UTC, and its "
                     "SHA-256 fingerprint, which changes completely if the content changes by a "
                     "single bit. This report is a readable summary: the evidence is the bundle "
                     "that comes with it, which holds the original files and a manifest signed "
                     "with the vault's key. The last section explains how anyone can check them."),
               Body(), 6);

  AddHeading(block, t_.tr("Signing key and log"), {subheading_.get(), kAccent}, 24, -1);
  AddField(block, t_.tr("Public key (minisign)"), input.public_key, Mono(), 6);
  AddField(block, t_.tr("Key ID"), input.key_id, Mono());
  AddField(block, t_.tr("Entries in the signed log"), std::to_string(input.tree_size), Body());
  AddField(block, t_.tr("Log root hash (SHA-256)"), input.tree_root_hex, Mono());
  AddField(block, t_.tr("Log signed at"), WhenText(input.tree_timestamp, t_), Body());
  blocks_.push_back(std::move(block));
}

void ReportBuilder::AddTimeline(const std::vector<const ReportEntry*>& sorted,
                                const std::vector<Thumbnail>& thumbs) {
  Block intro;
  intro.new_page = true;
  AddHeading(intro, t_.tr("Timeline"), {heading_.get(), kAccent}, 0, 0);
  AddParagraph(intro,
               sorted.empty() ? t_.tr("This case has no entries.")
                              : t_.tr("Entries are listed in the order they were recorded. Each "
                                      "time is shown in local time and in UTC."),
               {body_.get(), kMuted}, 6);
  blocks_.push_back(std::move(intro));
  for (size_t i = 0; i < sorted.size(); ++i) AddEntry(*sorted[i], thumbs[i], i);
}

void ReportBuilder::AddEntry(const ReportEntry& item, const Thumbnail& thumb, size_t thumb_index) {
  const Entry& e = item.entry;
  Block block;
  auto when = ToMoment(e.captured_at, t_.language());
  Row title = EntryTitleRow(t_.trf("Entry {} — {}", e.id, EntryKindLabel(e.kind, t_)),
                            when ? when->local_short : CleanText(e.captured_at, t_));
  title.space_before = 16;
  title.keep_with_next = true;
  title.outline_level = 1;
  title.outline = t_.trf("Entry {} — {}", e.id, EntryKindLabel(e.kind, t_)) +
                  (when ? " — " + when->local_short : "");
  block.rows.push_back(std::move(title));
  block.continuation = EntryTitleRow(t_.trf("Entry {} (continued)", e.id), "");
  block.continuation->height += 6;  // air between the band and the continued text

  AddField(block, t_.tr("Recorded"), WhenText(e.captured_at, t_), Body(), 6);
  AddField(block, t_.tr("From"), e.sender, Body());
  AddField(block, t_.tr("Platform"), e.platform, Body());
  if (!e.received_at.empty()) {
    AddField(block, t_.tr("Received"), WhenText(e.received_at, t_), Body());
  }
  AddField(block, t_.tr("Web address"), e.url, Body());
  if (!e.seen_at.empty()) AddField(block, t_.tr("Seen"), WhenText(e.seen_at, t_), Body());
  AddField(block, t_.tr("File name"), e.name, Body());
  if (e.kind == EntryKind::kFile || e.stored_content) {
    AddField(block, t_.tr("Format"), e.mime, Body());
    AddField(block, t_.tr("Size"), t_.trf("{} bytes", GroupDigits(e.size)), Body());
  }
  if (!e.file_modified_at.empty()) {
    AddField(block, t_.tr("File modified"), WhenText(e.file_modified_at, t_), Body());
  }
  AddField(block, t_.tr("File in the bundle"), item.bundle_path, Mono());
  AddField(block, t_.tr("SHA-256"), e.sha256, Mono());
  const std::string text_label = e.kind == EntryKind::kNote      ? t_.tr("Note")
                                 : e.kind == EntryKind::kMessage ? t_.tr("Message")
                                                                 : t_.tr("Text");
  AddField(block, text_label, e.text, Body(), 8);
  AddField(block, t_.tr("Text in the image (OCR)"), e.ocr_text, Body(), 8);

  if (!thumb.jpeg.empty()) {
    const double scale = std::min(1.0 / kThumbnailPixelsPerPoint,
                                  kThumbnailMax / std::max(thumb.width, thumb.height));
    const auto label = Lines(t_.tr("Preview"), {label_.get(), kMuted}, kLabelWidth);
    Row row;
    row.space_before = 8;
    row.height = std::max(thumb.height * scale, label[0].ascent + label[0].descent);
    row.pieces.push_back(
        TextPiece{label[0].layout, label[0].line, label[0].x, label[0].ascent, kMuted});
    row.pieces.push_back(
        ImagePiece{thumb_index, kValueX, 0, thumb.width * scale, thumb.height * scale});
    row.pieces.push_back(
        RectPiece{kValueX, 0, thumb.width * scale, thumb.height * scale, kRule, true});
    block.rows.push_back(std::move(row));
  } else if (!item.image.empty()) {
    AddField(block, t_.tr("Preview"),
             t_.tr("Preview not available.") + " " + t_.Explain(thumb.status),
             {body_.get(), kMuted}, 8);
  }
  blocks_.push_back(std::move(block));
}

void ReportBuilder::AddVerification(const ReportInput& input,
                                    const std::vector<const ReportEntry*>& sorted) {
  Block block;
  block.new_page = true;
  const Style h2{subheading_.get(), kAccent};
  AddHeading(block, t_.tr("How to verify this evidence"), {heading_.get(), kAccent}, 0, 0);
  AddParagraph(block,
               t_.tr("The bundle that comes with this report holds the original files, "
                     "manifest.json, which lists every entry with the SHA-256 fingerprint of its "
                     "content, and manifest.json.minisig, the signature of the manifest made with "
                     "the vault's key. Anyone can run the checks below on any computer, without "
                     "having to trust this report."),
               Body(), 6);

  AddHeading(block, t_.tr("1. Check the signature of the manifest"), h2, 18, -1);
  AddParagraph(block,
               t_.tr("Install minisign (https://jedisct1.github.io/minisign/), open a terminal "
                     "in the bundle's folder and run:"),
               Body(), 4);
  block.rows.back().keep_with_next = true;
  AddCode(block, "minisign -Vm manifest.json -P " +
                     (input.public_key.empty() ? std::string("<key>") : input.public_key));
  AddParagraph(block,
               t_.trf("minisign must answer \"Signature and comment signature verified\". The "
                      "same public key is in the bundle's rempart.pub file; its key ID is {}.",
                      input.key_id.empty() ? "?" : input.key_id),
               Body(), 5);

  AddHeading(block, t_.tr("2. Check each file's fingerprint"), h2, 18, -1);
  // A real file of this bundle makes the example one can copy; a photo reads best.
  std::string example = "files/…";
  for (const ReportEntry* item : sorted) {
    if (item->bundle_path.empty()) continue;
    if (example == "files/…" || item->entry.kind == EntryKind::kFile) example = item->bundle_path;
    if (item->entry.kind == EntryKind::kFile) break;
  }
  AddParagraph(block,
               t_.tr("Compute the SHA-256 fingerprint of a file of the bundle, for example:"),
               Body(), 4);
  block.rows.back().keep_with_next = true;
  AddCode(block, "sha256sum " + example);
  AddParagraph(block,
               t_.tr("The result must be the SHA-256 shown for that entry in this report and in "
                     "manifest.json. On macOS, use shasum -a 256 FILE; on Windows, certutil "
                     "-hashfile FILE SHA256."),
               Body(), 5);

  AddHeading(block, t_.tr("3. Check everything with Rempart"), h2, 18, -1);
  AddParagraph(block,
               t_.tr("With Rempart installed, one command checks the signature, every fingerprint "
                     "and the Merkle inclusion proofs, which show that each entry is part of the "
                     "vault's signed log of everything it recorded:"),
               Body(), 4);
  block.rows.back().keep_with_next = true;
  AddCode(block, "rempart evidence verify BUNDLE");
  AddParagraph(block, t_.tr("BUNDLE is the path of the bundle's folder or .zip file."), Body(), 5);

  AddHeading(block, t_.tr("What the checks prove"), h2, 18, -1);
  AddParagraph(block,
               t_.tr("A valid signature and matching fingerprints show that the files and the "
                     "details in the bundle have not changed since the vault recorded and signed "
                     "them. Times come from the clock of the device that recorded the evidence. "
                     "The checks do not by themselves show who wrote a message or took a "
                     "picture."),
               Body(), 4);
  AddField(block, t_.tr("Entries in the signed log"), std::to_string(input.tree_size), Body(), 10);
  AddField(block, t_.tr("Log root hash (SHA-256)"), input.tree_root_hex, Mono());
  AddField(block, t_.tr("Log signed at"), WhenText(input.tree_timestamp, t_), Body());
  blocks_.push_back(std::move(block));
}

// ---- Pagination ----

struct PlacedRow {
  const Row* row;
  double y;
};
using Page = std::vector<PlacedRow>;

double BlockHeight(const Block& block) {
  double total = 0;
  for (size_t i = 0; i < block.rows.size(); ++i) {
    total += (i > 0 ? block.rows[i].space_before : 0) + block.rows[i].height;
  }
  return total;
}

std::vector<Page> Paginate(const std::vector<Block>& blocks) {
  std::vector<Page> pages(1);
  double y = kContentTop;
  auto fits = [&](double height) { return y + height <= kContentBottom + 1e-6; };
  auto new_page = [&] {
    pages.emplace_back();
    y = kContentTop;
  };
  auto place = [&](const Row& row) {
    const double gap = pages.back().empty() ? 0 : row.space_before;
    pages.back().push_back({&row, y + gap});
    y += gap + row.height;
  };
  for (const Block& block : blocks) {
    if (block.new_page && !pages.back().empty()) new_page();
    const double total = BlockHeight(block);
    if (!pages.back().empty() && total <= kKeepTogether &&
        !fits((block.rows.empty() ? 0 : block.rows[0].space_before) + total)) {
      new_page();
    }
    const auto& rows = block.rows;
    for (size_t i = 0; i < rows.size(); ++i) {
      // This row and the rows it must stay with.
      double needed = (pages.back().empty() ? 0 : rows[i].space_before) + rows[i].height;
      for (size_t j = i; j + 1 < rows.size() && rows[j].keep_with_next; ++j) {
        needed += rows[j + 1].space_before + rows[j + 1].height;
      }
      if (!pages.back().empty() && !fits(needed)) {
        new_page();
        if (i > 0 && block.continuation) place(*block.continuation);
      }
      place(rows[i]);
    }
  }
  return pages;
}

// ---- Painting ----

void SetColor(cairo_t* cr, Rgb c) { cairo_set_source_rgb(cr, c.r, c.g, c.b); }

struct MimeFree {
  static void Destroy(void* data) { delete static_cast<std::vector<uint8_t>*>(data); }
};

void PaintThumbnail(cairo_t* cr, const Thumbnail& thumb, const ImagePiece& piece, double top) {
  auto decoded = DecodeImage(thumb.jpeg);
  if (!decoded.ok()) return;
  const Image& image = *decoded;
  cairo_surface_t* surface =
      cairo_image_surface_create(CAIRO_FORMAT_RGB24, image.width, image.height);
  if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(surface);
    return;
  }
  cairo_surface_flush(surface);
  unsigned char* data = cairo_image_surface_get_data(surface);
  const int stride = cairo_image_surface_get_stride(surface);
  for (int y = 0; y < image.height; ++y) {
    auto* out = reinterpret_cast<uint32_t*>(data + static_cast<size_t>(y) * stride);
    const uint8_t* in = &image.pixels[static_cast<size_t>(y) * image.width * 4];
    for (int x = 0; x < image.width; ++x, in += 4) {
      out[x] = 0xFF000000u | uint32_t{in[0]} << 16 | uint32_t{in[1]} << 8 | in[2];
    }
  }
  cairo_surface_mark_dirty(surface);
  // The PDF then embeds the JPEG bytes themselves instead of re-compressing the pixels.
  auto* jpeg = new std::vector<uint8_t>(thumb.jpeg);
  if (cairo_surface_set_mime_data(surface, CAIRO_MIME_TYPE_JPEG, jpeg->data(), jpeg->size(),
                                  MimeFree::Destroy, jpeg) != CAIRO_STATUS_SUCCESS) {
    delete jpeg;
  }
  cairo_save(cr);
  cairo_translate(cr, kMargin + piece.x, top + piece.y);
  cairo_scale(cr, piece.width / image.width, piece.height / image.height);
  cairo_set_source_surface(cr, surface, 0, 0);
  cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
  cairo_paint(cr);
  cairo_restore(cr);
  cairo_surface_destroy(surface);
}

class Painter {
 public:
  Painter(cairo_t* cr, const std::vector<Thumbnail>& thumbs) : cr_(cr), thumbs_(thumbs) {}

  void PaintRow(const Row& row, double top, int page_number) {
    for (const Piece& piece : row.pieces) {
      if (const auto* text = std::get_if<TextPiece>(&piece)) {
        SetColor(cr_, text->color);
        cairo_move_to(cr_, kMargin + text->x, top + text->baseline);
        pango_cairo_show_layout_line(cr_, text->line);
      } else if (const auto* rect = std::get_if<RectPiece>(&piece)) {
        SetColor(cr_, rect->color);
        cairo_rectangle(cr_, kMargin + rect->x, top + rect->y, rect->width, rect->height);
        if (rect->stroke) {
          cairo_set_line_width(cr_, 0.5);
          cairo_stroke(cr_);
        } else {
          cairo_fill(cr_);
        }
      } else if (const auto* image = std::get_if<ImagePiece>(&piece)) {
        PaintThumbnail(cr_, thumbs_[image->thumbnail], *image, top);
      }
    }
    if (row.outline_level >= 0) AddOutline(row, top, page_number);
  }

 private:
  // Bookmarks in the PDF viewer's side panel: sections, and entries under the timeline.
  void AddOutline(const Row& row, double top, int page_number) {
    char link[64];
    std::snprintf(link, sizeof link, "page=%d pos=[%.1f %.1f]", page_number, kMargin, top);
    const int parent = row.outline_level == 0 ? CAIRO_PDF_OUTLINE_ROOT : section_;
    const int id = cairo_pdf_surface_add_outline(cairo_get_target(cr_), parent, row.outline.c_str(),
                                                 link, cairo_pdf_outline_flags_t{});
    if (row.outline_level == 0) section_ = id;
  }

  cairo_t* cr_;
  const std::vector<Thumbnail>& thumbs_;
  int section_ = CAIRO_PDF_OUTLINE_ROOT;
};

void PaintFooter(cairo_t* cr, const ReportBuilder& builder, const std::string& case_title,
                 const Translator& t, int page, int pages) {
  SetColor(cr, kRule);
  cairo_set_line_width(cr, 0.5);
  cairo_move_to(cr, kMargin, kFooterBaseline - 14);
  cairo_line_to(cr, kPageWidth - kMargin, kFooterBaseline - 14);
  cairo_stroke(cr);
  Style style = builder.Small();
  style.one_line = true;
  const LineBox right = builder.Lines(t.trf("Page {} / {}", page, pages), style, 120)[0];
  const double right_width = LineWidth(right);
  const LineBox left = builder.Lines(case_title, style, kContentWidth - right_width - 20)[0];
  SetColor(cr, kMuted);
  cairo_move_to(cr, kMargin + left.x, kFooterBaseline);
  pango_cairo_show_layout_line(cr, left.line);
  cairo_move_to(cr, kPageWidth - kMargin - right_width, kFooterBaseline);
  pango_cairo_show_layout_line(cr, right.line);
}

// ---- The document ----

struct GObjectUnref {
  void operator()(void* object) const { g_object_unref(object); }
};
struct SurfaceDestroy {
  void operator()(cairo_surface_t* surface) const { cairo_surface_destroy(surface); }
};
struct CairoDestroy {
  void operator()(cairo_t* cr) const { cairo_destroy(cr); }
};

cairo_status_t AppendBytes(void* closure, const unsigned char* data, unsigned int length) {
  auto* out = static_cast<std::vector<uint8_t>*>(closure);
  try {
    out->insert(out->end(), data, data + length);
  } catch (const std::bad_alloc&) {
    return CAIRO_STATUS_WRITE_ERROR;
  }
  return CAIRO_STATUS_SUCCESS;
}

std::vector<const ReportEntry*> SortedByCaptureTime(const std::vector<ReportEntry>& entries) {
  std::vector<std::pair<std::optional<TimePoint>, const ReportEntry*>> keyed;
  for (const auto& e : entries) keyed.emplace_back(ParseTime(e.entry.captured_at), &e);
  // Undated entries go last; ties keep entry order.
  std::stable_sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) {
    if (a.first.has_value() != b.first.has_value()) return a.first.has_value();
    if (a.first && *a.first != *b.first) return *a.first < *b.first;
    return a.second->entry.id < b.second->entry.id;
  });
  std::vector<const ReportEntry*> sorted;
  for (const auto& [time, entry] : keyed) sorted.push_back(entry);
  return sorted;
}

}  // namespace

Result<std::vector<uint8_t>> RenderReportPdf(const ReportInput& input, const Translator& t) {
  std::vector<uint8_t> pdf;
  const std::vector<const ReportEntry*> sorted = SortedByCaptureTime(input.entries);
  const std::vector<Thumbnail> thumbs = MakeThumbnails(sorted);

  std::unique_ptr<cairo_surface_t, SurfaceDestroy> surface(
      cairo_pdf_surface_create_for_stream(AppendBytes, &pdf, kPageWidth, kPageHeight));
  std::unique_ptr<cairo_t, CairoDestroy> cr(cairo_create(surface.get()));
  const std::string case_title = CaseTitle(input, t);
  cairo_pdf_surface_set_metadata(
      surface.get(), CAIRO_PDF_METADATA_TITLE,
      CleanText(t.tr("Evidence report") + " — " + case_title, t).c_str());
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "Rempart");
  if (ParseTime(input.exported_at)) {
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATE_DATE,
                                   input.exported_at.c_str());
  }

  // A font map of our own: no state shared with other threads or reports.
  std::unique_ptr<PangoFontMap, GObjectUnref> fonts(pango_cairo_font_map_new());
  std::unique_ptr<PangoContext, GObjectUnref> context(pango_font_map_create_context(fonts.get()));
  pango_cairo_update_context(cr.get(), context.get());
  pango_cairo_context_set_resolution(context.get(), 72);  // font sizes in PDF points
  pango_context_set_language(context.get(), pango_language_from_string(t.language().c_str()));

  ReportBuilder builder(context.get(), t);
  builder.AddSummary(input, sorted);
  builder.AddTimeline(sorted, thumbs);
  builder.AddVerification(input, sorted);
  const std::vector<Block> blocks = builder.TakeBlocks();
  const std::vector<Page> pages = Paginate(blocks);

  Painter painter(cr.get(), thumbs);
  for (size_t p = 0; p < pages.size(); ++p) {
    for (const PlacedRow& placed : pages[p]) {
      painter.PaintRow(*placed.row, placed.y, static_cast<int>(p + 1));
    }
    PaintFooter(cr.get(), builder, case_title, t, static_cast<int>(p + 1),
                static_cast<int>(pages.size()));
    cairo_show_page(cr.get());
  }
  cr.reset();
  cairo_surface_finish(surface.get());
  if (cairo_status_t status = cairo_surface_status(surface.get()); status != CAIRO_STATUS_SUCCESS) {
    return Error(Code::kFailed, "The report could not be drawn ({}).",
                 cairo_status_to_string(status));
  }
  return pdf;
}

Status WriteReportPdf(const ReportInput& input, const Translator& t, const std::string& path) {
  REMPART_ASSIGN_OR_RETURN(const std::vector<uint8_t> pdf, RenderReportPdf(input, t));
  const std::filesystem::path target(path);
  std::filesystem::path dir = target.parent_path();
  if (dir.empty()) dir = ".";
  std::string temp = (dir / ".").string();  // hidden, beside the target: rename stays atomic
  temp += target.filename().string();
  temp += ".XXXXXX";
  UniqueFd fd(mkstemp(temp.data()));
  if (!fd.valid()) return IoError("create a temporary file in", dir, errno);
  Status status = WriteAll(fd.get(), pdf, temp);
  if (status.ok()) status = SyncFd(fd.get(), temp);
  if (status.ok() && std::rename(temp.c_str(), path.c_str()) != 0) {
    status = IoError("save", target, errno);
  }
  if (!status.ok()) {
    unlink(temp.c_str());
    return status;
  }
  return SyncDirectory(dir);
}

}  // namespace rempart
