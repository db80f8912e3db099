package fix

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/audiopreflight/audiopreflight/internal/convert"
	"github.com/audiopreflight/audiopreflight/internal/encode"
	"github.com/audiopreflight/audiopreflight/internal/oggmux"
	"github.com/audiopreflight/audiopreflight/internal/webm/webmtest"
	"github.com/audiopreflight/audiopreflight/validate"
)

const (
	samples = "../../testdata/samples/"
	fixIn   = "../../testdata/corpus/fix/in/"
)

// syncReq is check's default request: unscripted, sync, 10 MiB.
var syncReq = validate.Request{Type: validate.Unscripted, SyncLimit: validate.DefaultSyncLimit}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func prepare(t testing.TB, name string, data []byte, opts Options) *Job {
	t.Helper()
	if opts.Request.Type == "" {
		opts.Request = syncReq
	}
	j, err := Prepare(Input{Name: name, R: bytes.NewReader(data), Size: int64(len(data))}, opts)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return j
}

// pcmWAV is a canonical 16-bit WAV of noise (noise does not compress:
// the FLAC of it is large).
func pcmWAV(rate, channels int, seconds float64, seed uint64) []byte {
	frames := int(seconds * float64(rate))
	data := make([]byte, frames*channels*2)
	rng := rand.New(rand.NewPCG(seed, 1))
	for i := 0; i < len(data); i += 2 {
		binary.LittleEndian.PutUint16(data[i:], uint16(int16(rng.IntN(20000)-10000)))
	}
	b := []byte("RIFF")
	b = binary.LittleEndian.AppendUint32(b, uint32(36+len(data)))
	b = append(b, "WAVEfmt "...)
	b = binary.LittleEndian.AppendUint32(b, 16)
	b = binary.LittleEndian.AppendUint16(b, 1)
	b = binary.LittleEndian.AppendUint16(b, uint16(channels))
	b = binary.LittleEndian.AppendUint32(b, uint32(rate))
	b = binary.LittleEndian.AppendUint32(b, uint32(rate*channels*2))
	b = binary.LittleEndian.AppendUint16(b, uint16(channels*2))
	b = binary.LittleEndian.AppendUint16(b, 16)
	b = append(b, "data"...)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(data)))
	return append(b, data...)
}

// surroundOpus is an Ogg-Opus stream whose OpusHead declares 6 channels
// in 4 streams: no header rewrite makes one channel of it.
func surroundOpus(t *testing.T) []byte {
	head := append(append(webmtest.OpusHead(6, 312, 48000)[:18], 1), 4, 2, 0, 4, 1, 2, 3, 5)
	var b bytes.Buffer
	w := oggmux.NewWriter(&b, 7)
	for _, h := range [][]byte{head, []byte("OpusTags\x00\x00\x00\x00\x00\x00\x00\x00")} {
		if err := w.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 50 {
		if err := w.WritePacket([]byte{0xfc, 0xff, 0xfe}, int64(960*(i+1)), 960); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestPrepareChoosesTheWay: accepted inputs are left alone, the lossless
// paths come first, then decoding here, then an external decoder; inputs
// with nothing to decode get the reason.
func TestPrepareChoosesTheWay(t *testing.T) {
	stereo := pcmWAV(44100, 2, 2, 1)
	tests := []struct {
		name   string
		file   string
		data   []byte
		opts   Options
		method Method
		ext    string
		why    string
	}{
		{"accepted as it is", "hello-16k-mono.wav", readFile(t, samples+"hello-16k-mono.wav"), Options{}, MethodNone, "", ""},
		{"accepted, forced", "hello-16k-mono.wav", readFile(t, samples+"hello-16k-mono.wav"), Options{Force: true}, MethodDecode, ".wav", ""},
		{"48 kHz stereo Ogg-Opus", "a.opus", readFile(t, fixIn+"opusenc-48k-stereo.opus"), Options{}, MethodOpusHeader, ".opus", ""},
		{"a Chrome recording", "a.webm", readFile(t, fixIn+"chrome-stereo.webm"), Options{}, MethodOpusRemux, ".opus", ""},
		{"a streaming WAV", "a.wav", readFile(t, fixIn+"stream-sizes-0.wav"), Options{}, MethodWAVHeader, ".wav", ""},
		{"44.1 kHz stereo FLAC", "a.flac", readFile(t, samples+"hello-44k-stereo.flac"), Options{}, MethodDecode, ".wav", ""},
		{"FLAC asked for", "a.flac", readFile(t, samples+"hello-44k-stereo.flac"), Options{Format: encode.FLAC}, MethodDecode, ".flac", ""},
		{"MP3", "a.mp3", readFile(t, samples+"hello.mp3"), Options{}, MethodDecode, ".wav", ""},
		{"M4A", "a.m4a", readFile(t, samples+"hello.m4a"), Options{}, MethodExternal, ".wav", "the tool does not decode m4a"},
		{"IMA ADPCM", "a.wav", readFile(t, "../pcm/testdata/no-wav-ima.wav"), Options{}, MethodExternal, ".wav", "does not decode wav adpcm_ima_wav"},
		{"MP3 that go-mp3 misreads", "a.mp3", readFile(t, "../pcm/testdata/no-mp3-22k-32k.mp3"), Options{}, MethodExternal, ".wav", "go-mp3 misreads the size of the padded frame"},
		{"surround Ogg-Opus", "a.opus", surroundOpus(t), Options{}, MethodExternal, ".wav", "4 Opus streams"},
		{"empty", "a.wav", nil, Options{}, MethodNone, "", "the input is empty"},
		{"JSON", "a.wav", []byte(`{"error": "no audio"}`), Options{}, MethodNone, "", "it is not audio: it looks like"},
		{"gzip", "a.wav.gz", []byte("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + strings.Repeat("x", 40)), Options{}, MethodNone, "", "unpack it first (gzip -dkc a.wav.gz > OUT)"},
		{"unknown binary", "a.bin", []byte("\x01\x02\x03\x04\x05\x06\x07\x08\x09\x00\x01\x02\x03\x04\x05\x06\x07\x08"), Options{}, MethodExternal, ".wav", "the tool does not recognise this format (binary data"},
		{"WAV asked for, too big for sync", "a.wav", stereo, Options{Format: encode.WAV, Request: validate.Request{Type: validate.Unscripted, SyncLimit: 50000}}, MethodNone, "",
			"as 16 kHz mono WAV it would be 64 kB (64,044 bytes), over the sync limit of 50 kB (50,000 bytes): leave --format out"},
		{"too big for sync as WAV: FLAC", "a.wav", stereo, Options{Request: validate.Request{Type: validate.Unscripted, SyncLimit: 50000}}, MethodDecode, ".flac", ""},
		{"too big for sync, async", "a.wav", stereo, Options{Request: validate.Request{Type: validate.Unscripted, Async: true, SyncLimit: 50000}}, MethodDecode, ".wav", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := prepare(t, tt.file, tt.data, tt.opts)
			if j.Method != tt.method || j.Ext != tt.ext || !strings.Contains(j.Why, tt.why) || (tt.why == "") != (j.Why == "") {
				t.Fatalf("method %q, ext %q, why %q; want %q, %q, %q", j.Method, j.Ext, j.Why, tt.method, tt.ext, tt.why)
			}
			if j.Accepted() != (tt.method == MethodNone && tt.why == "") || j.Fixable() != (tt.method != MethodNone) {
				t.Errorf("Accepted %v, Fixable %v", j.Accepted(), j.Fixable())
			}
			if j.Method.Lossless() != (tt.method == MethodOpusHeader || tt.method == MethodOpusRemux || tt.method == MethodWAVHeader) {
				t.Errorf("Lossless %v", j.Method.Lossless())
			}
			if j.Method != MethodNone && j.Method != MethodExternal && len(j.Steps) == 0 {
				t.Error("no steps")
			}
		})
	}
}

// writeAndCheck writes the job's output into a file and checks it with the
// engine; it returns the output and the check.
func writeAndCheck(t *testing.T, j *Job, req validate.Request) (*Outcome, *Checked, []byte) {
	t.Helper()
	f, err := os.Create(filepath.Join(t.TempDir(), "out"+j.Ext))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	o, err := j.Write(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(f.Name())
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(b)) != o.Written {
		t.Errorf("Written %d, the file holds %d bytes", o.Written, len(b))
	}
	c, err := Check(req, "out"+j.Ext, bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	return o, c, b
}

// TestEveryWayIsAccepted: what each way writes is accepted by the check
// engine and lasts what the input lasts for the API's reader (to 20 ms).
func TestEveryWayIsAccepted(t *testing.T) {
	for _, tc := range []struct {
		path    string
		seconds float64 // the input's duration, where the reader cannot see it
	}{
		{fixIn + "opusenc-48k-stereo.opus", 0},
		{fixIn + "chrome-stereo.webm", 1.5},
		{fixIn + "chrome-long-timeslice.webm", 3.96},
		{fixIn + "stream-sizes-0.wav", 99846 / 32000.0},
		{fixIn + "sox.w64", 0},
		{samples + "hello-44k-stereo.flac", 0},
		{samples + "hello.mp3", 0},
		{"../pcm/testdata/vorbis-44k-stereo.ogg", 0},
		{"../pcm/testdata/alac-s24-48k-mono.caf", 0},
		{"../pcm/testdata/aifc-ulaw.aifc", 0},
	} {
		t.Run(filepath.Base(tc.path), func(t *testing.T) {
			data := readFile(t, tc.path)
			j := prepare(t, filepath.Base(tc.path), data, Options{})
			if !j.Fixable() || j.Method == MethodExternal {
				t.Fatalf("method %q: %s", j.Method, j.Why)
			}
			_, c, _ := writeAndCheck(t, j, syncReq)
			if !c.Decision.Accepted() {
				t.Fatalf("not accepted: %+v", c.Decision.Verdict())
			}
			want := tc.seconds
			if want == 0 {
				want = j.Checked.Seconds()
			}
			if got := c.Seconds(); math.Abs(got-want) > 0.020 {
				t.Errorf("%.4f s in, %.4f s out", want, got)
			}
		})
	}
}

// TestMaxDurationCuts: --max-duration cuts a decoded input, and sends an
// input a lossless path would fix, but too long, to decoding (from the
// repaired header) or to the external decoder (Opus).
func TestMaxDurationCuts(t *testing.T) {
	long := pcmWAV(44100, 2, 3, 2)
	j := prepare(t, "a.wav", long, Options{MaxDuration: time.Second})
	if j.Method != MethodDecode || j.Cut != time.Second || len(j.Notes) != 1 || !strings.Contains(j.Notes[0], "2.000 s of 3.000 s left out") {
		t.Fatalf("method %q, cut %v, notes %q", j.Method, j.Cut, j.Notes)
	}
	o, c, _ := writeAndCheck(t, j, syncReq)
	if o.Frames != 16000 || c.Evidence.Info.Frames != 16000 || !c.Decision.Accepted() {
		t.Errorf("%d samples written, %d read", o.Frames, c.Evidence.Info.Frames)
	}

	// shorter than the limit: nothing is cut
	j = prepare(t, "a.wav", long, Options{MaxDuration: time.Hour})
	if j.Cut != 0 || len(j.Notes) != 0 {
		t.Errorf("cut %v, notes %q", j.Cut, j.Notes)
	}

	// a streaming WAV of 3.12 s: decoded from the repaired header, cut
	j = prepare(t, "a.wav", readFile(t, fixIn+"stream-sizes-0.wav"), Options{MaxDuration: time.Second})
	if j.Method != MethodDecode || j.Cut != time.Second {
		t.Fatalf("streaming WAV: method %q, cut %v (%s)", j.Method, j.Cut, j.Why)
	}
	if o, c, _ := writeAndCheck(t, j, syncReq); o.Frames != 16000 || !c.Decision.Accepted() {
		t.Errorf("streaming WAV: %d samples", o.Frames)
	}

	// Opus is not decoded here
	for _, f := range []string{"opusenc-48k-stereo.opus", "chrome-long-timeslice.webm"} {
		j = prepare(t, f, readFile(t, fixIn+f), Options{MaxDuration: time.Second})
		if j.Method != MethodExternal || j.Cut != time.Second {
			t.Errorf("%s: method %q, cut %v", f, j.Method, j.Cut)
		}
		// and a limit past its end changes nothing
		if j = prepare(t, f, readFile(t, fixIn+f), Options{MaxDuration: time.Minute}); !j.Method.Lossless() {
			t.Errorf("%s under a minute: method %q", f, j.Method)
		}
	}
}

// TestTooBigForSync: noise does not compress, so even its FLAC is over a
// small sync limit: the output is written, and the error says by how much
// and how long a part would fit.
func TestTooBigForSync(t *testing.T) {
	req := validate.Request{Type: validate.Unscripted, SyncLimit: 50000}
	j := prepare(t, "a.wav", pcmWAV(44100, 2, 4, 3), Options{Request: req})
	if j.Method != MethodDecode || j.Format != encode.FLAC {
		t.Fatalf("method %q, format %v", j.Method, j.Format)
	}
	var buf bytes.Buffer
	o, err := j.Write(&seekBuffer{b: &buf})
	var tb *TooBigError
	if !errors.As(err, &tb) {
		t.Fatalf("Write: %v", err)
	}
	if o == nil || tb.Size != o.Written || tb.Limit != 50000 || tb.Size <= tb.Limit || math.Abs(tb.Seconds-4) > 0.001 {
		t.Fatalf("%+v, outcome %+v", tb, o)
	}
	fit := tb.FittingDuration()
	if fit <= 0 || fit.Seconds() > 4*50000/float64(tb.Size) {
		t.Errorf("fits in %v", fit)
	}
	for _, s := range []string{"even as 16 kHz mono FLAC", "over the sync limit of 50 kB (50,000 bytes)", "--mode async", "--max-duration " + fit.String()} {
		if !strings.Contains(tb.Error(), s) {
			t.Errorf("%q lacks %q", tb.Error(), s)
		}
	}
	// the cut it suggests fits
	j = prepare(t, "a.wav", pcmWAV(44100, 2, 4, 3), Options{Request: req, MaxDuration: fit})
	if _, c, _ := writeAndCheck(t, j, req); !c.Decision.Accepted() {
		t.Errorf("cut to %v: %+v", fit, c.Decision.Verdict())
	}
}

// seekBuffer is an io.WriteSeeker in memory.
type seekBuffer struct {
	b   *bytes.Buffer
	pos int
}

func (s *seekBuffer) Write(p []byte) (int, error) {
	if s.pos == s.b.Len() {
		s.b.Write(p)
	} else {
		buf := s.b.Bytes()
		n := copy(buf[s.pos:], p)
		s.b.Write(p[n:])
	}
	s.pos += len(p)
	return len(p), nil
}

func (s *seekBuffer) Seek(off int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
		s.pos = int(off)
	case io.SeekCurrent:
		s.pos += int(off)
	case io.SeekEnd:
		s.pos = s.b.Len() + int(off)
	}
	return int64(s.pos), nil
}

// TestWriteRefuses: nothing to write, no audio, a second write.
func TestWriteRefuses(t *testing.T) {
	j := prepare(t, "a.wav", readFile(t, samples+"hello-16k-mono.wav"), Options{})
	if _, err := j.Write(io.Discard); !errors.Is(err, ErrNothingToWrite) {
		t.Errorf("accepted input: %v", err)
	}
	j = prepare(t, "a.m4a", readFile(t, samples+"hello.m4a"), Options{})
	if _, err := j.Write(io.Discard); !errors.Is(err, ErrNothingToWrite) {
		t.Errorf("external: %v", err)
	}
	j = prepare(t, "a.wav", readFile(t, samples+"no-audio.wav"), Options{})
	if _, err := j.Write(&seekBuffer{b: &bytes.Buffer{}}); !errors.Is(err, ErrNoAudio) {
		t.Errorf("no audio: %v", err)
	}
	j = prepare(t, "a.mp3", readFile(t, samples+"hello.mp3"), Options{})
	if _, err := j.Write(&seekBuffer{b: &bytes.Buffer{}}); err != nil {
		t.Fatal(err)
	}
	if _, err := j.Write(&seekBuffer{b: &bytes.Buffer{}}); !errors.Is(err, ErrWritten) {
		t.Errorf("second write: %v", err)
	}
}

// TestDamagedInputIsNoted: an input the API's reader fails on part way
// is decoded as far as it goes, and the job says so.
func TestDamagedInputIsNoted(t *testing.T) {
	data := readFile(t, samples+"hello-44k-stereo.flac")
	// a flipped byte in the middle of the frames: the frame's CRC fails
	bad := bytes.Clone(data)
	bad[len(bad)*2/3] ^= 0x55
	j := prepare(t, "a.flac", bad, Options{})
	if d := j.Checked.Decision; len(d.Findings) != 2 || d.Findings[1].Step != validate.StepDecode {
		t.Fatalf("the flipped byte does not fail the read: %+v", d.Findings)
	}
	if j.Method != MethodDecode || len(j.Notes) != 1 || !strings.Contains(j.Notes[0], "damaged") {
		t.Fatalf("method %q, notes %q", j.Method, j.Notes)
	}
}

// TestLosslessWritesNoDecodedAudio: the lossless paths keep every Opus
// packet and the WAV's audio bytes.
func TestLosslessWritesNoDecodedAudio(t *testing.T) {
	for _, f := range []string{"opusenc-48k-stereo.opus", "chrome-stereo.webm"} {
		j := prepare(t, f, readFile(t, fixIn+f), Options{})
		_, _, out := writeAndCheck(t, j, syncReq)
		got := oggPackets(t, out)
		if f == "opusenc-48k-stereo.opus" {
			if want := oggPackets(t, readFile(t, fixIn+f)); !slices.EqualFunc(got, want, bytes.Equal) {
				t.Errorf("%s: the packets differ", f)
			}
		} else if len(got) != 25 {
			t.Errorf("%s: %d packets", f, len(got))
		}
	}
	in := readFile(t, fixIn+"stream-sizes-0.wav")
	j := prepare(t, "a.wav", in, Options{})
	_, _, out := writeAndCheck(t, j, syncReq)
	if !bytes.HasSuffix(out, in[44:]) {
		t.Error("the WAV's audio bytes changed")
	}
}

// oggPackets are the audio packets of an Ogg-Opus stream.
func oggPackets(t *testing.T, b []byte) [][]byte {
	t.Helper()
	pk := oggmux.NewPacketReader(bytes.NewReader(b), int64(len(b)))
	var out [][]byte
	for i := 0; ; i++ {
		p, err := pk.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		if i >= 2 {
			out = append(out, bytes.Clone(p.Data))
		}
	}
}

// TestLimited: the frame limit ends a stream early and says so in its
// format.
func TestLimited(t *testing.T) {
	data := pcmWAV(16000, 2, 1, 4)
	j := prepare(t, "a.wav", data, Options{MaxDuration: 250 * time.Millisecond})
	if f := j.dec.Format(); f.Frames != 4000 {
		t.Fatalf("format %+v", f)
	}
	buf := make([]float32, 2*3000)
	total := 0
	for {
		n, err := j.dec.Read(buf)
		total += n
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if total != 4000 || convert.OutputFrames(j.dec.Format()) != 4000 {
		t.Errorf("%d frames", total)
	}
}

// TestEngineRunsNoProgram: the engine is a function over bytes — no
// os/exec, no network client — so a WebAssembly build can call it
// (net/url and net/netip parse text).
func TestEngineRunsNoProgram(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if dep == "os/exec" || dep == "net" || dep == "net/http" {
			t.Errorf("the engine depends on %s", dep)
		}
	}
}
