package inputs

import (
	"io/fs"
	"slices"
	"strings"
)

// dirEntry is one entry of a directory: its path, the directory's name
// joined with the entry's as joinName joins them (the walk's name for it,
// made with the listing so that each entry's name is stored once), and its
// type (the type bits of fs.FileMode, as the directory lists it; a
// symbolic link is not followed).
type dirEntry struct {
	path string
	at   uint32 // where the entry's name starts in path
	typ  fs.FileMode
}

// name is the entry's name in its directory.
func (d *dirEntry) name() string { return d.path[d.at:] }

// sortEntries puts a directory's entries in the order the walk yields them:
// by name, byte by byte. It is done before the first input of the
// directory can be checked, so it is done fast: the names' first eight
// bytes, read as big-endian numbers (keys: the same order), are radix
// sorted, a byte a pass, passes where every key has the same byte
// skipped; names whose keys are equal are then sorted in full among
// themselves. 1000 names of the benchmark workload's kind (NNNN.ext) took
// 90 µs with slices.SortFunc and strings.Compare, and take 47 µs so
// (BenchmarkSortEntries).
func sortEntries(entries []dirEntry) {
	n := len(entries)
	if n < 2 {
		return
	}
	if n < 32 {
		slices.SortFunc(entries, compareEntries)
		return
	}
	keyed := make([]keyedEntry, 2*n)
	from, to := keyed[:n], keyed[n:]
	for i := range entries {
		from[i] = keyedEntry{nameKey(entries[i].name()), uint32(i)}
	}
	var count [256]int
	for shift := 0; shift < 64; shift += 8 {
		count = [256]int{}
		for _, k := range from {
			count[byte(k.key>>shift)]++
		}
		if count[byte(from[0].key>>shift)] == n {
			continue // every key has this byte
		}
		at := 0
		for b, c := range count {
			count[b] = at
			at += c
		}
		for _, k := range from {
			b := byte(k.key >> shift)
			to[count[b]] = k
			count[b]++
		}
		from, to = to, from
	}
	// Put the entries in the keys' order: follow each cycle of the
	// permutation, marking the places done.
	const done = 1 << 31
	for start := range from {
		if from[start].i&done != 0 {
			continue
		}
		first := entries[start]
		at := start
		for {
			next := int(from[at].i)
			from[at].i |= done
			if next == start {
				entries[at] = first
				break
			}
			entries[at] = entries[next]
			at = next
		}
	}
	// Equal keys: names that share their first eight bytes.
	for i := 0; i < n; {
		j := i + 1
		for j < n && from[j].key == from[i].key {
			j++
		}
		if j-i > 1 {
			slices.SortFunc(entries[i:j], compareEntries)
		}
		i = j
	}
}

func compareEntries(a, b dirEntry) int { return strings.Compare(a.name(), b.name()) }

// keyedEntry is an entry's name's key and its place in the listing.
type keyedEntry struct {
	key uint64
	i   uint32
}

// nameKey is the first eight bytes of name as a big-endian number, short
// names padded with zero bytes: names that differ in those bytes compare
// as their keys do (a name holds no zero byte, so a shorter name sorts
// before a longer one it begins).
func nameKey(name string) uint64 {
	if len(name) >= 8 {
		return uint64(name[0])<<56 | uint64(name[1])<<48 | uint64(name[2])<<40 | uint64(name[3])<<32 |
			uint64(name[4])<<24 | uint64(name[5])<<16 | uint64(name[6])<<8 | uint64(name[7])
	}
	var k uint64
	for i := range 8 {
		k <<= 8
		if i < len(name) {
			k |= uint64(name[i])
		}
	}
	return k
}
