#!/bin/sh
# mkinitrd.sh OUT [DIR | NAME:DIR]... - pack every file of each DIR as /bin/<file>
# (NAME:DIR: as /NAME/<file>, e.g. linux:build/linux-selftests-x86_64/bin for Linux's
# programs beside foliOS's own) into a cpio (newc) archive.  With no DIR the archive
# holds just /bin (empty).
set -eu
out=$1; shift
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin"
for d in "$@"; do
	dest=bin
	case $d in
	*:*) dest=${d%%:*} d=${d#*:} ;;
	esac
	mkdir -p "$root/$dest"
	for f in "$d"/*; do
		[ -f "$f" ] && cp "$f" "$root/$dest/"
	done
done
(cd "$root" && find . -mindepth 1 | sort | cpio -o -H newc --quiet) > "$out.tmp"
mv "$out.tmp" "$out"
