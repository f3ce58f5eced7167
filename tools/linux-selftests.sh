#!/bin/bash
# linux-selftests.sh - `make linux-selftests`: Linux's own memory tools and tests, built
# statically from Debian's linux-source-6.12 (tools/mm/page-types and the anonymous-memory
# and THP/mTHP programs of tools/testing/selftests/mm) plus Debian's busybox-static, run
# unchanged on foliOS.
#
#   tools/linux-selftests.sh deps ARCH    download (apt-get download, never installed) and
#                                         build into build/linux-selftests-ARCH/bin/; cached:
#                                         quick when build/linux-selftests-ARCH/built exists
#   tools/linux-selftests.sh run ARCH     boot foliOS with those programs as /linux/<name>
#                                         (EXTRA=linux:DIR), runtests -f /linux/selftests.list
#                                         as init (each program with a timeout, then the leak
#                                         check); one line per program, the table saved to
#                                         build/linux-selftests-ARCH.txt, the passing tests to
#                                         build/linux-selftests-ARCH.pass
#   tools/linux-selftests.sh check ARCH   (make test) when the build is cached: run, then every
#                                         line of tools/testdata/linux-selftests.expect for ARCH
#                                         must be among the passing tests; TAP lines on stdout.
#                                         Not cached: one "# SKIP" line, never a download
#   tools/linux-selftests.sh [ARCH]       (make linux-selftests) deps, then run; ARCH x86_64
#
# Counting (per program, from its console output between runtests' "# runtests: NAME"
# lines): "ok N" a PASS, "ok N ... # SKIP" a SKIP, "not ok N" a FAIL.  A program that
# prints no TAP line counts as one test named "(exit)": exit 0 PASS, 4 (KSFT_SKIP) SKIP,
# anything else FAIL; a program killed (a signal, the timeout) or exiting neither 0 nor 4
# with no "not ok" line gets one FAIL "(exit)" more.
# Sources and headers: build/linux-selftests-src/ (the source tree's tools/, the uapi
# headers of `make headers` per arch, libcap/libnuma's static libraries for
# mlock-random-test and ksm_tests).  Environment: MEM (1G), TIMEOUT (per program, 300 s).
set -euo pipefail
export LC_ALL=C	# one sort order for the pass lists and comm
cd "$(dirname "$0")/.."
MEM=${MEM:-1G}
PROG_TIMEOUT=${TIMEOUT:-300}
SRC=build/linux-selftests-src
EXPECT=tools/testdata/linux-selftests.expect

# What runs, in order, with the arguments of Linux's run_vmtests.sh where it gives some.
# soft-dirty: Linux builds it for x86_64 only (arm64 Linux has no soft-dirty); built for
# both here, since foliOS has the bit on both.
SELFTESTS="cow mremap_test madv_populate mlock2-tests mlock-random-test soft-dirty
transhuge-stress mrelease_test map_populate map_fixed_noreplace mremap_dontunmap thuge-gen
uffd-unit-tests uffd-stress khugepaged split_huge_page_test gup_longterm ksm_tests
ksm_functional_tests mkdirty pagemap_ioctl mdwe_test droppable mseal_test on-fault-limit
virtual_address_range compaction_test"
RUN_LIST='cow
mremap_test
madv_populate
mlock2-tests
mlock-random-test
soft-dirty
transhuge-stress -d 20
mrelease_test
map_populate
map_fixed_noreplace
mremap_dontunmap
thuge-gen
uffd-unit-tests
uffd-stress anon 20 16
khugepaged
split_huge_page_test
gup_longterm
ksm_tests -M -p 10
ksm_functional_tests
mkdirty
pagemap_ioctl
mdwe_test
droppable
mseal_test
on-fault-limit
virtual_address_range
compaction_test
page-types
page-types -r
page-types -p 1 -L
busybox cat /proc/self/folios
busybox free
busybox ps
busybox top -b -n 1
busybox ls /proc/1
busybox grep -c AnonHugePages /proc/meminfo
busybox sh -c echo'

debarch() {
	case $1 in
	x86_64) echo amd64 ;;
	arm64) echo arm64 ;;
	*) echo "linux-selftests: ARCH must be x86_64 or arm64, not '$1'" >&2; exit 2 ;;
	esac
}

# fetch PKG...: apt-get download each PKG (name:arch) into $SRC/ unless a .deb of it is there.
fetch() {
	local p
	mkdir -p "$SRC"
	for p in "$@"; do
		ls "$SRC/${p%%:*}"_*_"${p#*:}".deb >/dev/null 2>&1 && continue
		(cd "$SRC" && apt-get download "$p" >/dev/null 2>&1) || {
			[ "$(id -u)" -eq 0 ] || { echo "linux-selftests: cannot download $p; run: sudo apt-get update" >&2; exit 1; }
			apt-get update -qq
			(cd "$SRC" && apt-get download "$p" >/dev/null) ||
				{ echo "linux-selftests: apt-get download $p failed" >&2; exit 1; }
		}
	done
}

# The linux source tree (without drivers/, fs/, net/, sound/, Documentation/: not needed
# for tools/ or the uapi headers), unpacked once.
do_source() {
	local tree=$SRC/linux-source-6.12
	[ -f "$tree/Makefile" ] && return 0
	apt-cache show linux-source-6.12 >/dev/null 2>&1 || apt-get update -qq
	fetch linux-source-6.12:all
	dpkg-deb --fsys-tarfile "$SRC"/linux-source-6.12_*_all.deb |
		tar -x -O ./usr/src/linux-source-6.12.tar.xz |
		tar -xJ -C "$SRC" --exclude='*/drivers' --exclude='*/sound' --exclude='*/Documentation' \
			--exclude='linux-source-6.12/net' --exclude='linux-source-6.12/fs'
}

do_deps() {
	local arch=$1 da cc karch triple out tree hdr sys p extra cflags
	da=$(debarch "$arch") out=$PWD/build/linux-selftests-$arch
	[ -f "$out/built" ] && return 0
	tools/deps.sh
	do_source
	tree=$PWD/$SRC/linux-source-6.12 hdr=$PWD/$SRC/hobj-$arch/usr/include sys=$PWD/$SRC/sysroot-$da
	case $arch in
	x86_64) cc=gcc karch=x86_64 triple=x86_64-linux-gnu ;;
	arm64) cc=aarch64-linux-gnu-gcc karch=arm64 triple=aarch64-linux-gnu ;;
	esac
	[ -f "$hdr/linux/mman.h" ] || make -s -C "$tree" ARCH="$karch" O="${hdr%/usr/include}" headers
	fetch busybox-static:"$da" libcap-dev:"$da" libnuma-dev:"$da"
	for p in busybox-static libcap-dev libnuma-dev; do
		dpkg -x "$SRC/$p"_*_"$da".deb "$sys"
	done
	rm -rf "$out"
	mkdir -p "$out/bin" "$out/include"	# compiler warnings: $out/build.log
	echo "// No liburing support found" > "$out/include/local_config.h"	# as check_config.sh
	# The selftests Makefile's flags (mm/Makefile, lib.mk), -static, the headers of this
	# tree's `make headers`; libcap and libnuma from their Debian packages.
	cflags=(-static -Wall -O2 -U_FORTIFY_SOURCE -D_GNU_SOURCE= -I"$out/include" -I"$tree"
		-isystem "$hdr" -isystem "$tree/tools/include/uapi" -isystem "$sys/usr/include")
	for p in $SELFTESTS; do
		extra=()
		case $p in
		uffd-*) extra=(uffd-common.c) ;;
		# 6.12.y's khugepaged.c returns KSFT_SKIP without including kselftest.h
		# (its stable backport missed the include): include it from the command line.
		khugepaged) extra=(-include ../kselftest.h) ;;
		esac
		(cd "$tree/tools/testing/selftests/mm" &&
		 $cc "${cflags[@]}" "$p.c" vm_util.c thp_settings.c "${extra[@]}" \
			-L"$sys/usr/lib/$triple" -lrt -lpthread -lm -lcap -lnuma -o "$out/bin/$p") 2>> "$out/build.log" ||
			{ tail -20 "$out/build.log" >&2; echo "linux-selftests: building $p failed" >&2; exit 1; }
	done
	(cd "$tree/tools/mm" &&
	 $cc -static -O2 -Wall -Wextra -I../lib -I../lib/api -I../include -isystem "$hdr" \
		page-types.c ../lib/api/fs/fs.c ../lib/api/debug.c -o "$out/bin/page-types") 2>> "$out/build.log" ||
		{ tail -20 "$out/build.log" >&2; echo "linux-selftests: building page-types failed" >&2; exit 1; }
	cp "$sys/bin/busybox" "$out/bin/busybox"
	printf '%s\n' "$RUN_LIST" > "$out/bin/selftests.list"
	echo "linux-source-6.12 $(dpkg-deb -f "$SRC"/linux-source-6.12_*_all.deb Version)" > "$out/built"
	echo "linux-selftests: built $(ls "$out/bin" | wc -l) files in $out/bin"
}

# tally LOG ARCH: the per-program table (stdout) and, into build/linux-selftests-ARCH.pass,
# one "ARCH COMMAND: N NAME" line per passing test (N its TAP number: the binaries are
# Debian's 6.12.117, so the numbering holds until the set of THP sizes changes).
tally() {
	local log=$1 arch=$2
	tr -d '\r' < "$log" | awk -v arch="$arch" -v passf="build/linux-selftests-$arch.pass" '
		function flush() {
			if (prog == "") return
			if (tap == 0) {
				if (bad == "" && status == 0) { pass++; print arch, prog ": (exit)" > passf }
				else if (bad == "" && status == 4) skip++
				else fail++
			} else if (bad != "" && fail == 0) fail++
			printf "%-28s PASS %3d  FAIL %3d  SKIP %3d  %s\n", prog, pass, fail, skip,
				bad != "" ? bad : "exit " status
			tp += pass; tf += fail; ts += skip
		}
		/^# runtests: .* exited with [0-9]+$/ { status = $NF; if (status != 0 && status != 4) bad = "exit " status; next }
		/^# runtests: .* killed by / { bad = "killed by " $NF; next }
		/^# runtests: .* timed out after / { bad = "timeout"; next }
		/^# runtests: .* could not be run$/ { bad = "not run"; next }
		/^# runtests: / {
			flush(); prog = substr($0, 13)
			pass = fail = skip = tap = status = 0; bad = ""; next
		}
		/^runtests: [0-9]+ programs/ { flush(); prog = ""; summary = $0; next }
		/^(not )?ok 1 - leak check/ { leak = $0; next }
		prog != "" && /^ok [0-9]+ / {
			tap++
			if ($0 ~ /# *SKIP/) { skip++; next }
			pass++; name = $0; sub(/^ok [0-9]+ (- )?/, "", name); print arch, prog ":", $2, name > passf; next
		}
		prog != "" && /^not ok [0-9]+ / { tap++; if ($0 ~ /# *SKIP/) skip++; else fail++; next }
		END {
			flush()
			printf "%-28s PASS %3d  FAIL %3d  SKIP %3d\n", "total", tp, tf, ts
			print (leak != "" ? leak : "not ok - leak check: not reached")
			print (summary != "" ? summary : "runtests: no summary (the run did not finish)")
		}'
}

do_run() {
	local arch=$1 out log table rc
	out=build/linux-selftests-$arch
	do_deps "$arch" >&2
	make --no-print-directory ARCH="$arch" image >/dev/null
	log=$out.console table=$out.txt
	EXTRA="linux:$out/bin" ARCH=$arch MEM=$MEM tools/qemu.sh --image "build/$arch/foliOS.img" \
		--append "init=/bin/runtests -- -d /linux -t $PROG_TIMEOUT -f /linux/selftests.list" \
		--timeout $((PROG_TIMEOUT * 6 + 600)) --log "$log" && rc=0 || rc=$?
	: > "build/linux-selftests-$arch.pass"
	{ echo "# Linux 6.12 mm selftests on foliOS $arch ($(cat "$out/built")), console: $log"
	  tally "$log" "$arch"; } | tee "$table"
	sort -u -o "build/linux-selftests-$arch.pass" "build/linux-selftests-$arch.pass"
	return 0
}

# check ARCH: TAP lines for tools/test.sh.
do_check() {
	local arch=$1 missing n
	if [ ! -f "build/linux-selftests-$arch/built" ]; then
		echo "ok - $arch: Linux selftests # SKIP not built (make linux-selftests ARCH=$arch)"
		return 0
	fi
	do_run "$arch" > /dev/null
	n=$(grep -c "^$arch " "$EXPECT" || true)
	missing=$(grep "^$arch " "$EXPECT" | sort -u | comm -23 - "build/linux-selftests-$arch.pass")
	if [ -n "$missing" ]; then
		echo "not ok - $arch: Linux selftests: $(echo "$missing" | wc -l) of $n expected passes missing, see build/linux-selftests-$arch.txt # $(echo "$missing" | head -3 | tr '\n' ';')"
	else
		echo "ok - $arch: Linux selftests: all $n expected passes pass ($(grep -c . "build/linux-selftests-$arch.pass") passing)"
	fi
	if grep -q '^ok 1 - leak check' "build/linux-selftests-$arch.txt"; then
		echo "ok - $arch: Linux selftests: no pages leaked"
	else
		echo "not ok - $arch: Linux selftests: leak check # $(grep 'leak check' "build/linux-selftests-$arch.txt")"
	fi
}

case ${1:-x86_64} in
deps) do_deps "${2:-x86_64}" ;;
run) do_run "${2:-x86_64}" ;;
check) do_check "${2:-x86_64}" ;;
*) do_deps "$1" && do_run "$1" ;;
esac
