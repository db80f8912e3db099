package check

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/audiopreflight/audiopreflight/internal/oracle"
	"github.com/audiopreflight/audiopreflight/internal/remote"
	"github.com/audiopreflight/audiopreflight/internal/remote/remotetest"
	"github.com/audiopreflight/audiopreflight/internal/report"
	"github.com/audiopreflight/audiopreflight/internal/run"
	"github.com/audiopreflight/audiopreflight/internal/spool"
	"github.com/audiopreflight/audiopreflight/validate"
)

// TestStdinVerdictsEqualFileVerdicts reads every committed corpus file as
// standard input, full and header-only: the verdict is the file's (a
// header check of a stream may leave more undecided, never decide
// otherwise).
func TestStdinVerdictsEqualFileVerdicts(t *testing.T) {
	compared := 0
	for _, dir := range corpusDirs(t) {
		limit := modelSyncLimit(t, dir)
		for _, req := range []string{validate.Unscripted, validate.Scripted} {
			for _, v := range oracle.MustLoad(t, filepath.Join(dir, "expected-"+req+".jsonl")) {
				name := filepath.Join(dir, v.Input)
				data, err := os.ReadFile(name)
				if err != nil {
					t.Fatal(err)
				}
				b64 := strings.HasSuffix(v.Input, ".b64")
				for _, headerOnly := range []bool{false, true} {
					r := validate.Request{Type: req, SyncLimit: limit, HeaderOnly: headerOnly}
					file := (&Checker{Request: r, Base64: b64}).Check(context.Background(), Target{Name: name, Source: report.SourceFile})
					stdin := (&Checker{Request: r, Base64: b64, Stdin: bytes.NewReader(data)}).Check(context.Background(), Target{Name: "-", Source: report.SourceStdin})
					fromName(file, stdin, name)
					want, got := comparable(file), comparable(stdin)
					if got != want && !(headerOnly && stdin.Status == report.StatusUndecided) {
						t.Errorf("%s (%s, header only %v): from standard input %s, from the file %s", name, req, headerOnly, got, want)
					}
					compared++
				}
			}
		}
	}
	if compared == 0 {
		t.Fatal("nothing compared")
	}
}

// fromName blanks in file's result an audio_format the server took from
// the input's name (scripted, a format it cannot open, whose signature
// says nothing): standard input has no name to take it from.
func fromName(file, stdin *report.Result, name string) {
	e, s := file.Exception, stdin.Exception
	if e != nil && s != nil && s.Parameters["audio_format"] == "unknown" && e.Parameters["audio_format"] == strings.ToLower(strings.TrimPrefix(filepath.Ext(name), ".")) {
		e.Parameters = map[string]string{"audio_format": "unknown"}
	}
}

// wavHeader is a 16 kHz mono 16-bit WAV header for n bytes of samples.
func wavHeader(n uint32) []byte {
	h := make([]byte, 44)
	copy(h, "RIFF")
	binary.LittleEndian.PutUint32(h[4:], 36+n)
	copy(h[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(h[16:], 16)
	binary.LittleEndian.PutUint16(h[20:], 1)
	binary.LittleEndian.PutUint16(h[22:], 1)
	binary.LittleEndian.PutUint32(h[24:], 16000)
	binary.LittleEndian.PutUint32(h[28:], 32000)
	binary.LittleEndian.PutUint16(h[32:], 2)
	binary.LittleEndian.PutUint16(h[34:], 16)
	copy(h[36:], "data")
	binary.LittleEndian.PutUint32(h[40:], n)
	return h
}

// bigWAV is a stream of a valid WAV of n bytes of samples, made as it is
// read (no memory of its own).
func bigWAV(n uint32) io.Reader {
	return io.MultiReader(bytes.NewReader(wavHeader(n)), io.LimitReader(zeros{}, int64(n)))
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// allocated runs f and returns the bytes it allocated.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestStdinIsHeldInBoundedMemory: 64 MiB of standard input costs a few MiB
// of memory, in a header check (head and tail kept, the rest counted) and
// in a full check (spooled to a file that is gone afterwards).
func TestStdinIsHeldInBoundedMemory(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	for _, headerOnly := range []bool{true, false} {
		c := &Checker{Request: validate.Request{Type: validate.Unscripted, Async: true, SyncLimit: validate.DefaultSyncLimit, HeaderOnly: headerOnly}, Stdin: bigWAV(64 << 20)}
		var r *report.Result
		alloc := allocated(func() { r = c.Check(context.Background(), Target{Name: "-", Source: report.SourceStdin}) })
		if r.Error != "" || !r.Accepted || r.Audio == nil || r.Audio.Size != 64<<20+44 {
			t.Fatalf("header only %v: %+v", headerOnly, r)
		}
		if alloc > 8<<20 && !raceDetector {
			t.Errorf("header only %v: checking 64 MiB of standard input allocated %d bytes", headerOnly, alloc)
		}
		if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
			t.Errorf("header only %v: spool files left: %v", headerOnly, entries)
		}
	}
}

// TestStdinOverTheCap: past MaxInputSize, standard input is an input that
// cannot be checked, said plainly, and nothing stays on disk.
func TestStdinOverTheCap(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	for _, headerOnly := range []bool{true, false} {
		c := &Checker{Request: validate.Request{Type: validate.Unscripted, SyncLimit: validate.DefaultSyncLimit, HeaderOnly: headerOnly},
			Stdin: bigWAV(5 << 20), MaxInputSize: 4 << 20}
		r := c.Check(context.Background(), Target{Name: "-", Source: report.SourceStdin})
		if r.Error != "standard input is larger than 4 MiB (4194304 bytes), the most this tool copies of one input (--max-input-size)" {
			t.Errorf("header only %v: %q", headerOnly, r.Error)
		}
		if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
			t.Errorf("spool files left: %v", entries)
		}
	}
}

// TestHeaderCheckOfStdinBeyondItsWindows: headers that reach into the part
// of a stream a header check does not keep leave the steps from opening
// on undecided, and say why; the full check decides them.
func TestHeaderCheckOfStdinBeyondItsWindows(t *testing.T) {
	// A RIFF WAV whose fmt chunk comes after 3 MiB of another chunk: its
	// headers are in the middle.
	var b bytes.Buffer
	pad := 3 << 20
	b.WriteString("RIFF")
	binary.Write(&b, binary.LittleEndian, uint32(4+8+pad+8+16+8+320000))
	b.WriteString("WAVEjunk")
	binary.Write(&b, binary.LittleEndian, uint32(pad))
	b.Write(make([]byte, pad))
	b.Write(wavHeader(320000)[12:])
	b.Write(make([]byte, 320000))
	data := b.Bytes()
	r := (&Checker{Request: validate.Request{Type: validate.Unscripted, SyncLimit: validate.DefaultSyncLimit, HeaderOnly: true}, Stdin: bytes.NewReader(data)}).
		Check(context.Background(), Target{Name: "-", Source: report.SourceStdin})
	if r.Status != report.StatusUndecided || r.Exception != nil || strings.Join(r.Undecided, ",") != "open,format,length,decode,zero-frames" {
		t.Fatalf("header check: %+v", r)
	}
	if len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], "the first 1 MiB and the last 256 KiB of standard input") {
		t.Errorf("warnings %q", r.Warnings)
	}
	r = (&Checker{Request: validate.Request{Type: validate.Unscripted, SyncLimit: validate.DefaultSyncLimit}, Stdin: bytes.NewReader(data)}).
		Check(context.Background(), Target{Name: "-", Source: report.SourceStdin})
	if !r.Accepted || len(r.Undecided) != 0 {
		t.Fatalf("full check: %+v", r)
	}
}

// TestBase64IsDecodedAsAStream: base64 text is decoded as it is read, so
// its size does not show in memory, for a file and for standard input,
// and the verdict is the decoded file's.
func TestBase64IsDecodedAsAStream(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	dir := t.TempDir()
	name := filepath.Join(dir, "big.b64")
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	enc := base64.NewEncoder(base64.StdEncoding, &lineWrapper{w: f})
	io.Copy(enc, bigWAV(16<<20))
	enc.Close()
	f.Close()
	for _, headerOnly := range []bool{true, false} {
		for _, source := range []string{report.SourceFile, report.SourceStdin} {
			text, _ := os.Open(name)
			c := &Checker{Request: validate.Request{Type: validate.Unscripted, Async: true, SyncLimit: validate.DefaultSyncLimit, HeaderOnly: headerOnly}, Base64: true, Stdin: text}
			target := Target{Name: name, Source: source}
			if source == report.SourceStdin {
				target.Name = "-"
			}
			var r *report.Result
			alloc := allocated(func() { r = c.Check(context.Background(), target) })
			text.Close()
			if r.Error != "" || !r.Accepted || r.Audio.Size != 16<<20+44 {
				t.Fatalf("%s, header only %v: %+v", source, headerOnly, r)
			}
			if alloc > 8<<20 && !raceDetector {
				t.Errorf("%s, header only %v: decoding 21 MiB of base64 allocated %d bytes", source, headerOnly, alloc)
			}
		}
	}
}

// lineWrapper breaks base64 text into lines of 76 characters, as MIME
// encoders do.
type lineWrapper struct {
	w   io.Writer
	col int
}

func (l *lineWrapper) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		k := min(76-l.col, len(p))
		if _, err := l.w.Write(p[:k]); err != nil {
			return 0, err
		}
		p, l.col = p[k:], l.col+k
		if l.col == 76 {
			l.w.Write([]byte("\r\n"))
			l.col = 0
		}
	}
	return n, nil
}

// TestErrorsDoNotRepeatTheInput: the result names the input; its error
// says what is wrong.
func TestErrorsDoNotRepeatTheInput(t *testing.T) {
	c := &Checker{Request: validate.Request{Type: validate.Unscripted, SyncLimit: validate.DefaultSyncLimit}}
	r := c.Check(context.Background(), Target{Name: "no/such/x.wav", Source: report.SourceFile})
	if r.Error != "no such file or directory" {
		t.Errorf("error %q", r.Error)
	}
	_, _, err := c.Inspect(context.Background(), Target{Name: "no/such/x.wav", Source: report.SourceFile})
	if err == nil || err.Error() != "no such file or directory" {
		t.Errorf("Inspect error %v", err)
	}
}

// TestURLHeaderChecksStayWithinTheWindow: over a server that ignores
// Range, a header check of a 2.5 MB MP3 (whose reader looks at its end)
// reads no more than the window and leaves the steps from opening on
// undecided; a lengthless body over the sync limit is AudioTooBigForSync
// from counting alone; a body that inflates past the cap in a full check
// is an input too large.
func TestURLHeaderChecksStayWithinTheWindow(t *testing.T) {
	mp3 := synthMP3(6000)
	srv := remotetest.New(t)
	srv.AddBytes("/whole.mp3", mp3, remotetest.Behaviour{IgnoreRange: true})
	srv.AddBytes("/chunked.mp3", mp3, remotetest.Behaviour{IgnoreRange: true, Chunked: true})
	srv.AddBytes("/ranged.mp3", mp3, remotetest.Behaviour{})
	big := bytes.NewBuffer(wavHeader(12 << 20))
	big.Write(make([]byte, 12<<20))
	srv.AddBytes("/big.wav", big.Bytes(), remotetest.Behaviour{IgnoreRange: true, Gzip: true})

	headerCheck := func(path string, mode string) (*report.Result, *remote.Client) {
		opts := srv.Options()
		opts.HeaderOnly = true
		req := validate.Request{Type: validate.Unscripted, SyncLimit: validate.DefaultSyncLimit, HeaderOnly: true, Async: mode == "async"}
		if !req.Async {
			opts.CountTo = req.SyncLimit + 1
		}
		client := remote.NewClient(opts)
		return (&Checker{Request: req, Remote: client}).Check(context.Background(), Target{Name: srv.URL(path), Source: report.SourceURL}), client
	}
	r, _ := headerCheck("/ranged.mp3", "sync")
	if r.Exception == nil || r.Exception.Name != validate.InvalidAudioFormat || strings.Join(r.Undecided, ",") != "decode,zero-frames" {
		t.Errorf("ranged: %+v", r)
	}
	for _, path := range []string{"/whole.mp3", "/chunked.mp3"} {
		srv.ResetCounts()
		r, _ := headerCheck(path, "async")
		if r.Status != report.StatusUndecided || r.Exception != nil || strings.Join(r.Undecided, ",") != "open,format,length,decode,zero-frames" || len(r.Warnings) == 0 {
			t.Errorf("%s: %+v", path, r)
		}
		t.Logf("%s: %q", path, r.Warnings)
	}
	r, _ = headerCheck("/big.wav", "sync")
	if r.Exception == nil || r.Exception.Name != validate.AudioTooBigForSync || strings.Join(r.Undecided, ",") != "open,format,length,decode,zero-frames" {
		t.Errorf("lengthless body over the sync limit: %+v", r)
	}

	// A full check caps what it inflates.
	opts := srv.Options()
	opts.MaxSize = 8 << 20
	c := &Checker{Request: validate.Request{Type: validate.Unscripted, SyncLimit: validate.DefaultSyncLimit}, Remote: remote.NewClient(opts), MaxInputSize: 8 << 20}
	r = c.Check(context.Background(), Target{Name: srv.URL("/big.wav"), Source: report.SourceURL})
	if r.Error != "the inflated body is larger than 8 MiB (8388608 bytes), the most this tool copies of one input (--max-input-size)" {
		t.Errorf("full check of a body inflating past the cap: %+v", r)
	}
	// A body whose length says it is over the cap is not downloaded.
	srv.AddBytes("/big-plain.wav", big.Bytes(), remotetest.Behaviour{})
	srv.ResetCounts()
	r = c.Check(context.Background(), Target{Name: srv.URL("/big-plain.wav"), Source: report.SourceURL})
	if !strings.HasPrefix(r.Error, "the body is larger than 8 MiB") {
		t.Errorf("full check of a body over the cap: %+v", r)
	}
}

// synthMP3 is an MP3 stream of n frames (MPEG-1 Layer III, 128 kbit/s,
// 44.1 kHz, silent): the server's reader looks for an ID3v1 tag at its end.
func synthMP3(n int) []byte {
	frame := append([]byte{0xff, 0xfb, 0x90, 0x64}, make([]byte, 413)...)
	return bytes.Repeat(frame, n)
}

// TestSpoolsAreGated: however many jobs run, no more inputs than the gate
// allows are being spooled at once — for base64 over HTTP, not even
// downloaded.
func TestSpoolsAreGated(t *testing.T) {
	wav, err := os.ReadFile("../../testdata/samples/hello-16k-mono.wav")
	if err != nil {
		t.Fatal(err)
	}
	text := []byte(base64.StdEncoding.EncodeToString(wav))
	srv := remotetest.New(t)
	var mu sync.Mutex
	inFlight, most := 0, 0
	srv.Handle("/a.b64", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		inFlight++
		most = max(most, inFlight)
		mu.Unlock()
		time.Sleep(30 * time.Millisecond)
		w.Write(text)
		mu.Lock()
		inFlight--
		mu.Unlock()
	})
	c := &Checker{Request: validate.Request{Type: validate.Unscripted, SyncLimit: validate.DefaultSyncLimit}, Base64: true,
		Remote: remote.NewClient(srv.Options()), Spools: spool.NewGate(2)}
	var targets []Target
	for range 16 {
		targets = append(targets, Target{Name: srv.URL("/a.b64"), Source: report.SourceURL})
	}
	accepted := 0
	err = c.Run(context.Background(), run.Slice(targets), RunOptions{Jobs: 16}, func(r *report.Result) error {
		if r.Status == report.StatusAccepted {
			accepted++
		}
		return nil
	})
	if err != nil || accepted != 16 {
		t.Fatalf("%d of 16 accepted, %v", accepted, err)
	}
	if most > 2 || most == 0 {
		t.Errorf("%d base64 downloads at once with a gate of 2", most)
	}
}
