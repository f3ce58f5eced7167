#!/bin/sh
# mkesp.sh OUT EFI KERNEL INITRD CMDLINE - build a FAT32 EFI system partition image:
#   \EFI\BOOT\<EFI file name>   the loader (firmware boots it as removable media)
#   \foliOS\kernel.elf, \foliOS\initrd.cpio, \foliOS\cmdline.txt
# The image has no partition table; firmware and QEMU accept a bare FAT volume,
# and so does `dd` to a USB stick (see docs/running.md).
set -eu
out=$1 efi=$2 kernel=$3 initrd=$4 cmdline=$5
tmp="$out.tmp"
# FAT32 needs at least 65525 clusters: 34 MiB with 512-byte clusters.  Grow with the payload.
payload=$(( ($(stat -c %s "$kernel") + $(stat -c %s "$initrd") + $(stat -c %s "$efi")) / 1048576 ))
size=$(( payload * 2 + 34 ))
rm -f "$tmp"
truncate -s "${size}M" "$tmp"
mkfs.fat -F 32 -n FOLIOS "$tmp" >/dev/null
mmd -i "$tmp" ::/EFI ::/EFI/BOOT ::/foliOS
mcopy -i "$tmp" "$efi" "::/EFI/BOOT/$(basename "$efi")"
mcopy -i "$tmp" "$kernel" ::/foliOS/kernel.elf
mcopy -i "$tmp" "$initrd" ::/foliOS/initrd.cpio
printf '%s\n' "$cmdline" | mcopy -i "$tmp" - ::/foliOS/cmdline.txt
mv "$tmp" "$out"
