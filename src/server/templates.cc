#include "server/templates.h"

#include <fstream>
#include <sstream>

namespace rempart::server {

namespace mustache = kainjow::mustache;

std::string NormalizeMsgid(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

Result<Templates> Templates::Load(const std::filesystem::path& dir) {
  Templates templates;
  std::error_code ec;
  for (const auto& item : std::filesystem::directory_iterator(dir, ec)) {
    if (!item.is_regular_file() || item.path().extension() != ".html") continue;
    std::ifstream in(item.path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) return Error(Code::kIo, "cannot read the page template {}", item.path().string());
    mustache::mustache parsed(text.str());
    if (!parsed.is_valid()) {
      return Error(Code::kCorrupt, "the page template {} is broken: {}", item.path().string(),
                   parsed.error_message());
    }
    templates.sources_[item.path().stem().string()] = text.str();
  }
  if (ec || templates.sources_.empty()) {
    return Error(Code::kNotFound, "no page templates in {}", dir.string());
  }
  return templates;
}

Result<std::string> Templates::Render(std::string_view name, TemplateData data,
                                      const Translator& t) const {
  auto it = sources_.find(std::string(name));
  if (it == sources_.end()) return Error(Code::kNotFound, "no page template named {}", name);
  // A two-argument lambda's result is inserted as is, not parsed again as a template, so a
  // translation can never inject mustache tags; we escape it ourselves.
  data.set("t", mustache::lambda2{[&t](const std::string& text, const mustache::renderer&) {
             return mustache::html_escape<std::string>(t.tr(NormalizeMsgid(text).c_str()));
           }});
  mustache::mustache page(it->second);
  std::string html = page.render(data);
  if (!page.is_valid()) {
    return Error(Code::kFailed, "page template {} failed: {}", name, page.error_message());
  }
  return html;
}

}  // namespace rempart::server
