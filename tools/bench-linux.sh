#!/bin/bash
# bench-linux.sh - `make bench-linux`: foliOS's faultbench on Debian's Linux 6.12, booted
# in the QEMU configuration of foliOS's benchmarks (tools/qemu.sh: same machine, CPU
# model, MEM, CPUS; -kernel instead of the firmware), next to foliOS's faultbench in the
# same run, and a table of the two.
#
#   tools/bench-linux.sh deps ARCH     download and unpack the kernel into build/linux-ARCH/
#                                      (idempotent, quick when present)
#   tools/bench-linux.sh run ARCH      boot Linux with /init = linuxinit, /bin/faultbench;
#                                      print faultbench's BENCH lines as name=faultbench-linux
#                                      os=linux (the kernel's console log: build/bench/)
#   tools/bench-linux.sh table FILE    a Markdown table of FILE's faultbench (foliOS) and
#                                      faultbench-linux BENCH lines, per arch and size
#   tools/bench-linux.sh [ARCH]        (make bench-linux) all of it for ARCH (x86_64):
#                                      foliOS's faultbench (DEBUG_VM=0) then Linux's, into
#                                      build/bench/linux-ARCH.txt and linux-ARCH.md
#
# The kernel: the newest linux-image-6.12.*+deb12-<amd64|arm64>-unsigned that apt knows,
# fetched with apt-get download and unpacked privately (only its /boot): never installed.
# faultbench needs nothing modular: anonymous memory, THP/mTHP (CONFIG_TRANSPARENT_HUGEPAGE),
# the 8250/PL011 console, initramfs and devtmpfs are all built in (checked from the config).
# Environment: MEM, CPUS (as tools/qemu.sh: 1G, 1), FAULTBENCH_ARGS (4K 16K 64K 2M).
set -euo pipefail
cd "$(dirname "$0")/.."
MEM=${MEM:-1G} CPUS=${CPUS:-1}
FAULTBENCH_ARGS=${FAULTBENCH_ARGS:-4K 16K 64K 2M}

debarch() {
	case $1 in
	x86_64) echo amd64 ;;
	arm64) echo arm64 ;;
	*) echo "bench-linux: ARCH must be x86_64 or arm64, not '$1'" >&2; exit 2 ;;
	esac
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

do_run() {
	local arch=$1 dir bin root log initrd console qemu rc
	dir=build/linux-$arch bin=build/$arch/user/bin
	do_deps "$arch" >&2
	make --no-print-directory ARCH="$arch" "build/$arch/user/bin.stamp" >/dev/null
	mkdir -p build/bench
	root=$(mktemp -d)
	log=build/bench/linux-$arch.console
	initrd=$dir/initramfs.cpio
	mkdir -p "$root/bin" "$root/proc" "$root/sys" "$root/dev"
	cp "$bin/linuxinit" "$root/init"
	cp "$bin/faultbench" "$root/bin/faultbench"
	(cd "$root" && find . -mindepth 1 | sort | cpio -o -H newc --quiet) > "$initrd"
	rm -rf "$root"
	case $arch in
	x86_64)
		console=ttyS0
		qemu=(qemu-system-x86_64 -M q35 -cpu max) ;;
	arm64)
		console=ttyAMA0
		qemu=(qemu-system-aarch64 -M virt,gic-version=2,acpi=off -cpu max,pauth-impdef=on) ;;
	esac
	set +e
	timeout --foreground -k 5 900 "${qemu[@]}" -m "$MEM" -smp "$CPUS" -nographic -nic none -no-reboot \
		-kernel "$dir/vmlinuz" -initrd "$initrd" \
		-append "console=$console panic=-1 quiet rdinit=/init -- $FAULTBENCH_ARGS" \
		< /dev/null > "$log" 2>&1
	rc=$?
	set -e
	if ! grep -aq 'linuxinit: faultbench exited with status 0' "$log"; then
		echo "bench-linux: $arch Linux run failed (QEMU $rc); console in $log:" >&2
		tail -40 "$log" >&2
		exit 1
	fi
	tr -d '\r' < "$log" | grep -ao 'BENCH name=faultbench .*' |
		sed 's/^BENCH name=faultbench /BENCH name=faultbench-linux os=linux kernel=6.12 /'
}

# table FILE: per arch and size, foliOS's first-touch MiB/s in each prezero mode, Linux's,
# and foliOS/Linux ratios.
do_table() {
	awk '
	function kv(line, key,   n, i, a, p) {
		n = split(line, a, " ")
		for (i = 1; i <= n; i++) { p = index(a[i], "="); if (substr(a[i], 1, p - 1) == key) return substr(a[i], p + 1) }
		return ""
	}
	function ratio(a, b) { return (a != "" && b != "" && b + 0 > 0) ? sprintf("%.2f", a / b) : "-" }
	function v(x) { return x == "" ? "-" : x }
	/^BENCH name=faultbench(-linux)? / {
		name = kv($0, "name"); arch = kv($0, "arch"); size = kv($0, "size"); mode = kv($0, "prezero")
		k = arch SUBSEP size
		if (!(k in seen)) { seen[k] = 1; order[++n] = k }
		if (name == "faultbench") fol[k, mode] = kv($0, "mib_s")
		else lin[k] = kv($0, "mib_s")
	}
	END {
		print "| arch | size | foliOS off | foliOS empty | foliOS idle | Linux 6.12 | off/Linux | empty/Linux | idle/Linux |"
		print "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
		for (i = 1; i <= n; i++) {
			k = order[i]; split(k, p, SUBSEP)
			printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", p[1], p[2],
				v(fol[k, "off"]), v(fol[k, "empty"]), v(fol[k, "idle"]), v(lin[k]),
				ratio(fol[k, "off"], lin[k]), ratio(fol[k, "empty"], lin[k]), ratio(fol[k, "idle"], lin[k])
		}
		print ""
		print "First-touch MiB/s (faultbench: 128 MiB, one byte written per 4 KiB page, median of 3), both"
		print "kernels in the same QEMU TCG configuration and the same run; a ratio above 1: foliOS faster."
	}' "$1"
}

# foliOS's faultbench on the DEBUG_VM=0 image, as tools/bench.sh runs it.
folios_faultbench() {
	local arch=$1 tmp
	tmp=$(mktemp)
	make --no-print-directory ARCH="$arch" DEBUG_VM=0 image >/dev/null
	ARCH=$arch MEM=$MEM CPUS=$CPUS tools/qemu.sh --image "build/$arch-perf/foliOS.img" \
		--append "init=/bin/faultbench -- $FAULTBENCH_ARGS" --timeout 600 --log "$tmp" || true
	grep -aq 'init exited with status 0' "$tmp" ||
		{ echo "bench-linux: foliOS $arch faultbench failed" >&2; cat "$tmp" >&2; rm -f "$tmp"; exit 1; }
	tr -d '\r' < "$tmp" | grep -ao 'BENCH name=faultbench .*'
	rm -f "$tmp"
}

case ${1:-x86_64} in
deps) do_deps "${2:?usage: bench-linux.sh deps ARCH}" ;;
run) do_run "${2:?usage: bench-linux.sh run ARCH}" ;;
table) do_table "${2:?usage: bench-linux.sh table FILE}" ;;
x86_64|arm64)
	arch=${1:-x86_64}
	do_deps "$arch"
	mkdir -p build/bench
	out=build/bench/linux-$arch.txt
	{
		echo "# make bench-linux ARCH=$arch, $(date -u +%Y-%m-%dT%H:%MZ), $(git describe --always --dirty), $(nproc) cores, QEMU TCG, $(cat "build/linux-$arch/package")"
		folios_faultbench "$arch"
		do_run "$arch"
	} | tee "$out"
	do_table "$out" > "build/bench/linux-$arch.md"
	cat "build/bench/linux-$arch.md"
	echo "bench-linux: wrote $out and build/bench/linux-$arch.md"
	;;
*) echo "usage: bench-linux.sh [x86_64|arm64] | deps ARCH | run ARCH | table FILE" >&2; exit 2 ;;
esac
