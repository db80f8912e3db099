package s3test

import (
	"bytes"
	"fmt"
	"net"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// VersityModule and VersityVersion are the S3-compatible server the
// integration tests run: versitygw serves a directory as buckets and
// checks every request's SigV4 signature.
const (
	VersityModule  = "github.com/versity/versitygw/cmd/versitygw"
	VersityVersion = "v1.8.0"
	// EnvVersity names the versitygw binary to use; .ci/run installs it
	// and sets this.
	EnvVersity = "AUDIOPREFLIGHT_VERSITYGW"
)

// Versity is a versitygw server on loopback. Its buckets are the
// directories in Root and its objects the files below them, so a test
// can lay out thousands of objects by writing files.
type Versity struct {
	// URL is the server's endpoint, http://127.0.0.1:PORT.
	URL  string
	Root string
	log  *bytes.Buffer
}

// VersityBinary finds versitygw: $AUDIOPREFLIGHT_VERSITYGW, else a copy
// installed earlier in the user's cache directory, else it installs one
// there with go install (a few minutes, once). Without a Go toolchain or
// the module proxy the test is skipped, except under CI (CI set), where
// that is a failure: CI must run it.
func VersityBinary(t testing.TB) string {
	t.Helper()
	if p := os.Getenv(EnvVersity); p != "" {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("%s=%s: %v", EnvVersity, p, err)
		}
		return p
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "audiopreflight-test", "versitygw-"+VersityVersion)
	bin := filepath.Join(dir, "versitygw")
	if _, err := os.Stat(bin); err == nil {
		return bin
	}
	installMu.Lock()
	defer installMu.Unlock()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	// Packages tested at once must not install it twice over: a
	// directory made atomically is the lock (one left by a killed test is
	// taken over after a while).
	lock := filepath.Join(dir, ".installing")
	for start := time.Now(); ; time.Sleep(time.Second) {
		if err := os.Mkdir(lock, 0o755); err == nil {
			break
		}
		if st, err := os.Stat(lock); err == nil && time.Since(st.ModTime()) > 20*time.Minute || time.Since(start) > 20*time.Minute {
			os.Remove(lock)
		}
	}
	defer os.Remove(lock)
	if _, err := os.Stat(bin); err == nil {
		return bin
	}
	t.Logf("installing %s@%s into %s (once)", VersityModule, VersityVersion, dir)
	cmd := exec.Command("go", "install", VersityModule+"@"+VersityVersion)
	cmd.Env = append(os.Environ(), "GOBIN="+dir, "GOFLAGS=")
	if out, err := cmd.CombinedOutput(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("installing versitygw: %v\n%s", err, out)
		}
		t.Skipf("versitygw is not installed and go install failed (%v); set %s", err, EnvVersity)
	}
	return bin
}

var installMu sync.Mutex

// StartVersity starts versitygw on a free loopback port, serving a new
// temporary directory with the test credentials (AccessKey, SecretKey);
// it stops when the test ends.
func StartVersity(t testing.TB) *Versity {
	t.Helper()
	bin := VersityBinary(t)
	root := t.TempDir()
	for try := 0; ; try++ {
		port, err := freePort()
		if err != nil {
			t.Fatal(err)
		}
		v := &Versity{URL: "http://" + port, Root: root, log: &bytes.Buffer{}}
		cmd := exec.Command(bin, "--access", AccessKey, "--secret", SecretKey, "--port", port,
			"--quiet", "--keep-alive", "posix", "--sidecar", t.TempDir(), root)
		cmd.Stdout, cmd.Stderr = v.log, v.log
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan struct{})
		go func() { cmd.Wait(); close(exited) }()
		t.Cleanup(func() {
			cmd.Process.Kill()
			<-exited
		})
		if waitListening(port, exited) {
			return v
		}
		if try == 2 {
			t.Fatalf("versitygw did not start on %s:\n%s", port, v.log)
		}
	}
}

// Bucket creates a bucket (a directory).
func (v *Versity) Bucket(t testing.TB, name string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(v.Root, name), 0o755); err != nil {
		t.Fatal(err)
	}
}

// Put stores an object by writing its file.
func (v *Versity) Put(t testing.TB, bucket, key string, data []byte) {
	t.Helper()
	p := filepath.Join(v.Root, bucket, filepath.FromSlash(key))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func freePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func waitListening(addr string, exited <-chan struct{}) bool {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return false
		default:
		}
		if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			c.Close()
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}

// Proxy starts a loopback reverse proxy to target (a server's URL) with
// a Faults injector in front, for throttling and breaking a real server's
// answers. The Host header is passed on as the client sent it, since the
// request's signature covers it.
func Proxy(t testing.TB, target string) (string, *Faults) {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	rp := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		r.SetURL(u)
		r.Out.Host = r.In.Host
	}}
	faults := &Faults{}
	srv := httptest.NewServer(faults.Wrap(rp))
	t.Cleanup(srv.Close)
	return srv.URL, faults
}

// String helps failure messages.
func (v *Versity) String() string { return fmt.Sprintf("versitygw at %s (root %s)", v.URL, v.Root) }
