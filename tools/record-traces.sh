#!/bin/bash
# record-traces.sh - record the bundled traces of foliOS's own programs (for the policy
# lab's faithfulness check) into tools/testdata/traces/:
#
#   <arch>-<prog>.trace    the run of /bin/<prog> under folio.trace=on, the default knobs
#   <arch>-<prog>.counts   the kernel's counters after the same run: tracee's TRACEE line
#                          (anon_fault_alloc per size, pgalloc_order_<k>) and the cmdline
#
#   tools/record-traces.sh [PROG...]    default: fork_test madv_free_test; both arches
set -eu
cd "$(dirname "$0")/.."
progs=${*:-fork_test madv_free_test}
out=tools/testdata/traces
mkdir -p "$out"
make --no-print-directory foliotrace > /dev/null
for arch in x86_64 arm64; do
	make --no-print-directory ARCH=$arch image > /dev/null
	for p in $progs; do
		words="init=/bin/tracee folio.trace=on -- /bin/$p"
		log=build/$arch/record-$p.log
		ARCH=$arch tools/qemu.sh --image "build/$arch/foliOS.img" --append "$words" \
			--trace "$out/$arch-$p.trace" --timeout 300 --log "$log"
		build/host/foliotrace check "$out/$arch-$p.trace" > /dev/null
		{ echo "cmdline: $words"; tr -d '\r' < "$log" | grep -a '^TRACEE a=' | tail -1; } > "$out/$arch-$p.counts"
		echo "$arch $p: $(build/host/foliotrace check "$out/$arch-$p.trace")"
	done
done
