#!/bin/bash
# setup.sh — installs what Flagpole needs on Debian 12, then builds and starts it or runs every test
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   build-aux/setup.sh run    install missing packages, build, install into
#                             ./_install and start the window on the built-in server
#   build-aux/setup.sh test   install missing packages, build with warnings as
#                             errors, run every test, install into a temporary
#                             prefix and check it, then build with AddressSanitizer
#                             and UndefinedBehaviorSanitizer and test again, then
#                             with ThreadSanitizer (engine and command-line suites)
#   build-aux/setup.sh deps   only install the missing packages
#
# It runs as root (apt-get) or as a user with sudo; when every package is
# already there it needs neither.
set -euo pipefail

# The one list of Debian 12 packages Flagpole builds, runs and tests with.
# The tools are named too, not only libraries, because a fresh machine has
# no recommended packages.
PACKAGES=(
  # build
  meson ninja-build pkg-config gcc libc6-dev
  libglib2.0-dev libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev
  libjson-glib-dev libgdk-pixbuf-2.0-dev zlib1g-dev libdeflate-dev
  # data the program reads: country names, their translations, flag images
  iso-codes iso-flags-png-320x240
  # translations, desktop integration and their validators
  gettext desktop-file-utils appstream libglib2.0-bin libgtk-4-bin
  # at run time: HTTPS for the book's site, SVG icons, MIME data, icon themes
  glib-networking ca-certificates librsvg2-common shared-mime-info
  hicolor-icon-theme adwaita-icon-theme
  # tests and benchmarks: a display, a session bus, the benchmarks' scripts
  # and their reference HTTP client
  xvfb xauth dbus dbus-x11 python3 curl
  # the Debian package (build-aux/build-deb.sh; its build-dependencies are
  # the packages above, as build-aux/debian/control names them)
  dpkg-dev debhelper fakeroot lintian help2man
)

APP_ID=io.github.flagpole.Flagpole
SRCDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$SRCDIR"

say () {
  printf '\n==> %s\n' "$*"
}

as_root () {
  if [[ $(id -u) == 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo "$@"
  else
    echo "setup.sh: installing packages needs root: run this as root" >&2
    exit 1
  fi
}

missing_packages () {
  local p
  for p in "${PACKAGES[@]}"; do
    if [[ $(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null) != installed ]]; then
      echo "$p"
    fi
  done
}

install_packages () {
  local missing log
  missing=$(missing_packages | tr '\n' ' ')
  # CI always refreshes the lists, so a broken package name shows up there.
  if [[ -z $missing && ${CI:-} != true ]]; then
    return
  fi
  say "Installing Debian packages${missing:+ (missing: $missing)}"
  log=$(mktemp)
  export DEBIAN_FRONTEND=noninteractive
  if ! as_root apt-get -o DPkg::Lock::Timeout=600 update -qq </dev/null >"$log" 2>&1; then
    if [[ -n $missing ]]; then
      cat "$log" >&2
      exit 1
    fi
    echo "apt-get update failed, but every package is installed: going on" >&2
  fi
  if ! as_root apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
         -o Dpkg::Use-Pty=0 "${PACKAGES[@]}" </dev/null >>"$log" 2>&1; then
    cat "$log" >&2
    exit 1
  fi
  rm -f "$log"
}

# Configures a build directory, or reconfigures one that exists already.
setup_build () {
  local dir=$1
  shift
  if [[ -f $dir/build.ninja ]]; then
    meson setup --reconfigure "$@" "$dir" >/dev/null
  else
    meson setup "$@" "$dir"
  fi
}

# A display and a session bus for the window and the GUI tests, when the
# caller has none (a server, CI, a container).
GUI_WRAPPER=()
gui_wrapper () {
  GUI_WRAPPER=()
  if [[ -z ${DISPLAY:-} && -z ${WAYLAND_DISPLAY:-} ]]; then
    GUI_WRAPPER+=(xvfb-run -a -s "-screen 0 1280x1024x24")
  fi
  if [[ -z ${DBUS_SESSION_BUS_ADDRESS:-} && ! -S ${XDG_RUNTIME_DIR:-/nonexistent}/bus ]]; then
    GUI_WRAPPER+=(dbus-run-session --)
  fi
}

cmd_run () {
  local build=_build prefix=$SRCDIR/_install
  install_packages
  say "Building into $build and installing into $prefix"
  setup_build "$build" --prefix="$prefix"
  meson compile -C "$build"
  meson install -C "$build" --quiet
  # The installed copy finds its schema, icon and desktop file through these.
  export XDG_DATA_DIRS="$prefix/share:${XDG_DATA_DIRS:-/usr/local/share:/usr/share}"
  export GSETTINGS_SCHEMA_DIR="$prefix/share/glib-2.0/schemas"
  say "Starting Flagpole (it downloads from its built-in server; close the window to stop)"
  gui_wrapper
  if ((${#GUI_WRAPPER[@]} == 0)); then
    exec "$prefix/bin/flagpole" "$@"
  fi
  echo "No display or session bus here: Flagpole runs inside ${GUI_WRAPPER[*]}."
  echo "Drive it from another shell with the session bus printed below:"
  echo "  DBUS_SESSION_BUS_ADDRESS=... gapplication action $APP_ID download"
  exec "${GUI_WRAPPER[@]}" bash -c \
    'echo "session bus: ${DBUS_SESSION_BUS_ADDRESS:-}"; exec "$0" "$@"' \
    "$prefix/bin/flagpole" "$@"
}

# Runs meson test in the given build dir, keeps its summary for the end.
SUMMARIES=()
run_tests () {
  local dir=$1 title=$2 log
  shift 2
  log=$dir/meson-logs/ci-summary.txt
  say "Testing: $title"
  GUI_WRAPPER=(xvfb-run -a -s "-screen 0 1280x1024x24" dbus-run-session --)
  "${GUI_WRAPPER[@]}" meson test -C "$dir" --print-errorlogs "$@" </dev/null | tee "$log"
  SUMMARIES+=("$title|$log")
}

check_install () {
  local dir=$1 prefix=$2 missing=0 f out
  say "Checking the installation in $prefix"
  rm -rf "$prefix"
  meson install -C "$dir" --quiet
  for f in \
      bin/flagpole \
      bin/flagpole-cli \
      libexec/flagpole/flagpole-worker \
      libexec/flagpole/flagpole-server \
      share/applications/$APP_ID.desktop \
      share/metainfo/$APP_ID.metainfo.xml \
      share/icons/hicolor/scalable/apps/$APP_ID.svg \
      share/icons/hicolor/symbolic/apps/$APP_ID-symbolic.svg \
      share/glib-2.0/schemas/$APP_ID.gschema.xml \
      share/glib-2.0/schemas/gschemas.compiled \
      share/locale/de/LC_MESSAGES/flagpole.mo; do
    if [[ -e $prefix/$f ]]; then
      echo "  ok       $f"
    else
      echo "  MISSING  $f"
      missing=1
    fi
  done
  ((missing == 0)) || { echo "the installation is incomplete" >&2; exit 1; }
  desktop-file-validate "$prefix/share/applications/$APP_ID.desktop"
  appstreamcli validate --no-net "$prefix/share/metainfo/$APP_ID.metainfo.xml" >/dev/null
  echo "  ok       installed desktop file and metainfo validate"
  # The desktop file's translation made it through the merge.
  grep -q '^Comment\[de\]=' "$prefix/share/applications/$APP_ID.desktop"
  echo "  ok       desktop file has German"

  # The installed command line program works on its own (built-in server).
  out=$(mktemp -d)
  "$prefix/bin/flagpole-cli" -d "$out/flags" BR JP >/dev/null
  [[ -s $out/flags/br.png && -s $out/flags/jp.png ]]
  echo "  ok       installed flagpole-cli downloaded BR and JP"
  # The process pool finds its installed worker program in libexecdir.
  env -u FLAGPOLE_WORKER "$prefix/bin/flagpole-cli" --strategy processes -m 2 -d "$out/pool" BR JP >/dev/null
  [[ -s $out/pool/br.png && -s $out/pool/jp.png ]]
  echo "  ok       installed flagpole-cli ran its process pool (libexec/flagpole/flagpole-worker)"
  # It speaks German from the installed catalog.
  LANGUAGE=de LC_ALL=C.UTF-8 "$prefix/bin/flagpole-cli" -d "$out/flags" BR 2>&1 \
    | grep -q 'heruntergeladen'
  echo "  ok       installed flagpole-cli speaks German"

  # The installed window starts and stays up (timeout's 124 means it was
  # still running when it was told to stop).
  local rc=0
  HOME=$out XDG_DATA_DIRS="$prefix/share:/usr/local/share:/usr/share" \
    GSETTINGS_SCHEMA_DIR="$prefix/share/glib-2.0/schemas" GSETTINGS_BACKEND=memory \
    G_MESSAGES_DEBUG=fp-flag-server \
    xvfb-run -a dbus-run-session -- timeout 5 "$prefix/bin/flagpole" \
    </dev/null >"$out/window.log" 2>&1 || rc=$?
  if [[ $rc != 124 ]]; then
    cat "$out/window.log" >&2
    echo "the installed flagpole exited with $rc instead of running" >&2
    exit 1
  fi
  echo "  ok       installed flagpole starts its window"
  # Its built-in server runs in a process of its own, found in libexecdir.
  if ! grep -q 'from process' "$out/window.log"; then
    cat "$out/window.log" >&2
    echo "the installed flagpole did not start libexec/flagpole/flagpole-server" >&2
    exit 1
  fi
  echo "  ok       installed flagpole started its server (libexec/flagpole/flagpole-server)"
  rm -rf "$out"
}

# Builds the Debian package from this tree and checks what it holds. Its
# build does not run the suite again (nocheck): the suite ran just before
# on the same sources, with warnings as errors, and a default build of the
# package (build-aux/build-deb.sh alone) runs it under Xvfb as Debian does.
check_deb () {
  local dir=$1 prefix=$2 deb files f missing=0 depends
  say "Building the Debian package into $dir/deb"
  DEB_BUILD_OPTIONS="nocheck${DEB_BUILD_OPTIONS:+ $DEB_BUILD_OPTIONS}" FLAGPOLE_DEPS_INSTALLED=1 \
    bash build-aux/build-deb.sh "$dir/deb" </dev/null
  deb=$(echo "$dir"/deb/flagpole_*.deb)
  say "Checking the package $(basename "$deb")"
  files=$(dpkg-deb --fsys-tarfile "$deb" | tar -t | sed -e 's|^\./|/|' -e 's|/$||')
  for f in \
      /usr/bin/flagpole \
      /usr/bin/flagpole-cli \
      /usr/libexec/flagpole/flagpole-worker \
      /usr/libexec/flagpole/flagpole-server \
      /usr/share/applications/$APP_ID.desktop \
      /usr/share/metainfo/$APP_ID.metainfo.xml \
      /usr/share/icons/hicolor/scalable/apps/$APP_ID.svg \
      /usr/share/icons/hicolor/symbolic/apps/$APP_ID-symbolic.svg \
      /usr/share/glib-2.0/schemas/$APP_ID.gschema.xml \
      /usr/share/locale/de/LC_MESSAGES/flagpole.mo \
      /usr/share/man/man1/flagpole.1.gz \
      /usr/share/man/man1/flagpole-cli.1.gz \
      /usr/share/doc/flagpole/copyright; do
    if grep -qxF "$f" <<<"$files"; then
      echo "  ok       $f"
    else
      echo "  MISSING  $f"
      missing=1
    fi
  done
  # Everything meson installs is in the package (the libexec helper too),
  # but the caches that dpkg's triggers build on the target.
  while IFS= read -r f; do
    if ! grep -qxF "/usr/$f" <<<"$files"; then
      echo "  MISSING  /usr/$f (meson installs it)"
      missing=1
    fi
  done < <(cd "$prefix" && find . \( -type f -o -type l \) ! -name gschemas.compiled \
             ! -name icon-theme.cache ! -name mimeinfo.cache | sed 's|^\./||' | sort)
  echo "  ok       every file that meson installs"
  for f in gschemas.compiled icon-theme.cache mimeinfo.cache; do
    if grep -q "/$f\$" <<<"$files"; then
      echo "  SHIPPED  $f (dpkg triggers make it on the target)"
      missing=1
    fi
  done
  depends=$(dpkg-deb -f "$deb" Depends)
  for f in iso-flags-png-320x240 iso-codes glib-networking libgtk-4-1 libadwaita-1-0 libsoup-3.0-0; do
    if [[ ", $depends," != *", $f"[\ ,]* ]]; then
      echo "  MISSING  Depends: $f"
      missing=1
    fi
  done
  echo "  ok       Depends: $depends"
  ((missing == 0)) || { echo "the package is incomplete" >&2; exit 1; }
}

cmd_test () {
  local build=_build-ci asan=_build-asan tsan=_build-tsan
  install_packages

  say "Building (warnings are errors) into $build"
  setup_build "$build" --werror --prefix="$SRCDIR/$build/_install"
  meson compile -C "$build"
  run_tests "$build" "all suites"
  check_install "$build" "$SRCDIR/$build/_install"
  check_deb "$build" "$SRCDIR/$build/_install"

  say "Building with AddressSanitizer and UndefinedBehaviorSanitizer into $asan"
  setup_build "$asan" --werror --buildtype=debug -Db_sanitize=address,undefined
  meson compile -C "$asan"
  # The slow unwinder sees through libraries built without frame pointers, so
  # suppressions can name the frames below them (see build-aux/lsan.supp).
  export ASAN_OPTIONS=halt_on_error=1:abort_on_error=1:detect_leaks=1:print_summary=1:fast_unwind_on_malloc=0:malloc_context_size=10
  export UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1:print_summary=1
  export LSAN_OPTIONS=suppressions=$SRCDIR/build-aux/lsan.supp:print_suppressions=0
  # Without GL, GDK never loads Mesa, whose one-time allocations LSan cannot
  # name; the tests draw with cairo anyway.
  export GDK_DEBUG=gl-disable
  run_tests "$asan" "sanitizers" --timeout-multiplier 3
  unset ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS GDK_DEBUG

  # ThreadSanitizer over the engine and the command line, where the threads
  # are (the download pools, the built-in server, the fetcher's watchdog).
  # The GUI suites are left out: GTK, GDK, Pango and cairo are not built with
  # TSan either, and their own hand-offs would need many more annotations
  # while the window's suites under Xvfb would run five to ten times slower.
  # Debian's GLib is not instrumented: build-aux/tsan-glib-annotations.c
  # (compiled into this build's programs) and build-aux/tsan.supp say why a
  # report left is Flagpole's own; the "tsan" suite proves a race still shows.
  say "Building with ThreadSanitizer into $tsan"
  setup_build "$tsan" --werror --buildtype=debug -Db_sanitize=thread
  meson compile -C "$tsan"
  export TSAN_OPTIONS=halt_on_error=1:abort_on_error=0:report_signal_unsafe=0:second_deadlock_stack=1:suppressions=$SRCDIR/build-aux/tsan.supp
  # GSlice's magazines hand memory between threads where TSan cannot see.
  export G_SLICE=always-malloc
  run_tests "$tsan" "thread sanitizer" --suite engine --suite cli --suite tsan --timeout-multiplier 4
  unset TSAN_OPTIONS G_SLICE

  summarize
}

# Ends the output with each run's meson summary and one line that adds them up.
summarize () {
  local entry title log passed=0 failed=0 skipped=0 n
  say "Summary"
  for entry in "${SUMMARIES[@]}"; do
    title=${entry%%|*}
    log=${entry#*|}
    echo "$title:"
    grep -E '^(Ok|Expected Fail|Fail|Unexpected Pass|Skipped|Timeout): ' "$log" | sed 's/^/  /'
    n=$(awk '/^Ok:/ {print $2}' "$log"); passed=$((passed + ${n:-0}))
    n=$(awk '/^Expected Fail:/ {print $3}' "$log"); passed=$((passed + ${n:-0}))
    n=$(awk '/^(Fail|Timeout):/ {s += $2} /^Unexpected Pass:/ {s += $3} END {print s + 0}' "$log")
    failed=$((failed + n))
    n=$(awk '/^Skipped:/ {print $2}' "$log"); skipped=$((skipped + ${n:-0}))
  done
  echo "Tests: $passed passed, $failed failed, $skipped skipped"
  ((failed == 0 && passed > 0))
}

case ${1:-} in
  run) shift; cmd_run "$@" ;;
  test) cmd_test ;;
  deps) install_packages ;;
  *)
    echo "usage: $0 run | test | deps" >&2
    exit 2
    ;;
esac
