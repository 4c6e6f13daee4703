#!/usr/bin/env bash
# Install the Debian packages the test suite drives (real decoders, Redis, Chromium, wrk),
# only when missing. Runs as root on our machines and in CI; elsewhere it says what is missing.
set -euo pipefail
need=()
command -v redis-server >/dev/null || need+=(redis-server)
command -v ffprobe >/dev/null || need+=(ffmpeg)
command -v chromium >/dev/null || need+=(chromium)
command -v wrk >/dev/null || need+=(wrk)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "ensure-system-deps: missing ${need[*]} (run as root to install; the tests that need them will skip)" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
echo "ensure-system-deps: installed ${need[*]}"
