#!/bin/bash
# record-traces.sh - record the bundled traces of real programs (for the policy lab's
# faithfulness check and its bundled table) into tools/testdata/traces/:
#
#   <arch>-<prog>.trace    the run of <prog> under folio.trace=on, the default knobs
#   <arch>-<prog>.counts   the kernel's counters after the same run: tracee's TRACEE line
#                          (anon_fault_alloc per size, pgalloc_order_<k>) and the cmdline
#
#   tools/record-traces.sh [PROG...]    default: fork_test madv_free_test policy_test
#                                       busybox_kbuild busybox_kbuild_order0;
#                                       ARCHES (default "x86_64 arm64") the arches
#
# PROG is /bin/PROG of foliOS's image (policy_test writes the sizes and switches the policy
# as it runs: FT_KNOB and, under reserve, FT_FILL records), or busybox_kbuild: Debian's busybox-static running
# tools/testdata/busybox-kbuild.sh (a tiny kbuild of short processes and pipes) from the
# initrd's /bb/.  That busybox is only ever taken from the cache, never downloaded:
# build/linux-selftests-<arch>/bin/busybox (make linux-selftests) or build/busybox/busybox-<arch>;
# with neither, busybox_kbuild is skipped for that arch, and the script says so.
# PROG_order0 records PROG in order-0 mode (every anonymous size never: each first touch
# faults, so the trace replays faithfully under any policy, docs/policylab.md).
set -eu
cd "$(dirname "$0")/.."
progs=${*:-fork_test madv_free_test policy_test busybox_kbuild busybox_kbuild_order0}
out=tools/testdata/traces
mkdir -p "$out"
make --no-print-directory foliotrace > /dev/null

# The cached busybox of arch $1, or nothing.
cached_busybox() {
	for f in "build/linux-selftests-$1/bin/busybox" "build/busybox/busybox-$1"; do
		[ -x "$f" ] && { echo "$f"; return; }
	done
	true
}

for arch in ${ARCHES:-x86_64 arm64}; do
	make --no-print-directory ARCH=$arch image > /dev/null
	for p in $progs; do
		prog=${p%_order0} mode=
		[ "$prog" = "$p" ] || mode=" thp_anon=64K:never transparent_hugepage=never"
		extra= cmd=/bin/$prog
		if [ "$prog" = busybox_kbuild ]; then
			bb=$(cached_busybox "$arch")
			if [ -z "$bb" ]; then
				echo "$arch $p: skipped: no cached busybox (make linux-selftests ARCH=$arch fetches it)"
				continue
			fi
			extra=build/$arch/record-bb
			rm -rf "$extra" && mkdir -p "$extra"
			cp "$bb" "$extra/busybox" && cp tools/testdata/busybox-kbuild.sh "$extra/kbuild.sh"
			extra=bb:$extra cmd="/bb/busybox sh /bb/kbuild.sh"
		fi
		words="init=/bin/tracee folio.trace=on$mode -- $cmd"
		log=build/$arch/record-$p.log
		EXTRA=$extra ARCH=$arch tools/qemu.sh --image "build/$arch/foliOS.img" --append "$words" \
			--trace "$out/$arch-$p.trace" --timeout 600 --log "$log"
		build/host/foliotrace check "$out/$arch-$p.trace" > /dev/null
		{ echo "cmdline: $words"; tr -d '\r' < "$log" | grep -a '^TRACEE a=' | tail -1; } > "$out/$arch-$p.counts"
		echo "$arch $p: $(build/host/foliotrace check "$out/$arch-$p.trace")"
	done
done
