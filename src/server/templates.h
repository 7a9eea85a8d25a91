// Templates: the mustache page templates of <web root>/templates, read once at start.
//
// Values are HTML-escaped by mustache ({{name}}); only {{{body}}} in the layout and
// {{{results}}} in media.html take ready-made HTML, itself rendered from templates. Text to
// translate is written in English inside {{#t}}…{{/t}}: Render passes it through the Translator,
// whitespace runs collapsed to one space, and escapes the result.
// scripts/extract-template-strings.py finds the same strings for po/rempart.pot, so a
// {{#t}} section must hold plain text only, no tags.
#pragma once

#include <filesystem>
#include <kainjow/mustache.hpp>
#include <map>
#include <string>
#include <string_view>

#include "core/i18n.h"
#include "core/status.h"

namespace rempart::server {

using TemplateData = kainjow::mustache::data;

class Templates {
 public:
  // Reads every *.html in `dir`, named by file stem ("cases" for cases.html); rejects a
  // template mustache cannot parse, so a broken file stops the server at start, not mid-page.
  static Result<Templates> Load(const std::filesystem::path& dir);

  // Renders template `name` with `data` (an object) and the {{#t}} lambda bound to `t`.
  Result<std::string> Render(std::string_view name, TemplateData data, const Translator& t) const;

  bool Has(std::string_view name) const { return sources_.count(std::string(name)) != 0; }

 private:
  std::map<std::string, std::string> sources_;
};

// The msgid of a {{#t}} section: trimmed, with each whitespace run turned into one space.
std::string NormalizeMsgid(std::string_view text);

}  // namespace rempart::server
