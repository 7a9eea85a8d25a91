// Translator: user-facing text in the person's language, from gettext catalogs (po/*.po).
//
// Source strings are English msgids marked with tr("...") or trf("...", args...) so that
// xgettext finds them (po/CMakeLists.txt). Catalogs are read by Boost.Locale, which needs no
// system locale installed and lets the server answer each request in its own language.
// Unknown languages fall back to English. A Translator is immutable and cheap to copy.
#pragma once

#include <fmt/format.h>

#include <locale>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace rempart {

class Translator {
 public:
  // `language` is "fr", "en", or a locale name such as "fr_FR.UTF-8" or "fr-BE".
  static Translator ForLanguage(std::string_view language);
  // The language gettext would pick: LANGUAGE, LC_ALL, LC_MESSAGES, then LANG.
  static Translator FromEnvironment();
  // The best supported language for an HTTP Accept-Language header ("en" when none fits).
  static std::string FromAcceptLanguage(std::string_view header);

  // Two-letter code of the language in use: "en" or "fr".
  const std::string& language() const { return language_; }

  std::string tr(const char* msgid) const;
  // Translates then formats with fmt ("{}" placeholders), so translators may reorder them.
  template <typename... Args>
  std::string trf(const char* msgid, Args&&... args) const {
    return fmt::format(fmt::runtime(tr(msgid)), std::forward<Args>(args)...);
  }

  // A Status's message in this language.
  std::string Explain(const Status& status) const {
    return Status::Format(tr(status.msgid().c_str()), status.args());
  }

  static const std::vector<std::string>& SupportedLanguages();

 private:
  Translator(std::string language, std::locale locale)
      : language_(std::move(language)), locale_(std::move(locale)) {}
  std::string language_;
  std::locale locale_;
};

// Marks a string for extraction without translating it (translate later with tr()).
#define N_(text) text

}  // namespace rempart
