#!/usr/bin/env bash
# Installs every Debian package Rempart needs to build, run and test.
# Idempotent: installs only what is missing; needs root (or sudo) only then.
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake ccache pkg-config clang clang-format libclang-rt-14-dev
  gettext locales
  # libraries
  libsodium-dev libsqlite3-dev libcli11-dev nlohmann-json3-dev libspdlog-dev libfmt-dev
  libboost-dev libboost-locale-dev libkainjow-mustache-dev libzip-dev libmagic-dev libssl-dev
  libcairo2-dev libpango1.0-dev libturbojpeg0-dev libpng-dev zlib1g-dev libwebp-dev libheif-dev libgif-dev libtiff-dev libdlib-dev
  libavformat-dev libavcodec-dev libavutil-dev libswscale-dev fonts-dejavu-core
  libgtest-dev libgmock-dev libbenchmark-dev
  # tools the tests drive: minisign verifies bundles, Chromium runs the browser tests
  minisign zip unzip sqlite3 poppler-utils time python3 chromium
  # the peers and oracle of the media tests and benchmarks
  libimage-exiftool-perl mat2 ffmpeg
)
# Node.js runs the browser tests; a machine that already has one (any source) keeps it.
command -v npm >/dev/null 2>&1 || PACKAGES+=(nodejs npm)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# French and English locales, so that strftime and the terminal agree with the catalogs.
if ! locale -a 2>/dev/null | grep -qi '^fr_FR\.utf8$'; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO sed -i -E 's/^# *(fr_FR\.UTF-8 UTF-8|en_US\.UTF-8 UTF-8)/\1/' /etc/locale.gen
  $SUDO locale-gen >/dev/null
fi
