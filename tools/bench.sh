#!/bin/bash
# bench.sh - `make bench`: boot time, physical-memory benchmarks (host and
# both guests, DEBUG_VM off), written as BENCH lines to bench.txt and as CSV
# to bench.csv in build/bench/, or with RECORD=1 (`make bench RECORD=1`) in
# docs/results/, the committed numbers.  The SMP benchmarks (pfscalebench, shootdownbench,
# forkbench) run at -smp 1, 2 and 4.  LINUX=1 (`make bench LINUX=1`): faultbench and patternbench on
# Debian's Linux 6.12 too, per arch in the same QEMU configuration (tools/bench-linux.sh),
# under each CPU model (tools/bench-linux.sh), the SMP benchmarks at the same -smp, and the tables of foliOS against Linux in linux-compare.md.  Benchmarks, not tests: the machine
# is noisy, so compare numbers measured in the same run.
set -eu
cd "$(dirname "$0")/.."
case ${RECORD:-} in
1) dir=docs/results ;;
''|0) dir=build/bench ;;
*) echo "bench: RECORD must be 1 or 0, not '$RECORD'" >&2; exit 2 ;;
esac
case ${LINUX:-} in
1) tools/bench-linux.sh deps x86_64 >&2; tools/bench-linux.sh deps arm64 >&2 ;;
''|0) ;;
*) echo "bench: LINUX must be 1 or 0, not '$LINUX'" >&2; exit 2 ;;
esac
out=$dir/bench.txt
mkdir -p "$dir"
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
# The revision before tee below truncates $out (which would make the tree read dirty).
header="# make bench, $(date -u +%Y-%m-%dT%H:%MZ), $(git describe --always --dirty), $(nproc) cores, QEMU TCG"
{
	echo "$header"
	make --no-print-directory host-bench 2>/dev/null | grep '^BENCH'
	make --no-print-directory foliotrace >/dev/null && build/host/foliotrace bench | grep '^BENCH'
	for arch in x86_64 arm64; do
		make --no-print-directory ARCH=$arch image >/dev/null
		tools/bench-boot.sh $arch 5
		make --no-print-directory ARCH=$arch DEBUG_VM=0 image >/dev/null
		ARCH=$arch tools/qemu.sh --image build/$arch-perf/foliOS.img --append folio.bench=mm \
			--timeout 600 --log "$tmp"
		grep -q 'BENCH DONE' "$tmp" || { echo "bench: $arch run failed" >&2; cat "$tmp" >&2; exit 1; }
		tr -d '\r' < "$tmp" | grep -ao 'BENCH name=.*'
		for prog in sysbench "faultbench -- 4K 16K 64K 2M" madvbench splitbench cowbench pmdbench shmembench policybench softdirtybench patternbench threadbench; do
			ARCH=$arch tools/qemu.sh --image build/$arch-perf/foliOS.img \
				--append "init=/bin/$prog" --timeout 600 --log "$tmp"
			grep -aq 'init exited with status 0' "$tmp" ||
				{ echo "bench: $arch $prog failed" >&2; cat "$tmp" >&2; exit 1; }
			tr -d '\r' < "$tmp" | grep -ao 'BENCH name=.*'
		done
		# The context-switch cost without ASIDs / PCIDs, for the comparison (asid=off lines).
		ARCH=$arch tools/qemu.sh --image build/$arch-perf/foliOS.img \
			--append "folio.asid_bits=0 init=/bin/sysbench -- ctxswitch" --timeout 600 --log "$tmp"
		grep -aq 'init exited with status 0' "$tmp" ||
			{ echo "bench: $arch sysbench ctxswitch failed" >&2; cat "$tmp" >&2; exit 1; }
		tr -d '\r' < "$tmp" | grep -ao 'BENCH name=.*'
		[ "${LINUX:-}" != 1 ] || tools/bench-linux.sh run $arch
		# The SMP benchmarks at -smp 1, 2 and 4 (the 1-CPU baseline in the same boot
		# configuration), smp=N in their lines; with LINUX=1 on Linux at the same -smp.
		for cpus in 1 2 4; do
			CPUS=$cpus tools/bench-linux.sh smp $arch
			[ "${LINUX:-}" != 1 ] || CPUS=$cpus tools/bench-linux.sh smp-linux $arch
		done
	done
} | tee "$out"
# CSV: one row per BENCH line, key=value pairs as name:value cells.
grep '^BENCH' "$out" | sed -E 's/^BENCH //; s/ /,/g' > "$dir/bench.csv"
echo "bench: wrote $out and $dir/bench.csv"
if [ "${LINUX:-}" = 1 ]; then
	{
		echo "# foliOS vs Linux 6.12: faultbench first touch, patternbench and the SMP benchmarks, from $(head -1 "$out" | sed 's/^# //')"
		echo
		tools/bench-linux.sh table "$out"
		echo
		tools/bench-linux.sh smptable "$out"
	} > "$dir/linux-compare.md"
	cat "$dir/linux-compare.md"
	echo "bench: wrote $dir/linux-compare.md"
fi
[ "$dir" = docs/results ] || echo "bench: make bench RECORD=1 writes docs/results/ instead"
