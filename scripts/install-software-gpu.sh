#!/usr/bin/env bash
# Installs a software GPU driver for ganc's WebGPU backend on a machine without a GPU (CI, tests):
# Mesa's llvmpipe through OpenGL ES, from the distribution's own packages (Debian 12 bookworm;
# Ubuntu uses the same names). Dawn opens `libEGL.so` (from libegl-dev), and ganc asks for a
# compatibility-mode adapter with EGL_PLATFORM=surfaceless, so no display and no environment
# variable is needed. The renderer is correct but slower than wasm: it is for tests.
# Installs only what is missing (quiet, idempotent); needs root or sudo.
set -euo pipefail

PACKAGES=(libegl-mesa0 libgl1-mesa-dri libegl-dev)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "software GPU driver: already installed (${PACKAGES[*]})"
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "install-software-gpu.sh: needs apt-get (Debian, Ubuntu); elsewhere install Mesa's EGL and llvmpipe GL drivers with the system's package manager" >&2
  exit 1
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "software GPU driver: installed ${missing[*]}"
