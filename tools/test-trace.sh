# test-trace.sh - make test's checks of folio.trace and the trace tools, sourced by
# tools/test.sh (which defines record and TIMEOUT).
#
#   trace_host_tests   the parser's corrupt-input table and the generators' counts
#                      (build/host/foliotrace_test); the bundled recordings of foliOS's
#                      programs and busybox (tools/testdata/traces/) parse and agree with
#                      their counters
#   guest_trace ARCH   /bin/tracee recorded as init, in order-0 mode and with the default
#                      knobs: exactly its known events, and the trace's faults per order
#                      equal the kernel's anon_fault_alloc and pgalloc_order counters;
#                      `tracee threads` at CPUS=4: each thread's fault record says what its
#                      own fault mapped, as /proc/self/folios shows it

FT=build/host/foliotrace

# The policy lab (tools/policylab/test_policylab.sh): faithfulness, exact counts, CLI errors.
policylab_host_tests() {
	local log=build/policylab-test.log
	make --no-print-directory policylab-test > "$log" 2>&1
	local rc=$?
	grep -E '^(ok|not ok) - ' "$log" >> "$results"
	[ $rc = 0 ] || record "not ok" "policylab: test_policylab.sh" "exit $rc, see $log"
}

trace_host_tests() {
	local log=build/foliotrace-test.log
	make --no-print-directory foliotrace-test foliotrace > "$log" 2>&1
	local rc=$?
	grep -E '^(ok|not ok) ' "$log" | sed -E 's/^(ok|not ok) [0-9]+ - /\1 - foliotrace: /' >> "$results"
	grep -qE '^[0-9]+ passed, 0 failed$' "$log" && [ $rc = 0 ] ||
		record "not ok" "foliotrace: foliotrace_test run" "exit $rc, see $log"
	local t why
	for t in tools/testdata/traces/*.trace; do
		if why=$("$FT" check "$t" 2>&1) && why=$(trace_counts "$t" "${t%.trace}.counts"); then
			record ok "foliotrace: bundled $(basename "$t") parses; faults per order equal its kernel counters"
		else
			record "not ok" "foliotrace: bundled $(basename "$t")" "$why"
		fi
	done
}

# trace_counts TRACE LOG: the trace's alloc faults of order k >= 1 equal the TRACEE line's
# anon_fault_alloc[k], and its alloc plus cow-copy faults of order k equal pgalloc[k].
trace_counts() {
	local trace=$1 log=$2 line alloc copy fa pg k a c
	line=$(tr -d '\r' < "$log" | grep -a '^TRACEE a=' | tail -1)
	fa=$(sed -E 's/.* anon_fault_alloc=([0-9,-]+).*/\1/' <<< "$line" | tr , ' ')
	pg=$(sed -E 's/.* pgalloc=([0-9,-]+).*/\1/' <<< "$line" | tr , ' ')
	alloc=$("$FT" stats "$trace" | sed -nE 's/^alloc_orders //p' | sed -E 's/[0-9]=//g')
	copy=$("$FT" stats "$trace" | sed -nE 's/^copy_orders //p' | sed -E 's/[0-9]=//g')
	read -ra fa <<< "$fa"; read -ra pg <<< "$pg"; read -ra alloc <<< "$alloc"; read -ra copy <<< "$copy"
	[ "${#fa[@]}" = 10 ] && [ "${#pg[@]}" = 10 ] && [ "${#alloc[@]}" = 10 ] || return 1
	for k in 0 1 2 3 4 5 6 7 8 9; do
		a=${alloc[$k]} c=${copy[$k]}
		[ "$k" = 0 ] || [ "$a" = "${fa[$k]}" ] || { echo "order $k: $a alloc faults, anon_fault_alloc ${fa[$k]}"; return 1; }
		[ $((a + c)) = "${pg[$k]}" ] || { echo "order $k: $a + $c faults, pgalloc_order ${pg[$k]}"; return 1; }
	done
}

# tracee_events TRACE LOG: the events of tracee's regions A and B, in order, as expected.
tracee_events() {
	local trace=$1 log=$2 line A B child got want addr
	line=$(tr -d '\r' < "$log" | grep -a '^TRACEE a=' | tail -1)
	A=$(sed -E 's/.* a=(0x[0-9a-f]+).*/\1/' <<< "$line")
	B=$(sed -E 's/.* b=(0x[0-9a-f]+).*/\1/' <<< "$line")
	child=$("$FT" dump "$trace" | sed -nE 's/^.* pid=1 fork child=([0-9]+)$/\1/p' | head -1)
	want=$(
		printf 'pid=1 mmap addr=0 len=0x10000 prot=0x3 flags=0x22 fd=-1 off=0 ret=%s\n' "$A"
		printf 'pid=1 mmap addr=0 len=0x4000 prot=0x3 flags=0x22 fd=-1 off=0 ret=%s\n' "$B"
		for i in $(seq 0 15); do printf 'pid=1 fault addr=%#x write alloc order=0\n' $((A + i * 4096)); done
		printf 'pid=1 madvise addr=%s len=0x10000 advice=4 ret=0\n' "$A"
		printf 'pid=1 fault addr=%s write alloc order=0\n' "$A"
		printf 'pid=1 fault addr=%s read zero\n' "$B"
		printf 'pid=1 mprotect addr=%s len=0x4000 prot=1 ret=0\n' "$B"
		printf 'pid=1 fork child=%s\n' "$child"
		printf 'pid=%s fault addr=%s write cow-copy order=0\n' "$child" "$A"
		printf 'pid=%s exit status=0\n' "$child"
		printf 'pid=1 fault addr=%s write cow-reuse\n' "$A"
		printf 'pid=1 munmap addr=%s len=0x10000 ret=0\n' "$A"
		printf 'pid=1 munmap addr=%s len=0x4000 ret=0\n' "$B"
		printf 'pid=1 exit status=0\n')
	got=$("$FT" dump "$trace" | cut -d' ' -f2- | while read -r pid kind rest; do
		case $kind in
		fault) addr=${rest%% *}; addr=$((${addr#addr=}))
		       if { [ $addr -ge $((A)) ] && [ $addr -lt $((A + 65536)) ]; } ||
			  { [ $addr -ge $((B)) ] && [ $addr -lt $((B + 16384)) ]; }; then echo "$pid $kind $rest"; fi ;;
		mmap|munmap|madvise|mprotect|fork|exit) echo "$pid $kind $rest" ;;
		esac
	done)
	[ "$got" = "$want" ] || { diff <(echo "$want") <(echo "$got"); return 1; }
}

# tracee_threads TRACE LOG: one fault record per thread's 64K block, each with what
# /proc/self/folios showed there after the join (TRACEE_THREADS line): the even threads
# wrote (alloc, the folio's order), the odd ones read (zero); pid 1 (the process) for all.
tracee_threads() {
	local trace=$1 log=$2 line base folios i f want got addr
	line=$(tr -d '\r' < "$log" | grep -a '^TRACEE_THREADS base=' | tail -1)
	base=$(sed -E 's/.* base=(0x[0-9a-f]+).*/\1/' <<< "$line")
	folios=$(sed -E 's/.* folios=([0-9a-z,]+).*/\1/' <<< "$line" | tr , ' ')
	[ -n "$line" ] || { echo "no TRACEE_THREADS line"; return 1; }
	i=0
	want=$(for f in $folios; do
		if [ $((i % 2)) = 0 ]; then
			printf 'pid=1 fault addr=%#x write alloc order=%s\n' $((base + i * 65536)) "$f"
		else
			[ "$f" = zero ] || echo "block $i: $f, not the zero page"
			printf 'pid=1 fault addr=%#x read zero\n' $((base + i * 65536))
		fi
		i=$((i + 1))
	done | sort)
	got=$("$FT" dump "$trace" | cut -d' ' -f2- | while read -r pid kind rest; do
		[ "$kind" = fault ] || continue
		addr=${rest%% *}; addr=$((${addr#addr=}))
		[ $addr -ge $((base)) ] && [ $addr -lt $((base + 4 * 65536)) ] && echo "$pid $kind $rest"
	done | sort)
	[ "$got" = "$want" ] || { diff <(echo "$want") <(echo "$got"); return 1; }
}

guest_trace() {
	local arch=$1 mode words trace log rc why
	for mode in order0 large; do
		words="init=/bin/tracee folio.trace=on"
		[ $mode = order0 ] && words="$words thp_anon=64K:never transparent_hugepage=never"
		trace=build/$arch/tracee-$mode.trace log=build/$arch/tracee-$mode.log
		ARCH=$arch tools/qemu.sh --image "build/$arch/foliOS.img" --append "$words" --trace "$trace" \
			--timeout "$TIMEOUT" --log "$log"
		rc=$?
		if [ $rc != 0 ] || ! grep -aq '^TRACEE a=' "$log"; then
			record "not ok" "$arch: trace of tracee ($mode)" "exit $rc (1: a leak), see $log"
			continue
		fi
		record ok "$arch: tracee ($mode) $(tr -d '\r' < "$log" | grep -ao 'leak check: .*')"
		if why=$("$FT" check "$trace" 2>&1) && "$FT" dump "$trace" | head -1 | grep -q " mode=$mode "; then
			record ok "$arch: trace of tracee ($mode) is whole: header mode=$mode, FT_END ($why)"
		else
			record "not ok" "$arch: trace of tracee ($mode) is whole" "$why"
		fi
		if why=$(trace_counts "$trace" "$log"); then
			record ok "$arch: trace of tracee ($mode): faults per order equal anon_fault_alloc and pgalloc_order"
		else
			record "not ok" "$arch: trace of tracee ($mode): faults per order equal the counters" "$why"
		fi
		[ $mode = order0 ] || continue
		if why=$(tracee_events "$trace" "$log" 2>&1); then
			record ok "$arch: trace of tracee (order0): exactly its 29 known events in its regions"
		else
			record "not ok" "$arch: trace of tracee (order0): its known events" "$(echo "$why" | tr '\n' ' ' | head -c 300)"
		fi
	done
	trace=build/$arch/tracee-threads.trace log=build/$arch/tracee-threads.log
	CPUS=4 ARCH=$arch tools/qemu.sh --image "build/$arch/foliOS.img" --append "init=/bin/tracee folio.trace=on -- threads" \
		--trace "$trace" --timeout "$TIMEOUT" --log "$log"
	rc=$?
	if [ $rc != 0 ] || ! grep -aq '^TRACEE_THREADS base=' "$log"; then
		record "not ok" "$arch: trace of tracee threads (CPUS=4)" "exit $rc (1: a leak), see $log"
	elif why=$("$FT" check "$trace" 2>&1) && why=$(tracee_threads "$trace" "$log" 2>&1); then
		record ok "$arch: trace of tracee threads (CPUS=4): each thread's fault record has its own outcome and order, as /proc/self/folios shows"
	else
		record "not ok" "$arch: trace of tracee threads (CPUS=4)" "$(echo "$why" | tr '\n' ' ' | head -c 300)"
	fi
}
