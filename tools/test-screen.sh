# test-screen.sh - make test's checks of the screen console and the PS/2 keyboard, sourced
# by tools/test.sh (which defines record and TIMEOUT).  docs/bare-metal.md, docs/running.md.
#
#   guest_screen ARCH    boot with a GOP framebuffer (x86_64: QEMU's standard VGA, arm64:
#                        ramfb) and the log moved to the screen (x86_64 console=ttyS1
#                        console=tty0, ttyS1 rejected; arm64 console=ttyAMA0 console=tty0);
#                        QEMU's screendumps are read
#                        back with the kernel's own font (build/host/fbfont text: every
#                        cell must be exactly one glyph) until the ready line and the
#                        shell's prompt are on screen; the serial port got what console=
#                        says (x86_64: nothing after the console line; arm64: the log but
#                        not the shell)
#   guest_keyboard       x86_64, the default consoles (screen mirrored to serial): a shell
#                        session typed through QEMU's emulated PS/2 keyboard (monitor
#                        sendkey: Shift, Caps Lock, Backspace, Ctrl-U, Enter), its output
#                        read from the serial mirror as exact lines and from the screen;
#                        after `ls /bin` (more lines than rows) the screen must be exactly
#                        the serial transcript's last rows; `exit 5` powers off with 5
#
# QEMU's monitor is on a pair of FIFOs (tools/qemu.sh --monitor); fd 5 writes to it.

FBFONT=build/host/fbfont
FONT_PSF=build/host/fbcon-font.psf
READY_RE='^\[ *[0-9]+\.[0-9]{6}\] foliOS ready: [0-9]+ ms since reset \(firmware\+loader [0-9]+ ms, kernel [0-9]+ ms\)$'

# screen_start ARCH DIR WORDS: boot build/ARCH/foliOS.img in the background with a screen,
# the serial port into DIR/serial.log, the monitor on fd 5; sets qpid and mon_cat.
screen_start() {
	local arch=$1 dir=$2 words=$3
	rm -rf "$dir"
	mkdir -p "$dir"
	mkfifo "$dir/mon.in" "$dir/mon.out"
	ARCH=$arch tools/qemu.sh --image "build/$arch/foliOS.img" --append "$words" --screen on \
		--monitor "$dir/mon" --timeout "$TIMEOUT" --log "$dir/serial.log" &
	qpid=$!
	# Read-write opens of the FIFOs never block, whether or not QEMU came up.
	cat 0<> "$dir/mon.out" > "$dir/monitor.log" &
	mon_cat=$!
	exec 5<> "$dir/mon.in"
}

# screen_stop: QEMU gone (quit when still running); sets qrc to tools/qemu.sh's status.
screen_stop() {
	kill -0 "$qpid" 2>/dev/null && echo quit >&5
	wait "$qpid"
	qrc=$?
	exec 5>&-
	kill "$mon_cat" 2>/dev/null
	wait "$mon_cat" 2>/dev/null
}

# screen_read DIR: a screendump read back into DIR/screen.txt (why not: DIR/screen.err).
screen_read() {
	local dir=$1 shot=$1/shot.ppm i
	rm -f "$shot"
	echo "screendump $shot" >&5
	for i in 1 2 3 4 5 6 7 8 9 10; do
		sleep 0.5
		[ -s "$shot" ] && "$FBFONT" text "$FONT_PSF" "$shot" > "$dir/screen.txt" 2> "$dir/screen.err" &&
			return 0
	done
	return 1
}

# screen_wait DIR REGEX...: read the screen until it shows every REGEX (true) or QEMU
# ends or TIMEOUT passes (false).
screen_wait() {
	local dir=$1 end=$((SECONDS + TIMEOUT)) re ok
	shift
	while [ $SECONDS -lt $end ] && kill -0 "$qpid" 2>/dev/null; do
		if screen_read "$dir"; then
			ok=1
			for re in "$@"; do
				grep -qE "$re" "$dir/screen.txt" || ok=0
			done
			[ $ok = 1 ] && return 0
		fi
		sleep 1
	done
	return 1
}

# serial_wait LOG FIXED: until the serial log holds FIXED (true), or QEMU ends or TIMEOUT passes.
serial_wait() {
	local end=$((SECONDS + TIMEOUT))
	while [ $SECONDS -lt $end ] && kill -0 "$qpid" 2>/dev/null; do
		tr -d '\r' 2>/dev/null < "$1" | grep -aqF -- "$2" && return 0
		sleep 0.5
	done
	return 1
}

guest_screen() {
	local arch=$1 dir=build/$1/screen words want_con serial_ok
	if [ "$arch" = x86_64 ]; then
		words="console=ttyS1 console=tty0"	# ttyS1: not a console foliOS has, reported
		want_con='console: log on tty0, /dev/console is tty0$'
	else
		words="console=ttyAMA0 console=tty0"
		want_con='console: log on tty0 ttyAMA0, /dev/console is tty0$'
	fi
	screen_start "$arch" "$dir" "$words"
	screen_wait "$dir" "$READY_RE" '^foliOS\$$'
	local found=$?
	screen_stop
	if [ $found != 0 ]; then
		record "not ok" "$arch: screen console ($words)" \
			"no ready line and prompt read off the screen ($(cat "$dir/screen.err" 2>/dev/null)), see $dir"
		return
	fi
	if ! grep -qE "^\[ *[0-9]+\.[0-9]{6}\] Command line: loglevel=6 $words\$" "$dir/screen.txt" ||
	   ! grep -qE "$want_con" "$dir/screen.txt"; then
		record "not ok" "$arch: screen console ($words)" "command line or console line not on screen, see $dir/screen.txt"
		return
	fi
	record ok "$arch: screen console ($words): ready line, prompt and command line read off the screendump, every cell an exact glyph"
	tr -d '\r' < "$dir/serial.log" > "$dir/serial.txt"
	if [ "$arch" = x86_64 ]; then
		! grep -aq 'foliOS ready' "$dir/serial.txt" && grep -aq 'foliOS.*on QEMU' "$dir/serial.txt" &&
			grep -aqE "cmdline: invalid value in 'console=ttyS1' \(error -22\), ignored\$" "$dir/serial.txt"
	else
		grep -aqE "$READY_RE" "$dir/serial.txt" && ! grep -aqF 'foliOS$' "$dir/serial.txt"
	fi
	serial_ok=$?
	if [ $serial_ok = 0 ]; then
		record ok "$arch: $words: the serial port $([ "$arch" = x86_64 ] && echo "reports ttyS1 invalid, stops at the console line" || echo "has the log, the shell is on the screen alone")"
	else
		record "not ok" "$arch: $words: serial output as console= says" "see $dir/serial.txt"
	fi
}

# key_name C: QEMU's sendkey name of the US-layout key that types character C.
key_name() {
	case $1 in
	[a-z0-9]) echo "$1" ;;
	[A-Z]) echo "shift-${1,,}" ;;
	' ') echo spc ;;
	-) echo minus ;;
	/) echo slash ;;
	'"') echo shift-apostrophe ;;
	*) echo "key_name: no key for '$1'" >&2; return 1 ;;
	esac
}

# type_text TEXT / send_keys NAME...: keys pressed one at a time, 0.1 s apart.
type_text() {
	local i
	for ((i = 0; i < ${#1}; i++)); do
		echo "sendkey $(key_name "${1:i:1}")" >&5
		sleep 0.1
	done
}
send_keys() {
	local k
	for k; do
		echo "sendkey $k" >&5
		sleep 0.1
	done
}

# screen_scrolled DIR LOG: within 10 tries the screen shows exactly the serial transcript's
# last rows (the screen mirrors the serial port; trailing blanks cut, as fbfont prints).
screen_scrolled() {
	local dir=$1 log=$2 rows i
	for i in 1 2 3 4 5 6 7 8 9 10; do
		if screen_read "$dir"; then
			rows=$(wc -l < "$dir/screen.txt")
			{ tr -d '\r' < "$log"; echo; } | sed -E 's/ +$//' | tail -n "$rows" > "$dir/expect.txt"
			cmp -s "$dir/screen.txt" "$dir/expect.txt" && return 0
		fi
		sleep 1
	done
	return 1
}

guest_keyboard() {
	local dir=build/x86_64/keyboard log txt re
	log=$dir/serial.log
	screen_start x86_64 "$dir" ""
	if ! serial_wait "$log" 'foliOS$ '; then
		screen_stop
		record "not ok" "x86_64: keyboard shell session" "no prompt on the serial port (exit $qrc), see $log"
		return
	fi
	type_text "echo Hello-"; send_keys caps_lock; type_text "kbd"; send_keys caps_lock
	type_text "x"; send_keys backspace ret
	type_text "echo wrong"; send_keys ctrl-u; type_text "echo right"; send_keys ret
	type_text 'hello one "two words"'; send_keys ret
	serial_wait "$log" 'argv[2] = "two words"'
	screen_wait "$dir" '^Hello-KBD$' '^right$' '^foliOS\$ echo Hello-KBD$'
	local screen_ok=$? scroll_ok=1
	# More lines than the screen has rows: scrolled, the screen must be the transcript's end.
	type_text "ls /bin"; send_keys ret
	serial_wait "$log" "$(ls build/x86_64/user/bin | sort | tail -1)" && sleep 1 && screen_scrolled "$dir" "$log" && scroll_ok=0
	type_text "exit 5"; send_keys ret
	screen_stop
	txt=$dir/serial.txt
	tr -d '\r' < "$log" > "$txt"
	for re in 'Hello-KBD' 'right' 'argv[2] = "two words"'; do
		if ! grep -aqxF "$re" "$txt"; then
			record "not ok" "x86_64: keyboard shell session" "no line '$re' on the serial mirror, see $txt"
			return
		fi
	done
	if grep -aqxF wrong "$txt"; then
		record "not ok" "x86_64: keyboard shell session" "Ctrl-U did not kill the line, see $txt"
	elif [ $screen_ok != 0 ]; then
		record "not ok" "x86_64: keyboard shell session on the screen" "see $dir/screen.txt, $dir/screen.err"
	elif [ $scroll_ok != 0 ]; then
		record "not ok" "x86_64: the screen after scrolling" "not the serial transcript's last rows, see $dir/screen.txt, $dir/expect.txt"
	elif [ "$qrc" != 5 ]; then
		record "not ok" "x86_64: keyboard shell session" "exit $qrc, want 5, see $txt"
	else
		record ok "x86_64: shell typed on the PS/2 keyboard (Shift, Caps Lock, Backspace, Ctrl-U): exact lines on the serial mirror and the screen, scrolled screen = the transcript's end, exit 5 powers off with 5"
	fi
}
