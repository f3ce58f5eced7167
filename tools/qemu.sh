#!/bin/bash
# qemu.sh - boot a foliOS ESP image under QEMU (TCG) with the serial console on stdio.
#
#   tools/qemu.sh --image IMG [--append "words"] [--timeout SECS] [--gdb] [--log FILE]
#                 [--until REGEX]   (with --log: stop QEMU once the log matches; exit 0)
#                 [--input FILE|-] [--input-after REGEX]
#                 [--trace FILE]  (folio.trace=on's stream into FILE: COM2 on x86_64,
#                                  a semihosting file on arm64; docs/policylab.md)
#                 [--screen on|off]  (a GOP framebuffer: x86_64 has QEMU's standard VGA
#                                  unless off; arm64 gets -device ramfb only when on)
#                 [--no-serial]   (no serial port at all: -serial none)
#                 [--monitor PATH]  (QEMU's monitor on the FIFOs PATH.in and PATH.out,
#                                  made here: write `screendump F.ppm`, `sendkey a`...)
#   tools/qemu.sh --print-cpu       the CPU model a run of ARCH uses (CPU, else the default)
#
# Console output goes to stdout, or to FILE with --log.  Input: at a terminal, the
# serial console is the terminal, as always.  Otherwise (stdin a pipe or a file, no
# --log/--until), or with --input FILE (- is stdin), the input is held back until the
# console output matches REGEX (default: the kernel's ready line or the shell's
# prompt, whichever comes first), then typed on the serial console; the firmware
# would read and drop anything sent earlier.  At the end of the input QEMU keeps
# running until the guest powers off (the shell's `exit`) or --timeout.
#
# Environment: ARCH (x86_64|arm64), MEM (1G), CPUS (1), CPU (the QEMU -cpu model, below),
# APPEND (kernel cmdline
# words added to the image's cmdline.txt), EXTRA (a directory whose files are
# packed into the initrd as /bin/<name>; NAME:DIR packs them as /NAME/<name>),
# EL2=1 (arm64: virt,virtualization=on, AAVMF and the kernel entered at EL2), ACPI=1
# (arm64: virt,acpi=on: AAVMF publishes ACPI tables instead of the device tree),
# NOPIT=1 (x86_64: -M q35,pit=off, no i8254: the kernel calibrates against the ACPI PM timer),
# NOEXIT=1 (no QEMU exit device: no isa-debug-exit on x86_64, no semihosting on
# arm64; the kernel powers off by ACPI S5 / PSCI SYSTEM_OFF, QEMU exits 0).
#
# Exit status: the kernel's power-off status (init's exit status), decoded from
# isa-debug-exit (x86_64) or semihosting SYS_EXIT (arm64); with NOEXIT=1, read
# from the console's "reboot: Power down (status N)" line when QEMU exited 0
# (only with --log or --input/piped input: the console is in a file then).
# 124 on timeout; 125 when QEMU stopped without a kernel power-off (crash,
# reset, user quit).
#
# CPU models (CPU=MODEL is any -cpu value; CPU=default passes no -cpu, x86_64 only), the
# defaults chosen by measurement (docs/running.md, "QEMU configuration"):
#   x86_64: default, QEMU's own model (qemu64): NX, no SMEP/SMAP (the kernel uses them
#           when present: CPU=max has both, and make test runs the user tests under it).
#           foliOS's faults are as fast or faster there than under max, and it is the
#           model where Linux is fastest (no ERMS: Linux clears pages without rep stosb).
#   arm64:  max,pauth-impdef=on: has PAN; QARMA pointer-auth emulation
#           (plain max) makes TCG 3-5x slower, impdef pauth does not.
set -eu
default_cpu() { case $1 in x86_64) echo default ;; *) echo max,pauth-impdef=on ;; esac; }
ARCH=${ARCH:-x86_64} MEM=${MEM:-1G} CPUS=${CPUS:-1} CPU=${CPU:-} EL2=${EL2:-0} ACPI=${ACPI:-0}
NOEXIT=${NOEXIT:-0} NOPIT=${NOPIT:-0}
image= append=${APPEND:+ $APPEND} timeout=0 gdb=0 log= until= input= trace=
screen= serial=1 monitor=
input_after='foliOS ready: |foliOS\$ '	# the kernel queues console input from its ready line on
while [ $# -gt 0 ]; do
	case $1 in
	--image) image=$2; shift 2 ;;
	--append) append="$append $2"; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--gdb) gdb=1; shift ;;
	--log) log=$2; shift 2 ;;
	--until) until=$2; shift 2 ;;
	--input) input=$2; shift 2 ;;
	--input-after) input_after=$2; shift 2 ;;
	--trace) trace=$2; shift 2 ;;
	--screen) screen=$2; shift 2 ;;
	--no-serial) serial=0; shift ;;
	--monitor) monitor=$2; shift 2 ;;
	--print-cpu) echo "${CPU:-$(default_cpu "$ARCH")}"; exit 0 ;;
	*) echo "qemu.sh: unknown option $1" >&2; exit 2 ;;
	esac
done
[ -f "$image" ] || { echo "qemu.sh: no image '$image' (run make image)" >&2; exit 2; }

work=$(mktemp -d)
feeder=
trap '[ -z "$feeder" ] || kill "$feeder" 2>/dev/null; rm -rf "$work"' EXIT
img="$work/foliOS.img"
cp "$image" "$img"
if [ -n "${append// }" ]; then
	cmdline="$(mtype -i "$img" ::/foliOS/cmdline.txt | tr -d '\r\n')${append}"
	printf '%s\n' "$cmdline" | mcopy -o -i "$img" - ::/foliOS/cmdline.txt
fi
if [ -n "${EXTRA:-}" ]; then
	[ -d "${EXTRA#*:}" ] || { echo "qemu.sh: EXTRA=$EXTRA is not a directory" >&2; exit 2; }
	mcopy -i "$img" ::/foliOS/initrd.cpio "$work/base.cpio"
	"$(dirname "$0")/mkinitrd.sh" "$work/extra.cpio" "$EXTRA"
	# Concatenated newc archives: the kernel reads past each TRAILER!!!.
	cat "$work/base.cpio" "$work/extra.cpio" > "$work/initrd.cpio"
	mcopy -o -i "$img" "$work/initrd.cpio" ::/foliOS/initrd.cpio
fi

disk=(-drive "if=none,id=d0,format=raw,file=$img" -device virtio-blk-pci,drive=d0,bootindex=0)
common=(-m "$MEM" -smp "$CPUS" -nographic -nic none -no-reboot)
case $ARCH in
x86_64)
	q35=q35
	[ "$NOPIT" = 1 ] && q35+=,pit=off
	qemu=(qemu-system-x86_64 -M "$q35" -bios /usr/share/ovmf/OVMF.fd)
	[ "$EL2$ACPI" = 00 ] || { echo "qemu.sh: EL2=1 and ACPI=1 are arm64's (x86_64 always has ACPI)" >&2; exit 2; }
	[ "$NOEXIT" = 1 ] || qemu+=(-device isa-debug-exit,iobase=0xf4,iosize=0x04) ;;
arm64)
	[ "$NOPIT" = 0 ] || { echo "qemu.sh: NOPIT=1 is x86_64's" >&2; exit 2; }
	virt=virt,gic-version=2,acpi=$([ "$ACPI" = 1 ] && echo on || echo off)
	[ "$EL2" = 1 ] && virt+=,virtualization=on
	qemu=(qemu-system-aarch64 -M "$virt"
	      -drive if=pflash,format=raw,readonly=on,file=/usr/share/AAVMF/AAVMF_CODE.fd
	      -drive if=pflash,format=raw,snapshot=on,file=/usr/share/AAVMF/AAVMF_VARS.fd
	      -boot menu=on,splash-time=0) ;;
*) echo "qemu.sh: ARCH must be x86_64 or arm64" >&2; exit 2 ;;
esac
case ${CPU:=$(default_cpu "$ARCH")} in
default) [ "$ARCH" = x86_64 ] || { echo "qemu.sh: CPU=default is x86_64's (arm64's virt needs a -cpu)" >&2; exit 2; } ;;
*) qemu+=(-cpu "$CPU") ;;
esac
[ "$ARCH" = arm64 ] && [ "$NOEXIT" != 1 ] && qemu+=(-semihosting-config enable=on,target=native)
case $ARCH:$screen in
x86_64:off) qemu+=(-vga none) ;;
arm64:on) qemu+=(-device ramfb) ;;
*:on|*:off|*:) ;;
*) echo "qemu.sh: --screen takes on or off, not '$screen'" >&2; exit 2 ;;
esac
[ "$serial" = 0 ] && qemu+=(-serial none)
if [ -n "$monitor" ]; then
	[ -p "$monitor.in" ] || mkfifo "$monitor.in"
	[ -p "$monitor.out" ] || mkfifo "$monitor.out"
	qemu+=(-monitor "pipe:$monitor")
fi
# The trace: x86_64's COM2 is a second -serial; arm64's kernel writes the semihosting file
# foliotrace.out in QEMU's working directory, here $work (every path QEMU gets is absolute).
if [ -n "$trace" ]; then
	: > "$trace" || exit 2
	if [ "$ARCH" = x86_64 ]; then
		qemu+=(-serial mon:stdio -serial "file:$trace")
	else
		qemu=(env -C "$work" "${qemu[@]}")
	fi
fi
if [ "$gdb" = 1 ]; then
	qemu+=(-S -gdb tcp::1234)
	elf="build/$ARCH/kernel.elf"
	echo "QEMU is halted. Attach with:"
	if [ "$ARCH" = x86_64 ]; then
		echo "  gdb $elf -ex 'target remote :1234'"
	else
		echo "  gdb-multiarch $elf -ex 'target remote :1234'"
	fi
fi

cmd=("${qemu[@]}" "${common[@]}" "${disk[@]}")
[ "$timeout" != 0 ] && cmd=(timeout --foreground -k 5 "$timeout" "${cmd[@]}")
# run_fed: run QEMU with its serial input on a FIFO that this script holds open (QEMU
# never sees an end of input), copy its output to $log or, through tee, to stdout,
# and once the output matches $input_after, copy fd 4 (the input) into the FIFO, then a
# Ctrl-D: the end of the input ends the shell (and so the run) as it ends `sh < file`.
run_fed() {
	local watch=$log tee_pid=
	mkfifo "$work/in"
	if [ -n "$log" ]; then
		"${cmd[@]}" < "$work/in" > "$log" 2>&1 &
		pid=$!
	else
		watch=$work/console
		mkfifo "$work/out"
		"${cmd[@]}" < "$work/in" > "$work/out" &
		pid=$!
		tee "$watch" < "$work/out" &
		tee_pid=$!
	fi
	exec 3> "$work/in"
	until grep -aqE "$input_after" "$watch" 2>/dev/null || ! kill -0 "$pid" 2>/dev/null; do
		sleep 0.05
	done
	if kill -0 "$pid" 2>/dev/null; then
		{ cat <&4; printf '\004'; } >&3 &
		feeder=$!
	fi
	wait "$pid"
	rc=$?
	[ -z "$feeder" ] || kill "$feeder" 2>/dev/null
	feeder=
	exec 3>&- 4<&-
	[ -z "$tee_pid" ] || wait "$tee_pid"
}

# Piped (not typed) input to a plain run: hold it back like --input.
[ -z "$input" ] && [ -z "$log" ] && [ -z "$until" ] && [ ! -t 0 ] && input=-
set +e
if [ -n "$input" ]; then
	[ -z "$until" ] || { echo "qemu.sh: --input and --until do not mix" >&2; exit 2; }
	if [ "$input" = - ]; then
		exec 4<&0
	else
		[ -r "$input" ] || { echo "qemu.sh: cannot read --input $input" >&2; exit 2; }
		exec 4< "$input"
	fi
	run_fed
elif [ -n "$until" ]; then
	[ -n "$log" ] || { echo "qemu.sh: --until needs --log" >&2; exit 2; }
	"${cmd[@]}" < /dev/null > "$log" 2>&1 &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		if grep -aqE "$until" "$log" 2>/dev/null; then
			kill "$pid" 2>/dev/null
			wait "$pid" 2>/dev/null
			exit 0
		fi
		sleep 0.05
	done
	wait "$pid"
	rc=$?
	grep -aqE "$until" "$log" && exit 0
	[ "$rc" = 124 ] && echo "qemu.sh: timed out after ${timeout}s" >&2
	exit 1
elif [ -n "$log" ]; then
	"${cmd[@]}" < /dev/null > "$log" 2>&1
	rc=$?
else
	"${cmd[@]}"
	rc=$?
fi
set -e
# The firmware writes its console to every serial port, COM2 too: the trace starts at its magic.
if [ -n "$trace" ] && [ "$ARCH" = arm64 ] && [ -f "$work/foliotrace.out" ]; then
	cat "$work/foliotrace.out" > "$trace"
elif [ -n "$trace" ] && [ "$ARCH" = x86_64 ]; then
	at=$(grep -obUa FOLIOTRC "$trace" | head -1 | cut -d: -f1)
	if [ -n "$at" ] && [ "$at" != 0 ]; then
		tail -c +$((at + 1)) "$trace" > "$work/trace" && cat "$work/trace" > "$trace"
	fi
fi
[ "$rc" = 124 ] && { echo "qemu.sh: timed out after ${timeout}s" >&2; exit 124; }
if [ "$NOEXIT" = 1 ]; then
	# The guest's status is on its console; QEMU itself exits 0 after an ACPI/PSCI power-off.
	console=${log:-$work/console}
	status=$(tr -d '\r' < "$console" 2>/dev/null | sed -nE 's/.*reboot: Power down \(status ([0-9]+)\)$/\1/p' | tail -1)
	if [ "$rc" = 0 ] && [ -n "$status" ]; then exit "$status"; fi
	echo "qemu.sh: QEMU exited ($rc) without a kernel power-off line" >&2
	exit 125
fi
if [ "$ARCH" = x86_64 ]; then
	# isa-debug-exit: QEMU exits with (status << 1) | 1.
	if [ $((rc & 1)) = 1 ]; then exit $((rc >> 1)); fi
	echo "qemu.sh: QEMU exited ($rc) without a kernel power-off" >&2
	exit 125
fi
exit "$rc"
