#!/usr/bin/env bash
# Debian packages the tests need: a Secret Service (gnome-keyring) on a private D-Bus, and Chromium
# for the end-to-end tests, unzip to open diagnostics bundles, ffmpeg (ffprobe) to prove the CLI's MP4s
# play. A no-op when they are there; installs them as root, else says how.
set -euo pipefail
need=()
for pkg in gnome-keyring dbus-x11 chromium unzip ffmpeg; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
((${#need[@]})) || exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "The tests need these Debian packages: ${need[*]}. Install them with: sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${need[@]}" >/dev/null
