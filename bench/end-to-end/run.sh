#!/usr/bin/env bash
# End-to-end benchmark, dropact vs PyTorch: see run.py. Prints JSON on stdout, progress on stderr.
#   bench/end-to-end/run.sh [run.py options, e.g. --repeats 3 --nets preresnet-20]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
shared="${DROPACT_SHARED_DATA:-$repo/../shared/data}"

# PyTorch from Debian, with OpenBLAS (the reference BLAS Debian installs otherwise is 2x slower).
if ! /usr/bin/python3 -c "import torch, PIL" >/dev/null 2>&1 || ! dpkg -s libopenblas0-pthread >/dev/null 2>&1; then
    [ "$(id -u)" -eq 0 ] || { echo "error: python3-torch is missing and installing it needs root (apt-get)" >&2; exit 1; }
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch python3-pil libopenblas0-pthread >&2
fi

# tcmalloc: dropact restarts itself under it when installed (DropActivation.Runtime.NativeAllocator), as a user's
# machine with libtcmalloc-minimal4 runs it; PyTorch stays on glibc's malloc, as Debian's python3 does.
if ! ls /usr/lib/*/libtcmalloc_minimal.so.4 >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libtcmalloc-minimal4 >&2 || echo "warning: no tcmalloc; dropact runs on glibc's malloc" >&2
fi

dotnet build "$repo/src/DropActivation.Cli" -c Release -v q >&2
dll="$(ls "$repo"/src/DropActivation.Cli/bin/Release/net10.0/*/dropact.dll | head -n 1)"

cache="${DROPACT_BENCH_CACHE:-$repo/out/bench-data}"
if [ ! -f "$cache/cifar10/cifar-10-batches-bin/test_batch.bin" ]; then
    /usr/bin/python3 "$here/prepare_cifar10.py" "$shared/cifar10-jpeg" "$cache" 640 100 >&2
fi
exec /usr/bin/python3 "$here/run.py" --dropact "$dll" --fashion-data "$shared" --cifar-data "$cache" "$@"
