#!/bin/bash
# labcut_test.sh - host tests of tools/labs/labcut (the brace matcher behind make lab-start).
# TAP lines, then "N passed, N failed".  Usage: tools/labs/labcut_test.sh LABCUT
set -u
cut=$1
dir=$(dirname "$0")/testdata
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 pass=0 fail=0
t() {	# t NAME COMMAND...
	n=$((n + 1))
	if "${@:2}" > "$tmp/out" 2>&1; then
		pass=$((pass + 1)); echo "ok $n - $1"
	else
		fail=$((fail + 1)); echo "not ok $n - $1 # $(head -c 200 "$tmp/out" | tr '\n' ' ')"
	fi
}
cp "$dir/tricky.c" "$tmp/t.c"
t "finds the definition past a macro, a declaration, strings and comments" "$cut" --check "$tmp/t.c" target
t "a prefix of another name is not that name (exit 1)" bash -c "'$cut' --check '$tmp/t.c' targe; [ \$? = 1 ]"
t "cuts the body, braces in comments, strings, chars and #if lines skipped" \
	bash -c "'$cut' '$tmp/t.c' target 'return -38;' && diff -u '$dir/tricky.expect' '$tmp/t.c'"
t "the cut file compiles" gcc -fsyntax-only -Wall -Werror -Wno-unused-function -Wno-unused-variable "$tmp/t.c"
t "cutting again leaves the same file" \
	bash -c "'$cut' '$tmp/t.c' target 'return -38;' && diff -u '$dir/tricky.expect' '$tmp/t.c'"
t "an empty stub leaves only the comment" \
	bash -c "cp '$dir/tricky.c' '$tmp/e.c' && '$cut' '$tmp/e.c' target_not '' && grep -qxF 'int target_not(int a) {' '$tmp/e.c' && ! grep -q 'return a;' '$tmp/e.c'"
t "a declaration only is not a definition (exit 1)" \
	bash -c "printf 'int f(void);\nint g(void) { return f(); }\n' > '$tmp/d.c'; '$cut' --check '$tmp/d.c' f; [ \$? = 1 ]"
t "two definitions are refused (exit 1), the file unchanged" \
	bash -c "printf '#if A\nint f(void) { return 1; }\n#else\nint f(void) { return 2; }\n#endif\n' > '$tmp/two.c'; cp '$tmp/two.c' '$tmp/two.orig'; '$cut' '$tmp/two.c' f ''; [ \$? = 1 ] && cmp '$tmp/two.c' '$tmp/two.orig'"
t "a missing file is an error (exit 2)" bash -c "'$cut' --check '$tmp/none.c' f; [ \$? = 2 ]"
t "attributes between the parameters and the body" \
	bash -c "printf 'static void __attribute__((noinline)) h(int a) __attribute__((unused))\n{\n\tif (a) { }\n}\n' > '$tmp/a.c'; '$cut' '$tmp/a.c' h '' && [ \$(grep -c '{' '$tmp/a.c') = 1 ] && grep -q 'LAB: write h()' '$tmp/a.c'"
t "each parameter is voided (pointers, function pointers, arrays, varargs; void names none)" \
	bash -c "cp '$dir/params.c' '$tmp/p.c' && '$cut' '$tmp/p.c' g '' && '$cut' '$tmp/p.c' h 'return 0;' && diff -u '$dir/params.expect' '$tmp/p.c'"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
