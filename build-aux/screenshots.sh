#!/bin/bash
# screenshots.sh — takes the AppStream screenshots of the real, installed app under Xvfb
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   build-aux/screenshots.sh PREFIX [OUTDIR]
#
# PREFIX is an installation (e.g. _install after `setup.sh run`); OUTDIR
# defaults to data/screenshots. Starts the program on a private display and
# session bus with a fresh home folder, drives it through its actions and
# the pointer, and saves main.png (a batch of all countries on its way),
# gallery.png (the batch done), flag.png (the large view of one flag) and
# preferences.png. Needs, besides the packages of setup.sh: imagemagick
# xdotool.
set -euo pipefail

if [[ -z ${SCREENSHOTS_INSIDE:-} ]]; then
  prefix=$(realpath "$1")
  out=$(realpath "${2:-$(dirname "$0")/../data/screenshots}")
  mkdir -p "$out"
  SCREENSHOTS_INSIDE=1 exec xvfb-run -a -s "-screen 0 1280x800x24" \
    dbus-run-session -- "$0" "$prefix" "$out"
fi

prefix=$1
out=$2
app_id=io.github.flagpole.Flagpole
home=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$home"' EXIT

export HOME=$home XDG_CONFIG_HOME=$home/.config XDG_DATA_HOME=$home/.local/share
mkdir -p "$XDG_CONFIG_HOME" "$home/Pictures"
echo 'XDG_PICTURES_DIR="$HOME/Pictures"' >"$XDG_CONFIG_HOME/user-dirs.dirs"
export XDG_DATA_DIRS=$prefix/share:/usr/local/share:/usr/share
export GSETTINGS_SCHEMA_DIR=$prefix/share/glib-2.0/schemas
# English unless SCREENSHOTS_LANGUAGE names another (de), without a generated locale.
export GSETTINGS_BACKEND=keyfile LANGUAGE=${SCREENSHOTS_LANGUAGE:-en} LC_ALL=C.UTF-8
gsettings set $app_id window-width 1000
gsettings set $app_id window-height 640

# There is no window manager on Xvfb: windows are found by title.
find_window () {
  xdotool search --onlyvisible --name "$1" | head -1
}

# The visible window that is not the main one: the flag viewer, Preferences.
find_other_window () {
  xdotool search --onlyvisible --name '.' | while read -r w; do
    [[ $(xdotool getwindowname "$w") != Flagpole ]] && echo "$w"
  done | head -1
}

click () {
  xdotool mousemove --window "$1" "$2" "$3"
  sleep 0.5
  xdotool mousedown 1
  sleep 0.1
  xdotool mouseup 1
}

"$prefix/bin/flagpole" >"$home/flagpole.log" 2>&1 &
pid=$!
sleep 3
window=$(find_window '^Flagpole$')
# Keep the pointer off the window: no hover, no tooltip.
xdotool mousemove 1270 790

# All countries at the default latency: about 12 s at 20 at a time.
gapplication action $app_id select "'all'"
sleep 0.5
gapplication action $app_id download
sleep 4.5
import -window "$window" "$out/main.png"
sleep 12
import -window "$window" "$out/gallery.png"

xdotool windowfocus "$window"
sleep 0.3
click "$window" 670 200
sleep 1.5
viewer=$(find_other_window)
import -window "$viewer" "$out/flag.png"
xdotool windowfocus "$viewer"
sleep 0.2
xdotool key Escape
xdotool mousemove 1270 790
sleep 0.5

gapplication action $app_id preferences
sleep 1.5
import -window "$(find_other_window)" "$out/preferences.png"

ls -l "$out"/{main,gallery,flag,preferences}.png
