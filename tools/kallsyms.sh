#!/bin/sh
# kallsyms.sh NM KERNEL OUT.S - emit the kernel's text symbols as assembly for
# the .kallsyms section (kernel/kallsyms.c reads it to name backtrace frames).
# The section is linked after everything else, so adding it moves no symbol.
set -eu
nm=$1 elf=$2 out=$3
"$nm" -n "$elf" | awk 'BEGIN { n = 0 }
	$2 ~ /^[tTwW]$/ && $3 !~ /^(\.|\$|_start_phys)/ { addr[n] = $1; name[n] = $3; n++ }
	END {
		print "\t.section .kallsyms, \"a\""
		print "\t.balign 8"
		print "\t.global kallsyms_num, kallsyms_addrs, kallsyms_offsets, kallsyms_names"
		print "kallsyms_num:\t.quad " n
		print "kallsyms_addrs:"
		for (i = 0; i < n; i++) print "\t.quad 0x" addr[i]
		print "kallsyms_offsets:"
		off = 0
		for (i = 0; i < n; i++) { print "\t.long " off; off += length(name[i]) + 1 }
		print "kallsyms_names:"
		for (i = 0; i < n; i++) print "\t.asciz \"" name[i] "\""
	}' > "$out"
