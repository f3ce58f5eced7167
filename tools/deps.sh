#!/bin/sh
# deps.sh - install (or, when not root, name) the Debian packages foliOS needs,
# extract the arm64 GNU-EFI files under build/gnu-efi-arm64/, and console-setup's
# console fonts under build/consolefonts/ (the screen console's font, kernel/fbcon.c).
# Idempotent and quick when everything is present.  Usage: tools/deps.sh
set -eu

PKGS="gcc make binutils gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu gnu-efi
qemu-system-x86 qemu-system-arm ovmf qemu-efi-aarch64 mtools dosfstools cpio musl-tools gnuplot-nox"
EFI_ARM64=build/gnu-efi-arm64
FONTS=build/consolefonts

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done

as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	else
		echo "deps: missing; run as root:  $*" >&2
		exit 1
	fi
}

if [ -n "$missing" ]; then
	echo "deps: installing:$missing"
	if [ "$(id -u)" -ne 0 ]; then
		echo "deps: not root. Run:  sudo apt-get update && sudo apt-get install -y$missing" >&2
		exit 1
	fi
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
fi

# The arm64 gnu-efi package cannot be co-installed with the amd64 one:
# download it and unpack it privately.
if [ ! -f "$EFI_ARM64/usr/lib/libgnuefi.a" ]; then
	if ! dpkg --print-foreign-architectures | grep -qx arm64; then
		as_root dpkg --add-architecture arm64
		as_root apt-get update -qq
	fi
	tmp=$(mktemp -d)
	(cd "$tmp" && apt-get download gnu-efi:arm64 >/dev/null 2>&1) || {
		as_root apt-get update -qq
		(cd "$tmp" && apt-get download gnu-efi:arm64 >/dev/null)
	}
	mkdir -p "$EFI_ARM64"
	dpkg -x "$tmp"/gnu-efi_*_arm64.deb "$EFI_ARM64"
	rm -rf "$tmp"
	echo "deps: arm64 gnu-efi unpacked in $EFI_ARM64"
fi

# console-setup-linux's PSF fonts (the package itself would pull in keyboard and init
# configuration): downloaded and unpacked privately, like gnu-efi:arm64.
if [ ! -f "$FONTS/usr/share/consolefonts/Lat15-VGA16.psf.gz" ]; then
	tmp=$(mktemp -d)
	(cd "$tmp" && apt-get download console-setup-linux >/dev/null 2>&1) || {
		as_root apt-get update -qq
		(cd "$tmp" && apt-get download console-setup-linux >/dev/null)
	}
	mkdir -p "$FONTS"
	dpkg -x "$tmp"/console-setup-linux_*_all.deb "$FONTS"
	rm -rf "$tmp"
	echo "deps: console-setup fonts unpacked in $FONTS"
fi
