#!/bin/bash
# bench-boot.sh ARCH [RUNS] - wall time from QEMU start to the kernel's ready
# line, RUNS times (default 5); prints one BENCH line with the median.
set -eu
cd "$(dirname "$0")/.."
arch=$1 runs=${2:-5}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
times=()
for _ in $(seq "$runs"); do
	start=$(date +%s%N)
	ARCH=$arch tools/qemu.sh --image "build/$arch/foliOS.img" --timeout 60 --log "$log" \
		--until 'foliOS ready' >/dev/null
	times+=($(( ($(date +%s%N) - start) / 1000000 )))
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
median=${sorted[$((runs / 2))]}
kernel_ms=$(grep -ao 'kernel [0-9]* ms' "$log" | grep -o '[0-9]*')
echo "BENCH name=boot_to_ready arch=$arch runs=$runs median_ms=$median min_ms=${sorted[0]} max_ms=${sorted[$((runs - 1))]} kernel_ms=$kernel_ms"
