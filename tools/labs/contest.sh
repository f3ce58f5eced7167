#!/bin/bash
# contest.sh - the policy lab's contest (labs/policy/handout.md): replay a fixed set of traces
# through the real mm/ (tools/policylab) under one order policy and the bundled ones, print
# the leaderboard and the policy's score.
#
#   tools/labs/contest.sh POLICY [POINTS]
#
# The traces: the eight generators' (foliotrace gen NAME: seq rand sparse heap stack fork
# madvfree kbuild, default pages, seed 1) and the two bundled recordings of busybox building
# a small C project on each arch (tools/testdata/traces/<arch>-busybox_kbuild_order0.trace,
# columns x86_64-bb, arm64-bb), all in order-0 mode, so every policy replays them faithfully
# (docs/policylab.md).  Every policy runs with every size 16K-2M "always".
# Per trace, cost = F x M^2:
#   F = faults / the faults of `order0` (every size never) on that trace      (0..1]
#   M = max(1, allocated / touched): the memory allocated per page touched     [1..512]
# (M squared: with F x M the largest folio everywhere would always win, since a fault
# saved per page allocated pays for the bloat exactly; squared, a policy must tell dense
# use from sparse.)  S = 1000 x the geometric mean of the costs over the traces, lower is
# better: order0 scores 1000 x the geometric mean of its M^2.
# Points: POINTS x (S_order0 - S) / (S_order0 - S_best), clamped to 0..POINTS and rounded, S_best the lowest S of the bundled policies (linux, adaptive,
# reserve, utilisation): a policy as good as the best bundled one gets them all.
# Output: the leaderboard (one row per policy, best first, POLICY marked), then the line
#   contest: policy POLICY S=N points=P/POINTS
# Exit 2 when the replay fails (an unknown policy: policylab names the known ones).
set -u
cd "$(dirname "$0")/../.."
policy=${1:?usage: tools/labs/contest.sh POLICY [POINTS]}
points=${2:-40}
dir=build/labs/contest
bundled="linux adaptive reserve utilisation"
traces="seq rand sparse heap stack fork madvfree kbuild"
recorded="x86_64 arm64"		# tools/testdata/traces/<arch>-busybox_kbuild_order0.trace

mkdir -p "$dir"
make --no-print-directory build/host/policylab build/host/foliotrace > "$dir/build.log" 2>&1 ||
	{ tail -n 20 "$dir/build.log"; exit 2; }
for t in $traces; do
	build/host/foliotrace gen "$t" -o "$dir/gen-$t.trace" > /dev/null || exit 2
done
specs=(-p "order0: thp_anon=16K-2M:never")
for p in $bundled; do
	specs+=(-p "$p: policy=$p thp_anon=16K-2M:always")
done
case " $bundled " in
*" $policy "*) ;;
*) specs+=(-p "$policy: policy=$policy thp_anon=16K-2M:always") ;;
esac
build/host/policylab -j 2 "${specs[@]}" -c "$dir/lab.csv" $(for t in $traces; do echo "$dir/gen-$t.trace"; done) \
	$(for a in $recorded; do echo "tools/testdata/traces/$a-busybox_kbuild_order0.trace"; done) \
	> "$dir/table.txt" 2>&1 || { grep '^policylab:' "$dir/table.txt" | sort -u; exit 2; }

# CSV: trace,policy,events,faults,absorbed,failed,touched,allocated,...
awk -F, -v me="$policy" -v bundled="$bundled" -v points="$points" -v order="$traces $(printf '%s-bb ' $recorded)" '
NR == 1 { next }
{
	t = $1; sub(/^.*gen-/, "", t); sub(/\.trace$/, "", t); sub(/-busybox_kbuild_order0$/, "-bb", t)
	faults[t, $2] = $4; touched[t, $2] = $7; alloc[t, $2] = $8; seen[$2] = 1
}
END {
	nt = split(order, tr, " ")
	for (p in seen) {
		sum = 0
		for (i = 1; i <= nt; i++) {
			k = tr[i] SUBSEP p
			m = touched[k] > 0 && alloc[k] > touched[k] ? alloc[k] / touched[k] : 1
			cost[k] = faults[k] / faults[tr[i], "order0"] * m * m
			sum += log(cost[k])
		}
		S[p] = 1000 * exp(sum / nt)
	}
	best = ""
	nb = split(bundled, b, " ")
	for (i = 1; i <= nb; i++)
		if (best == "" || S[b[i]] < S[best])
			best = b[i]
	printf "== contest leaderboard: S = 1000 x geomean(F x M^2) over the traces, lower is better ==\n"
	printf "%-4s %-14s %8s", "rank", "policy", "S"
	for (i = 1; i <= nt; i++)
		printf " %9s", tr[i]
	printf "\n"
	n = 0
	for (p in seen)
		names[++n] = p
	for (i = 1; i <= n; i++)		# insertion sort by S
		for (j = i; j > 1 && S[names[j]] < S[names[j - 1]]; j--) {
			x = names[j]; names[j] = names[j - 1]; names[j - 1] = x
		}
	for (i = 1; i <= n; i++) {
		p = names[i]
		printf "%-4d %-14s %8.1f", i, p (p == me ? " *" : ""), S[p]
		for (j = 1; j <= nt; j++)
			printf " %9.4f", cost[tr[j], p]
		printf "\n"
	}
	frac = (S["order0"] - S[me]) / (S["order0"] - S[best])
	got = int(points * (frac < 0 ? 0 : frac > 1 ? 1 : frac) + 0.5)
	printf "(per trace: F x M^2; F faults / order0 faults, M max(1, allocated / touched); best bundled: %s)\n", best
	printf "contest: policy %s S=%.1f points=%d/%d\n", me, S[me], got, points
}' "$dir/lab.csv"
