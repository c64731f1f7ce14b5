#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian machine with Node 20: npm packages, redis-server and
# (with --browser) Debian's chromium for the browser tests. Prints to stderr only.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '[setup] %s\n' "$*" >&2; }

want_browser=0
for a in "$@"; do [ "$a" = "--browser" ] && want_browser=1; done

major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then say "Node.js 20 or newer is required (found $(node -v))"; exit 1; fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages (npm ci)…"
  npm ci --no-audit --no-fund --loglevel=error >&2
fi

apt_install() {
  if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
    say "cannot install $* : not root and no sudo. Install it yourself (Debian: apt-get install -y $*) and run again."; exit 1
  fi
  local SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  if ! command -v apt-get >/dev/null 2>&1; then
    say "cannot install $* : apt-get is not available. Install it with your system's package manager and run again."; exit 1
  fi
  say "installing $* from Debian (apt-get)…"
  $SUDO apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >&2
}

command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ] || apt_install redis-server
if [ "$want_browser" = 1 ]; then
  [ -x /usr/bin/chromium ] || apt_install chromium
  # a Chinese font (4 MB), so the screenshots in test-artifacts/ show words instead of boxes
  [ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || apt_install fonts-wqy-microhei
fi
exit 0
