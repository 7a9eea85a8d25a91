#!/usr/bin/env python3
"""Prints .pot entries for the translatable strings of Rempart's mustache templates.

A translatable string is written in English between {{#t}} and {{/t}}. Its msgid is the text
with surrounding whitespace trimmed and each whitespace run turned into one space, exactly as
the server's NormalizeMsgid() does before looking it up. A {{#t}} section must hold plain text:
a mustache tag inside it is an error (exit status 1), since the server would not expand it.

Usage: extract-template-strings.py web/templates/*.html >> po/rempart.pot.tmpl
"""
import re
import sys

SECTION = re.compile(r"\{\{#t\}\}(.*?)\{\{/t\}\}", re.DOTALL)
HEADER = '''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
'''


def normalize(text):
    return " ".join(text.split(None)) if text.strip() else ""


def po_quote(text):
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"')
               .replace("\t", "\\t").replace("\n", "\\n"))
    return '"' + escaped + '"'


def extract(paths):
    found = {}  # msgid -> list of "path:line"
    errors = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            source = f.read()
        for match in SECTION.finditer(source):
            line = source.count("\n", 0, match.start()) + 1
            raw = match.group(1)
            if "{{" in raw or "}}" in raw:
                errors.append(f"{path}:{line}: a {{{{#t}}}} section holds a mustache tag")
                continue
            msgid = normalize(raw.replace("\r", " "))
            if not msgid:
                errors.append(f"{path}:{line}: empty {{{{#t}}}} section")
                continue
            found.setdefault(msgid, []).append(f"{path}:{line}")
    return found, errors


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    found, errors = extract(argv[1:])
    for error in errors:
        print(error, file=sys.stderr)
    if errors:
        return 1
    # msgcat merges a second header into the first with conflict markers, so an all-ASCII
    # output (the usual case: msgids are English) goes without one; msgcat assumes ASCII then.
    out = [] if all(m.isascii() for m in found) else [HEADER]
    for msgid in sorted(found):
        out.append("#: " + " ".join(found[msgid]))
        out.append("msgid " + po_quote(msgid))
        out.append('msgstr ""')
        out.append("")
    sys.stdout.write("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
