package webcheck_test

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/audiopreflight/audiopreflight/cmd"
	"github.com/audiopreflight/audiopreflight/internal/check"
	"github.com/audiopreflight/audiopreflight/internal/oracle"
	"github.com/audiopreflight/audiopreflight/internal/webcheck"
)

// cliLines runs `audiopreflight check -o jsonl` on names with flags, in
// process, and returns its lines.
func cliLines(t *testing.T, flags []string, names []string) [][]byte {
	t.Helper()
	var stdout, stderr bytes.Buffer
	args := append([]string{"check", "-o", "jsonl", "--quiet=false"}, flags...)
	args = append(args, "--")
	if code := cmd.Execute(append(args, names...), strings.NewReader(""), &stdout, &stderr); code != 0 && code != 1 {
		t.Fatalf("check %v: exit %d: %s", flags, code, stderr.String())
	}
	lines := bytes.Split(bytes.TrimSuffix(stdout.Bytes(), []byte("\n")), []byte("\n"))
	if len(lines) != len(names) {
		t.Fatalf("check %v: %d lines for %d inputs", flags, len(lines), len(names))
	}
	return lines
}

// TestCheckIsTheCLIsJSONLLine checks every input of the committed corpus
// and the samples with each request type, and the samples and the check
// family with every other option, as bytes named like the file: each line
// must be the one `check -o jsonl` prints for the file, byte for byte.
func TestCheckIsTheCLIsJSONLLine(t *testing.T) {
	t.Chdir("../..")
	dirs, err := filepath.Glob("testdata/corpus/*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no corpus: %v", err)
	}
	dirs = append(dirs, "testdata/samples")
	type variant struct {
		flags   []string
		options map[string]any
	}
	compared := 0
	for _, dir := range dirs {
		// Base64 inputs are checked as the bytes they are (the module
		// has no base64 option).
		var names []string
		for _, v := range oracle.MustLoad(t, filepath.Join(dir, "expected-unscripted.jsonl")) {
			names = append(names, filepath.ToSlash(filepath.Join(dir, v.Input)))
		}
		variants := []variant{
			{[]string{"--request", "unscripted"}, map[string]any{"request": "unscripted"}},
			{[]string{"--request", "scripted"}, map[string]any{"request": "scripted"}},
		}
		if base := filepath.Base(dir); base == "samples" || base == "check" {
			variants = append(variants,
				variant{nil, map[string]any{}},
				variant{[]string{"--sync-limit", "4096"}, map[string]any{"syncLimit": 4096}},
				variant{[]string{"--mode", "async", "--sync-limit", "4096"}, map[string]any{"mode": "async", "syncLimit": 4096}},
				variant{[]string{"--header-only", "--request", "scripted"}, map[string]any{"headerOnly": true, "request": "scripted"}},
			)
		}
		for _, v := range variants {
			want := cliLines(t, v.flags, names)
			for i, name := range names {
				data, err := os.ReadFile(name)
				if err != nil {
					t.Fatal(err)
				}
				v.options["name"] = name
				opts, _ := json.Marshal(v.options)
				got, err := webcheck.Check(check.Bytes(data), opts)
				if err != nil {
					t.Fatalf("%s %s: %v", name, opts, err)
				}
				if !bytes.Equal(got, want[i]) {
					t.Errorf("%s %s:\n got %s\nwant %s", name, opts, got, want[i])
				}
				compared++
			}
		}
	}
	if compared < 2800 {
		t.Errorf("compared %d results, want every corpus input with both request types", compared)
	}
}

func TestCheckWithoutOptions(t *testing.T) {
	data, err := os.ReadFile("../../testdata/samples/hello-16k-mono.wav")
	if err != nil {
		t.Fatal(err)
	}
	for _, opts := range []string{"", "null", "{}", `{"name":null,"syncLimit":null}`} {
		line, err := webcheck.Check(check.Bytes(data), []byte(opts))
		if err != nil {
			t.Fatalf("%q: %v", opts, err)
		}
		var r struct {
			Input  string `json:"input"`
			Source string `json:"source"`
			Status string `json:"status"`
		}
		if err := json.Unmarshal(line, &r); err != nil {
			t.Fatal(err)
		}
		if r.Input != webcheck.DefaultName || r.Source != "file" || r.Status != "accepted" {
			t.Errorf("%q: %+v, want input %q, source file, accepted", opts, r, webcheck.DefaultName)
		}
	}
}

func TestBadOptionsSayWhatIsWrong(t *testing.T) {
	for _, c := range []struct{ options, want string }{
		{`[]`, "options must be an object"},
		{`"scripted"`, "options must be an object"},
		{`{"request":"Scripted"}`, `request must be "unscripted" or "scripted", not "Scripted"`},
		{`{"mode":"batch"}`, `mode must be "sync" or "async", not "batch"`},
		{`{"syncLimit":-1}`, "syncLimit must be a whole number of bytes from 0 to 9007199254740991, not -1"},
		{`{"syncLimit":1.5}`, "syncLimit must be a whole number of bytes from 0 to 9007199254740991, not 1.5"},
		{`{"syncLimit":1e300}`, "syncLimit must be a whole number of bytes"},
		{`{"syncLimit":"10MiB"}`, "option syncLimit must be a number, not a string"},
		{`{"headerOnly":"yes"}`, "option headerOnly must be a boolean, not a string"},
		{`{"base64":true}`, `unknown option "base64"`},
		{`{"name":7}`, "option name must be a string, not a number"},
		{`{"request":"scripted","sync_limit":5}`, `unknown option "sync_limit" (the options are request, mode, syncLimit, headerOnly, name)`},
		{`{"request":`, "options: unexpected EOF"},
	} {
		_, err := webcheck.Check(check.Bytes([]byte("RIFF")), []byte(c.options))
		var optErr *webcheck.OptionError
		if !errors.As(err, &optErr) {
			t.Errorf("%s: %v, want an OptionError", c.options, err)
			continue
		}
		if !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "audiopreflight check: ") {
			t.Errorf("%s: %q, want it to say %q", c.options, err, c.want)
		}
	}
}

// TestTheBrowserBuildHasNoNetworkCode lists what web/wasm imports when
// built for the browser: none of the network code (which would also make
// the module twice as large), nor process or file-system walking code.
func TestTheBrowserBuildHasNoNetworkCode(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go is not on PATH")
	}
	c := exec.Command(goTool, "list", "-deps", "../../web/wasm")
	c.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := c.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 50 {
		t.Fatalf("go list listed %d packages: %q", len(deps), out)
	}
	forbidden := []string{"net", "net/http", "crypto/tls", "os/exec",
		"github.com/audiopreflight/audiopreflight/internal/remote",
		"github.com/audiopreflight/audiopreflight/internal/inputs",
		"github.com/audiopreflight/audiopreflight/cmd"}
	for _, d := range deps {
		for _, f := range forbidden {
			if d == f {
				t.Errorf("the browser build imports %s", d)
			}
		}
	}
}

// longWAV is a 16 kHz mono 16-bit WAV of size bytes, made up as it is
// read — a header, then silence — counting what is read.
type longWAV struct {
	size int64
	read int64
}

func (w *longWAV) Size() int64  { return w.size }
func (w *longWAV) Close() error { return nil }

func (w *longWAV) ReadAt(p []byte, off int64) (int, error) {
	if off >= w.size {
		return 0, io.EOF
	}
	header := make([]byte, 44)
	copy(header, "RIFF....WAVEfmt ")
	binary.LittleEndian.PutUint32(header[4:], uint32(w.size-8))
	binary.LittleEndian.PutUint32(header[16:], 16)
	binary.LittleEndian.PutUint16(header[20:], 1)     // PCM
	binary.LittleEndian.PutUint16(header[22:], 1)     // one channel
	binary.LittleEndian.PutUint32(header[24:], 16000) // Hz
	binary.LittleEndian.PutUint32(header[28:], 32000) // bytes a second
	binary.LittleEndian.PutUint16(header[32:], 2)     // block
	binary.LittleEndian.PutUint16(header[34:], 16)    // bits
	copy(header[36:], "data")
	binary.LittleEndian.PutUint32(header[40:], uint32(w.size-44))
	n := int(min(int64(len(p)), w.size-off))
	clear(p[:n])
	if off < 44 {
		copy(p[:n], header[off:])
	}
	w.read += int64(n)
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// TestCheckReadsWhatTheCheckNeeds: the module hands Check the page's
// array to read where it is, so a long recording is never copied whole:
// a 1 GiB WAV is judged from a few KiB, in a header check and in a full
// one (a PCM WAV's audio cannot fail to decode, so it is not read).
func TestCheckReadsWhatTheCheckNeeds(t *testing.T) {
	for _, c := range []struct{ options, status string }{
		{`{"name":"long.wav"}`, "rejected AudioTooBigForSync"},
		{`{"name":"long.wav","mode":"async"}`, "accepted "},
		{`{"name":"long.wav","mode":"async","headerOnly":true}`, "accepted "},
	} {
		w := &longWAV{size: 1 << 30}
		line, err := webcheck.Check(w, []byte(c.options))
		if err != nil {
			t.Fatal(err)
		}
		var r struct {
			Status    string `json:"status"`
			Exception struct {
				Name string `json:"name"`
			} `json:"exception"`
		}
		if err := json.Unmarshal(line, &r); err != nil {
			t.Fatal(err)
		}
		if got := r.Status + " " + r.Exception.Name; got != c.status {
			t.Errorf("%s: %s, want %s", c.options, got, c.status)
		}
		if w.read > 64<<10 {
			t.Errorf("%s: read %d bytes of 1 GiB (%s)", c.options, w.read, r.Exception.Name)
		}
		t.Logf("%s: %s %s, %d bytes read", c.options, r.Status, r.Exception.Name, w.read)
	}
}
