#!/bin/bash
# user-host-test.sh - build the x86_64 user programs and run the portable ones natively
# on this Linux host: foliOS programs use the Linux system-call ABI, so every test must
# pass on Linux too.  Prints one TAP line per check (the programs' own lines, renumbered
# and prefixed "host: PROG: ") and ends with "N passed, N failed"; exit status 1 on any
# failure.
#
#   tools/user-host-test.sh            x86_64, natively
#   USER_TEST_ARM64=1 tools/user-host-test.sh   also the arm64 build under qemu-aarch64
#                                     (informational: qemu-user's mmap/madvise emulation
#                                     is not Linux's; not part of `make test`)
set -u
cd "$(dirname "$0")/.."
TIMEOUT=${USER_TEST_TIMEOUT:-60}
n=0 pass=0 fail=0

tap() {	# tap ok|"not ok" NAME [WHY]
	n=$((n + 1))
	if [ "$1" = ok ]; then
		pass=$((pass + 1)); echo "ok $n - $2"
	else
		fail=$((fail + 1)); echo "not ok $n - $2 # ${3:-failed}"
	fi
}

# run_prog LABEL CMD...: run a TAP-printing test program, forward its lines renumbered.
run_prog() {
	local label=$1; shift
	local out rc
	out=$(cd "$bin" && ulimit -c 0 && ulimit -s 8192 && timeout "$TIMEOUT" "$@" 2>&1)
	rc=$?
	while IFS= read -r line; do
		case $line in
		"ok "*)     tap ok "$label: ${line#ok * - }" ;;
		"not ok "*) local rest=${line#not ok * - } why=failed
			    case $rest in *" # "*) why=${rest#* \# }; rest=${rest%% \# *} ;; esac
			    tap "not ok" "$label: $rest" "$why" ;;
		esac
	done <<< "$out"
	if [ $rc = 0 ] && grep -qE '^[0-9]+ passed, 0 failed$' <<< "$out"; then
		tap ok "$label: exits 0 with 0 failed"
	else
		tap "not ok" "$label: exits 0 with 0 failed" "exit $rc: $(tail -1 <<< "$out")"
	fi
}

# --- x86_64, native ---------------------------------------------------------------
bin=build/x86_64/user/bin
if ! make --no-print-directory -f user/user.mk ARCH=x86_64 CROSS= B=build/x86_64 \
	> build/user-host-build.log 2>&1; then
	tap "not ok" "host: user programs build (x86_64)" "see build/user-host-build.log"
	echo "$pass passed, $fail failed"
	exit 1
fi
tap ok "host: user programs build (x86_64)"
badelf=
for f in $bin/*; do
	[ "$(basename "$f")" = hello_musl_pie ] && continue
	if readelf -h "$f" 2>/dev/null | grep -q 'EXEC (Executable file)' &&
	   ! readelf -l "$f" | grep -q INTERP &&
	   readelf -l "$f" | awk '$1 == "LOAD" { print $3; exit }' | grep -q '0x0*400000$'; then
		:
	else
		badelf="$badelf $(basename "$f")"
	fi
done
[ -z "$badelf" ] && tap ok "host: every program but hello_musl_pie is a static ET_EXEC at 0x400000" ||
	tap "not ok" "host: every program but hello_musl_pie is a static ET_EXEC at 0x400000" "not:$badelf"

# The portable tests one by one (the foliOS-only ones would print one SKIP line each).
TESTS=$(make -s --no-print-directory -f user/user.mk print-USER_TESTS_PORTABLE)
[ -n "$TESTS" ] && tap ok "host: portable test list from user/user.mk" ||
	tap "not ok" "host: portable test list from user/user.mk" "make print-USER_TESTS_PORTABLE gave nothing"
for t in $TESTS; do
	run_prog "host: $t" "./$t"
done

out=$(cd "$bin" && ./hello one "two words" 2>&1); rc=$?
if [ $rc = 0 ] && grep -q '^hello from Linux' <<< "$out" && grep -q '^argv\[2\] = "two words"$' <<< "$out"; then
	tap ok "host: hello prints its greeting and argv"
else
	tap "not ok" "host: hello prints its greeting and argv" "exit $rc"
fi
for m in hello_musl hello_musl_pie; do
	[ -x $bin/$m ] || { tap ok "host: $m # SKIP musl-gcc not installed"; continue; }
	out=$($bin/$m 2>&1); rc=$?
	if [ $rc = 0 ] && grep -q '^hello from musl: .*1 MiB malloc ok$' <<< "$out"; then
		tap ok "host: $m (musl-gcc static$([ $m = hello_musl_pie ] && echo -pie)) runs"
	else
		tap "not ok" "host: $m runs" "exit $rc: $out"
	fi
done
if [ -x $bin/hello_musl_pie ]; then
	if readelf -h $bin/hello_musl_pie | grep -q 'DYN' && ! readelf -l $bin/hello_musl_pie | grep -q INTERP; then
		tap ok "host: hello_musl_pie is static-PIE (ET_DYN, no PT_INTERP)"
	else
		tap "not ok" "host: hello_musl_pie is static-PIE (ET_DYN, no PT_INTERP)"
	fi
fi

# The shell, fed a script on a pipe (no prompt, no echo).
out=$(cd "$bin" && printf '%s\n' 'echo one "two  three" four\ five' 'nosuchprogram' 'echo $?' \
	'./hello x' 'ls .' 'cat /proc/self/comm' './exec_test exit77' 'echo $?' 'exit 7' 'echo notreached' |
	timeout "$TIMEOUT" ./sh 2>&1); rc=$?
want_lines=('one two  three four five' 'sh: nosuchprogram: not found' '127' 'argv[1] = "x"' 'mmap_test' 'sh' '77')
bad=
for w in "${want_lines[@]}"; do
	grep -qF -- "$w" <<< "$out" || bad="missing '$w'"
done
grep -q notreached <<< "$out" && bad="ran past exit"
[ $rc = 7 ] || bad="${bad:+$bad, }exit status $rc, want 7"
if [ -z "$bad" ]; then tap ok "host: sh runs builtins, programs, \$? and exit 7"
else tap "not ok" "host: sh runs builtins, programs, \$? and exit 7" "$bad"; fi
out=$(cd "$bin" && timeout "$TIMEOUT" ./sh -c 'echo hi' 2>&1)
[ "$out" = hi ] && tap ok "host: sh -c" || tap "not ok" "host: sh -c" "got '$out'"

# init: runs the named program and exits with its status.
(cd "$bin" && timeout "$TIMEOUT" ./init ./exec_test exit77 >/dev/null 2>&1); rc=$?
[ $rc = 77 ] && tap ok "host: init PROG exits with PROG's status" ||
	tap "not ok" "host: init PROG exits with PROG's status" "exit $rc, want 77"

# runtests without the leak check (free pages of a Linux host move all the time).
out=$(timeout 300 $bin/runtests -n -d "$bin" 2>&1); rc=$?
if [ $rc = 0 ] && grep -qE '^runtests: [0-9]+ programs, 0 failed$' <<< "$out"; then
	tap ok "host: runtests -n: $(grep -E '^runtests:' <<< "$out" | tail -1)"
else
	tap "not ok" "host: runtests -n" "exit $rc: $(tail -1 <<< "$out")"
fi

# --- arm64 under qemu-user (optional, informational) -----------------------------
if [ "${USER_TEST_ARM64:-0}" = 1 ]; then
	if command -v qemu-aarch64 >/dev/null && command -v aarch64-linux-gnu-gcc >/dev/null; then
		make --no-print-directory -f user/user.mk ARCH=arm64 CROSS=aarch64-linux-gnu- \
			B=build/arm64 >> build/user-host-build.log 2>&1 ||
			tap "not ok" "qemu-aarch64: build" "see build/user-host-build.log"
		bin=build/arm64/user/bin
		for t in $TESTS; do
			run_prog "qemu-aarch64: $t" qemu-aarch64 "./$t"
		done
	else
		tap ok "qemu-aarch64 # SKIP qemu-aarch64 or aarch64-linux-gnu-gcc missing"
	fi
fi

echo "$pass passed, $fail failed"
[ $fail = 0 ]
