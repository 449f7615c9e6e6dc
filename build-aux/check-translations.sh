#!/bin/bash
# check-translations.sh — fails when a translation lacks a string the sources have, or breaks a format
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   check-translations.sh SOURCE_ROOT GETTEXT_PACKAGE
#
# Extracts the strings of the files in po/POTFILES.in into a temporary
# template, with the same keywords as i18n.gettext's glib preset, and checks
# each language in po/LINGUAS against it: every string translated, none
# fuzzy, format strings intact. The source tree is only read.
set -euo pipefail

src=$1
package=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

xgettext --package-name="$package" -f "$src/po/POTFILES.in" -D "$src" \
  -o "$tmp/$package.pot" \
  --from-code=UTF-8 --add-comments \
  -k_ -kN_ -kC_:1c,2 -kNC_:1c,2 -kg_dcgettext:2 -kg_dngettext:2,3 -kg_dpgettext2:2c,3 \
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
  --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
  --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
  --flag=g_markup_printf_escaped:1:c-format --flag=g_print:1:c-format \
  --flag=g_printerr:1:c-format --flag=g_printf:1:c-format

n=$(grep -c '^msgid ' "$tmp/$package.pot")
status=0

# Every file with marked strings is listed, so none escapes the template.
sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$src/po/POTFILES.in" | sort -u >"$tmp/listed.txt"
(cd "$src" && grep -rlE '(^|[^A-Za-z0-9_])(N?C?_|ngettext) ?\(|translatable="yes"' \
   --include='*.c' --include='*.ui' src | sort -u) >"$tmp/marked.txt"
if comm -23 "$tmp/marked.txt" "$tmp/listed.txt" | grep . >"$tmp/unlisted.txt"; then
  echo "# files with translatable strings missing from po/POTFILES.in:"
  sed 's/^/#   /' "$tmp/unlisted.txt"
  status=1
fi
for lang in $(sed 's/#.*//' "$src/po/LINGUAS"); do
  po=$src/po/$lang.po
  echo "# $lang: $(msgfmt --check --statistics -o /dev/null "$po" 2>&1)"
  msgfmt --check -o /dev/null "$po" || status=1
  # What the .po would be after `flagpole-update-po`, without guesses.
  msgmerge -q --no-fuzzy-matching -o "$tmp/$lang.po" "$po" "$tmp/$package.pot"
  { msgattrib --untranslated --no-obsolete "$tmp/$lang.po"
    msgattrib --only-fuzzy --no-obsolete "$tmp/$lang.po"
  } | msgcat --no-wrap - 2>/dev/null | grep '^msgid "[^"]' >"$tmp/missing.txt" || true
  if [[ -s $tmp/missing.txt ]]; then
    echo "# $lang.po lacks $(wc -l <"$tmp/missing.txt") of the $((n - 1)) strings in the sources;"
    echo "# run 'meson compile -C BUILDDIR $package-pot $package-update-po' and translate:"
    sed 's/^/#   /' "$tmp/missing.txt"
    status=1
  fi
done
exit $status
