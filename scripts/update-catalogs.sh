#!/usr/bin/env bash
# Extracts every tr()/trf()/N_() string and every {{#t}}…{{/t}} template string into
# po/rempart.pot, then merges it into each po/LANG.po. Run after changing user-facing text.
set -euo pipefail
cd "$(dirname "$0")/.."
{
  find src -name '*.cc' -not -name '*_test.cc' | sort
} > build/.pot-files 2>/dev/null || { mkdir -p build; find src -name '*.cc' -not -name '*_test.cc' | sort > build/.pot-files; }
xgettext --from-code=UTF-8 --language=C++ --keyword=tr --keyword=trf --keyword=N_ --keyword=Error:2 \
  --add-comments=TRANSLATORS --package-name=rempart --no-location --sort-output \
  -f build/.pot-files -o po/rempart.pot
if ls web/templates/*.html >/dev/null 2>&1; then
  python3 scripts/extract-template-strings.py web/templates/*.html >> po/rempart.pot.tmpl
  msgcat --sort-output -o po/rempart.pot po/rempart.pot po/rempart.pot.tmpl
  rm -f po/rempart.pot.tmpl
fi
for po in po/*.po; do
  msgmerge --quiet --update --backup=none --no-fuzzy-matching --sort-output "$po" po/rempart.pot
done
msgfmt --statistics -o /dev/null po/fr.po
