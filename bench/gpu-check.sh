#!/usr/bin/env bash
# The GPU check, for a machine with an NVIDIA GPU, in one go:
#   1. the Vulkan loader (installed with apt when missing, or the bundle's copy) and NVIDIA's Vulkan driver;
#   2. Dawn sees the GPU (`ganc backends`: webgpu on a real GPU, not a software renderer);
#   3. every spec on the GPU against cpu (`ganc backends --verify webgpu`);
#   4. DCGAN iterations/s on webgpu and wasm on this machine (bench/backends.mjs);
#   5. specs/dcgan.gan at widths 64, batch 64 for 300 steps on the GPU: steps/s, then FID (`ganc eval`).
#
#   from a checkout, after `npm ci`:          bench/gpu-check.sh
#   from the bundle (no Node, no registry):   ganc-gpu/run.sh     (scripts/make-gpu-bundle.mjs)
#
# GPU_CHECK_STEPS, GPU_CHECK_WIDTH, GPU_CHECK_BATCH change step 5 (300, 64, 64); GPU_CHECK_SPECS
# limits step 3 to some specs; GPU_CHECK_SOFTWARE=1 accepts a software renderer (to try this
# script on a machine without a GPU: its figures then say nothing about GPUs).
set -uo pipefail
cd "$(dirname "$0")/.."
STEPS="${GPU_CHECK_STEPS:-300}"
WIDTH="${GPU_CHECK_WIDTH:-64}"
BATCH="${GPU_CHECK_BATCH:-64}"
failed=()
section() { printf '\n== %s\n' "$*"; }
ganc() { node bin/ganc.js "$@"; }

section "1. Vulkan loader and driver"
if ldconfig -p | grep -q 'libvulkan\.so\.1'; then
  echo "Vulkan loader: $(ldconfig -p | grep -m1 'libvulkan\.so\.1' | sed 's/.*=> //')"
elif [ -n "${GANC_BUNDLED_LIB:-}" ] && [ -e "$GANC_BUNDLED_LIB/libvulkan.so.1" ]; then
  export LD_LIBRARY_PATH="$GANC_BUNDLED_LIB${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  echo "Vulkan loader: the bundle's ($GANC_BUNDLED_LIB/libvulkan.so.1)"
elif command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libvulkan1 >/dev/null && echo "Vulkan loader: installed libvulkan1"
else
  echo "Vulkan loader: none (install libvulkan1)"
fi
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
icds=$(ls /usr/share/vulkan/icd.d/*nvidia* /etc/vulkan/icd.d/*nvidia* /usr/local/share/vulkan/icd.d/*nvidia* 2>/dev/null)
if [ -n "$icds" ]; then
  echo "NVIDIA Vulkan driver: $icds"
elif [ -z "${VK_ICD_FILENAMES:-}" ]; then
  # The ICD file may be missing while the driver's Vulkan library is there (some containers).
  glx=$(ldconfig -p | grep -m1 'libGLX_nvidia\.so\.0' | sed 's/.*=> //')
  if [ -n "$glx" ]; then
    mkdir -p .cache
    printf '{"file_format_version":"1.0.0","ICD":{"library_path":"%s","api_version":"1.3.0"}}\n' "$glx" > .cache/nvidia_icd.json
    export VK_ICD_FILENAMES="$PWD/.cache/nvidia_icd.json"
    echo "NVIDIA Vulkan driver: $glx (no ICD file was installed; wrote $VK_ICD_FILENAMES)"
  else
    echo "NVIDIA Vulkan driver: not visible (no nvidia_icd.json, no libGLX_nvidia.so.0); in a container, NVIDIA_DRIVER_CAPABILITIES must include graphics"
  fi
fi

section "2. Does Dawn see the GPU?"
report=$(ganc backends 2>&1)
echo "$report"
if ! echo "$report" | grep -q '^webgpu *ok: ' && [ "${GPU_CHECK_SOFTWARE:-}" != 1 ]; then
  echo "webgpu does not run on a GPU here: stopping (see above)"
  exit 1
fi

section "3. Every spec on webgpu against cpu"
# shellcheck disable=SC2086 # GPU_CHECK_SPECS is a list of files
ganc backends --verify webgpu ${GPU_CHECK_SPECS:-} || failed+=("verify")

section "4. DCGAN (widths $WIDTH, batch $BATCH) iterations/s, webgpu and wasm on this machine"
node bench/backends.mjs --backends webgpu,wasm --iterations 10 --warmup 3 --set "ngf=$WIDTH" --set "ndf=$WIDTH" --set "batch=$BATCH" specs/dcgan.gan || failed+=("bench")

section "5. specs/dcgan.gan, widths $WIDTH, batch $BATCH, $STEPS steps on webgpu, then FID"
run="runs/gpu-check/dcgan-$(date +%Y%m%d-%H%M%S)"
start=$(date +%s%3N)
if ganc run specs/dcgan.gan --backend webgpu --steps "$STEPS" --set "ngf=$WIDTH" --set "ndf=$WIDTH" --set "batch=$BATCH" --out "$run"; then
  node -e '
    const lines = require("fs").readFileSync(process.argv[1] + "/metrics.jsonl", "utf8").trim().split("\n").map(JSON.parse).filter((m) => m.steps_per_sec !== undefined);
    const rates = lines.slice(1).map((m) => m.steps_per_sec).sort((a, b) => a - b);
    const median = rates.length ? rates[Math.floor(rates.length / 2)] : NaN;
    console.log(`steps/s: median ${median.toFixed(2)} over ${rates.length} logged windows after the first (shader compilation); wall ${((Date.now() - Number(process.argv[2])) / 1000).toFixed(1)} s for ${process.argv[3]} steps, start-up included`);
  ' "$run" "$start" "$STEPS"
  ganc eval "$run" --backend webgpu || failed+=("eval")
else
  failed+=("run")
fi

section "summary"
echo "adapter: $(echo "$report" | grep '^webgpu')"
if [ ${#failed[@]} -eq 0 ]; then echo "gpu-check: all steps passed"; else echo "gpu-check: failed: ${failed[*]}"; exit 1; fi
