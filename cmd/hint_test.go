package cmd

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/remote/remotetest"
	"github.com/audiopreflight/audiopreflight/internal/safetext"
	"github.com/audiopreflight/audiopreflight/validate"
)

// requireTools finds the programs the hints call. Outside CI a missing one
// skips the test, with a line saying which; under CI it fails it.
func requireTools(t *testing.T, names ...string) {
	t.Helper()
	for _, name := range names {
		if _, err := exec.LookPath(name); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is needed to run the hints and is not installed (CI is set, so this fails)", name)
			}
			t.Skipf("%s is not installed: the hints are not run (install it, or set CI to make this a failure)", name)
		}
	}
}

// hintPrograms start the command of a hint: "advice: command".
var hintPrograms = []string{"ffmpeg", "base64", "cat", "curl", "gzip", "bzip2", "xz", "zstd", "tar", "unzip", "audiopreflight"}

// hintCommand is the command a hint prints after its advice, without the
// note that may follow it.
func hintCommand(t *testing.T, hint string) string {
	t.Helper()
	best := -1
	for _, p := range hintPrograms {
		if i := strings.Index(hint, ": "+p+" "); i >= 0 && (best < 0 || i < best) {
			best = i
		}
	}
	if best < 0 {
		t.Fatalf("the hint has no command: %q", hint)
	}
	cmd := hint[best+2:]
	if i := strings.Index(cmd, " (with URL set"); i >= 0 {
		cmd = cmd[:i]
	}
	return cmd
}

type checked struct {
	Accepted  bool `json:"accepted"`
	Exception *struct {
		Name string `json:"name"`
		Step string `json:"step"`
	} `json:"exception"`
	Hint  string `json:"hint"`
	Error string `json:"error"`
}

// checkOne checks one input in-process and returns its result.
func checkOne(t *testing.T, stdin []byte, args ...string) checked {
	t.Helper()
	_, out, stderr := run(t, nil, string(stdin), append([]string{"check", "-o", "json"}, args...)...)
	var doc struct{ Results []checked }
	if err := json.Unmarshal([]byte(out), &doc); err != nil || len(doc.Results) != 1 {
		t.Fatalf("check %v: %v, stderr %q\n%s", args, err, stderr, out)
	}
	return doc.Results[0]
}

// TestHintsRunAndFix runs the command of every form of hint, as printed,
// in a shell, and checks what it wrote the way the input was checked: the
// API must accept it. Names that trip commands up (a leading "-", a ":",
// spaces, quotes), standard input, URLs with and without credentials,
// base64 text, archives and compressed files each have a case.
func TestHintsRunAndFix(t *testing.T) {
	requireTools(t, "ffmpeg", "sh", "bash", "cat", "base64", "curl", "gzip", "bzip2", "xz", "zstd", "tar", "unzip")
	dir := t.TempDir()
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("..", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	write := func(name string, b []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mp3, m4a, flac44, wav16, cut := read("samples/hello.mp3"), read("samples/hello.m4a"), read("samples/hello-44k-stereo.flac"), read("samples/hello-16k-mono.wav"), read("samples/cut-short.flac")
	b64 := func(b []byte) []byte { return []byte(base64.StdEncoding.EncodeToString(b)) }

	write("-take.mp3", mp3)
	write("new\nline \x1b[2J.mp3", mp3)
	write("a:b 44k's.flac", flac44)
	write("hello.m4a", m4a)
	write("cut-short.flac", cut)
	write("streamed.flac", read("corpus/flac/broken/si-total-zero.flac"))
	write("cut-download.opus", read("corpus/ogg/broken-trunc-lastpage-1.opus"))
	write("unfinished.wav", read("corpus/wav/datasize-0.wav"))
	write("unfinished-list.wav", read("corpus/wav/datasize-0-list-after.wav"))
	write("short.wav", wav16)
	write("-b64 take.txt", b64(flac44))
	write("field.txt", b64(wav16))
	tone := filepath.Join(dir, "tone.wav")
	if out, err := exec.Command("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=f=440:d=10:r=44100", "-ac", "2", tone).CombinedOutput(); err != nil {
		t.Fatalf("making a tone: %v\n%s", err, out)
	}
	write("rec.zip", zipOf(t, "inner.wav", wav16))
	write("rec.tar", tarOf(t, "inner-tar.wav", wav16))
	write("rec.wav.gz", gzipOf(t, wav16))
	for _, tool := range []string{"bzip2", "xz", "zstd"} {
		write("rec-"+tool+".wav", wav16)
		// The tool replaces rec-TOOL.wav with rec-TOOL.wav.bz2 (.xz, .zst).
		if out, err := exec.Command(tool, "-q", "--rm", filepath.Join(dir, "rec-"+tool+".wav")).CombinedOutput(); err != nil && tool == "zstd" {
			t.Fatalf("%s: %v\n%s", tool, err, out)
		} else if tool != "zstd" {
			if out, err := exec.Command(tool, "-q", filepath.Join(dir, "rec-"+tool+".wav")).CombinedOutput(); err != nil {
				t.Fatalf("%s: %v\n%s", tool, err, out)
			}
		}
	}

	srv := remotetest.New(t)
	srv.AddBytes("/uploads/take+1.mp3", mp3, remotetest.Behaviour{})
	srv.AddBytes("/signed/take.m4a", m4a, remotetest.Behaviour{})
	srv.AddBytes("/fields/take.txt", b64(flac44), remotetest.Behaviour{})

	tests := []struct {
		name   string
		args   []string // check's arguments, the input last
		stdin  []byte
		env    []string // for the shell that runs the command
		step   string   // the verdict's step, to be sure the case is the form it means
		output string   // what the command writes, checked with args but the input
		base64 bool     // the output is base64 text
	}{
		{"leading dash", []string{"./-take.mp3"}, nil, nil, "format", "./-take-16k.wav", false},
		{"leading dash, as given", []string{"--", "-take.mp3"}, nil, nil, "format", "./-take-16k.wav", false},
		{"control characters", []string{"new\nline \x1b[2J.mp3"}, nil, nil, "format", "new\nline \x1b[2J-16k.wav", false},
		{"colon, space, quote; FLAC stays FLAC", []string{"a:b 44k's.flac"}, nil, nil, "format", "a:b 44k's-16k.flac", false},
		{"does not open", []string{"hello.m4a"}, nil, nil, "open", "hello-16k.wav", false},
		{"does not open, scripted", []string{"--request", "scripted", "hello.m4a"}, nil, nil, "open", "hello-16k.wav", false},
		{"damaged", []string{"cut-short.flac"}, nil, nil, "decode", "cut-short-16k.flac", false},
		{"no length: streamed FLAC", []string{"streamed.flac"}, nil, nil, "length", "streamed-16k.flac", false},
		{"no length: cut Ogg", []string{"cut-download.opus"}, nil, nil, "length", "cut-download-16k.wav", false},
		{"no frames: unfinished WAV", []string{"unfinished.wav"}, nil, nil, "zero-frames", "unfinished-16k.wav", false},
		{"no frames: unfinished, LIST after", []string{"unfinished-list.wav"}, nil, nil, "zero-frames", "unfinished-list-16k.wav", false},
		{"too big: FLAC fits", []string{"--sync-limit", "600KB", "tone.wav"}, nil, nil, "sync-size", "tone-16k.flac", false},
		{"too big: Opus fits", []string{"--sync-limit", "16KB", "short.wav"}, nil, nil, "sync-size", "short-16k.opus", false},
		{"base64 text", []string{"--base64", "--", "-b64 take.txt"}, nil, nil, "format", "-b64 take-16k.txt", true},
		{"standard input", []string{"-"}, mp3, nil, "format", "stdin-16k.wav", false},
		{"base64 on standard input", []string{"--base64", "-"}, b64(flac44), nil, "format", "stdin-16k.txt", true},
		{"URL", []string{"--allow-private-urls", srv.URL("/uploads/take+1.mp3")}, nil, nil, "format", "take_1-16k.wav", false},
		{"URL with credentials", []string{"--allow-private-urls", srv.URL("/signed/take.m4a?X-Amz-Signature=abc")}, nil, []string{"URL=" + srv.URL("/signed/take.m4a?X-Amz-Signature=abc")}, "open", "take-16k.wav", false},
		{"URL of base64 text", []string{"--allow-private-urls", "--base64", srv.URL("/fields/take.txt")}, nil, nil, "format", "take-16k.txt", true},
		{"base64 text without --base64", []string{"field.txt"}, nil, nil, "open", "field.txt", true},
		{"ZIP archive", []string{"rec.zip"}, nil, nil, "open", "inner.wav", false},
		{"tar archive", []string{"rec.tar"}, nil, nil, "open", "inner-tar.wav", false},
		{"gzip", []string{"rec.wav.gz"}, nil, nil, "open", "rec.wav", false},
		{"bzip2", []string{"rec-bzip2.wav.bz2"}, nil, nil, "open", "rec-bzip2.wav", false},
		{"xz", []string{"rec-xz.wav.xz"}, nil, nil, "open", "rec-xz.wav", false},
		{"zstd", []string{"rec-zstd.wav.zst"}, nil, nil, "open", "rec-zstd.wav", false},
	}
	t.Chdir(dir)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := checkOne(t, tt.stdin, tt.args...)
			if r.Exception == nil || r.Exception.Step != tt.step {
				t.Fatalf("the input is not the case meant (step %q): %+v", tt.step, r)
			}
			command := hintCommand(t, r.Hint)
			if strings.HasPrefix(command, "audiopreflight ") {
				// The hint runs audiopreflight itself: run it in-process.
				args := strings.Fields(command)[2:] // after "audiopreflight check"
				if got := checkOne(t, nil, args...); !got.Accepted {
					t.Fatalf("%s: %+v", command, got)
				}
				return
			}
			// A command that ran before may have written the output.
			if err := os.Remove(tt.output); err != nil && !os.IsNotExist(err) {
				t.Fatal(err)
			}
			// A POSIX shell runs every command but those that quote
			// control characters $'…' (bash, zsh and ksh read those).
			shell := "sh"
			if strings.Contains(command, "$'") {
				shell = "bash"
			}
			if strings.ContainsFunc(command, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
				t.Errorf("the command holds a raw control character: %q", command)
			}
			sh := exec.Command(shell, "-c", command)
			sh.Dir = dir
			sh.Env = append(os.Environ(), tt.env...)
			sh.Stdin = bytes.NewReader(tt.stdin)
			if out, err := sh.CombinedOutput(); err != nil {
				t.Fatalf("%s: %v\n%s", command, err, out)
			}
			recheck := []string{}
			for _, a := range tt.args[:len(tt.args)-1] {
				if a != "--" && a != "--allow-private-urls" {
					recheck = append(recheck, a)
				}
			}
			if tt.base64 && !contains(recheck, "--base64") {
				recheck = append(recheck, "--base64")
			}
			if got := checkOne(t, nil, append(recheck, "--", tt.output)...); !got.Accepted {
				t.Errorf("hint %q\nran %s\nwrote %s, which is not accepted: %+v", r.Hint, command, tt.output, got)
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestHintsNameWhatIsNotAudio: bytes that are no audio are named for what
// they are, and no conversion is offered for them.
func TestHintsNameWhatIsNotAudio(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, content, want string
	}{
		{"page.wav", "<!DOCTYPE html><html><body>Please sign in</body></html>", "it is an HTML page"},
		{"error.wav", `{"error": "AccessDenied"}`, "it is a JSON document"},
		{"error.mp3", `<?xml version="1.0"?><Error><Code>AccessDenied</Code></Error>`, "it is an XML document"},
		{"notes.flac", "take 3 was best\n", "it is text"},
		{"zeros.wav", string(make([]byte, 5000)), "it is zero bytes"},
		{"scan.wav", "%PDF-1.4\n...", "it is a PDF document"},
		{"photo.m4a", "\xff\xd8\xff\xe0\x00\x10JFIF\x00", "it is a JPEG image"},
		{"song.wav", "MThd\x00\x00\x00\x06\x00\x01", "it is a MIDI file"},
		{"odd.bin", "\x01\x02\x03\x04\x05\x06\x07\x08\x09", "it is binary data that starts 01 02 03 04 05 06 07 08"},
	}
	for _, tt := range tests {
		p := filepath.Join(dir, tt.name)
		if err := os.WriteFile(p, []byte(tt.content), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, req := range []string{"unscripted", "scripted"} {
			r := checkOne(t, nil, "--request", req, p)
			if !strings.HasPrefix(r.Hint, tt.want) || strings.Contains(r.Hint, "ffmpeg") {
				t.Errorf("%s (%s): hint %q, want it to start %q and offer no conversion", tt.name, req, r.Hint, tt.want)
			}
		}
		// The same bytes inside an audio_data field.
		enc := filepath.Join(dir, tt.name+".b64")
		if err := os.WriteFile(enc, []byte(base64.StdEncoding.EncodeToString([]byte(tt.content))), 0o644); err != nil {
			t.Fatal(err)
		}
		r := checkOne(t, nil, "--base64", enc)
		if want := strings.Replace(tt.want, "it is", "its base64 decodes to", 1); !strings.HasPrefix(r.Hint, want) {
			t.Errorf("%s as base64: hint %q, want it to start %q", tt.name, r.Hint, want)
		}
	}
}

func zipOf(t *testing.T, name string, data []byte) []byte {
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	f, err := w.Create(name)
	if err == nil {
		_, err = f.Write(data)
	}
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func tarOf(t *testing.T, name string, data []byte) []byte {
	var b bytes.Buffer
	w := tar.NewWriter(&b)
	err := w.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(data)), Typeflag: tar.TypeReg})
	if err == nil {
		_, err = w.Write(data)
	}
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func gzipOf(t *testing.T, data []byte) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestEveryRejectionSaysWhatAndHow checks every committed fixture, as both
// request types, with authentication checked and a URL the server refuses:
// every finding has a detail (what exactly is wrong), every rejection a
// hint, and between them they reach every exception the tool predicts.
func TestEveryRejectionSaysWhatAndHow(t *testing.T) {
	seen := map[string]bool{}
	runs := [][]string{
		{"--include", "*", "--exclude", "*.jsonl", "--exclude", "model-flags", "../testdata/corpus", "../testdata/samples"},
		{"--base64", "--include", "*.b64", "../testdata/corpus/check", "../testdata/samples/base64"},
		{"--sync-limit", "4096", "../testdata/corpus/check/sync-one-over.wav", "../testdata/corpus/check/sync-over-and-stereo.wav"},
		{"--check-auth", "../testdata/samples/hello-16k-mono.wav"},
		{"--check-auth", "--token", "abcd efgh1234", "../testdata/samples/hello-16k-mono.wav"},
		{"s3://bucket/key.wav", "ftp://example.com/a.wav"},
	}
	type finding struct{ Name, Step, Detail string }
	for _, args := range runs {
		for _, req := range []string{"unscripted", "scripted"} {
			_, out, stderr := run(t, nil, "", append([]string{"check", "-o", "json", "--request", req}, args...)...)
			var doc struct {
				// The Authorization header is the run's: its findings
				// and its hint are reported once, not with each input.
				Auth *struct {
					Findings []finding `json:"findings"`
					Hint     string    `json:"hint"`
				} `json:"auth"`
				Results []struct {
					Input    string    `json:"input"`
					Accepted bool      `json:"accepted"`
					Error    string    `json:"error"`
					Hint     string    `json:"hint"`
					Findings []finding `json:"findings"`
				} `json:"results"`
			}
			if err := json.Unmarshal([]byte(out), &doc); err != nil {
				t.Fatalf("%v: %v: %q (stderr %q)", args, err, out, stderr)
			}
			if len(doc.Results) == 0 {
				t.Fatalf("%v: no results", args)
			}
			if doc.Auth != nil && len(doc.Auth.Findings) > 0 && doc.Auth.Hint == "" {
				t.Errorf("%v (%s): the Authorization header fails (%v) with no hint", args, req, doc.Auth.Findings)
			}
			for _, r := range doc.Results {
				if r.Error != "" {
					continue
				}
				onlyAuth := len(r.Findings) > 0
				for _, f := range r.Findings {
					seen[f.Name] = true
					if f.Detail == "" {
						t.Errorf("%s (%s): %s at %s has no detail", r.Input, req, f.Name, f.Step)
					}
					onlyAuth = onlyAuth && f.Step == validate.StepAuth
				}
				if !r.Accepted && r.Hint == "" && !(onlyAuth && doc.Auth != nil && doc.Auth.Hint != "") {
					t.Errorf("%s (%s): rejected (%v) with no hint", r.Input, req, r.Findings)
				}
			}
		}
	}
	for _, e := range validate.Catalog() {
		if validate.Predictable(e.Name) && !seen[e.Name] {
			t.Errorf("no fixture gives %s", e.Name)
		}
	}
}

// TestHintsPassTheSanitiserUnchanged: every output escapes what could act
// on a terminal (safetext), so a hint that quoted such a name raw would be
// printed escaped — and would no longer name the file. Names holding an
// escape sequence, a line separator, a bidirectional override or a byte
// that is not UTF-8 are quoted $'…' instead, which the sanitiser leaves
// as it is: the text output prints the very command the JSON output
// gives.
func TestHintsPassTheSanitiserUnchanged(t *testing.T) {
	mp3, err := os.ReadFile(filepath.Join("..", "testdata", "samples", "hello.mp3"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, name := range []string{"esc \x1b[2J\x1b]0;title\x07.mp3", "line\u2028sep.mp3", "x\u202egpj.mp3", "bad\xffname.mp3", "c1 \u009b2J.mp3"} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, mp3, 0o644); err != nil {
			t.Fatal(err)
		}
		r := checkOne(t, nil, path)
		if r.Hint == "" || !strings.Contains(r.Hint, "$'") {
			t.Fatalf("%q: the hint does not quote the name $'…': %q", name, r.Hint)
		}
		if !safetext.Safe(r.Hint) {
			t.Errorf("%q: the sanitiser would change the hint %q into %q", name, r.Hint, safetext.Escape(r.Hint))
		}
		_, text, _ := run(t, nil, "", "check", path)
		if !strings.Contains(text, "hint:    "+r.Hint+"\n") {
			t.Errorf("%q: the text output does not print the hint as it runs, %q:\n%s", name, r.Hint, text)
		}
	}
}
