package pybase64

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"sync"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/fuzzguard"
)

// liveEnv, when set to 1, makes FuzzDecode compare every input with Python
// itself (/usr/bin/python3 running testdata/live-oracle.py).
const liveEnv = "AUDIOPREFLIGHT_PYBASE64_LIVE"

// livePython is one Python process answering texts, shared by a test
// process's fuzz calls.
type livePython struct {
	mu  sync.Mutex
	in  io.WriteCloser
	out *bufio.Reader
}

var (
	liveOnce sync.Once
	live     *livePython
	liveErr  error
)

func startLive() (*livePython, error) {
	liveOnce.Do(func() {
		cmd := exec.Command("/usr/bin/python3", "testdata/live-oracle.py")
		cmd.Stderr = os.Stderr
		in, err := cmd.StdinPipe()
		if err != nil {
			liveErr = err
			return
		}
		out, err := cmd.StdoutPipe()
		if err != nil {
			liveErr = err
			return
		}
		if err := cmd.Start(); err != nil {
			liveErr = err
			return
		}
		live = &livePython{in: in, out: bufio.NewReader(out)}
	})
	return live, liveErr
}

// ask returns Python's answers for text as bytes and as str.
func (p *livePython) ask(text []byte) (bytesAns, textAns pyAnswer, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, err := io.WriteString(p.in, hex.EncodeToString(text)+"\n"); err != nil {
		return bytesAns, textAns, err
	}
	line, err := p.out.ReadBytes('\n')
	if err != nil {
		return bytesAns, textAns, err
	}
	var rec struct {
		Bytes pyAnswer `json:"bytes"`
		Text  pyAnswer `json:"text"`
	}
	err = json.Unmarshal(line, &rec)
	return rec.Bytes, rec.Text, err
}

func FuzzDecode(f *testing.F) {
	for _, tt := range decodeTests {
		f.Add([]byte(tt.in))
	}
	f.Add([]byte("UklGRiQAAABXQVZFZm10IBAAAAABAAEAgD4AAAB9AAACABAAZGF0YQAAAAA=\n"))
	var py *livePython
	if os.Getenv(liveEnv) == "1" {
		var err error
		if py, err = startLive(); err != nil {
			f.Fatalf("%s=1 but Python does not start: %v", liveEnv, err)
		}
	}
	f.Fuzz(func(t *testing.T, text []byte) {
		defer fuzzguard.Watch(len(text))()
		got, err := Decode(text)
		// The size-only, str and streaming variants agree with Decode.
		n, lenErr := DecodedLen(text)
		if (err == nil) != (lenErr == nil) || (err == nil && n != int64(len(got))) {
			t.Fatalf("DecodedLen(%q) = %d, %v; Decode: %d bytes, %v", text, n, lenErr, len(got), err)
		}
		streamed, streamErr := readAll(NewReader(bytes.NewReader(text)))
		if (err == nil) != (streamErr == nil) || !bytes.Equal(got, streamed) {
			t.Fatalf("Reader(%q) = %q, %v; Decode: %q, %v", text, streamed, streamErr, got, err)
		}
		if err != nil && streamErr.Error() != err.Error() {
			t.Fatalf("Reader(%q) error %v; Decode's %v", text, streamErr, err)
		}
		asStr, strErr := DecodeText(text)
		if checkASCII(text) == nil && (!bytes.Equal(asStr, got) || (strErr == nil) != (err == nil)) {
			t.Fatalf("DecodeText(%q) = %q, %v on ASCII; Decode: %q, %v", text, asStr, strErr, got, err)
		}
		// Canonical base64 (what Go's decoder accepts, Go dropping only
		// CR and LF) decodes the same.
		if want, stdErr := base64.StdEncoding.DecodeString(string(text)); stdErr == nil {
			if err != nil || !bytes.Equal(got, want) {
				t.Fatalf("Decode(%q) = %q, %v; standard base64 says %q", text, got, err, want)
			}
		}
		// Whatever the text, its own standard encoding round-trips.
		enc := base64.StdEncoding.EncodeToString(text)
		if back, err := Decode([]byte(enc)); err != nil || !bytes.Equal(back, text) {
			t.Fatalf("Decode(encode(%q)) = %q, %v", text, back, err)
		}
		if py == nil {
			return
		}
		wantBytes, wantText, err2 := py.ask(text)
		if err2 != nil {
			t.Fatalf("asking Python: %v", err2)
		}
		if msg := compare(got, err, wantBytes); msg != "" {
			t.Fatalf("Decode(%q): %s", text, msg)
		}
		if msg := compare(asStr, strErr, wantText); msg != "" {
			t.Fatalf("DecodeText(%q): %s", text, msg)
		}
	})
}
