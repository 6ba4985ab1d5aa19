# linkmap.awk - what dominates a GNU ld link map (make MAP=1): bytes per libc member and for
# our own code, then the biggest sections. After LTO every object of ours is an ltrans
# partition, so our code is told apart by section name (.text.FUNCTION, .rodata...).
# usage: awk -v top=N -f scripts/linkmap.awk build/tiny/probebox.map
function hex(s,	i, n) {
	n = 0
	s = tolower(substr(s, 3))
	for (i = 1; i <= length(s); i++)
		n = n * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
	return n
}
function biggest(a, k,	i, best, x) {	# the k biggest keys of a, into ord[1..]
	for (i = 1; i <= k; i++) {
		best = ""
		for (x in a)
			if (!(x in done) && (best == "" || a[x] > a[best]))
				best = x
		if (best == "")
			return i - 1
		done[best] = 1
		ord[i] = best
	}
	return k
}
/^Linker script and memory map/ { on = 1; next }
!on { next }
/^ \.[^ ]+$/ { pending = $1; next }
/^ (\.[^ ]+)? +0x[0-9a-f]+ +0x[0-9a-f]+ / {
	if (NF == 4) { sec = $1; size = $3; file = $4 } else { sec = pending; size = $2; file = $3 }
	pending = ""
	n = hex(size)
	if (n == 0 || sec ~ /discard/)
		next
	sub(/.*\//, "", file)
	who = file ~ /ltrans/ ? "our code" : file
	if (who ~ /^libc\.a\(/) { sub(/^libc\.a\(/, "", who); sub(/\.lo\)$/, "", who); who = "libc " who }
	bytes[who] += n
	total += n
	name = sec
	sub(/\.(constprop|isra|part)\..*/, "", name)
	secs[name " (" who ")"] += n
}
END {
	printf "| part | bytes |\n|---|---:|\n"
	k = biggest(bytes, top)
	for (i = 1; i <= k; i++)
		printf "| %s | %d |\n", ord[i], bytes[ord[i]]
	printf "| **all sections (with .bss)** | %d |\n\n", total
	printf "| section | bytes |\n|---|---:|\n"
	k = biggest(secs, top)
	for (i = 1; i <= k; i++)
		printf "| %s | %d |\n", ord[i], secs[ord[i]]
}
