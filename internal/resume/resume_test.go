package resume

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/audiopreflight/audiopreflight/internal/report"
)

// line is a result line as the JSONL renderer writes it.
func line(name string) string {
	b, _ := json.Marshal(map[string]any{"schema_version": 1, "input": name, "input_id": report.InputID(name), "source": "file", "status": "accepted"})
	return string(b) + "\n"
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestOpenReadsWhatIsDone(t *testing.T) {
	path := filepath.Join(t.TempDir(), "report.jsonl")
	// A name holding the key's own text does not confuse the reader.
	tricky := `x"input_id":"0000000000000000".wav`
	write(t, path, line("a.wav")+line("b.wav")+"\n"+line(tricky))
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for _, name := range []string{"a.wav", "b.wav", tricky} {
		if !r.Has(report.InputID(name)) {
			t.Errorf("%q not done", name)
		}
	}
	for _, name := range []string{"c.wav", `x`, "0000000000000000"} {
		if r.Has(report.InputID(name)) {
			t.Errorf("%q done", name)
		}
	}
	if r.Has("0000000000000000") || r.Has("not an id") {
		t.Error("an id that is in no line is done")
	}
	if r.Lines != 3 || r.Dropped != 0 {
		t.Errorf("Lines %d Dropped %d, want 3 and 0", r.Lines, r.Dropped)
	}
}

func TestOpenCreatesAndAppends(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.jsonl")
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	r.Write([]byte(line("a.wav")))
	r.Close()
	r, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	r.Write([]byte(line("b.wav")))
	r.Close()
	if got, want := read(t, path), line("a.wav")+line("b.wav"); got != want {
		t.Errorf("report %q, want %q", got, want)
	}
}

// A half-written last line is dropped, wherever it was cut; a whole last
// result without its newline is kept and completed.
func TestHalfWrittenLastLineIsDropped(t *testing.T) {
	whole := line("a.wav")
	last := line("b.wav")
	for cut := 0; cut <= len(last); cut++ {
		path := filepath.Join(t.TempDir(), "r.jsonl")
		write(t, path, whole+last[:cut])
		r, err := Open(path)
		if err != nil {
			t.Fatalf("cut at %d: %v", cut, err)
		}
		kept := cut >= len(last)-1 // all but the newline: a whole result
		if r.Has(report.InputID("b.wav")) != kept {
			t.Errorf("cut at %d: b.wav done = %v, want %v", cut, !kept, kept)
		}
		r.Write([]byte(line("c.wav")))
		r.Close()
		want := whole + line("c.wav")
		if kept {
			want = whole + last + line("c.wav")
		}
		if got := read(t, path); got != want {
			t.Fatalf("cut at %d: report\n%q\nwant\n%q", cut, got, want)
		}
	}
}

func TestOpenRefusesWhatIsNotAReport(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"text":     "hello\n",
		"json":     `{"input":"a.wav"}` + "\n",
		"badid":    `{"input_id":"xyz"}` + "\n",
		"middle":   line("a.wav") + `{"input_id":` + "\n" + line("b.wav"),
		"jsonfile": `{"results":[]}` + "\n",
	} {
		path := filepath.Join(dir, name)
		write(t, path, content)
		if r, err := Open(path); err == nil {
			r.Close()
			t.Errorf("%s: opened", name)
		} else if !strings.Contains(err.Error(), "is not a result of audiopreflight's JSONL output") {
			t.Errorf("%s: %v", name, err)
		}
		if got := read(t, path); got != content {
			t.Errorf("%s: the file changed", name)
		}
	}
	if _, err := Open(filepath.Join(dir, "no", "such", "dir.jsonl")); err == nil {
		t.Error("a report in a missing directory opened")
	}
}

func TestSecondRunOnOneReportIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.jsonl")
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r2, err := Open(path); err == nil {
		r2.Close()
		t.Fatal("a second Open of a report in use succeeded")
	} else if !strings.Contains(err.Error(), "another run is appending") {
		t.Errorf("second Open: %v", err)
	}
}

// The child process of TestKilledRunsLoseAndRepeatNothing: a run over
// childInputs inputs that writes each result in pieces, as a buffered
// writer may, and sleeps between them.
func TestMain(m *testing.M) {
	if path := os.Getenv("RESUME_TEST_CHILD"); path != "" {
		os.Exit(child(path))
	}
	os.Exit(m.Run())
}

const childInputs = 300

func child(path string) int {
	r, err := Open(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	rng := rand.New(rand.NewPCG(uint64(os.Getpid()), uint64(time.Now().UnixNano())))
	for i := range childInputs {
		name := fmt.Sprintf("rec/%03d take.wav", i)
		if r.Has(report.InputID(name)) {
			continue
		}
		l := []byte(line(name))
		for len(l) > 0 {
			n := min(len(l), 1+rng.IntN(len(l)))
			if _, err := r.Write(l[:n]); err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 3
			}
			l = l[n:]
			time.Sleep(time.Duration(rng.IntN(200)) * time.Microsecond)
		}
	}
	r.Close()
	return 0
}

// A run killed at random moments and resumed each time ends with every
// input's result exactly once, and every line whole.
func TestKilledRunsLoseAndRepeatNothing(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "report.jsonl")
	rng := rand.New(rand.NewPCG(42, 1))
	kills, dropped := 0, 0
	for attempt := 0; ; attempt++ {
		if attempt > 500 {
			t.Fatal("the run never finished")
		}
		before := read0(path)
		cmd := exec.Command(exe)
		cmd.Env = append(os.Environ(), "RESUME_TEST_CHILD="+path)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		var werr error
		killed := false
		if attempt < 60 {
			select {
			case werr = <-done:
			case <-time.After(time.Duration(rng.IntN(15_000)) * time.Microsecond):
				cmd.Process.Signal(syscall.SIGKILL)
				werr = <-done
				killed = true
			}
		} else {
			werr = <-done
		}
		if !killed {
			if werr != nil {
				t.Fatalf("run failed: %v: %s", werr, stderr.String())
			}
			break
		}
		kills++
		if after := read0(path); !strings.HasSuffix(after, "\n") && after != "" && len(after) > len(before) {
			dropped++
		}
	}
	counts := map[string]int{}
	sc := bufio.NewScanner(strings.NewReader(read(t, path)))
	for sc.Scan() {
		var v struct {
			Input   string `json:"input"`
			InputID string `json:"input_id"`
		}
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		if v.InputID != report.InputID(v.Input) {
			t.Fatalf("line %q: wrong input_id", sc.Text())
		}
		counts[v.Input]++
	}
	for i := range childInputs {
		name := fmt.Sprintf("rec/%03d take.wav", i)
		if counts[name] != 1 {
			t.Errorf("%s: %d results, want 1", name, counts[name])
		}
	}
	if len(counts) != childInputs {
		t.Errorf("%d inputs in the report, want %d", len(counts), childInputs)
	}
	t.Logf("%d kills, %d of them mid-line", kills, dropped)
	if kills < 20 || dropped == 0 {
		t.Errorf("%d kills, %d mid-line: the test did not exercise resuming", kills, dropped)
	}
}

func read0(path string) string {
	b, _ := os.ReadFile(path)
	return string(b)
}

func TestParseID(t *testing.T) {
	for _, s := range []string{"", "0123456789abcdef0", "0123456789abcdeg", "+123456789abcdef", "0x23456789abcdef"} {
		if _, ok := parseID(s); ok {
			t.Errorf("parseID(%q) ok", s)
		}
	}
	if n, ok := parseID("00000000000000ff"); !ok || n != 255 {
		t.Errorf("parseID = %d, %v", n, ok)
	}
}
