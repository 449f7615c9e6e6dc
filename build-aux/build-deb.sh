#!/bin/bash
# build-deb.sh — builds Flagpole's Debian package from the current tree in a temporary folder
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   build-aux/build-deb.sh [OUTDIR]
#
# Copies the tree as it is now (committed or not, without what .gitignore
# names: no build folders) into a temporary folder, puts build-aux/debian/
# there as debian/, installs what the build needs, runs dpkg-buildpackage
# (which runs the test suite, as Debian's builders do), runs lintian on the
# result and leaves the packages in OUTDIR (default: _build-deb/ in the tree),
# whose path it prints last. Then, as root:
#
#   apt-get install ./_build-deb/flagpole_*.deb
#
# DEB_BUILD_OPTIONS is passed on: DEB_BUILD_OPTIONS=nocheck skips the tests
# (CI does, having run them on the same tree just before). The top level of
# the repository has no debian/ folder on purpose: the packaging is one way
# of installing Flagpole among others, kept beside the other build scripts.
set -euo pipefail

SRCDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUTDIR=${1:-$SRCDIR/_build-deb}
mkdir -p "$OUTDIR"
OUTDIR=$(cd "$OUTDIR" && pwd)

say () {
  printf '\n==> %s\n' "$*"
}

as_root () {
  if [[ $(id -u) == 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo "$@"
  else
    echo "build-deb.sh: installing packages needs root: run this as root" >&2
    exit 1
  fi
}

nocheck=false
if [[ " ${DEB_BUILD_OPTIONS:-} " == *" nocheck "* ]]; then
  nocheck=true
fi

# The packaging tools are in setup.sh's one list of packages, with all that
# the build and the tests need. setup.sh test calls this script right after
# installing them and says so, to spare a second apt-get update.
if [[ ${FLAGPOLE_DEPS_INSTALLED:-} != 1 ]]; then
  bash "$SRCDIR/build-aux/setup.sh" deps
fi

# The package's version is the project's: a release changes both.
version=$(dpkg-parsechangelog -l "$SRCDIR/build-aux/debian/changelog" -S Version)
project_version=$(sed -n "s/^ *version: *'\([^']*\)'.*/\1/p" "$SRCDIR/meson.build" | head -n 1)
if [[ $version != "$project_version" ]]; then
  echo "build-deb.sh: build-aux/debian/changelog is at $version but meson.build at $project_version:" >&2
  echo "add a changelog entry for $project_version (dch -v $project_version)" >&2
  exit 1
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/flagpole-deb.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
src=$TMP/flagpole-$version

say "Copying the tree into $src"
mkdir -p "$src"
if git -C "$SRCDIR" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  # Tracked and untracked files as they are on disk, less the ignored ones
  # and those deleted but not yet committed.
  git -C "$SRCDIR" ls-files -z --cached --others --exclude-standard \
    | while IFS= read -r -d '' f; do
        if [[ -e $SRCDIR/$f || -L $SRCDIR/$f ]]; then
          printf '%s\0' "$f"
        fi
      done \
    | sort -zu \
    | tar -C "$SRCDIR" --null --no-recursion -T - -cf - \
    | tar -C "$src" -xf -
else
  tar -C "$SRCDIR" --exclude='./_build*' --exclude=./.git \
    -cf - . | tar -C "$src" -xf -
fi
rm -rf "$src/debian"
cp -a "$SRCDIR/build-aux/debian" "$src/debian"

# debian/control is the list of build-dependencies, as for any Debian
# package; setup.sh's list normally covers it, and apt fills any gap.
profiles=()
$nocheck && profiles=(-Pnocheck)
if ! (cd "$src" && dpkg-checkbuilddeps "${profiles[@]}" 2>/dev/null); then
  say "Installing the build-dependencies of debian/control"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get build-dep -y -q --no-install-recommends "${profiles[@]}" "$src" </dev/null
fi

say "Building with dpkg-buildpackage${DEB_BUILD_OPTIONS:+ (DEB_BUILD_OPTIONS=$DEB_BUILD_OPTIONS)}"
# As many jobs as cores (a bare -J would mean one); -us -uc: nothing to
# sign, the packages stay here.
(cd "$src" && dpkg-buildpackage -us -uc --jobs-try=auto "${profiles[@]}") </dev/null

arch=$(dpkg-architecture -qDEB_HOST_ARCH)
changes=flagpole_${version}_$arch.changes
# Only this build's files are left in OUTDIR, so ./flagpole_*.deb is one file.
rm -f "$OUTDIR"/flagpole[_-]*
find "$TMP" -maxdepth 1 -type f -exec cp -t "$OUTDIR" {} +

say "lintian $changes"
# No error and no warning. A tag that shows up is fixed, or, if it is
# wrong for this package, overridden in debian/flagpole.lintian-overrides
# (or debian/source/lintian-overrides for the source) with a comment
# saying why. None is overridden today. (Lintian notes that it runs as
# root when it does; that is only advice.)
lintian --display-info --fail-on error,warning "$OUTDIR/$changes"
echo "lintian: no error, no warning"

say "Packages in $OUTDIR"
(cd "$OUTDIR" && ls -l --time-style=+ ./*.deb | awk '{print "  " $5 "\t" $NF}')
echo "Install with: apt-get install $OUTDIR/flagpole_${version}_$arch.deb"
echo "$OUTDIR"
