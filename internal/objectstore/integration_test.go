package objectstore_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/audiopreflight/audiopreflight/internal/objectstore"
	"github.com/audiopreflight/audiopreflight/internal/objectstore/s3test"
)

// versityStore starts versitygw (which checks SigV4 signatures) and a
// Store for endpoint (the server's URL when empty).
func versityStore(t *testing.T, opts objectstore.Options) (*objectstore.Store, *s3test.Versity) {
	t.Helper()
	v := s3test.StartVersity(t)
	s3test.Env(t, s3test.AccessKey, s3test.SecretKey)
	if opts.EndpointURL == "" {
		opts.EndpointURL = v.URL
	}
	if opts.Backoff == nil {
		opts.Backoff = func(int, error) time.Duration { return time.Millisecond }
	}
	st, err := objectstore.New(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return st, v
}

// Against a real S3-compatible server: thousands of objects listed over
// several pages, keys with blanks and non-ASCII letters, an empty prefix,
// a missing object, head and suffix ranges.
func TestVersityListsAndReads(t *testing.T) {
	st, v := versityStore(t, objectstore.Options{})
	v.Bucket(t, "archive")
	var want []string
	for i := range 2500 {
		key := fmt.Sprintf("2024/day %02d/take-%04d.wav", i%30, i)
		if i%250 == 0 {
			key = fmt.Sprintf("2024/spé cial/Ünïcode take %d.wav", i)
		}
		v.Put(t, "archive", key, []byte(key))
		want = append(want, key)
	}
	slices.Sort(want)
	got, err := listAll(t, st, objectstore.URI{Bucket: "archive", Key: "2024/"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("listed %d keys, want %d", len(got), len(want))
	}
	if n := st.Stats().Requests; n != 3 {
		t.Errorf("%d requests to list 2500 keys, want 3 pages", n)
	}
	empty, err := listAll(t, st, objectstore.URI{Bucket: "archive", Key: "2025/"})
	if err != nil || len(empty) != 0 {
		t.Errorf("empty prefix: %q, %v", empty, err)
	}

	// Every listed key reads back as what was stored, whatever its
	// characters.
	for _, key := range want[:20] {
		obj, err := st.Open(context.Background(), objectstore.URI{Bucket: "archive", Key: key})
		if err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		buf := make([]byte, obj.Size())
		if _, err := obj.ReadAt(buf, 0); err != nil || string(buf) != key {
			t.Fatalf("%s: read %q, %v", key, buf, err)
		}
		obj.Close()
	}

	data := pattern(300_000)
	v.Put(t, "archive", "big/long take.ogg", data)
	obj, err := st.Open(context.Background(), objectstore.URI{Bucket: "archive", Key: "big/long take.ogg"})
	if err != nil {
		t.Fatal(err)
	}
	tail := make([]byte, 5000)
	if _, err := obj.ReadAt(tail, int64(len(data)-5000)); err != nil || !bytes.Equal(tail, data[len(data)-5000:]) {
		t.Fatalf("suffix range: %v", err)
	}
	mid := make([]byte, 70_000)
	if _, err := obj.ReadAt(mid, 100_000); err != nil || !bytes.Equal(mid, data[100_000:170_000]) {
		t.Fatalf("middle range: %v", err)
	}
	if n := obj.BytesTransferred(); n > 4*65536 {
		t.Errorf("transferred %d bytes for a head, a tail and 70 KB", n)
	}
	obj.Close()

	_, err = st.Open(context.Background(), objectstore.URI{Bucket: "archive", Key: "2024/missing.wav"})
	if !errors.Is(err, objectstore.ErrNotFound) {
		t.Errorf("missing object: %v", err)
	}

	// Replaced with a different size while read: the change is caught.
	v.Put(t, "archive", "changing.wav", pattern(200_000))
	obj, err = st.Open(context.Background(), objectstore.URI{Bucket: "archive", Key: "changing.wav"})
	if err != nil {
		t.Fatal(err)
	}
	v.Put(t, "archive", "changing.wav", pattern(150_000))
	_, err = obj.ReadAt(make([]byte, 100), 190_000)
	if !errors.Is(err, objectstore.ErrChanged) {
		t.Errorf("object replaced while read: %v", err)
	}
	obj.Close()
}

// The signature is checked: wrong keys fail with the store's reason, and
// keys from a profile in the shared credentials file work.
func TestVersityCredentialChain(t *testing.T) {
	v := s3test.StartVersity(t)
	v.Bucket(t, "rec")
	v.Put(t, "rec", "a.wav", []byte("RIFF"))

	s3test.Env(t, s3test.AccessKey, "not-the-secret")
	st, err := objectstore.New(context.Background(), objectstore.Options{EndpointURL: v.URL})
	if err != nil {
		t.Fatal(err)
	}
	_, err = st.Open(context.Background(), objectstore.URI{Bucket: "rec", Key: "a.wav"})
	var e *objectstore.Error
	if !errors.As(err, &e) || e.Code != "SignatureDoesNotMatch" || !errors.Is(err, objectstore.ErrDenied) {
		t.Fatalf("wrong secret: %v", err)
	}

	s3test.Env(t, "", "")
	creds := filepath.Join(t.TempDir(), "credentials")
	os.WriteFile(creds, []byte(fmt.Sprintf("[archive]\naws_access_key_id = %s\naws_secret_access_key = %s\n", s3test.AccessKey, s3test.SecretKey)), 0o600)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", creds)
	t.Setenv("AWS_PROFILE", "archive")
	st, err = objectstore.New(context.Background(), objectstore.Options{EndpointURL: v.URL})
	if err != nil {
		t.Fatal(err)
	}
	obj, err := st.Open(context.Background(), objectstore.URI{Bucket: "rec", Key: "a.wav"})
	if err != nil {
		t.Fatalf("profile credentials: %v", err)
	}
	obj.Close()

	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
	if _, err := objectstore.New(context.Background(), objectstore.Options{EndpointURL: v.URL}); err == nil ||
		!strings.HasPrefix(err.Error(), "no usable AWS credentials") {
		t.Errorf("no credentials anywhere: %v", err)
	}
	if _, err := objectstore.New(context.Background(), objectstore.Options{EndpointURL: "ftp://x"}); err == nil {
		t.Error("an ftp endpoint was taken")
	}
}

// Throttling from the real server's side (a proxy answers SlowDown and
// 503 for some requests): retried, and reported when it never stops.
func TestVersityThrottling(t *testing.T) {
	v := s3test.StartVersity(t)
	v.Bucket(t, "rec")
	data := pattern(100_000)
	v.Put(t, "rec", "a.wav", data)
	v.Put(t, "rec", "b.wav", data)
	endpoint, faults := s3test.Proxy(t, v.URL)
	faults.Set(func(r s3test.Request, nth int) *s3test.Fault {
		switch {
		case r.Key == "a.wav" && nth < 3:
			return &s3test.Fault{Status: 503, Code: "SlowDown"}
		case r.Key == "b.wav":
			return &s3test.Fault{Status: 503, Code: "ServiceUnavailable"}
		}
		return nil
	})
	st, _ := versityStore(t, objectstore.Options{EndpointURL: endpoint, MaxAttempts: 5})
	obj, err := st.Open(context.Background(), objectstore.URI{Bucket: "rec", Key: "a.wav"})
	if err != nil {
		t.Fatalf("throttled 3 times of 5 attempts: %v", err)
	}
	buf := make([]byte, len(data))
	if _, err := obj.ReadAt(buf, 0); err != nil || !bytes.Equal(buf, data) {
		t.Fatalf("after throttling: %v", err)
	}
	obj.Close()
	_, err = st.Open(context.Background(), objectstore.URI{Bucket: "rec", Key: "b.wav"})
	var e *objectstore.Error
	if !errors.As(err, &e) || e.Attempts != 5 || e.Status != 503 {
		t.Fatalf("always unavailable: %v", err)
	}
	if want := "gave up after 5 attempts: the store was unavailable (ServiceUnavailable, HTTP 503)"; err.Error() != want {
		t.Errorf("%q, want %q", err, want)
	}
}

// A pre-signed URL downloads the object with no credentials of its own,
// and the server checks its signature.
func TestVersityPresign(t *testing.T) {
	st, v := versityStore(t, objectstore.Options{})
	v.Bucket(t, "rec")
	v.Put(t, "rec", "day 1/ü take.wav", []byte("RIFF...."))
	signed, err := st.Presign(context.Background(), objectstore.URI{Bucket: "rec", Key: "day 1/ü take.wav"}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(signed, "X-Amz-Signature=") || !strings.Contains(signed, "X-Amz-Expires=3600") {
		t.Fatalf("not a pre-signed URL: %s", signed)
	}
	get := func(u string) (int, string) {
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	if code, body := get(signed); code != 200 || body != "RIFF...." {
		t.Errorf("pre-signed GET: %d %q", code, body)
	}
	tampered := strings.Replace(signed, "X-Amz-Expires=3600", "X-Amz-Expires=7200", 1)
	if code, _ := get(tampered); code != 403 {
		t.Errorf("tampered pre-signed GET: %d, want 403", code)
	}
}

// Keys with every character that SigV4 encodes differently from Go's URL
// escaping: listed, read and pre-signed, each signature checked by the
// server.
func TestVersityKeysOfEveryCharacter(t *testing.T) {
	st, v := versityStore(t, objectstore.Options{})
	v.Bucket(t, "rec")
	keys := []string{
		"odd/a+b.wav", "odd/bang!(1)*.wav", "odd/it's.wav", "odd/100%.wav", "odd/a=b;c&d.wav",
		"odd/at@dollar$comma,.wav", "odd/tilde~_-.wav", "odd/brackets[1]{2}.wav", "odd/hash#q?.wav",
		"odd/日本語 テイク.wav",
	}
	for _, k := range keys {
		v.Put(t, "rec", k, []byte(k))
	}
	slices.Sort(keys)
	got, err := listAll(t, st, objectstore.URI{Bucket: "rec", Key: "odd/"})
	if err != nil || !slices.Equal(got, keys) {
		t.Fatalf("listed %q, %v; want %q", got, err, keys)
	}
	for _, k := range keys {
		u := objectstore.URI{Bucket: "rec", Key: k}
		obj, err := st.Open(context.Background(), u)
		if err != nil {
			t.Errorf("%s: %v", k, err)
			continue
		}
		buf := make([]byte, obj.Size())
		if _, err := obj.ReadAt(buf, 0); err != nil || string(buf) != k {
			t.Errorf("%s: read %q, %v", k, buf, err)
		}
		obj.Close()
		signed, err := st.Presign(context.Background(), u, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.Get(signed)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || string(body) != k {
			t.Errorf("%s: pre-signed GET %d %q", k, resp.StatusCode, body)
		}
	}
}

// .ci/run installs the versitygw the tests expect.
func TestCIInstallsTheVersityOfTheTests(t *testing.T) {
	run, err := os.ReadFile("../../.ci/run")
	if err != nil {
		t.Fatal(err)
	}
	if want := "VERSITYGW_VERSION=" + s3test.VersityVersion + "\n"; !strings.Contains(string(run), want) {
		t.Errorf(".ci/run does not pin %q", strings.TrimSpace(want))
	}
}
