package ignore

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/redact"
	"github.com/audiopreflight/audiopreflight/internal/report"
)

// randomResults makes n results of every kind: files (relative, absolute,
// above the baseline's directory, with bytes that are not UTF-8), URLs
// with credentials, standard input; rejected, ignored, accepted; one
// result each for an (input, exception) pair.
func randomResults(r *rand.Rand, n int, dir string) []*report.Result {
	exceptions := []string{"InvalidAudioFormat", "AudioTooLong", "SampleRateTooLow", "FailedToReadAudioFromURL"}
	var out []*report.Result
	seen := map[string]bool{}
	for len(out) < n {
		i := r.IntN(8 * n)
		var input, source string
		switch k := r.IntN(10); {
		case k < 4:
			input, source = fmt.Sprintf("takes/%d/a-%d.wav", i%7, i), report.SourceFile
		case k < 6:
			input, source = filepath.Join(dir, fmt.Sprintf("sub/<%d>&.wav", i)), report.SourceFile
		case k < 7:
			input, source = fmt.Sprintf("../up/%d\xff.wav", i), report.SourceFile
		case k < 9:
			input, source = fmt.Sprintf("https://user:secret@cdn.example.com/%d.wav?X-Amz-Signature=abc", i), report.SourceURL
		default:
			input, source = "-", report.SourceStdin
		}
		name := exceptions[r.IntN(len(exceptions))]
		if seen[input+"\x00"+name] {
			continue
		}
		seen[input+"\x00"+name] = true
		res := &report.Result{Input: input, Source: source, Status: report.StatusRejected,
			Exception: &report.Exception{Name: name, Message: "message of " + name + " for " + input, Parameters: map[string]string{"x": "1"},
				Category: "format", Step: "format", Description: "about <" + name + ">"}}
		switch r.IntN(5) {
		case 0:
			res.Status = report.StatusIgnored
		case 1:
			res.Status = report.StatusAccepted
		}
		out = append(out, res)
	}
	return out
}

// TestWriterMatchesInMemorySort: spooled, sorted in runs and merged, the
// baseline is the file sorting every rejection in memory wrote, byte for
// byte, with runs of one, a few, or all of them.
func TestWriterMatchesInMemorySort(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	for _, n := range []int{0, 1, 2, 10, 300} {
		for _, runSize := range []int{1, 3, 7, 64, 0} {
			results := randomResults(rand.New(rand.NewPCG(uint64(n), uint64(runSize))), n, dir)
			policy := redact.Policy{}
			want := &oracleWriter{Redact: policy}
			got := &Writer{Redact: policy, runSize: runSize}
			for _, r := range results {
				want.Add(r)
				got.Add(r)
			}
			if runSize > 0 && len(want.results) > runSize && got.spool == nil {
				t.Fatalf("%d rejections in runs of %d: nothing spooled", len(want.results), runSize)
			}
			if err := want.WriteFile("want.json"); err != nil {
				t.Fatal(err)
			}
			if err := got.WriteFile("got.json"); err != nil {
				t.Fatal(err)
			}
			wantBytes, _ := os.ReadFile("want.json")
			gotBytes, _ := os.ReadFile("got.json")
			if !bytes.Equal(gotBytes, wantBytes) {
				t.Fatalf("%d results in runs of %d:\n got %s\nwant %s", n, runSize, gotBytes, wantBytes)
			}
			if n == 300 && !strings.Contains(string(gotBytes), `"input": "sub/<`) {
				t.Fatalf("no file named relative to the baseline:\n%s", gotBytes)
			}
			if _, err := ReadBaseline("got.json"); err != nil {
				t.Fatal(err)
			}
		}
	}
	// What came in the same order whatever order it came in: the same
	// input and exception twice, with different messages, in runs of one.
	var files [2][]byte
	for i, order := range [][]string{{"one", "two"}, {"two", "one"}} {
		w := &Writer{runSize: 1}
		for _, msg := range order {
			w.Add(&report.Result{Input: "a.wav", Source: report.SourceFile, Status: report.StatusRejected,
				Exception: &report.Exception{Name: "InvalidAudioFormat", Message: msg, Step: "format"}})
		}
		if err := w.WriteFile("twice.json"); err != nil {
			t.Fatal(err)
		}
		files[i], _ = os.ReadFile("twice.json")
	}
	if !bytes.Equal(files[0], files[1]) || !bytes.Contains(files[0], []byte(`"one"`)) || !bytes.Contains(files[0], []byte(`"two"`)) {
		t.Errorf("the order they came in shows:\n%s\n%s", files[0], files[1])
	}
}

// TestWriterFailures: a baseline that cannot be written, or rejections
// that cannot be spooled, are the run's error, and leave no file behind
// (an earlier baseline stays whole).
func TestWriterFailures(t *testing.T) {
	dir := t.TempDir()
	results := randomResults(rand.New(rand.NewPCG(1, 2)), 50, dir)
	write := func(runSize int, path string) error {
		w := &Writer{runSize: runSize}
		for _, r := range results {
			w.Add(r)
		}
		return w.WriteFile(path)
	}
	err := write(4, filepath.Join(dir, "missing", "baseline.json"))
	if err == nil || !strings.HasPrefix(err.Error(), "writing the baseline: ") || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("into a missing directory: %v", err)
	}

	old := filepath.Join(dir, "baseline.json")
	if err := os.WriteFile(old, []byte("last week's\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TMPDIR", filepath.Join(dir, "no-tmp"))
	err = write(4, old)
	if err == nil || !strings.HasPrefix(err.Error(), "writing the baseline: spooling the rejections: ") {
		t.Errorf("spooling where no temporary file can be made: %v", err)
	}
	if b, _ := os.ReadFile(old); string(b) != "last week's\n" {
		t.Errorf("the earlier baseline changed: %q", b)
	}
	// Under the run size nothing is spooled.
	if err := write(1000, old); err != nil {
		t.Errorf("in memory: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
}

// TestWriterMemoryBounded: what the writer holds does not grow with the
// number of rejections: ten times more of them leave the live heap where
// it was.
func TestWriterMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("adds 55,000 rejections")
	}
	dir := t.TempDir()
	live := func(n int) uint64 {
		w := &Writer{runSize: 500}
		for i := range n {
			w.Add(&report.Result{Input: fmt.Sprintf("takes/%06d.mp3", i), Source: report.SourceFile, Status: report.StatusRejected,
				Exception: &report.Exception{Name: "InvalidAudioFormat", Message: "The audio format is not supported.", Step: "format",
					Description: strings.Repeat("d", 200)}})
		}
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		if err := w.WriteFile(filepath.Join(dir, "baseline.json")); err != nil {
			t.Fatal(err)
		}
		b, err := ReadBaseline(filepath.Join(dir, "baseline.json"))
		if err != nil || b.Len() < n {
			t.Fatalf("%d pairs read back, %v", b.Len(), err)
		}
		runtime.KeepAlive(w)
		return ms.HeapAlloc
	}
	small, large := live(5000), live(50000)
	// Holding them costs some 400 bytes each: 45,000 more would be 18 MB.
	t.Logf("live heap: %d bytes with 5,000 rejections added, %d with 50,000", small, large)
	if large > small+1<<20 {
		t.Errorf("live heap grew from %d to %d bytes with ten times the rejections", small, large)
	}
}
