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
#     with a message naming the problem.
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
[ $fails = 0 ]
