package preflight_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/audiopreflight/audiopreflight/cmd"
	"github.com/audiopreflight/audiopreflight/internal/oracle"
	"github.com/audiopreflight/audiopreflight/internal/remote/remotetest"
	"github.com/audiopreflight/audiopreflight/preflight"
)

// cliLines runs `audiopreflight check -o jsonl` on names with flags, in
// process, and returns its lines.
func cliLines(t *testing.T, flags []string, names []string) [][]byte {
	t.Helper()
	var stdout, stderr bytes.Buffer
	args := append([]string{"check", "-o", "jsonl", "--quiet=false"}, flags...)
	args = append(args, "--")
	if code := cmd.Execute(append(args, names...), strings.NewReader(""), &stdout, &stderr); code != 0 && code != 1 && code != 2 {
		t.Fatalf("check %v: exit %d: %s", flags, code, stderr.String())
	}
	lines := bytes.Split(bytes.TrimSuffix(stdout.Bytes(), []byte("\n")), []byte("\n"))
	if len(lines) != len(names) {
		t.Fatalf("check %v: %d lines for %d inputs", flags, len(lines), len(names))
	}
	return lines
}

// line is r's JSON as the command writes it.
func line(t *testing.T, r *preflight.Result) []byte {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// TestCheckIsTheCLIsJSONLLine checks every input of the committed corpus
// and the samples with both request types, full and header-only, as a
// File, and the samples as Bytes, a ReaderAt and a Reader named like the
// file: each result's JSON must be the line `check -o jsonl` prints for
// the file, byte for byte.
func TestCheckIsTheCLIsJSONLLine(t *testing.T) {
	t.Chdir("..")
	dirs, err := filepath.Glob("testdata/corpus/*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no corpus: %v", err)
	}
	dirs = append(dirs, "testdata/samples")
	type variant struct {
		flags []string
		req   preflight.Request
	}
	variants := []variant{
		{[]string{"--request", "unscripted"}, preflight.Request{Type: preflight.Unscripted}},
		{[]string{"--request", "scripted"}, preflight.Request{Type: preflight.Scripted}},
		{[]string{"--request", "unscripted", "--header-only"}, preflight.Request{HeaderOnly: true}},
		{[]string{"--request", "scripted", "--header-only"}, preflight.Request{Type: preflight.Scripted, HeaderOnly: true}},
		{[]string{"--mode", "async", "--sync-limit", "4096"}, preflight.Request{Async: true, SyncLimit: 4096}},
		{[]string{"--sync-limit", "4096"}, preflight.Request{SyncLimit: 4096}},
	}
	ctx := context.Background()
	var c preflight.Checker
	compared := 0
	for _, dir := range dirs {
		var names []string
		for _, v := range oracle.MustLoad(t, filepath.Join(dir, "expected-unscripted.jsonl")) {
			names = append(names, filepath.ToSlash(filepath.Join(dir, v.Input)))
		}
		samples := filepath.Base(dir) == "samples"
		for _, v := range variants {
			want := cliLines(t, v.flags, names)
			for i, name := range names {
				r, err := c.Check(ctx, preflight.File(name), v.req)
				if err != nil {
					t.Fatalf("%s %v: %v", name, v.flags, err)
				}
				if got := line(t, r); !bytes.Equal(got, want[i]) {
					t.Errorf("%s %v:\n got %s\nwant %s", name, v.flags, got, want[i])
				}
				compared++
				if !samples {
					continue
				}
				data, err := os.ReadFile(name)
				if err != nil {
					t.Fatal(err)
				}
				req := v.req
				req.Name = name
				for _, in := range []preflight.Input{preflight.Bytes(data), preflight.ReaderAt(bytes.NewReader(data), int64(len(data))),
					preflight.Reader(bytes.NewReader(data))} {
					r, err := c.Check(ctx, in, req)
					if err != nil {
						t.Fatal(err)
					}
					if got := line(t, r); !bytes.Equal(got, want[i]) {
						t.Errorf("%s %v as bytes:\n got %s\nwant %s", name, v.flags, got, want[i])
					}
				}
			}
		}
	}
	if compared < 4*1400 {
		t.Errorf("compared %d results, want every corpus input with both request types, full and header-only", compared)
	}
}

// TestBase64IsTheCLIs: base64 text, as bytes or a file, is decoded as the
// command decodes it.
func TestBase64IsTheCLIs(t *testing.T) {
	t.Chdir("..")
	names, err := filepath.Glob("testdata/samples/base64/*")
	if err != nil || len(names) == 0 {
		t.Fatalf("no base64 samples: %v", err)
	}
	want := cliLines(t, []string{"--base64"}, names)
	for i, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, in := range []preflight.Input{preflight.File(name), preflight.Bytes(data)} {
			r, err := preflight.Check(context.Background(), in, preflight.Request{Base64: true, Name: name})
			if err != nil {
				t.Fatal(err)
			}
			if got := line(t, r); !bytes.Equal(got, want[i]) {
				t.Errorf("%s:\n got %s\nwant %s", name, got, want[i])
			}
		}
	}
}

// TestUnreadableInputIsAnErrorResult: an input that cannot be read is a
// result naming it, as the command reports it, not an error return.
func TestUnreadableInputIsAnErrorResult(t *testing.T) {
	r, err := preflight.Check(context.Background(), preflight.File("no/such.wav"), preflight.Request{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != preflight.StatusError || r.Input != "no/such.wav" || !strings.Contains(r.Error, "no such file") {
		t.Errorf("%+v", r)
	}
	if _, err := preflight.Check(context.Background(), preflight.Input{}, preflight.Request{}); err == nil {
		t.Error("a zero Input is no error")
	}
	if _, err := preflight.Check(context.Background(), preflight.Bytes(nil), preflight.Request{Type: "batch"}); err == nil {
		t.Error("an unknown request type is no error")
	}
}

// slowReader gives its bytes one at a time and cancels ctx once it has
// given n.
type slowReader struct {
	r      io.Reader
	n      int
	cancel func()
}

func (s *slowReader) Read(p []byte) (int, error) {
	if s.n--; s.n == 0 {
		s.cancel()
	}
	return s.r.Read(p[:1])
}

// TestCancelStopsTheCheck: a check whose context is cancelled while it
// reads returns the context's error, having read no further than a read
// past the cancellation — a stream is not read to its end.
func TestCancelStopsTheCheck(t *testing.T) {
	data, err := os.ReadFile("../testdata/samples/hello-16k-mono.wav")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	src := bytes.NewReader(data)
	_, err = preflight.Check(ctx, preflight.Reader(&slowReader{r: src, n: 100, cancel: cancel}), preflight.Request{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err %v, want context.Canceled", err)
	}
	// A cancelled context stops a check before it starts.
	if _, err := preflight.Check(ctx, preflight.Bytes(data), preflight.Request{}); !errors.Is(err, context.Canceled) {
		t.Errorf("err %v, want context.Canceled", err)
	}
	// And a URL's download.
	srv := remotetest.New(t)
	srv.AddBytes("/a.wav", data, remotetest.Behaviour{})
	c := preflight.Checker{AllowPrivateURLs: true}
	defer c.CloseIdleConnections()
	if _, err := c.Check(ctx, preflight.URL(srv.URL("/a.wav")), preflight.Request{}); !errors.Is(err, context.Canceled) {
		t.Errorf("URL: err %v, want context.Canceled", err)
	}
}

// TestCheckersAreIndependent: two Checkers with different limits, used at
// once from many goroutines, each give the results of their own limit.
func TestCheckersAreIndependent(t *testing.T) {
	data, err := os.ReadFile("../testdata/samples/hello-16k-mono.wav")
	if err != nil {
		t.Fatal(err)
	}
	small := &preflight.Checker{MaxInputSize: 1000}
	large := &preflight.Checker{}
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		wg.Add(2)
		go func() {
			defer wg.Done()
			r, err := small.Check(context.Background(), preflight.Reader(bytes.NewReader(data)), preflight.Request{})
			if err != nil || r.Status != preflight.StatusError || !strings.Contains(r.Error, "the stream is larger than 1 kB (1000 bytes), the most this tool copies of one input (Checker.MaxInputSize)") {
				t.Errorf("small: %v %+v", err, r)
			}
		}()
		go func() {
			defer wg.Done()
			r, err := large.Check(context.Background(), preflight.Reader(bytes.NewReader(data)), preflight.Request{})
			if err != nil || r.Status != preflight.StatusAccepted {
				t.Errorf("large: %v %+v", err, r)
			}
		}()
	}
	wg.Wait()
}

// TestURLIsTheCLIs: a URL on a loopback server gives the command's line
// with --allow-private-urls, and without it the command's refusal (the
// API never downloads from such a host).
func TestURLIsTheCLIs(t *testing.T) {
	srv := remotetest.New(t)
	names := srv.AddDir("../testdata/samples", remotetest.Behaviour{})
	var urls []string
	for _, n := range names {
		if strings.HasSuffix(n, ".jsonl") {
			continue
		}
		urls = append(urls, srv.URL(n))
	}
	if len(urls) < 5 {
		t.Fatalf("%d URLs", len(urls))
	}
	for _, allow := range []bool{true, false} {
		for _, headerOnly := range []bool{false, true} {
			var flags []string
			if allow {
				flags = append(flags, "--allow-private-urls")
			}
			if headerOnly {
				flags = append(flags, "--header-only")
			}
			want := cliLines(t, flags, urls)
			c := preflight.Checker{AllowPrivateURLs: allow}
			for i, u := range urls {
				r, err := c.Check(context.Background(), preflight.URL(u), preflight.Request{HeaderOnly: headerOnly})
				if err != nil {
					t.Fatal(err)
				}
				if got := line(t, r); !bytes.Equal(got, want[i]) {
					t.Errorf("%s %v:\n got %s\nwant %s", u, flags, got, want[i])
				}
				if !allow && (r.Exception == nil || r.Exception.Name != "FailedToReadAudioFromURL") {
					t.Errorf("%s: a loopback URL is not refused: %+v", u, r)
				}
			}
			c.CloseIdleConnections()
		}
	}
}

// TestMisuseIsAnError: what Check cannot be asked is an error return, and
// a directory as a File is a result naming it.
func TestMisuseIsAnError(t *testing.T) {
	if _, err := preflight.Check(context.Background(), preflight.Bytes(nil), preflight.Request{SyncLimit: -1}); err == nil {
		t.Error("a negative sync limit is no error")
	}
	r, err := preflight.Check(context.Background(), preflight.File("../testdata"), preflight.Request{})
	if err != nil || r.Status != preflight.StatusError || r.Error != "not a regular file" {
		t.Errorf("%v %+v", err, r)
	}
}

// A result keeps nothing of the format's reading state (Info.Detail): it is
// spent once the header or the audio is read, and what it reads through —
// the input, the engine's reused head buffer — is not the result's.
func TestResultsKeepNoReadingState(t *testing.T) {
	for _, name := range []string{"ogg/broken-5s-crc10.opus", "flac/11k-8bit.flac", "wav/acid.wav"} {
		for _, headerOnly := range []bool{true, false} {
			r, err := preflight.Check(context.Background(), preflight.File(filepath.Join("..", "testdata", "corpus", name)),
				preflight.Request{HeaderOnly: headerOnly})
			if err != nil {
				t.Fatal(err)
			}
			if r.Audio == nil || r.Error != "" {
				t.Fatalf("%s: %+v", name, r)
			}
			if r.Audio.Detail != nil {
				t.Errorf("%s, header only %v: the result keeps the format's state %T", name, headerOnly, r.Audio.Detail)
			}
		}
	}
}
