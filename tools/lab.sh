#!/bin/bash
# lab.sh - the coursework labs' mechanics (docs/labs.md): make lab-start, lab-solution, grade.
#
#   tools/lab.sh start NAME       new branch lab/NAME with the lab's functions hollowed out
#   tools/lab.sh solution NAME    put main's code of the lab's functions back (instructors)
#   tools/lab.sh grade NAME [ARCH...]   build, run the lab's tests, print points and Score: N/M
#                                 (ARCH: x86_64, arm64, or host for the host tests alone;
#                                 default both arches); exit 1 below full marks
#   tools/lab.sh cut NAME         hollow the lab's functions in this tree, no git (scratch copies)
#   tools/lab.sh check NAME       every function the lab names is defined once in its file
#   tools/lab.sh selftest         make test's lab checks (TAP lines, on scratch copies)
#
# A lab is labs/NAME/: handout.md, lab.conf ("FILE FUNCTION STUB..." lines: tools/labs/labcut
# replaces FUNCTION's body by STUB), optionally start.patch (applied after the cuts: files the
# starting state adds or changes) and grade.conf ("POINTS KIND NAME" lines: host tests by
# name, user test programs or single cases of them, boot tests, the leak check, the policy
# contest's score; a "policy NAME..." line: the order policy graded).  The grader runs the
# same test programs as make test: build/host/hostmm_test NAME and /bin/runtests PROG... in
# QEMU.
set -u
cd "$(dirname "$0")/.."
LABCUT=build/host/labcut
BASE=${LAB_BASE:-main}		# the branch whose code lab-solution restores
GRADE_TIMEOUT=${GRADE_TIMEOUT:-300}	# seconds for one guest run or one host test

die() { echo "lab: $*" >&2; exit 2; }

lab_dir() {
	[ -n "${1:-}" ] || die "which lab? LAB=name, one of: $(ls labs | grep -v '\.md$' | tr '\n' ' ')"
	[ -f "labs/$1/lab.conf" ] || die "no lab '$1' (labs/$1/lab.conf); the labs: $(ls labs | grep -v '\.md$' | tr '\n' ' ')"
	echo "labs/$1"
}

build_labcut() {
	mkdir -p build/host
	[ "$LABCUT" -nt tools/labs/labcut.c ] ||
		${HOSTCC:-gcc} -std=gnu11 -O2 -Wall -Wextra -Werror -o "$LABCUT" tools/labs/labcut.c ||
		die "cannot build $LABCUT"
}

# conf_lines FILE: the non-comment, non-blank lines.
conf_lines() { grep -vE '^[[:space:]]*(#|$)' "$1"; }

# lab_files DIR: the files the lab cuts or its start.patch touches, once each.
lab_files() {
	{ conf_lines "$1/lab.conf" | awk '{ print $1 }'
	  [ -f "$1/start.patch" ] && git apply --numstat "$1/start.patch" | cut -f3; } | sort -u
}

cmd_check() {
	local dir file func rc=0
	dir=$(lab_dir "${1:-}") || exit 2
	build_labcut
	while read -r file func _; do
		"$LABCUT" --check "$file" "$func" || rc=1
	done < <(conf_lines "$dir/lab.conf")
	if [ -f "$dir/start.patch" ] && ! git apply --check "$dir/start.patch"; then
		echo "lab: $dir/start.patch does not apply to this tree" >&2
		rc=1
	fi
	return $rc
}

cmd_cut() {
	local dir file func stub
	dir=$(lab_dir "${1:-}") || exit 2
	build_labcut
	while read -r file func stub; do
		"$LABCUT" "$file" "$func" "$stub" || die "cannot cut $func in $file"
	done < <(conf_lines "$dir/lab.conf")
	if [ -f "$dir/start.patch" ]; then
		git apply "$dir/start.patch" || die "cannot apply $dir/start.patch"
	fi
}

require_clean() {
	git rev-parse --git-dir > /dev/null 2>&1 || die "not a git tree"
	if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
		git status --short --untracked-files=no >&2
		die "the tree has uncommitted changes (above): commit them (git commit -a) or stash them (git stash), then run this again"
	fi
}

commit() { git -c user.name="${GIT_AUTHOR_NAME:-foliOS lab}" -c user.email="${GIT_AUTHOR_EMAIL:-lab@foliOS}" commit -q "$@"; }

cmd_start() {
	local name=${1:-} dir
	dir=$(lab_dir "$name") || exit 2
	require_clean
	if git rev-parse -q --verify "refs/heads/lab/$name" > /dev/null; then
		die "branch lab/$name exists already: continue there (git checkout lab/$name), or delete it to start over (git branch -D lab/$name)"
	fi
	cmd_check "$name" || die "the tree does not define every function labs/$name/lab.conf names"
	git checkout -q -b "lab/$name" || die "cannot create branch lab/$name"
	cmd_cut "$name"
	git add $(lab_files "$dir")
	commit -m "lab $name: starting state (make lab-start LAB=$name)"
	if conf_lines "$dir/lab.conf" > /dev/null; then
		echo "lab $name: on branch lab/$name; write these functions (the handout: $dir/handout.md):"
		conf_lines "$dir/lab.conf" | awk '{ printf "  %s in %s\n", $2, $1 }'
	else
		echo "lab $name: on branch lab/$name (the handout: $dir/handout.md)"
	fi
	[ -f "$dir/start.patch" ] &&
		echo "the starting state adds or changes: $(git apply --numstat "$dir/start.patch" | cut -f3 | tr '\n' ' ')"
	echo "then: make grade LAB=$name    (back to where you were: git checkout -)"
}

cmd_solution() {
	local name=${1:-} dir f
	dir=$(lab_dir "$name") || exit 2
	require_clean
	git rev-parse -q --verify "$BASE^{commit}" > /dev/null || die "no branch $BASE to take the solution from"
	for f in $(lab_files "$dir"); do	# a file the lab added and $BASE lacks goes
		if git cat-file -e "$BASE:$f" 2> /dev/null; then
			git checkout -q "$BASE" -- "$f" || die "cannot restore $f from $BASE"
		elif [ -e "$f" ]; then
			git rm -q -- "$f" || die "cannot remove $f ($BASE has none)"
		fi
	done
	if git diff --cached --quiet; then
		echo "lab $name: the tree has $BASE's code of this lab already"
	else
		commit -m "lab $name: solution from $BASE (make lab-solution LAB=$name)"
		echo "lab $name: $BASE's code restored and committed (undo: git reset --hard HEAD~1)"
	fi
}

# ---- grading ----

# Output of each failed test, shown after the table.
FAILS=build/labs/fails.txt

# grade_line POINTS NAME OK LOG: one table row; the log's relevant part when not ok.
score=0 max=0
grade_line() {
	local pts=$1 name=$2 ok=$3 log=${4:-}
	max=$((max + pts))
	if [ "$ok" = 1 ]; then
		score=$((score + pts))
		printf '%-60s OK   %3d/%d\n' "$name" "$pts" "$pts"
	else
		printf '%-60s FAIL %3d/%d\n' "$name" 0 "$pts"
		{ echo "--- $name:"; [ -n "$log" ] && cat "$log"; } >> "$FAILS"
	fi
}

# grade_partial POINTS GOT NAME LOG: a row scored GOT of POINTS (the contest's score); the log
# shown when below POINTS.
grade_partial() {
	local pts=$1 got=$2 name=$3 log=$4
	max=$((max + pts)) score=$((score + got))
	printf '%-60s %-4s %3d/%d\n' "$name" "$([ "$got" = "$pts" ] && echo OK || echo PART)" "$got" "$pts"
	[ "$got" = "$pts" ] || { echo "--- $name:"; cat "$log"; } >> "$FAILS"
}

# The order policy a lab grades (grade.conf's "policy NAME..." line: POLICY= if given, else
# the first of the names mm/policy/policy.h's ANON_POLICY_LIST has); empty: none.
graded_policy() {
	local conf=$1 p names
	names=$(conf_lines "$conf" | awk '$1 == "policy" { $1 = ""; print }')
	[ -n "$names" ] || return
	for p in ${POLICY:-$names}; do
		if grep -qE "^[[:space:]]*X\([A-Z0-9_]+, *$p\)" mm/policy/policy.h; then
			echo "$p"
			return
		fi
	done
}

# The lab's host tests: each entry runs `hostmm_test NAME`, whose tests must all pass.
grade_host() {
	local conf=$1 pts kind name out=build/labs/host
	mkdir -p "$out"
	if ! make --no-print-directory build/host/hostmm_test > "$out/build.log" 2>&1; then
		grep -E 'error|Error' "$out/build.log" | head -n 30 > "$out/build.fail"
		while read -r pts kind name; do
			[ "$kind" = host ] && grade_line "$pts" "host: $name" 0 "$out/build.fail"
		done < <(conf_lines "$conf")
		return
	fi
	while read -r pts kind name; do
		[ "$kind" = host ] || continue
		ASAN_OPTIONS=detect_leaks=1 timeout -k 5 "$GRADE_TIMEOUT" build/host/hostmm_test "$name" \
			> "$out/$name.log" 2>&1
		local rc=$?
		if [ $rc = 0 ] && grep -qE '^[1-9][0-9]* passed, 0 failed$' "$out/$name.log"; then
			grade_line "$pts" "host: $name" 1
		else
			grep -vE '^ok ' "$out/$name.log" | head -n 40 > "$out/$name.fail"
			grade_line "$pts" "host: $name" 0 "$out/$name.fail"
		fi
	done < <(conf_lines "$conf")
}

# prog_section LOG CMD CMDS: the lines runtests printed while running the command line CMD
# (PROG, or PROG CASE...), one of the run's command lines CMDS ("|" between them).
prog_section() {
	tr -d '\r' < "$1" | awk -v p="$2" -v all="$3" '
		BEGIN { n = split(all, c, "|"); for (i = 1; i <= n; i++) cmd[c[i]] = 1 }
		/^# runtests: / { rest = substr($0, 13); if (rest in cmd) on = (rest == p) }
		on' | grep -vE '^ok '
}

# user_cmds CONF: the user entries' command lines ("PROG CASE..."), once each, one a line.
user_cmds() { conf_lines "$1" | awk '$2 == "user" { $1 = $2 = ""; sub(/^ +/, ""); if (!seen[$0]++) print }'; }

# The lab's guest part on ARCH: its image built, its boot tests, then one boot running its
# user tests (and the leak check after them).
grade_guest() {
	local conf=$1 arch=$2 pts kind name progs out log policy cmds fail
	out=build/labs/$arch
	mkdir -p "$out"
	log=$out/usertests.log
	conf_lines "$conf" | awk '$2 ~ /^(user|ktest|leak)$/ { found = 1 } END { exit !found }' || return
	if ! make --no-print-directory ARCH="$arch" image > "$out/build.log" 2>&1; then
		tail -n 30 "$out/build.log" > "$out/build.fail"
		while read -r pts kind name; do
			case $kind in
			user|ktest) grade_line "$pts" "$arch: $([ $kind = ktest ] && echo 'boot test ')$name" 0 "$out/build.fail" ;;
			leak) grade_line "$pts" "$arch: leak check" 0 "$out/build.fail" ;;
			esac
		done < <(conf_lines "$conf")
		return
	fi
	grade_ktests "$conf" "$arch"
	# runtests' arguments: PROG, or PROG:CASE,CASE... for an entry naming cases.
	progs=$(user_cmds "$conf" | awk '{ s = $1; for (i = 2; i <= NF; i++) s = s (i == 2 ? ":" : ",") $i; printf "%s ", s }')
	[ -n "$progs" ] || return
	cmds=$(user_cmds "$conf" | paste -sd '|')
	policy=$(graded_policy "$conf")
	rm -f "$log"	# never grade an earlier run's log
	ARCH=$arch tools/qemu.sh --image "build/$arch/foliOS.img" \
		--append "${policy:+folio.policy=$policy }init=/bin/runtests -t 120 -- $progs" \
		--timeout "$GRADE_TIMEOUT" --log "$log"
	local rc=$? users_ok=1
	tr -d '\r' < "$log" | tail -n 30 > "$out/tail.log"
	while read -r pts kind name; do
		[ "$kind" = user ] || continue
		fail=$out/${name// /_}.fail
		prog_section "$log" "$name" "$cmds" > "$fail"
		if [ -s "$fail" ] && grep -qE '^[1-9][0-9]* passed, 0 failed$' "$fail" &&
		   ! grep -qE "^# runtests: $name (exited|killed|timed out|could not)" "$fail"; then
			grade_line "$pts" "$arch: $name${policy:+ (policy $policy)}" 1
		else
			users_ok=0
			[ -s "$fail" ] || cp "$out/tail.log" "$fail"
			grade_line "$pts" "$arch: $name${policy:+ (policy $policy)}" 0 "$fail"
		fi
	done < <(conf_lines "$conf")
	# The leak check counts only after a run whose tests all passed.
	while read -r pts kind name; do
		[ "$kind" = leak ] || continue
		if [ $users_ok = 1 ] && [ $rc != 124 ] && tr -d '\r' < "$log" | grep -qE '^ok 1 - leak check: ' &&
		   tr -d '\r' < "$log" | grep -qE '^runtests: [0-9]+ programs, '; then
			grade_line "$pts" "$arch: leak check" 1
		else
			{ [ $users_ok = 1 ] || echo "(counted only when every user test of the lab passed)"
			  tr -d '\r' < "$log" | grep -E 'leak check|^runtests: '; } > "$out/leak.fail"
			grade_line "$pts" "$arch: leak check" 0 "$out/leak.fail"
		fi
	done < <(conf_lines "$conf")
}

# The lab's boot tests (folio.ktest=NAME,...) in one boot of ARCH's image (built already).
grade_ktests() {
	local conf=$1 arch=$2 pts kind name names out log rc
	out=build/labs/$arch
	log=$out/ktest.log
	names=$(conf_lines "$conf" | awk '$2 == "ktest" { printf "%s%s", sep, $3; sep = "," }')
	[ -n "$names" ] || return
	rm -f "$log"	# never grade an earlier run's log
	ARCH=$arch tools/qemu.sh --image "build/$arch/foliOS.img" --append "folio.ktest=$names" \
		--timeout "$GRADE_TIMEOUT" --log "$log"
	rc=$?
	tr -d '\r' < "$log" | tail -n 30 > "$out/ktest-tail.log"
	while read -r pts kind name; do
		[ "$kind" = ktest ] || continue
		if [ $rc = 0 ] && grep -aq 'KTEST DONE' "$log" &&
		   tr -d '\r' < "$log" | grep -aqE "\] ok [0-9]+ - $name\$"; then
			grade_line "$pts" "$arch: boot test $name" 1
		else
			tr -d '\r' < "$log" | grep -aE "\] not ok [0-9]+ - $name( |\$)" > "$out/ktest-$name.fail"
			[ -s "$out/ktest-$name.fail" ] || cp "$out/ktest-tail.log" "$out/ktest-$name.fail"
			grade_line "$pts" "$arch: boot test $name" 0 "$out/ktest-$name.fail"
		fi
	done < <(conf_lines "$conf")
}

# The policy contest (grade.conf "POINTS score"): tools/labs/contest.sh's points for the graded
# policy, counted only when every test before it passed (correctness first); the leaderboard
# is printed either way.
grade_score() {
	local conf=$1 pts kind name policy out=build/labs/contest.log
	policy=$(graded_policy "$conf")
	while read -r pts kind name; do
		[ "$kind" = score ] || continue
		if [ -z "$policy" ]; then
			echo "no policy to grade: none of grade.conf's \"policy\" names (or POLICY=) is in mm/policy/policy.h" > "$out"
			grade_partial "$pts" 0 "contest: policy ?" "$out"
			continue
		fi
		local before_ok=$(( score == max ))
		tools/labs/contest.sh "$policy" "$pts" > "$out" 2>&1
		local got
		got=$(sed -nE 's/^contest: policy [^ ]+ S=[0-9.]+ points=([0-9]+)\/[0-9]+$/\1/p' "$out")
		sed '$d' "$out" | sed -n '/^== contest leaderboard/,$p' > build/labs/leaderboard.txt
		if [ -z "$got" ]; then
			grade_partial "$pts" 0 "contest: policy $policy (tools/labs/contest.sh failed)" "$out"
		elif [ "$before_ok" = 0 ]; then
			echo "(counted only when every correctness test passed; it would score $got/$pts)" > "$out.gate"
			grade_partial "$pts" 0 "contest: policy $policy, $(tail -n 1 "$out" | cut -d' ' -f4)" "$out.gate"
		else
			{ tail -n 1 "$out"; echo "(the leaderboard: below the table)"; } > "$out.line"
			grade_partial "$pts" "$got" "contest: policy $policy, $(tail -n 1 "$out" | cut -d' ' -f4)" "$out.line"
		fi
	done < <(conf_lines "$conf")
}

cmd_grade() {
	local name=${1:-} dir arches a start=$(date +%s)
	dir=$(lab_dir "$name") || exit 2
	shift
	arches=${*:-x86_64 arm64}
	for a in $arches; do
		case $a in x86_64|arm64|host) ;; *) die "ARCH must be x86_64, arm64 or host, not '$a'" ;; esac
	done
	mkdir -p build/labs
	: > "$FAILS"
	if [ -n "${POLICY:-}" ] && grep -qE '^policy ' "$dir/grade.conf" && [ -z "$(graded_policy "$dir/grade.conf")" ]; then
		die "POLICY=$POLICY: no such policy in ANON_POLICY_LIST (mm/policy/policy.h): add its line X(NAME, $POLICY)"
	fi
	echo "== grade lab $name ($dir/handout.md) =="
	grade_host "$dir/grade.conf"
	for a in $arches; do
		[ "$a" = host ] || grade_guest "$dir/grade.conf" "$a"
	done
	rm -f build/labs/leaderboard.txt
	grade_score "$dir/grade.conf"
	[ -s build/labs/leaderboard.txt ] && cat build/labs/leaderboard.txt
	if [ -s "$FAILS" ]; then
		echo "== output of the failed tests =="
		cat "$FAILS"
	fi
	echo "# make grade LAB=$name took $(( $(date +%s) - start )) s"
	echo "Score: $score/$max"
	[ "$score" = "$max" ] && [ "$max" -gt 0 ]
}

# ---- make test ----

n=0 npass=0 nfail=0
tap() {	# tap OK NAME [WHY]
	n=$((n + 1))
	if [ "$1" = 1 ]; then
		npass=$((npass + 1)); echo "ok $n - $2"
	else
		nfail=$((nfail + 1)); echo "not ok $n - $2 # ${3:-failed}"
	fi
}

# A scratch copy of this tree (tracked files as they are now, build products copied so that
# only the cut files recompile), its own git repository on branch main.
make_scratch() {
	local s=$1
	rm -rf "$s"
	mkdir -p "$s/build"
	git ls-files -z | tar -cf - --null -T - | tar -xf - -C "$s" || return 1
	for d in host x86_64 arm64 gnu-efi-arm64 consolefonts; do
		[ -d "build/$d" ] && cp -a "build/$d" "$s/build/"
	done
	( cd "$s" && git init -q -b main && git add -A && commit -m scratch ) > /dev/null
}

# labs: every lab's name, in order.
labs() { ls labs | grep -v '\.md$'; }

# tap_score LOG RC WANT NAME: a grade log's Score: N/M is below full marks (WANT=below, exit
# non-zero) or full marks (WANT=full, exit 0).
tap_score() {
	local log=$1 rc=$2 want=$3 name=$4 secs
	set -- $(sed -nE 's/^Score: ([0-9]+)\/([0-9]+)$/\1 \2/p' "$log")
	secs=$(sed -nE 's/^# make grade LAB=[a-z0-9-]+ took ([0-9]+ s)$/\1/p' "$log")
	if [ "$want" = below ]; then
		[ $# = 2 ] && [ "$1" -lt "$2" ] && [ "$rc" != 0 ]
	else
		[ $# = 2 ] && [ "$1" = "$2" ] && [ "$2" -gt 0 ] && [ "$rc" = 0 ]
	fi
	tap $(( $? == 0 )) "$name (${1:-?}/${2:-?}, ${secs:-?})" "exit $rc, see $log"
}

cmd_selftest() {
	local s=build/labs-scratch stest=build/labs/selftest lab log a f func rc
	mkdir -p "$stest"
	build_labcut
	tools/labs/labcut_test.sh "$LABCUT" > "$stest/labcut.log" 2>&1
	while IFS= read -r line; do
		case $line in
		"ok "*) tap 1 "labcut: ${line#ok * - }" ;;
		"not ok "*) tap 0 "labcut: ${line#not ok * - }" ;;
		esac
	done < "$stest/labcut.log"
	grep -qE '^[1-9][0-9]* passed, 0 failed$' "$stest/labcut.log"
	tap $(( $? == 0 )) "labcut: its host tests ran and passed" "see $stest/labcut.log"
	for lab in $(labs); do
		cmd_check "$lab" > "$stest/check-$lab.log" 2>&1
		tap $(( $? == 0 )) "lab $lab: every function lab.conf names is defined in this tree" "$(head -c 200 "$stest/check-$lab.log")"
		for f in handout.md grade.conf; do
			[ -s "labs/$lab/$f" ]
			tap $(( $? == 0 )) "lab $lab: labs/$lab/$f exists"
		done
	done
	if ! make_scratch "$s"; then
		tap 0 "lab scratch copy" "cannot copy the tree to $s"
		return 1
	fi
	selftest_refusals "$s"
	for lab in $(labs); do
		# The starting state, as a student gets it: make lab-start on the scratch repository.
		log=$stest/start-$lab.log
		( cd "$s" && git checkout -q main && make --no-print-directory lab-start LAB="$lab" ) > "$log" 2>&1
		rc=$?
		[ $rc = 0 ] && [ "$(git -C "$s" branch --show-current)" = "lab/$lab" ] &&
			[ -z "$(git -C "$s" status --porcelain --untracked-files=no)" ] &&
			! git -C "$s" diff --quiet main -- $(lab_files "labs/$lab")
		tap $(( $? == 0 )) "lab $lab: make lab-start on a scratch copy: branch lab/$lab, committed" "exit $rc, see $log"
		while read -r f func _; do
			grep -qF "LAB: write $func()" "$s/$f"
			tap $(( $? == 0 )) "lab $lab: $func hollowed out in $f"
		done < <(conf_lines "labs/$lab/lab.conf")
		if [ -f "labs/$lab/start.patch" ]; then
			git -C "$s" apply --check -R "labs/$lab/start.patch" 2> /dev/null
			tap $(( $? == 0 )) "lab $lab: labs/$lab/start.patch applied in the starting state"
		fi
		for a in x86_64 arm64; do
			make -C "$s" --no-print-directory ARCH=$a kernel > "$stest/build-$lab-$a.log" 2>&1
			tap $(( $? == 0 )) "lab $lab: starting state builds ($a)" "see $stest/build-$lab-$a.log"
		done
		log=$stest/grade-start-$lab.log
		( cd "$s" && tools/lab.sh grade "$lab" ${LAB_START_ARCH:-host} ) > "$log" 2>&1
		tap_score "$log" $? below "lab $lab: starting state scores below full marks (${LAB_START_ARCH:-host})"
	done
	selftest_solution "$s" cow
	selftest_solution "$s" policy	# its start.patch added a file main lacks
	for lab in $(labs); do
		log=$stest/grade-main-$lab.log
		tools/lab.sh grade "$lab" ${LAB_MAIN_ARCH:-x86_64 arm64} > "$log" 2>&1
		tap_score "$log" $? full "lab $lab: this tree scores full marks (${LAB_MAIN_ARCH:-x86_64 arm64})"
	done
	echo "$npass passed, $nfail failed"
	[ "$nfail" = 0 ]
}

# make lab-start's refusals on the scratch repository (on main, no lab branch yet): a dirty
# tree, an unknown lab; each says what to do and changes nothing.
selftest_refusals() {
	local s=$1 out=build/labs/selftest/refusals.log
	: > "$out"
	echo '/* dirty */' >> "$s/mm/cow.c"
	( cd "$s" && make --no-print-directory lab-start LAB=cow ) >> "$out" 2>&1
	[ $? != 0 ] && grep -q 'uncommitted changes.*commit them.*or stash them' "$out" &&
		[ "$(git -C "$s" branch --show-current)" = main ] && ! git -C "$s" rev-parse -q --verify lab/cow
	tap $(( $? == 0 )) "make lab-start refuses a tree with uncommitted changes, says what to do" "see $out"
	git -C "$s" checkout -q -- mm/cow.c
	( cd "$s" && make --no-print-directory lab-start LAB=nosuch ) >> "$out" 2>&1
	[ $? != 0 ] && grep -q "no lab 'nosuch'.*the labs: anon-order buddy" "$out"
	tap $(( $? == 0 )) "make lab-start refuses an unknown lab, names the labs" "see $out"
}

# On the scratch repository after make lab-start LAB=lab: a second lab-start refused, then
# make lab-solution gives back main's code exactly, and git reset --hard HEAD~1 undoes it.
selftest_solution() {
	local s=$1 lab=$2 out=build/labs/selftest/solution.log
	: > "$out"
	git -C "$s" checkout -q main
	( cd "$s" && make --no-print-directory lab-start LAB=$lab ) >> "$out" 2>&1
	[ $? != 0 ] && grep -q "branch lab/$lab exists already.*git checkout lab/$lab.*git branch -D lab/$lab" "$out"
	tap $(( $? == 0 )) "make lab-start refuses when lab/$lab exists, says what to do" "see $out"
	git -C "$s" checkout -q "lab/$lab"
	( cd "$s" && make --no-print-directory lab-solution LAB=$lab ) >> "$out" 2>&1
	[ $? = 0 ] && git -C "$s" diff --quiet main -- $(lab_files "labs/$lab") &&
		[ -z "$(git -C "$s" status --porcelain --untracked-files=no)" ]
	tap $(( $? == 0 )) "make lab-solution LAB=$lab restores main's code exactly, committed" "see $out"
	git -C "$s" reset -q --hard HEAD~1 && ! git -C "$s" diff --quiet main -- $(lab_files "labs/$lab")
	tap $(( $? == 0 )) "git reset --hard HEAD~1 undoes lab-solution (the starting state again)" "see $out"
	git -C "$s" checkout -q main
}

# (One compound command, read whole before it runs.)
case ${1:-} in
start) cmd_start "${2:-}" ;;
solution) cmd_solution "${2:-}" ;;
grade) shift; cmd_grade "$@" ;;
cut) cmd_cut "${2:-}" ;;
check) cmd_check "${2:-}" ;;
selftest) cmd_selftest ;;
*) die "usage: tools/lab.sh start|solution|grade|cut|check NAME [ARCH...] | selftest" ;;
esac
