#include "core/i18n.h"

#include <unistd.h>

#include <boost/locale/generator.hpp>
#include <boost/locale/message.hpp>
#include <cstdlib>
#include <filesystem>
#include <sstream>

namespace rempart {
namespace {

// Where compiled catalogs may be: an explicit override, the build tree, the install tree, or
// share/locale next to the running binary (a relocated install).
std::vector<std::string> CatalogDirs() {
  std::vector<std::string> dirs;
  if (const char* dir = std::getenv("REMPART_LOCALEDIR"); dir && *dir) dirs.emplace_back(dir);
  dirs.emplace_back(REMPART_LOCALEDIR);
  dirs.emplace_back(REMPART_INSTALL_LOCALEDIR);
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) dirs.push_back((exe.parent_path().parent_path() / "share" / "locale").string());
  return dirs;
}

// "fr_FR.UTF-8", "fr-BE", "FR" -> "fr" when supported, else "".
std::string Normalize(std::string_view name) {
  std::string code;
  for (char c : name) {
    if (c == '_' || c == '-' || c == '.' || c == '@' || c == ':' || c == ';') break;
    code += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  for (const auto& supported : Translator::SupportedLanguages()) {
    if (code == supported) return code;
  }
  return "";
}

}  // namespace

const std::vector<std::string>& Translator::SupportedLanguages() {
  static const std::vector<std::string> kLanguages = {"en", "fr"};
  return kLanguages;
}

Translator Translator::ForLanguage(std::string_view language) {
  std::string code = Normalize(language);
  if (code.empty()) code = "en";
  boost::locale::generator gen;
  for (const auto& dir : CatalogDirs()) gen.add_messages_path(dir);
  gen.add_messages_domain("rempart");
  gen.characters(boost::locale::char_facet);
  return Translator(code, gen(code + ".UTF-8"));
}

Translator Translator::FromEnvironment() {
  // gettext order: LANGUAGE (a colon-separated list) wins unless the locale is C/POSIX.
  auto env = [](const char* name) -> std::string_view {
    const char* value = std::getenv(name);
    return value ? value : "";
  };
  std::string_view locale = env("LC_ALL");
  if (locale.empty()) locale = env("LC_MESSAGES");
  if (locale.empty()) locale = env("LANG");
  if (locale != "C" && locale != "POSIX") {
    std::string_view list = env("LANGUAGE");
    while (!list.empty()) {
      auto colon = list.find(':');
      std::string code = Normalize(list.substr(0, colon));
      if (!code.empty()) return ForLanguage(code);
      if (colon == std::string_view::npos) break;
      list.remove_prefix(colon + 1);
    }
  }
  return ForLanguage(locale);
}

std::string Translator::FromAcceptLanguage(std::string_view header) {
  // "fr-CH, fr;q=0.9, en;q=0.8": take the supported language with the highest q.
  std::string best = "en";
  double best_q = -1;
  std::stringstream items{std::string(header)};
  std::string item;
  while (std::getline(items, item, ',')) {
    double q = 1.0;
    if (auto pos = item.find(";q="); pos != std::string::npos) {
      q = std::strtod(item.c_str() + pos + 3, nullptr);
      item.resize(pos);
    }
    auto start = item.find_first_not_of(' ');
    if (start == std::string::npos) continue;
    std::string code = Normalize(std::string_view(item).substr(start));
    if (!code.empty() && q > best_q) {
      best = code;
      best_q = q;
    }
  }
  return best;
}

std::string Translator::tr(const char* msgid) const {
  if (!msgid || !*msgid) return "";  // gettext would return the catalog header
  return boost::locale::translate(msgid).str(locale_);
}

}  // namespace rempart
