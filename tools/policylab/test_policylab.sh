#!/bin/sh
# test_policylab.sh - the policy lab's checks (make policylab-test; make test runs it):
#   - faithfulness: bundled traces replayed under their recorded configuration give the
#     kernel's fault count, splits, reservation fills and folios per order (policylab
#     --check) for every bundled recording, five per arch (policy_test's changes its sizes
#     and policy as it runs: its knob records are replayed); and the generated knobs trace
#     gives its own;
#   - exact counts: every bundled policy on the small traces (the madv_free_test,
#     policy_test and both busybox_kbuild recordings of both arches and three small generated
#     ones) gives
#     tools/testdata/policylab/expected.csv;
#   - CLI errors: a bad policy name, a bad thp_anon string, a missing file fail (exit 1)
#     with a message naming the problem;
#   - Linux's rows (-L): a hand-made bench-linux CSV (tools/testdata/policylab/
#     linux-x86_64-hand.csv) gives exact rows after the generated traces of its shapes, the
#     last CPU model's figures, none for stack; a wrong header, a missing column, a short
#     row, a bad number fail with the file, line and problem named.
# Prints "ok - NAME" / "not ok - NAME # why" lines; exit 1 when any failed.
PL=build/host/policylab
FT=build/host/foliotrace
OUT=build/policylab-test
TR=tools/testdata/traces
mkdir -p $OUT
fails=0
ok() { echo "ok - policylab: $1"; }
bad() { echo "not ok - policylab: $1 # $2"; fails=$((fails + 1)); }

# Each replays in its arch's user space (arm64-fork_test's 192 TiB region needs arm64's 48 bits).
$FT gen seq -n 64 -o $OUT/seq.trace >/dev/null && $FT gen fork -n 32 -o $OUT/fork.trace >/dev/null &&
	$FT gen knobs -n 128 -o $OUT/knobs.trace >/dev/null
for t in $TR/*.trace $OUT/knobs.trace; do
	t=${t%.trace}
	if why=$($PL --check $t.trace 2>&1); then ok "faithful ${t##*/}: $why"; else bad "faithful ${t##*/}" "$why"; fi
done

if $PL -j 2 -c $OUT/small.csv $TR/x86_64-madv_free_test.trace $TR/arm64-madv_free_test.trace \
	$TR/x86_64-policy_test.trace $TR/arm64-policy_test.trace \
	$TR/x86_64-busybox_kbuild*.trace $TR/arm64-busybox_kbuild*.trace \
	$OUT/seq.trace $OUT/fork.trace $OUT/knobs.trace > $OUT/small.table 2>$OUT/small.err &&
	why=$(diff tools/testdata/policylab/expected.csv $OUT/small.csv); then
	ok "bundled policies on the small traces: exact counts"
else
	bad "bundled policies on the small traces: exact counts" "$(cat $OUT/small.err) $why"
fi

expect_error() {	# name, expected message, policylab arguments...
	name=$1 want=$2
	shift 2
	if msg=$($PL "$@" 2>&1); then
		bad "$name" "exit 0"
	elif echo "$msg" | grep -qF "$want"; then
		ok "$name"
	else
		bad "$name" "got: $msg"
	fi
}
expect_error "bad policy name" "unknown policy 'nosuch' (known: linux adaptive reserve utilisation)" \
	-p 'policy=nosuch' $OUT/seq.trace
expect_error "bad thp_anon string" "bad thp_anon string '3K:always'" -p 'thp_anon=3K:always' $OUT/seq.trace
expect_error "missing file" "$OUT/none.trace: cannot open it" $OUT/none.trace
expect_error "unknown knob" "unknown knob 'folio/nosuch'" -p 'folio/nosuch=1' $OUT/seq.trace
printf 'FOLIOTRC' > $OUT/short.trace
expect_error "truncated trace" "not a foliotrace" $OUT/short.trace

# Linux's rows from a hand-made x86_64 CSV: seq 64K (the last model's: 5 faults, not 9), seq
# 4K, sparse 2M; none for stack (its parameters differ) nor for foliOS's or faultbench's lines.
HAND=tools/testdata/policylab/linux-x86_64-hand.csv
for g in seq sparse stack; do $FT gen $g -n 64 -o $OUT/gen-$g.trace >/dev/null; done
if $PL -p 'linux-64K: policy=linux thp_anon=16K-2M:never;64K:always' -L $HAND -c $OUT/linux.csv \
	$OUT/gen-seq.trace $OUT/gen-sparse.trace $OUT/gen-stack.trace > $OUT/linux.table 2>&1 &&
	[ "$(grep -c '^gen-.* Linux-' $OUT/linux.table)" = 3 ] &&
	grep -qx 'gen-seq.trace            Linux-x86-64K        5       -      -      64       -     1.6      65      -     -     -     -     -       -       -  4:4' $OUT/linux.table &&
	grep -qx 'gen-seq.trace            Linux-x86-4K        64       -      -      64       -     0.0      64      -     -     -     -     -       -       -  -' $OUT/linux.table &&
	grep -qx 'gen-sparse.trace         Linux-x86-2M         1       -      -       8       -  6300.0     512      -     -     -     -     -       -       -  9:1' $OUT/linux.table &&
	sed -n 4p $OUT/linux.table | grep -q '^gen-seq.trace  *Linux-x86-64K ' &&
	grep -qx 'gen-seq.trace,Linux-x86-64K,,5,,,64,,1.6,65,,,,,,,,,,,,4,,,,,,,' $OUT/linux.csv &&
	grep -qx 'gen-sparse.trace,Linux-x86-2M,,1,,,8,,6300.0,512,,,,,,,,,,,,,,,,,1,,' $OUT/linux.csv &&
	[ "$(wc -l < $OUT/linux.csv)" = 7 ]; then
	ok "Linux rows from a bench-linux CSV: exact, after their traces' rows"
else
	bad "Linux rows from a bench-linux CSV: exact, after their traces' rows" "$(cat $OUT/linux.table)"
fi
printf 'hello,world\n' > $OUT/badhead.csv
expect_error "Linux CSV: wrong header" "$OUT/badhead.csv: line 1 is not a bench-linux CSV header" \
	-L $OUT/badhead.csv $OUT/gen-seq.trace
sed '1s/,rss_kib//' $HAND > $OUT/nocol.csv
expect_error "Linux CSV: missing column" "$OUT/nocol.csv: line 1: no column 'rss_kib' in the header" \
	-L $OUT/nocol.csv $OUT/gen-seq.trace
sed '3s/,,64,4,.*/,,64/' $HAND > $OUT/short.csv
expect_error "Linux CSV: short row" "$OUT/short.csv: line 3: 8 fields, the header has 16" \
	-L $OUT/short.csv $OUT/gen-seq.trace
sed '4s/,9,256,/,nine,256,/' $HAND > $OUT/nan.csv
expect_error "Linux CSV: bad number" "$OUT/nan.csv: line 4: faults 'nine' is not a number" \
	-L $OUT/nan.csv $OUT/gen-seq.trace
expect_error "Linux CSV: missing file" "$OUT/none.csv: cannot open it" -L $OUT/none.csv $OUT/gen-seq.trace
[ $fails = 0 ]
