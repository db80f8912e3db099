//go:build unix

package inputs

import (
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// TestGlobOrder: a pattern's matches come in the order of a directory
// walk, element by element, however the pattern reaches them.
func TestGlobOrder(t *testing.T) {
	t.Chdir(t.TempDir())
	tree(t, ".",
		"t/z.wav", "t/a/x.wav", "t/a/b/y.wav", "t/a-b/x.wav", "t/a.wav", "t/a b.wav",
		"t/s1/s2/s.txt", "t/s1/s2/c.wav", "t/s1/sx.txt", "t/s1/d.wav", "t/.h/x.wav",
	)
	symlink(t, "..", "t/a/b/up")       // back into the search: not followed again
	symlink(t, "../..", "t/a/b/above") // above the literal prefix: an error
	for _, tt := range []struct {
		arg  string
		opts Options
		want []string
	}{
		// "**" as no directory (z.wav) and as some (a/x.wav): one order.
		{"t/**/*.wav", Options{}, []string{
			"t/a/b/y.wav", "t/a/x.wav", "t/a b.wav", "t/a-b/x.wav", "t/a.wav",
			"t/s1/d.wav", "t/s1/s2/c.wav", "t/z.wav"}},
		{"t/**/x.wav", Options{}, []string{"t/a/x.wav", "t/a-b/x.wav"}},
		{"t/*/x.wav", Options{}, []string{"t/a/x.wav", "t/a-b/x.wav"}},
		// t/a is walked: "above" leads back to t, above the walk's root.
		{"t/a*", Options{}, []string{
			"error: t/a/b/above: directory loop: leads back to t, above the directory walked",
			"t/a/b/y.wav", "t/a/x.wav", "t/a b.wav", "t/a-b/x.wav", "t/a.wav"}},
		// A link above the pattern's literal prefix is an error where it
		// is found; one back into the search is left out.
		{"t/a/**", Options{}, []string{"error: t/a/b/above: directory loop: leads back to t, above the directory walked", "t/a/b/y.wav", "t/a/x.wav"}},
		// s1 and s1/s2 are matched and walked, and the .txt files below
		// are matched too: each file once, the walk's first.
		{"t/**/s*", Options{}, []string{"t/s1/d.wav", "t/s1/s2/c.wav", "t/s1/s2/s.txt", "t/s1/sx.txt"}},
		{"t/.*/*", Options{}, []string{"t/.h/x.wav"}},
		{"missing/**/*.wav", Options{}, []string{"error: missing/**/*.wav: no file matches this pattern"}},
		{"t/missing/*", Options{}, []string{"error: t/missing/*: no file matches this pattern"}},
	} {
		in, err := expand(t, []string{tt.arg}, tt.opts)
		if err != nil {
			t.Fatal(err)
		}
		if got := show(in); !slices.Equal(got, tt.want) {
			t.Errorf("Expand(%q)\n got %q\nwant %q", tt.arg, got, tt.want)
		}
	}
}

// TestGlobMatchesOracle compares the streaming search with the expansion
// it replaced (collect every match, sort, yield each name once) on random
// trees of files, directories, links (to files, to nowhere, to
// themselves, back into the tree and above it) and pipes, with random
// patterns and filters: the same inputs in the same order, the same
// errors, the same warnings. Run by an unprivileged user, some
// directories are also unreadable, unsearchable or both; as root it runs
// again as one.
func TestGlobMatchesOracle(t *testing.T) {
	if os.Getenv(unprivilegedEnv) == "" {
		// The trees' links climb as far as "../../.." from a directory
		// of t: two levels below the test's own directory, they reach
		// nothing outside it (from its top they reached /tmp, which
		// other processes change while the walks compare).
		dir := filepath.Join(t.TempDir(), "up", "up")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		t.Chdir(dir)
	}
	locked := os.Geteuid() != 0
	names := []string{"a", "a-b", "a.wav", "a b.wav", "b", "b.flac", "s", "s1", "s-2", "z.wav", "x.txt", ".h", ".h.wav", "A.WAV"}
	elems := []string{"*", "**", "**", "*.wav", "a*", "?", "[ab]*", ".*", "s*", "a", "b", "s", "s1", "*-*", ".h", "*.txt", "."}
	prefixes := []string{"t/", "./t/", "t//", "", "t/a/", "t/s/"}
	excludes := [][]string{nil, nil, {"*.txt"}, {"s"}, {"a/**"}, {"s*/*.wav"}, {"b", "a-b"}, {"t/a"}}
	includes := [][]string{nil, nil, nil, {"*.txt"}, {"*"}, {"a*", "**/b/*"}}
	trees, patterns := 150, 40
	if testing.Short() {
		trees = 30
	}
	compared := 0
	var chmodded []string
	for seed := range trees {
		r := rand.New(rand.NewPCG(uint64(seed), 13))
		for _, p := range chmodded {
			os.Chmod(p, 0o755)
		}
		chmodded = nil
		if err := os.RemoveAll("t"); err != nil {
			t.Fatal(err)
		}
		randomTree(t, r, "t", names, 0)
		if locked {
			// Some directories (not t) unreadable (-wx), unsearchable
			// (rw-) or both (---).
			filepath.WalkDir("t", func(p string, d fs.DirEntry, err error) error {
				if err == nil && d.IsDir() && p != "t" && r.IntN(4) == 0 {
					chmodded = append(chmodded, p)
				}
				return nil
			})
			for _, p := range slices.Backward(chmodded) {
				if err := os.Chmod(p, []fs.FileMode{0o300, 0o600, 0}[r.IntN(3)]); err != nil {
					t.Fatal(err)
				}
			}
		}
		for range patterns {
			var b strings.Builder
			b.WriteString(prefixes[r.IntN(len(prefixes))])
			for i := range 1 + r.IntN(4) {
				if i > 0 {
					b.WriteString("/")
				}
				b.WriteString(elems[r.IntN(len(elems))])
			}
			arg := b.String()
			if _, err := os.Lstat(arg); err == nil || !hasMeta(arg) {
				continue // a name, not a pattern
			}
			opts := Options{Exclude: excludes[r.IntN(len(excludes))], Include: includes[r.IntN(len(includes))]}
			var warned []string
			opts.Warn = func(w string) { warned = append(warned, w) }
			in, err := expand(t, []string{arg}, opts)
			if err != nil {
				t.Fatal(err)
			}
			want, wantWarned := oracleExpand(t, arg, opts)
			if got := show(in); !slices.Equal(got, want) || !slices.Equal(warned, wantWarned) {
				t.Fatalf("tree %d, Expand(%q, exclude %q, include %q)\n got %q\nwant %q\nwarnings %q\n    want %q\ntree:\n%s",
					seed, arg, opts.Exclude, opts.Include, got, want, warned, wantWarned, listTree(t, "t"))
			}
			compared++
		}
	}
	for _, p := range chmodded {
		os.Chmod(p, 0o755)
	}
	t.Logf("%d expansions compared on %d trees, as uid %d", compared, trees, os.Geteuid())
	if !locked && os.Getenv(unprivilegedEnv) == "" {
		ran := asNobody(t, "TestGlobMatchesOracle", func(work string) {
			if err := os.Chown(work, 65534, 65534); err != nil {
				t.Fatal(err)
			}
		})
		if ran {
			t.Logf("compared as uid 65534 too, with some directories unreadable")
		}
	}
}

// oracleExpand expands one pattern argument the way it was before.
func oracleExpand(t *testing.T, arg string, opts Options) (inputs, warnings []string) {
	t.Helper()
	e, err := newExpander(opts)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var out []Input
	e.yield = func(in Input) bool {
		if !seen[in.Name] {
			seen[in.Name] = true
			out = append(out, in)
		}
		return true
	}
	oracleGlob(e, arg, func() int { return len(out) })
	return show(out), e.unmatched()
}

// randomTree makes a few entries in dir, picked from names: files,
// directories (and what is in them), links and pipes.
func randomTree(t *testing.T, r *rand.Rand, dir string, names []string, depth int) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	targets := []string{".", "..", "../..", "../../..", "a", "s", "b.flac", "x.txt", "missing.wav", "self", "s1/s-2", ".h"}
	for _, i := range r.Perm(len(names))[:1+r.IntN(6)] {
		p := filepath.Join(dir, names[i])
		switch k := r.IntN(20); {
		case k < 8 && depth < 3:
			randomTree(t, r, p, names, depth+1)
		case k < 15:
			if err := os.WriteFile(p, nil, 0o644); err != nil {
				t.Fatal(err)
			}
		case k < 19:
			target := targets[r.IntN(len(targets))]
			if target == "self" {
				target = names[i]
			}
			symlink(t, target, p)
		default:
			if err := syscall.Mkfifo(p, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// listTree shows a tree for a failure's message.
func listTree(t *testing.T, root string) string {
	var b strings.Builder
	filepath.Walk(root, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return nil
		}
		line := p
		if fi.Mode()&os.ModeSymlink != 0 {
			target, _ := os.Readlink(p)
			line += " -> " + target
		} else if fi.IsDir() {
			line += "/"
		}
		b.WriteString(line + "\n")
		return nil
	})
	return b.String()
}

// TestGlobMemoryBounded: what a pattern's search holds while it yields
// does not grow with the number of files it matches. The live heap is
// measured at the middle of the sequence over trees of 2,000 and 20,000
// files (20 and 200 directories); it may grow with the largest
// directory, not with the tree.
func TestGlobMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("makes 22,000 files")
	}
	live := func(dirs int) uint64 {
		root := t.TempDir()
		for d := range dirs {
			dir := filepath.Join(root, fmt.Sprintf("d%03d", d))
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			for f := range 100 {
				if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("take-%03d.wav", f)), nil, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
		seq, err := Seq([]string{root + "/**/*.wav"}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var n int
		var heap uint64
		for in := range seq {
			if in.Err != nil {
				t.Fatal(in.Err)
			}
			if n++; n == dirs*100/2 {
				runtime.GC()
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				heap = ms.HeapAlloc
			}
		}
		if n != dirs*100 {
			t.Fatalf("%d inputs, want %d", n, dirs*100)
		}
		return heap
	}
	small, large := live(20), live(200)
	// Holding the matches costs at least a name and a header for each,
	// about 100 bytes: 18,000 more would be 1.8 MB.
	t.Logf("live heap at the middle: %d bytes for 2,000 files, %d for 20,000", small, large)
	if large > small+256<<10 {
		t.Errorf("live heap grew from %d to %d bytes with ten times the files", small, large)
	}
}
