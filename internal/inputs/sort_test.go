package inputs

import (
	"fmt"
	"math/rand"
	"slices"
	"strings"
	"testing"
)

// TestSortEntriesIsByteOrder holds the radix sort to slices.SortFunc with
// strings.Compare on random listings: names that share their first eight
// bytes or more, names shorter than eight bytes that begin longer ones,
// bytes above 0x7f, every size around the cut-over to the radix sort.
func TestSortEntriesIsByteOrder(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	alphabets := []string{"ab", "0123456789.wav", "aé\xff\x01Z", "abcdefghijklmnopqrstuvwxyz"}
	for round := range 400 {
		n := r.Intn(300)
		if round < 70 {
			n = round
		}
		alpha := alphabets[round%len(alphabets)]
		prefix := strings.Repeat("p", r.Intn(12))
		var entries []dirEntry
		for range n {
			var b strings.Builder
			if r.Intn(2) == 0 {
				b.WriteString(prefix)
			}
			for range 1 + r.Intn(14) {
				b.WriteByte(alpha[r.Intn(len(alpha))])
			}
			entries = append(entries, dirEntry{path: "dir/" + b.String(), at: 4})
		}
		want := slices.Clone(entries)
		slices.SortStableFunc(want, compareEntries)
		got := slices.Clone(entries)
		sortEntries(got)
		for i := range want {
			if got[i].name() != want[i].name() {
				t.Fatalf("round %d, %d names: entry %d is %q, want %q", round, n, i, got[i].name(), want[i].name())
			}
		}
	}
}

// BenchmarkSortEntries sorts a listing of 1000 names as the benchmark
// workload's (NNNN.ext).
func BenchmarkSortEntries(b *testing.B) {
	var listing []dirEntry
	r := rand.New(rand.NewSource(1))
	exts := []string{"wav", "mp3", "flac", "opus"}
	for _, i := range r.Perm(1000) {
		listing = append(listing, dirEntry{path: fmt.Sprintf("small/%04d.%s", i, exts[i%4]), at: 6})
	}
	entries := make([]dirEntry, len(listing))
	b.ReportAllocs()
	for b.Loop() {
		copy(entries, listing)
		sortEntries(entries)
	}
}
