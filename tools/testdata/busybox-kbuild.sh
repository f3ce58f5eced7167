# busybox-kbuild.sh - a tiny "kbuild" for Debian's busybox-static on foliOS, recorded by
# tools/record-traces.sh busybox_kbuild as the policy lab's bundled busybox traces:
# many short processes (each command is a fork + exec of busybox) passing generated text
# through pipes: eight "compile" pipelines (awk generates a unit, sed rewrites it, sort
# orders it, gzip and gunzip round-trip it, md5sum sums it), then a "link" (find, sort,
# wc over the image's files; ls and awk summing sizes; seq, tr, sort -u, wc).  foliOS has
# no writable file system, so everything flows through pipes; the output is deterministic.
B=/bb/busybox
i=0
while [ $i -lt 8 ]; do
	$B awk -v s=$i 'BEGIN { for (n = 0; n < 2000; n++) printf "%d line %d of unit %d\n", (n * 7919 + s * 131) % 10007, n, s }' |
		$B sed -e 's/line/LINE/' -e 's/unit/u/' | $B sort -n | $B gzip -c | $B gunzip -c | $B md5sum
	i=$((i + 1))
done
$B find /bin /bb -type f | $B sort | $B wc -l
$B ls -l /bin | $B awk '{ s += $5 } END { print s }'
$B seq 1 5000 | $B tr 0-9 a-j | $B sort -u | $B wc -l
