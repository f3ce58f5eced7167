# test-boot.sh - make test's checks of booting like a real machine (docs/boot.md), sourced by
# tools/test.sh (which defines record, variant_tests and TIMEOUT).
#
#   guest_boot_configs ARCH
#     8 GiB, random base   MEM=8G folio.load_addr=random: the loader's random base is the
#                          kernel's (2 MiB aligned, the RAM line's "kernel 0x..."), all RAM
#                          is seen, and the whole user suite passes with runtests' leak check
#     128 MiB, no exit     MEM=128M NOEXIT=1 folio.load_addr=random: no isa-debug-exit /
#                          semihosting, so the kernel powers off by ACPI S5 (x86_64) or PSCI
#                          SYSTEM_OFF (arm64): QEMU must end by itself (exit 0) right after
#                          "reboot: Power down (status 0)", its last line; the whole user suite passes;
#                          x86_64 also without a PIT (NOPIT=1): the TSC calibrated against the
#                          ACPI PM timer
#     reset, no exit       the shell as init runs `reboot`: "reboot: Restarting system",
#                          then QEMU (-no-reboot) ends; no power-off line (qemu.sh: 125)
#     stop, no exit        CPUS=4 init=/bin/stopcheck: with a process writing lines to the
#                          console on each other CPU, init powers off: every CPU stopped (no
#                          "SMP: failed to stop"), the power-off line is the last, QEMU exits 0
#   guest_arm64_acpi       ACPI=1 (virt,acpi=on: AAVMF gives ACPI tables and no device tree)
#                          NOEXIT=1 CPUS=2: the console from the SPCR, both CPUs from the MADT,
#                          the GIC from the MADT, the timer from the GTDT, PSCI from the FADT
#                          (CPU_ON, then SYSTEM_OFF ends QEMU); BOOT_USER_TESTS pass
#   guest_arm64_el2        EL2=1 (virt,virtualization=on) at CPUS=2: the boot CPU entered at
#                          EL2 and dropped to EL1, the second one (PSCI CPU_ON enters it at
#                          EL2 too) came online; the whole user suite and its leak check

# The representative part of the user suite for the ACPI boot (the whole suite runs at
# 1 GiB, 128 MiB, 8 GiB and at EL2): mappings, fork, PMD-sized folios (the buddy allocator's
# top orders), MADV_FREE, pins.
BOOT_USER_TESTS="mmap_test fork_test pmd_test madv_free_test gup_test"

# boot_suite_ok LOG RC [N]: runtests' N programs (default: any number, the whole suite)
# passed (leak check included) and init exited 0.
boot_suite_ok() {
	grep -aqE "^runtests: ${3:-[0-9]+} programs, 0 failed" "$1" && [ "$2" = 0 ]
}

guest_boot_configs() {
	local arch=$1 log rc base kbase mib nopit=0
	log=build/$arch/boot-8g-random.log
	MEM=8G ARCH=$arch tools/qemu.sh --image "build/$arch/foliOS.img" --timeout "$TIMEOUT" \
		--append "folio.load_addr=random init=/bin/runtests" --log "$log"
	rc=$?
	base=$(sed -nE 's/^foliOS loader: random kernel base ([0-9A-Fa-f]+),.*/\1/p' "$log" | tr 'A-F' 'a-f')
	kbase=$(sed -nE 's/.*RAM: [0-9]+ MiB usable .*kernel 0x([0-9a-f]+)-.*/\1/p' "$log")
	mib=$(sed -nE 's/.*RAM: ([0-9]+) MiB usable.*/\1/p' "$log")
	if [ -z "$base" ] || [ "$base" != "$kbase" ] || [ $((0x$base % 0x200000)) != 0 ]; then
		record "not ok" "$arch: random kernel base" "loader '${base}', kernel '${kbase}', see $log"
	else
		record ok "$arch: random kernel base 0x$base (2 MiB aligned), the kernel runs there"
	fi
	if [ "${mib:-0}" -lt 8000 ] || ! boot_suite_ok "$log" "$rc"; then
		record "not ok" "$arch: 8 GiB boot" "${mib:-no} MiB, exit $rc, see $log"
	else
		record ok "$arch: 8 GiB ($mib MiB usable): the whole user suite passes, no page leaked"
	fi

	log=build/$arch/boot-128m-noexit.log
	[ "$arch" = x86_64 ] && nopit=1
	MEM=128M NOEXIT=1 NOPIT=$nopit ARCH=$arch tools/qemu.sh --image "build/$arch/foliOS.img" --timeout "$TIMEOUT" \
		--append "folio.load_addr=random init=/bin/runtests" --log "$log"
	rc=$?
	mib=$(sed -nE 's/.*RAM: ([0-9]+) MiB usable.*/\1/p' "$log")
	if [ "${mib:-999}" -gt 128 ] || ! boot_suite_ok "$log" "$rc"; then
		record "not ok" "$arch: 128 MiB boot without an exit device" "${mib:-no} MiB, exit $rc, see $log"
	else
		record ok "$arch: 128 MiB ($mib MiB usable): the whole user suite passes, no page leaked"
	fi
	if [ "$rc" = 0 ] && tr -d '\r' < "$log" | grep -a . | tail -n 1 |
		grep -aqE '^\[ *[0-9.]+\] reboot: Power down \(status 0\)$'; then
		record ok "$arch: without QEMU's exit device the kernel powers off ($([ "$arch" = x86_64 ] && echo ACPI S5 || echo PSCI SYSTEM_OFF)), QEMU ends after its line"
	else
		record "not ok" "$arch: power-off without an exit device" "exit $rc, last line not the power-off, see $log"
	fi

	if [ "$nopit" = 1 ]; then
		if grep -aqE '\] time: TSC [0-9.]+ MHz \(against the ACPI PM timer \(no PIT\)\)' "$log"; then
			record ok "x86_64: without a PIT the TSC is calibrated against the ACPI PM timer"
		else
			record "not ok" "x86_64: TSC calibration without a PIT" "see $log"
		fi
	fi

	log=build/$arch/boot-reset.log
	printf 'reboot\n' | NOEXIT=1 ARCH=$arch tools/qemu.sh --image "build/$arch/foliOS.img" \
		--timeout "$TIMEOUT" --append "init=/bin/sh" --log "$log" --input - 2> /dev/null
	rc=$?
	if [ "$rc" = 125 ] && grep -aqE '\] reboot: Restarting system' "$log" && ! grep -aq 'Power down' "$log"; then
		record ok "$arch: \`reboot\` resets the machine ($([ "$arch" = x86_64 ] && echo "FADT reset register" || echo "PSCI SYSTEM_RESET")), QEMU ends"
	else
		record "not ok" "$arch: reboot resets" "exit $rc (want 125: no power-off), see $log"
	fi

	log=build/$arch/boot-stop-cpus.log
	NOEXIT=1 CPUS=4 ARCH=$arch tools/qemu.sh --image "build/$arch/foliOS.img" --timeout "$TIMEOUT" \
		--append "init=/bin/stopcheck" --log "$log"
	rc=$?
	if [ "$rc" = 0 ] && grep -aq '^stopcheck: 3 CPUs writing, powering off' "$log" &&
		grep -aq '^stopcheck: cpu 3 line ' "$log" && ! grep -aq 'SMP: failed to stop' "$log" &&
		tr -d '\r' < "$log" | grep -a . | tail -n 1 | grep -aqE '^\[ *[0-9.]+\] reboot: Power down \(status 0\)$'; then
		record ok "$arch: power-off with 3 CPUs writing to the console: they stop first, the power-off line is the last"
	else
		record "not ok" "$arch: other CPUs stopped before the power-off" "exit $rc, see $log"
	fi
}

guest_arm64_el2() {
	variant_tests "arm64 (EL2)" build/arm64/usertests-el2.log \
		'arm64: entered at EL2, EL2 set up for EL1' "entry at EL2" '[0-9]+' \
		"user tests" "pass entered at EL2 (CPUS=2, dropped to EL1), no page leaked" "init=/bin/runtests" \
		ARCH=arm64 EL2=1 CPUS=2
	if grep -aq 'smp: Brought up 1 node, 2 CPUs' build/arm64/usertests-el2.log; then
		record ok "arm64 (EL2): the second CPU starts at EL2 and comes online at EL1"
	else
		record "not ok" "arm64 (EL2): second CPU online" "see build/arm64/usertests-el2.log"
	fi
}

guest_arm64_acpi() {
	local log=build/arm64/boot-acpi.log rc re
	ACPI=1 NOEXIT=1 CPUS=2 ARCH=arm64 tools/qemu.sh --image build/arm64/foliOS.img --timeout "$TIMEOUT" \
		--append "init=/bin/runtests -- $BOOT_USER_TESTS" --log "$log"
	rc=$?
	for re in 'ACPI: SPCR: console PL011 at 0x9000000$' 'ACPI: FADT: PSCI via hvc$' \
		'ACPI: MADT: 2 enabled CPUs, GICD 0x8000000 GICC 0x8010000 \(GIC version 2\)$' \
		'ACPI: GTDT: virtual timer PPI 27$' 'smp: Brought up 1 node, 2 CPUs$'; do
		if ! tr -d '\r' < "$log" | grep -aqE "$re"; then
			record "not ok" "arm64 (ACPI, no device tree): devices from ACPI" "no /$re/, see $log"
			return
		fi
	done
	record ok "arm64 (ACPI, no device tree): console, CPUs, GIC, timer and PSCI from SPCR, MADT, GTDT, FADT"
	if boot_suite_ok "$log" "$rc" 5; then
		record ok "arm64 (ACPI): 5 user tests pass at CPUS=2, no page leaked, PSCI SYSTEM_OFF ends QEMU"
	else
		record "not ok" "arm64 (ACPI): user tests" "exit $rc, see $log"
	fi
}
