#!/bin/sh
# mkinitrd.sh OUT [DIR...] - pack every file of each DIR as /bin/<name> into a
# cpio (newc) archive.  With no DIR the archive holds just /bin (empty).
set -eu
out=$1; shift
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin"
for d in "$@"; do
	for f in "$d"/*; do
		[ -f "$f" ] && cp "$f" "$root/bin/"
	done
done
(cd "$root" && find . -mindepth 1 | sort | cpio -o -H newc --quiet) > "$out.tmp"
mv "$out.tmp" "$out"
