// Package editdistance measures how far a typed word is from a known one,
// for "did you mean" suggestions (command and flag names, exception names).
package editdistance

// Levenshtein is the number of single-rune insertions, deletions and
// substitutions that turn a into b. It counts runes, not bytes, so a typo
// in a non-ASCII word costs one edit like any other.
func Levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
