// How cases and entries read on a page: translated kind names, local times, short hashes,
// sizes, and the template data of a case card, an entry row and an entry's full details.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/i18n.h"
#include "evidence/entry.h"
#include "evidence/vault.h"
#include "server/templates.h"

namespace rempart::server {

// "29/11/2026 10:05" in the server's local time; the text as is when it is not RFC 3339.
std::string LocalTimeText(std::string_view rfc3339, const Translator& t);
// First 12 hex digits and an ellipsis; the whole hash goes in a title attribute.
std::string ShortHash(std::string_view hex);
std::string SizeText(uint64_t bytes, const Translator& t);
// Raster images a browser may show inline. Not SVG: it can carry script.
bool ShowsInline(std::string_view mime);
// At most `max_chars` characters of UTF-8 text, cut on a character boundary, with "…".
std::string Excerpt(std::string_view text, size_t max_chars);

TemplateData CaseCard(const CaseInfo& info, const Translator& t);
TemplateData EntryRow(const Entry& entry, const Translator& t);
TemplateData EntryDetails(const Entry& entry, const Translator& t);

}  // namespace rempart::server
