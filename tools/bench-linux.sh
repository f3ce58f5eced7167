#!/bin/bash
# bench-linux.sh - `make bench-linux`: foliOS's faultbench and patternbench on Debian's
# Linux 6.12, booted in the QEMU configuration of foliOS's benchmarks (tools/qemu.sh: same
# machine, MEM, CPUS; -kernel instead of the firmware), next to the same programs on
# foliOS in the same run, and tables of the two.  Each program enables one folio size at a
# time (hugepages-<N>kB/enabled, the same knob on both kernels).  foliOS runs under its
# CPU model (tools/qemu.sh's: CPU, else x86_64 QEMU's default model, arm64
# max,pauth-impdef=on); Linux under foliOS's and under the one where Linux is fastest,
# once when they are the same (x86_64: also -cpu max, where Linux clears pages with the
# rep stosb TCG runs slowly; arm64: one run).
#
#   tools/bench-linux.sh deps ARCH     download and unpack the kernel into build/linux-ARCH/
#                                      (idempotent, quick when present)
#   tools/bench-linux.sh run ARCH      boot Linux with /init = linuxinit running faultbench
#                                      and patternbench, once per CPU model; print their
#                                      BENCH lines as name=<prog>-linux os=linux kernel=6.12
#                                      cpu=<model> (consoles: build/bench/linux-ARCH-*.console)
#   tools/bench-linux.sh folios ARCH   the same programs on foliOS (DEBUG_VM=0 image, under
#                                      runtests: its leak check), BENCH lines as printed
#   tools/bench-linux.sh table FILE    Markdown tables of FILE's foliOS and Linux BENCH
#                                      lines, per arch, size and shape, with ratios against
#                                      Linux at its best CPU model
#   tools/bench-linux.sh csv FILE      the same lines as CSV (one row per BENCH line)
#   tools/bench-linux.sh smp ARCH      the SMP benchmarks (SMP_PROGS: pfscalebench,
#                                      shootdownbench, forkbench) on foliOS at -smp CPUS
#                                      (DEBUG_VM=0 image, under runtests) and folio.bench=tlb,
#                                      BENCH lines with smp=CPUS after the name (make bench:
#                                      CPUS=1, 2, 4)
#   tools/bench-linux.sh smp-linux ARCH  the same programs on Linux at -smp CPUS, under
#                                      Linux's best CPU model, renamed as run's
#   tools/bench-linux.sh smptable FILE Markdown tables of FILE's SMP lines: foliOS and
#                                      Linux per CPUS, with ratios
#   tools/bench-linux.sh check ARCH    (make test) a tiny run: patternbench -p 64 4K 64K on
#                                      foliOS (the DEBUG_VM image) and on Linux (foliOS's
#                                      CPU model); TAP lines: both completed, no page leaked
#                                      on foliOS, every BENCH line parses.  A SKIP line when
#                                      build/linux-ARCH/ has no kernel (never a download).
#   tools/bench-linux.sh [ARCH]        (make bench-linux) folios + run for ARCH (x86_64)
#                                      into build/bench/linux-ARCH.txt, .md (the tables)
#                                      and .csv
#
# The kernel: the newest linux-image-6.12.*+deb12-<amd64|arm64>-unsigned that apt knows,
# fetched with apt-get download and unpacked privately (only its /boot): never installed.
# The benchmarks need nothing modular: anonymous memory, THP/mTHP (CONFIG_TRANSPARENT_HUGEPAGE),
# the 8250/PL011 console, initramfs and devtmpfs are all built in (checked from the config).
# Environment: MEM, CPUS (as tools/qemu.sh: 1G, 1), FAULTBENCH_ARGS (4K 16K 64K 2M),
# PATTERN_ARGS (-p 4096 4K 16K 64K 2M).
set -euo pipefail
cd "$(dirname "$0")/.."
MEM=${MEM:-1G} CPUS=${CPUS:-1}
FAULTBENCH_ARGS=${FAULTBENCH_ARGS:-4K 16K 64K 2M}
PATTERN_ARGS=${PATTERN_ARGS:--p 4096 4K 16K 64K 2M}
CHECK_ARGS="-p 64 4K 64K"
SMP_PROGS="pfscalebench shootdownbench forkbench"

debarch() {
	case $1 in
	x86_64) echo amd64 ;;
	arm64) echo arm64 ;;
	*) echo "bench-linux: ARCH must be x86_64 or arm64, not '$1'" >&2; exit 2 ;;
	esac
}

# foliOS's QEMU -cpu model for ARCH ("default": no -cpu option).
folios_cpu() { ARCH=$1 tools/qemu.sh --print-cpu; }

# The QEMU -cpu values Linux runs under: x86_64 -cpu max (Linux's slow model, for the
# record) and foliOS's, arm64 foliOS's, then Linux's best, each once.  The table's best
# model is the last.
linux_best_cpu() { case $1 in x86_64) echo default ;; arm64) echo max,pauth-impdef=on ;; esac; }
cpu_models() {
	local m
	for m in $([ "$1" = x86_64 ] && echo max) "$(folios_cpu "$1")" "$(linux_best_cpu "$1")"; do
		echo "$m"
	done | awk '!seen[$0]++' | tr '\n' ' ' | sed 's/ $//'
}

do_deps() {
	local arch=$1 da dir pkg tmp cfg
	da=$(debarch "$arch")
	dir=build/linux-$arch
	[ -f "$dir/vmlinuz" ] && [ -f "$dir/config" ] && return 0
	tools/deps.sh	# the arm64 foreign architecture, qemu, cpio
	pkg=$(apt-cache search --names-only "^linux-image-6\.12\.[0-9]+\+deb12-$da-unsigned\$" |
		awk '{print $1}' | sort -V | tail -1)
	if [ -z "$pkg" ]; then
		[ "$(id -u)" -eq 0 ] || { echo "bench-linux: no linux-image-6.12 package known; run: sudo apt-get update" >&2; exit 1; }
		apt-get update -qq
		pkg=$(apt-cache search --names-only "^linux-image-6\.12\.[0-9]+\+deb12-$da-unsigned\$" |
			awk '{print $1}' | sort -V | tail -1)
	fi
	[ -n "$pkg" ] || { echo "bench-linux: no linux-image-6.12.*+deb12-$da-unsigned in apt's lists" >&2; exit 1; }
	tmp=$(mktemp -d)
	(cd "$tmp" && apt-get download "$pkg:$da" >/dev/null 2>&1) || {
		rm -rf "$tmp"; echo "bench-linux: apt-get download $pkg:$da failed" >&2; exit 1; }
	mkdir -p "$dir"
	# Only /boot (kernel, config, System.map): the modules are not needed.
	dpkg-deb --fsys-tarfile "$tmp"/*.deb | tar -x -C "$tmp" --wildcards './boot/*'
	cp "$tmp"/boot/vmlinuz-* "$dir/vmlinuz.tmp"
	cp "$tmp"/boot/config-* "$dir/config"
	echo "$pkg" > "$dir/package"
	mv "$dir/vmlinuz.tmp" "$dir/vmlinuz"
	rm -rf "$tmp"
	cfg=$dir/config
	for opt in CONFIG_TRANSPARENT_HUGEPAGE CONFIG_BLK_DEV_INITRD CONFIG_DEVTMPFS CONFIG_PROC_FS CONFIG_SYSFS \
		$([ "$arch" = x86_64 ] && echo CONFIG_SERIAL_8250_CONSOLE || echo CONFIG_SERIAL_AMBA_PL011_CONSOLE); do
		grep -qx "$opt=y" "$cfg" || echo "bench-linux: warning: $pkg has no $opt=y" >&2
	done
	echo "bench-linux: $pkg unpacked in $dir"
}

# boot_linux ARCH CPU LOG CMD...: boot Linux under QEMU model CPU with /init = linuxinit
# running CMD (linuxinit's "PROG ARGS + PROG ARGS"; each PROG copied into the initramfs's
# /bin), console into LOG; print the BENCH lines
# as name=<prog>-linux os=linux kernel=6.12 cpu=CPU.
boot_linux() {
	local arch=$1 cpu=$2 log=$3 dir bin root initrd console qemu cpuopt rc word prev=+
	shift 3
	dir=build/linux-$arch bin=build/$arch/user/bin
	make --no-print-directory ARCH="$arch" "build/$arch/user/bin.stamp" >/dev/null
	mkdir -p build/bench
	root=$(mktemp -d)
	initrd=$(mktemp)
	mkdir -p "$root/bin" "$root/proc" "$root/sys" "$root/dev"
	cp "$bin/linuxinit" "$root/init"
	for word in "$@"; do
		[ "$prev" != + ] || [ "$word" = + ] || cp "$bin/$word" "$root/bin/"
		prev=$word
	done
	prev=+
	(cd "$root" && find . -mindepth 1 | sort | cpio -o -H newc --quiet) > "$initrd"
	rm -rf "$root"
	cpuopt=(-cpu "$cpu")
	[ "$cpu" = default ] && cpuopt=()
	case $arch in
	x86_64) console=ttyS0 qemu=(qemu-system-x86_64 -M q35) ;;
	arm64) console=ttyAMA0 qemu=(qemu-system-aarch64 -M virt,gic-version=2,acpi=off) ;;
	esac
	set +e
	timeout --foreground -k 5 1800 "${qemu[@]}" "${cpuopt[@]}" -m "$MEM" -smp "$CPUS" -nographic \
		-nic none -no-reboot -kernel "$dir/vmlinuz" -initrd "$initrd" \
		-append "console=$console panic=-1 quiet rdinit=/init -- $*" < /dev/null > "$log" 2>&1
	rc=$?
	set -e
	rm -f "$initrd"
	for word in "$@"; do
		if [ "$prev" = + ] && [ "$word" != + ] &&
			! grep -aq "linuxinit: $word exited with status 0" "$log"; then
			echo "bench-linux: $arch Linux (-cpu $cpu) $word failed (QEMU $rc); console in $log:" >&2
			tail -40 "$log" >&2
			return 1
		fi
		prev=$word
	done
	tr -d '\r' < "$log" | grep -aoE 'BENCH name=[a-z]+ .*' |
		sed -E "s/^BENCH name=([a-z]+) /BENCH name=\1-linux os=linux kernel=6.12 cpu=$cpu /"
}

do_run() {
	local arch=$1 cpu
	do_deps "$arch" >&2
	for cpu in $(cpu_models "$arch"); do
		boot_linux "$arch" "$cpu" "build/bench/linux-$arch-${cpu%%,*}.console" \
			faultbench $FAULTBENCH_ARGS + patternbench $PATTERN_ARGS
	done
}

# boot_folios ARCH IMAGE LIST...: runtests -f with the command lines LIST (one a word,
# "_" for a space) on IMAGE, its BENCH lines; fails unless every program and the leak
# check passed.
boot_folios() {
	local arch=$1 img=$2 tmp extra
	shift 2
	tmp=$(mktemp) extra=$(mktemp -d)
	printf '%s\n' "$@" | tr _ ' ' > "$extra/list"
	EXTRA=bench:$extra ARCH=$arch MEM=$MEM CPUS=$CPUS tools/qemu.sh --image "$img" \
		--append "init=/bin/runtests -- -f /bench/list" --timeout 1800 --log "$tmp" || true
	rm -rf "$extra"
	if ! grep -aq 'init exited with status 0' "$tmp"; then
		echo "bench-linux: foliOS $arch run failed:" >&2
		tail -40 "$tmp" >&2
		rm -f "$tmp"
		return 1
	fi
	tr -d '\r' < "$tmp" | grep -aoE 'BENCH name=[a-z]+ .*|ok 1 - leak check.*'
	rm -f "$tmp"
}

# foliOS's faultbench and patternbench on the DEBUG_VM=0 image, as tools/bench.sh runs them.
do_folios() {
	local arch=$1
	make --no-print-directory ARCH="$arch" DEBUG_VM=0 image >/dev/null
	boot_folios "$arch" "build/$arch-perf/foliOS.img" "faultbench_${FAULTBENCH_ARGS// /_}" \
		"patternbench_${PATTERN_ARGS// /_}" | grep -a '^BENCH'
}

# smp ARCH: the SMP programs on foliOS at -smp CPUS; smp-linux ARCH: on Linux (its best
# CPU model).  Both insert smp=CPUS after the name, the QEMU configuration the lines'
# cpus= (the CPUs the scheduler gave the program) cannot tell apart.
smp_field() { sed -E "s/^(BENCH name=[a-z_-]+ )/\1smp=$CPUS /"; }
do_smp_folios() {
	local arch=$1 img=build/$1-perf/foliOS.img tmp
	make --no-print-directory ARCH="$arch" DEBUG_VM=0 image >/dev/null
	boot_folios "$arch" "$img" $SMP_PROGS | grep -a '^BENCH' | smp_field
	# The kernel's own shootdown cost (kernel/tlb_bench.c), beside shootdownbench's.
	tmp=$(mktemp)
	ARCH=$arch MEM=$MEM CPUS=$CPUS tools/qemu.sh --image "$img" --append folio.bench=tlb \
		--timeout 600 --log "$tmp" || true
	grep -aq 'BENCH DONE' "$tmp" || { echo "bench-linux: foliOS $arch folio.bench=tlb failed:" >&2; tail -20 "$tmp" >&2; rm -f "$tmp"; return 1; }
	tr -d '\r' < "$tmp" | grep -ao 'BENCH name=tlb_shootdown .*' | smp_field
	rm -f "$tmp"
}
do_smp_linux() {
	local arch=$1 cpu
	do_deps "$arch" >&2
	cpu=$(cpu_models "$arch" | awk '{ print $NF }')
	boot_linux "$arch" "$cpu" "build/bench/linux-$arch-smp$CPUS.console" \
		$(echo "$SMP_PROGS" | sed 's/ / + /g') | smp_field
}

# The awk functions the table, csv and check share: kv(line, key) is key's value in a BENCH
# line; os(line) is folios or linux; cpu(line) the QEMU model (foliOS's lines: foliOS's).
AWK_LIB='
function kv(line, key,   n, i, a, p) {
	n = split(line, a, " ")
	for (i = 1; i <= n; i++) { p = index(a[i], "="); if (substr(a[i], 1, p - 1) == key) return substr(a[i], p + 1) }
	return ""
}
function os(line) { return kv(line, "os") == "linux" ? "linux" : "folios" }
function cpu(line) { return os(line) == "linux" ? kv(line, "cpu") : (kv(line, "arch") == "x86_64" ? folx : fola) }
function ratio(a, b) { return (a != "" && b != "" && b + 0 > 0) ? sprintf("%.2f", a / b) : "-" }
function v(x) { return x == "" ? "-" : x }
'
awk_lib() {
	awk -v folx="$(folios_cpu x86_64)" -v fola="$(folios_cpu arm64)" \
		-v bestx="$(cpu_models x86_64 | awk '{ print $NF }')" -v besta="$(cpu_models arm64 | awk '{ print $NF }')" \
		"$AWK_LIB$1" "${@:2}"
}

# table FILE: per arch, faultbench's first-touch MiB/s per size (foliOS in each prezero
# mode, Linux per CPU model, ratios against Linux's best model) and patternbench's figures
# per size and shape (foliOS, Linux at its best model, ratios; time under every model).
do_table() {
	awk_lib '
	# A table header: first, a column "col -cpu M" per Linux CPU model of arch a, last; the
	# alignment row: sep, a column per model and nlast more.
	function header(a, first, col, last, sep, nlast,   j) {
		printf "%s", first
		for (j = 1; j <= nc[a]; j++) printf " %s -cpu %s |", col, cpus[a, j]
		print last
		printf "%s", sep
		for (j = 1; j <= nc[a] + nlast; j++) printf " ---: |"
		print ""
	}
	/^BENCH name=(faultbench|patternbench)(-linux)? / {
		a = kv($0, "arch"); c = cpu($0); o = os($0)
		if (!(a in aseen)) { aseen[a] = 1; arches[++na] = a }
		if (o == "linux" && !((a, c) in cseen)) { cseen[a, c] = 1; cpus[a, ++nc[a]] = c }
	}
	/^BENCH name=faultbench(-linux)? / {
		k = a SUBSEP kv($0, "size")
		if (!(k in fseen)) { fseen[k] = 1; frow[a, ++nf[a]] = kv($0, "size") }
		if (o == "folios") fol[k, kv($0, "prezero")] = kv($0, "mib_s")
		else lin[k, c] = kv($0, "mib_s")
	}
	/^BENCH name=patternbench(-linux)? / {
		k = a SUBSEP kv($0, "size") SUBSEP kv($0, "shape")
		if (!(k in pseen)) { pseen[k] = 1; prow[a, ++np[a]] = kv($0, "size") SUBSEP kv($0, "shape") }
		c = o == "folios" ? "folios" : c
		pf[k, c] = kv($0, "faults"); pr[k, c] = kv($0, "rss_kib"); pa[k, c] = kv($0, "alloc")
		pu[k, c] = kv($0, "us_per_mib")
	}
	END {
		for (i = 1; i <= na; i++) {
			a = arches[i]; best = a == "x86_64" ? bestx : besta
			if (!((a, best) in cseen)) best = cpus[a, nc[a]]	# a run without that model
			if (nf[a]) {
				printf "### %s: faultbench, first-touch MiB/s\n\n", a
				header(a, "| size | foliOS off | foliOS idle |", "Linux", " off / Linux best | idle / Linux best |",
				       "| --- | ---: | ---: |", 2)
				for (r = 1; r <= nf[a]; r++) {
					k = a SUBSEP frow[a, r]
					printf "| %s | %s | %s |", frow[a, r], v(fol[k, "off"]), v(fol[k, "idle"])
					for (j = 1; j <= nc[a]; j++) printf " %s |", v(lin[k, cpus[a, j]])
					printf " %s | %s |\n", ratio(fol[k, "off"], lin[k, best]), ratio(fol[k, "idle"], lin[k, best])
				}
				print ""
			}
			if (np[a]) {
				printf "### %s: patternbench (Linux: -cpu %s but for the time columns)\n\n", a, best
				header(a, "| size | shape | faults foliOS | faults Linux | faults F/L | RSS KiB foliOS | RSS KiB Linux | RSS F/L | folios foliOS | folios Linux | us/MiB foliOS |",
				       "us/MiB Linux", " time Linux best / foliOS |", "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |", 1)
				for (r = 1; r <= np[a]; r++) {
					split(prow[a, r], p, SUBSEP); k = a SUBSEP prow[a, r]
					printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |", p[1], p[2],
						v(pf[k, "folios"]), v(pf[k, best]), ratio(pf[k, "folios"], pf[k, best]),
						v(pr[k, "folios"]), v(pr[k, best]), ratio(pr[k, "folios"], pr[k, best]),
						v(pa[k, "folios"]), v(pa[k, best]), v(pu[k, "folios"])
					for (j = 1; j <= nc[a]; j++) printf " %s |", v(pu[k, cpus[a, j]])
					printf " %s |\n", ratio(pu[k, best], pu[k, "folios"])
				}
				print ""
			}
		}
		print "faultbench: 128 MiB, one byte written per 4 KiB page, median of 3; a ratio above 1: foliOS"
		print "faster.  patternbench: the trace generators shapes (docs/policylab.md), median of 3;"
		print "faults and RSS: foliOS / Linux (below 1: fewer on foliOS); folios: anon_fault_alloc of"
		print "the size; time: Linux / foliOS (above 1: foliOS faster).  Both kernels in the same QEMU"
		print "TCG configuration and the same run."
	}' "$1"
}

# smptable FILE: per arch, the SMP lines of FILE (tools/bench-linux.sh smp, smp-linux):
# pfscale's total MiB/s and scale, shootdown's ns per call, forkexit's forks/s and scale,
# foliOS and Linux side by side per smp=CPUS, with foliOS/Linux ratios of the rates (and
# Linux/foliOS of the times: above 1, foliOS faster either way).
do_smptable() {
	awk_lib '
	function row(b, k) { if (!((b, k) in seen)) { seen[b, k] = 1; rows[b, ++nr[b]] = k } }
	/^BENCH name=(pfscale|shootdown|forkexit)(-linux)? / {
		b = kv($0, "name"); sub(/-linux$/, "", b); o = os($0); a = kv($0, "arch")
		if (!(a in aseen)) { aseen[a] = 1; arches[++na] = a }
		if (b == "pfscale") k = a SUBSEP kv($0, "mode") SUBSEP kv($0, "size") SUBSEP kv($0, "tasks") SUBSEP kv($0, "smp")
		else if (b == "shootdown") k = a SUBSEP kv($0, "op") SUBSEP kv($0, "others") SUBSEP kv($0, "smp")
		else k = a SUBSEP kv($0, "forkers") SUBSEP kv($0, "smp")
		row(b, k)
		val[b, k, o] = b == "pfscale" ? kv($0, "mib_s") : b == "shootdown" ? kv($0, "ns") : kv($0, "forks_s")
		sc[b, k, o] = kv($0, "scale"); cp[b, k, o] = kv($0, "cpus")
	}
	# One table: the key columns (keys, after the arch), then foliOS and Linux side by
	# side; the ratio foliOS / Linux, or Linux / foliOS for a time (inv).
	function section(a, b, title, keys, unit, inv,   r, k, p, n, j, f, l) {
		printf "### %s: %s\n\n| %s | cpus foliOS | %s foliOS | scale foliOS | %s Linux | scale Linux | %s |\n|", a, title,
			keys, unit, unit, inv ? "Linux / foliOS" : "foliOS / Linux"
		n = split(keys, p, " \\| ")
		for (j = 1; j <= n + 6; j++) printf " %s |", j <= n && p[j] ~ /^(mode|size|op)$/ ? "---" : "---:"
		print ""
		for (r = 1; r <= nr[b]; r++) {
			k = rows[b, r]; n = split(k, p, SUBSEP)
			if (p[1] != a) continue
			printf "|"
			for (j = 2; j <= n; j++) printf " %s |", p[j]
			f = val[b, k, "folios"]; l = val[b, k, "linux"]
			printf " %s | %s | %s | %s | %s | %s |\n", v(cp[b, k, "folios"]), v(f), v(sc[b, k, "folios"]), v(l),
				v(sc[b, k, "linux"]), inv ? ratio(l, f) : ratio(f, l)
		}
		print ""
	}
	END {
		for (i = 1; i <= na; i++) {
			a = arches[i]
			section(a, "pfscale", "pfscale, total MiB/s (scale: against 1 task, same mode, size and smp)",
				"mode | size | tasks | smp", "MiB/s", 0)
			section(a, "shootdown", "shootdown, ns per call (others: threads spinning on other CPUs)",
				"op | others | smp", "ns", 1)
			section(a, "forkexit", "forkexit, forks per second of all forkers (scale: against 1 forker)",
				"forkers | smp", "forks/s", 0)
		}
		print "smp: QEMU -smp; cpus: the CPUs the scheduler let foliOS use (sched_getaffinity; 1 while"
		print "tasks ran on the boot CPU only).  Both kernels in the same QEMU TCG configuration and run."
	}' "$1"
}

# csv FILE: one row per faultbench/patternbench BENCH line of FILE, for the policy lab's plots
# (the CPU model's commas as spaces: no field is quoted).
do_csv() {
	awk_lib '
	BEGIN { print "arch,bench,os,cpu,size,shape,prezero,pages,faults,touched_kib,rss_kib,alloc,fallback,us_per_mib,mib_s,sparse_kib" }
	/^BENCH name=(faultbench|patternbench)(-linux)? / {
		b = kv($0, "name"); sub(/-linux$/, "", b); c = cpu($0); gsub(/,/, " ", c)
		printf "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", kv($0, "arch"), b, os($0), c,
			kv($0, "size"), kv($0, "shape"), kv($0, "prezero"), kv($0, "pages"), kv($0, "faults"),
			kv($0, "touched_kib"), kv($0, "rss_kib"), kv($0, "alloc"), kv($0, "fallback"),
			kv($0, "us_per_mib"), kv($0, "mib_s"), kv($0, "sparse_kib")
	}' "$1"
}

# plot ARCH: build/bench/linux-ARCH.{svg,png} from linux-ARCH.csv with gnuplot: per folio
# size, patternbench's faults (summed over the shapes) against its bloat (RSS / pages
# written, summed over the shapes), foliOS and Linux at its best CPU model.
do_plot() {
	local arch=$1 best data
	local csv=build/bench/linux-$arch.csv
	command -v gnuplot >/dev/null || { echo "bench-linux: no gnuplot (tools/deps.sh installs it): no plot" >&2; return 0; }
	best=$(cpu_models "$arch" | awk '{ print $NF }')
	data=$(mktemp)
	awk -F, -v best="${best//,/ }" '
	$2 == "patternbench" && ($3 == "folios" || $4 == best) {
		k = $3 " " $5
		if (!(k in f)) order[++n] = k
		f[k] += $9; t[k] += $10; r[k] += $11
	}
	END {
		for (os = 1; os <= 2; os++) {
			for (i = 1; i <= n; i++) {
				split(order[i], p, " ")
				if (p[1] == (os == 1 ? "folios" : "linux")) printf "%s %d %.3f\n", p[2], f[order[i]], r[order[i]] / t[order[i]]
			}
			print ""; print ""
		}
	}' "$csv" > "$data"
	for term in "svg size 800,500" "pngcairo size 800,500"; do
		gnuplot -e "set terminal $term noenhanced; set output 'build/bench/linux-$arch.${term:0:3}';
			set title 'patternbench $arch: faults vs bloat per folio size (all shapes)';
			set xlabel 'faults'; set ylabel 'RSS / pages written'; set logscale x; set key bottom left;
			plot '$data' index 0 using 2:3:1 with labels point pt 7 offset 1,1 title 'foliOS',
			     '$data' index 1 using 2:3:1 with labels point pt 5 offset 1,-1 title 'Linux 6.12 (-cpu $best)'"
	done
	rm -f "$data"
	echo "bench-linux: wrote build/bench/linux-$arch.svg and .png"
}

# check ARCH (make test): TAP lines "ok - ARCH: bench-linux: ..." for the tiny run.
do_check() {
	local arch=$1
	local out=build/bench/check-$arch.txt log=build/bench/check-$arch.console
	if [ ! -f "build/linux-$arch/vmlinuz" ]; then
		echo "ok - $arch: bench-linux # SKIP no Linux kernel in build/linux-$arch/ (make bench-linux ARCH=$arch fetches it)"
		return 0
	fi
	mkdir -p build/bench
	make --no-print-directory ARCH="$arch" image >/dev/null
	if boot_folios "$arch" "build/$arch/foliOS.img" "patternbench_${CHECK_ARGS// /_}" > "$out"; then
		echo "ok - $arch: bench-linux: foliOS patternbench $CHECK_ARGS completed"
	else
		echo "not ok - $arch: bench-linux: foliOS patternbench $CHECK_ARGS completed # see stderr"
	fi
	if grep -q '^ok 1 - leak check' "$out"; then
		echo "ok - $arch: bench-linux: foliOS run leaked no page"
	else
		echo "not ok - $arch: bench-linux: foliOS run leaked no page # $(grep 'leak check' "$out")"
	fi
	if boot_linux "$arch" "$(folios_cpu "$arch")" "$log" patternbench $CHECK_ARGS >> "$out"; then
		echo "ok - $arch: bench-linux: Linux patternbench $CHECK_ARGS completed"
	else
		echo "not ok - $arch: bench-linux: Linux patternbench $CHECK_ARGS completed # console in $log"
	fi
	# Every line parses; both kernels print every (size, shape) of the run, with the same
	# pages written (the same binary and seeds; the stack's page span may differ by one);
	# 64 pages of seq are 4 folios at 64K and none at 4K, on both.
	if awk_lib '
	BEGIN { nshapes = split("seq rand sparse heap stack fork madvfree kbuild", shapes, " "); bad = 0 }
	/^BENCH name=patternbench(-linux)? / {
		n++
		for (i = 1; i <= split("pages faults touched_kib rss_kib bloat_pct alloc fallback us_per_mib", f, " "); i++)
			if (kv($0, f[i]) !~ /^[0-9]+$/) { print "bad " f[i] ": " $0; bad++ }
		k = kv($0, "size") SUBSEP kv($0, "shape")
		t[os($0), k] = kv($0, "touched_kib")
		if (kv($0, "shape") == "seq") al[os($0), kv($0, "size")] = kv($0, "alloc")
	}
	END {
		split("4K 64K", sizes, " ")
		for (s = 1; s <= 2; s++) for (h = 1; h <= nshapes; h++) {
			k = sizes[s] SUBSEP shapes[h]
			if (!(("folios", k) in t) || !(("linux", k) in t)) { print "missing " sizes[s] " " shapes[h]; bad++ }
			else if (shapes[h] != "stack" && t["folios", k] != t["linux", k]) {
				print "touched_kib differs: " sizes[s] " " shapes[h] ": " t["folios", k] " vs " t["linux", k]; bad++ }
		}
		for (o = 1; o <= 2; o++) {
			x = o == 1 ? "folios" : "linux"
			if (al[x, "64K"] != 4 || al[x, "4K"] != 0) { print x ": seq alloc " al[x, "4K"] " at 4K, " al[x, "64K"] " at 64K, not 0 and 4"; bad++ }
		}
		exit bad != 0 || n != 2 * 2 * nshapes
	}' "$out" > "$out.why"; then
		echo "ok - $arch: bench-linux: 32 patternbench BENCH lines parse, pages written equal, seq folios 0 at 4K and 4 at 64K"
	else
		echo "not ok - $arch: bench-linux: patternbench BENCH lines # $(head -3 "$out.why" | tr '\n' ';')"
	fi
	if do_table "$out" | grep -q '^| 64K | seq |' && [ "$(do_csv "$out" | wc -l)" = 33 ]; then
		echo "ok - $arch: bench-linux: the table and CSV have every row"
	else
		echo "not ok - $arch: bench-linux: the table and CSV have every row"
	fi
}

case ${1:-x86_64} in
deps) do_deps "${2:?usage: bench-linux.sh deps ARCH}" ;;
run) do_run "${2:?usage: bench-linux.sh run ARCH}" ;;
folios) do_folios "${2:?usage: bench-linux.sh folios ARCH}" ;;
table) do_table "${2:?usage: bench-linux.sh table FILE}" ;;
csv) do_csv "${2:?usage: bench-linux.sh csv FILE}" ;;
plot) do_plot "${2:?usage: bench-linux.sh plot ARCH}" ;;
check) do_check "${2:?usage: bench-linux.sh check ARCH}" ;;
smp) do_smp_folios "${2:?usage: bench-linux.sh smp ARCH}" ;;
smp-linux) do_smp_linux "${2:?usage: bench-linux.sh smp-linux ARCH}" ;;
smptable) do_smptable "${2:?usage: bench-linux.sh smptable FILE}" ;;
x86_64|arm64)
	arch=${1:-x86_64}
	do_deps "$arch"
	mkdir -p build/bench
	out=build/bench/linux-$arch.txt
	{
		echo "# make bench-linux ARCH=$arch, $(date -u +%Y-%m-%dT%H:%MZ), $(git describe --always --dirty), $(nproc) cores, QEMU TCG, MEM=$MEM CPUS=$CPUS, $(cat "build/linux-$arch/package")"
		do_folios "$arch"
		do_run "$arch"
	} | tee "$out"
	do_table "$out" > "build/bench/linux-$arch.md"
	do_csv "$out" > "build/bench/linux-$arch.csv"
	do_plot "$arch"
	cat "build/bench/linux-$arch.md"
	echo "bench-linux: wrote $out, build/bench/linux-$arch.md and build/bench/linux-$arch.csv"
	;;
*) echo "usage: bench-linux.sh [x86_64|arm64] | deps|run|folios|check|smp|smp-linux ARCH | table|csv|smptable FILE" >&2; exit 2 ;;
esac
