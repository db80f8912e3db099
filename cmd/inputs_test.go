//go:build unix

package cmd

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/audiopreflight/audiopreflight/internal/remote/remotetest"
)

// TestUnsolicitedResponsesStayOffStderr: an audio host that sends bytes on
// an idle connection makes net/http log "Unsolicited response received on
// idle HTTP channel", quoting them; none of it reaches the output.
func TestUnsolicitedResponsesStayOffStderr(t *testing.T) {
	wav, err := os.ReadFile(samples + "/hello-16k-mono.wav")
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	closed := make(chan struct{}, 8)
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				br := bufio.NewReader(conn)
				if _, err := http.ReadRequest(br); err != nil {
					return
				}
				// The answer, and right behind it bytes nobody asked for.
				fmt.Fprintf(conn, "HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n", len(wav))
				conn.Write(wav)
				conn.Write([]byte("HTTP/1.1 200 OK\r\nX-Injected: \x1b[31mred\r\n\r\n"))
				io.Copy(io.Discard, br) // until the client hangs up
				closed <- struct{}{}
			}()
		}
	}()
	// net/http logs from its connection's own goroutine: the buffer is
	// read here while that goroutine may still write to it.
	var logged lockedBuffer
	log.SetOutput(&logged)
	t.Cleanup(func() { log.SetOutput(os.Stderr) })

	// First, that the server does provoke the message from a plain client.
	resp, err := http.Get("http://" + l.Addr().String() + "/a.wav")
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	waitClosed(t, closed)
	if !strings.Contains(logged.String(), "Unsolicited response") {
		t.Fatalf("the test server does not provoke net/http's message; log: %q", logged.String())
	}
	logged.Reset()

	code, out, stderr := run(t, nil, "", "check", "--allow-private-urls", "http://"+l.Addr().String()+"/a.wav")
	waitClosed(t, closed)
	if code != 0 || !strings.Contains(out, "accepted") {
		t.Fatalf("exit %d:\n%s%s", code, out, stderr)
	}
	if strings.Contains(stderr, "Unsolicited") || logged.Len() != 0 {
		t.Errorf("net/http's log reached the output: stderr %q, log %q", stderr, logged.String())
	}
}

func waitClosed(t *testing.T, closed chan struct{}) {
	t.Helper()
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatal("the client never closed the connection")
	}
}

// TestManyJobsShareFewConnections: -j 64 over 64 URLs of one host opens at
// most --max-conns-per-host connections to it.
func TestManyJobsShareFewConnections(t *testing.T) {
	wav, err := os.ReadFile(samples + "/hello-16k-mono.wav")
	if err != nil {
		t.Fatal(err)
	}
	srv := remotetest.New(t)
	srv.AddBytes("/a.wav", wav, remotetest.Behaviour{Delay: 10 * time.Millisecond})
	for _, tc := range []struct {
		flag []string
		max  int64
	}{{nil, 8}, {[]string{"--max-conns-per-host", "2"}, 2}} {
		srv.ResetCounts()
		args := append([]string{"check", "-o", "jsonl", "--header-only", "--allow-private-urls", "-j", "64"}, tc.flag...)
		for range 64 {
			args = append(args, srv.URL("/a.wav"))
		}
		code, _, stderr := run(t, nil, "", args...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if n := srv.Connections(); n > tc.max {
			t.Errorf("%v: %d connections to one host, want at most %d", tc.flag, n, tc.max)
		}
	}
	if code, _, stderr := run(t, nil, "", "check", "--max-conns-per-host", "0", "x.wav"); code != 2 || !strings.Contains(stderr, "must be a whole number, 1 or more") {
		t.Errorf("--max-conns-per-host 0: exit %d, %q", code, stderr)
	}
}

// TestNamedPipesAreInputs: a named pipe given by name (what <(...) and
// /dev/stdin on a pipe are) is checked like standard input.
func TestNamedPipesAreInputs(t *testing.T) {
	wav, err := os.ReadFile(samples + "/hello-16k-mono.wav")
	if err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(t.TempDir(), "take.wav")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			t.Error(err)
			return
		}
		w.Write(wav)
		w.Close()
	})
	code, out, stderr := run(t, nil, "", "check", fifo)
	wg.Wait()
	if code != 0 || !strings.Contains(out, "✓") || !strings.Contains(out, "16000 Hz") {
		t.Errorf("exit %d:\n%s%s", code, out, stderr)
	}
}

// TestMaxInputSize: standard input over --max-input-size is an input that
// cannot be checked (exit 2), said plainly.
func TestMaxInputSize(t *testing.T) {
	wav, err := os.ReadFile(samples + "/hello-16k-mono.wav")
	if err != nil {
		t.Fatal(err)
	}
	code, out, _ := run(t, nil, string(wav), "check", "--max-input-size", "1000", "-")
	if code != 2 || !strings.Contains(out, "standard input is larger than 1 kB (1000 bytes)") || !strings.Contains(out, "--max-input-size") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	code, out, _ = run(t, nil, string(wav), "check", "--max-input-size", fmt.Sprint(len(wav)), "-")
	if code != 0 {
		t.Errorf("exactly at the cap: exit %d:\n%s", code, out)
	}
}

// TestUnmatchedPatternIsAWarning: an --exclude that matches nothing is
// said on stderr; the run goes on.
func TestUnmatchedPatternIsAWarning(t *testing.T) {
	code, out, stderr := run(t, nil, "", "check", "--exclude", "nothing/*.wav", samples)
	if !strings.Contains(stderr, `audiopreflight: warning: --exclude "nothing/*.wav" matched nothing`) {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if strings.Contains(out, "warning: --exclude") {
		t.Errorf("the warning went to stdout")
	}
}

// lockedBuffer is a bytes.Buffer safe for one writer and one reader at once.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func (l *lockedBuffer) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Len()
}

func (l *lockedBuffer) Reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.b.Reset()
}
