package objectstore_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/audiopreflight/audiopreflight/internal/objectstore"
	"github.com/audiopreflight/audiopreflight/internal/objectstore/s3test"
)

// newStore starts a fake S3 and a Store for it, with short retry delays.
func newStore(t *testing.T, opts objectstore.Options) (*objectstore.Store, *s3test.Fake) {
	t.Helper()
	s3test.Env(t, s3test.AccessKey, s3test.SecretKey)
	fake := s3test.NewFake(t)
	fake.Bucket(t, "rec")
	opts.EndpointURL = fake.URL
	if opts.Backoff == nil {
		opts.Backoff = func(int, error) time.Duration { return time.Millisecond }
	}
	st, err := objectstore.New(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return st, fake
}

func pattern(n int) []byte {
	b := make([]byte, n)
	r := rand.New(rand.NewPCG(uint64(n), 7))
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func TestParseURI(t *testing.T) {
	for _, tc := range []struct {
		in     string
		want   objectstore.URI
		prefix bool
		err    bool
	}{
		{in: "s3://rec/a.wav", want: objectstore.URI{Bucket: "rec", Key: "a.wav"}},
		{in: "S3://rec/dir/take 1/ü.wav", want: objectstore.URI{Bucket: "rec", Key: "dir/take 1/ü.wav"}},
		{in: "s3://rec/a%20b.wav", want: objectstore.URI{Bucket: "rec", Key: "a%20b.wav"}}, // keys are not percent-decoded
		{in: "s3://rec/dir/", want: objectstore.URI{Bucket: "rec", Key: "dir/"}, prefix: true},
		{in: "s3://rec/", want: objectstore.URI{Bucket: "rec"}, prefix: true},
		{in: "s3://rec", want: objectstore.URI{Bucket: "rec"}, prefix: true},
		{in: "s3:///key", err: true},
		{in: "s3://re c/key", err: true},
		{in: "https://rec/key", err: true},
	} {
		got, err := objectstore.ParseURI(tc.in)
		if (err != nil) != tc.err {
			t.Errorf("ParseURI(%q) error %v, want error %v", tc.in, err, tc.err)
			continue
		}
		if err != nil {
			continue
		}
		if got != tc.want || got.IsPrefix() != tc.prefix {
			t.Errorf("ParseURI(%q) = %+v (prefix %v), want %+v (prefix %v)", tc.in, got, got.IsPrefix(), tc.want, tc.prefix)
		}
		if !tc.prefix && got.String() != "s3://"+tc.in[5:] {
			t.Errorf("%q String() = %q", tc.in, got.String())
		}
	}
}

// Every read, at any offset and length, gives the object's bytes, for
// sizes around the block boundaries; empty objects open with size 0.
func TestReadAtGivesTheObjectsBytes(t *testing.T) {
	st, fake := newStore(t, objectstore.Options{})
	r := rand.New(rand.NewPCG(1, 2))
	for _, size := range []int{0, 1, 4095, 65535, 65536, 65537, 200_000, 3 << 20} {
		data := pattern(size)
		key := strings.Repeat("k", 3) + "/" + string(rune('a'+size%26)) + ".wav"
		fake.Put(t, "rec", key, data)
		obj, err := st.Open(context.Background(), objectstore.URI{Bucket: "rec", Key: key})
		if err != nil {
			t.Fatalf("size %d: %v", size, err)
		}
		if obj.Size() != int64(size) {
			t.Fatalf("size %d: Size() = %d", size, obj.Size())
		}
		for range 60 {
			off := r.Int64N(int64(size) + 10)
			n := r.IntN(300_000)
			buf := make([]byte, n)
			got, err := obj.ReadAt(buf, off)
			want := max(0, min(int64(n), int64(size)-off))
			if int64(got) != want {
				t.Fatalf("size %d: ReadAt(%d bytes, %d) = %d, want %d (%v)", size, n, off, got, want, err)
			}
			if err != nil && err != io.EOF || err == nil && want < int64(n) {
				t.Fatalf("size %d: ReadAt(%d bytes, %d) error %v", size, n, off, err)
			}
			if !bytes.Equal(buf[:got], data[min(off, int64(size)):min(off, int64(size))+want]) {
				t.Fatalf("size %d: ReadAt(%d bytes, %d): wrong bytes", size, n, off)
			}
		}
		obj.Close()
	}
}

// A header check costs one request of at most 64 KiB, whatever the
// object's size.
func TestHeaderReadIsOneRangedRequest(t *testing.T) {
	st, fake := newStore(t, objectstore.Options{})
	fake.Put(t, "rec", "big.wav", pattern(10<<20))
	fake.Requests()
	obj, err := st.Open(context.Background(), objectstore.URI{Bucket: "rec", Key: "big.wav"})
	if err != nil {
		t.Fatal(err)
	}
	defer obj.Close()
	buf := make([]byte, 4096)
	if _, err := obj.ReadAt(buf, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := obj.ReadAt(buf, 40_000); err != nil {
		t.Fatal(err)
	}
	reqs := fake.Requests()
	if len(reqs) != 1 || reqs[0].Range != "bytes=0-65535" {
		t.Fatalf("requests %+v, want one GET of bytes=0-65535", reqs)
	}
	if got := obj.BytesTransferred(); got != 64<<10 {
		t.Errorf("transferred %d bytes, want 65536", got)
	}
}

// The end of an object (a trailer) is asked for with a suffix range, and
// later requests carry If-Match with the object's ETag.
func TestTailReadIsASuffixRange(t *testing.T) {
	st, fake := newStore(t, objectstore.Options{})
	data := pattern(1 << 20)
	fake.Put(t, "rec", "tail.ogg", data)
	obj, err := st.Open(context.Background(), objectstore.URI{Bucket: "rec", Key: "tail.ogg"})
	if err != nil {
		t.Fatal(err)
	}
	defer obj.Close()
	fake.Requests()
	buf := make([]byte, 100)
	if _, err := obj.ReadAt(buf, int64(len(data)-100)); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf, data[len(data)-100:]) {
		t.Fatal("wrong tail bytes")
	}
	reqs := fake.Requests()
	if len(reqs) != 1 || reqs[0].Range != "bytes=-65536" {
		t.Fatalf("requests %+v, want one GET of bytes=-65536", reqs)
	}
	if reqs[0].IfMatch == "" {
		t.Error("the second request has no If-Match")
	}
	if got := obj.BytesTransferred(); got != 128<<10 {
		t.Errorf("transferred %d bytes, want 131072", got)
	}
}

// A full read streams: a 20 MiB object read forward in 4 KiB reads takes
// a handful of requests and transfers each byte once.
func TestForwardReadStreams(t *testing.T) {
	st, fake := newStore(t, objectstore.Options{})
	data := pattern(20 << 20)
	fake.Put(t, "rec", "long.flac", data)
	obj, err := st.Open(context.Background(), objectstore.URI{Bucket: "rec", Key: "long.flac"})
	if err != nil {
		t.Fatal(err)
	}
	defer obj.Close()
	got, err := io.ReadAll(io.NewSectionReader(obj, 0, obj.Size()))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, data) {
		t.Fatal("wrong bytes")
	}
	if n := obj.Requests(); n > 10 {
		t.Errorf("%d requests for a forward read, want at most 10", n)
	}
	if n := obj.BytesTransferred(); n != int64(len(data)) {
		t.Errorf("transferred %d bytes, want %d", n, len(data))
	}
}

func TestMissingObjectAndBucket(t *testing.T) {
	st, _ := newStore(t, objectstore.Options{})
	_, err := st.Open(context.Background(), objectstore.URI{Bucket: "rec", Key: "nope.wav"})
	var e *objectstore.Error
	if !errors.As(err, &e) || !errors.Is(err, objectstore.ErrNotFound) {
		t.Fatalf("missing object: %v, want an *Error wrapping ErrNotFound", err)
	}
	if got := err.Error(); got != "no such object (NoSuchKey, HTTP 404)" {
		t.Errorf("missing object: %q", got)
	}
	_, err = st.Open(context.Background(), objectstore.URI{Bucket: "nobucket", Key: "a.wav"})
	if !errors.Is(err, objectstore.ErrNotFound) || !strings.HasPrefix(err.Error(), "no such bucket (NoSuchBucket") {
		t.Fatalf("missing bucket: %v", err)
	}
}

// SlowDown and 5xx answers are retried; when the attempts run out, the
// error says how many were made and what the store kept answering.
func TestRetriesThrottlingAndServerErrors(t *testing.T) {
	st, fake := newStore(t, objectstore.Options{MaxAttempts: 4})
	data := pattern(100_000)
	fake.Put(t, "rec", "slow.wav", data)
	fake.Put(t, "rec", "never.wav", data)
	fake.Set(func(r s3test.Request, nth int) *s3test.Fault {
		switch {
		case r.Key == "never.wav":
			return &s3test.Fault{Status: 503, Code: "SlowDown"}
		case r.Key == "slow.wav" && nth < 2:
			return &s3test.Fault{Status: 503, Code: "SlowDown"}
		case r.Key == "slow.wav" && nth == 2:
			return &s3test.Fault{Status: 500, Code: "InternalError"}
		}
		return nil
	})
	obj, err := st.Open(context.Background(), objectstore.URI{Bucket: "rec", Key: "slow.wav"})
	if err != nil {
		t.Fatalf("throttled three times out of four attempts: %v", err)
	}
	buf := make([]byte, 10)
	if _, err := obj.ReadAt(buf, 0); err != nil || !bytes.Equal(buf, data[:10]) {
		t.Fatalf("read after retries: %v", err)
	}
	obj.Close()
	if got := st.Stats().Retries; got != 3 {
		t.Errorf("%d retries counted, want 3", got)
	}

	_, err = st.Open(context.Background(), objectstore.URI{Bucket: "rec", Key: "never.wav"})
	var e *objectstore.Error
	if !errors.As(err, &e) || e.Attempts != 4 || e.Code != "SlowDown" || e.Status != 503 {
		t.Fatalf("always throttled: %#v", err)
	}
	if want := "gave up after 4 attempts: the store kept asking for a slower request rate (SlowDown, HTTP 503)"; err.Error() != want {
		t.Errorf("always throttled: %q, want %q", err, want)
	}
}

// A response that breaks off mid-body is asked again from where it
// stopped; one that keeps breaking off fails after the bounded attempts.
func TestBrokenTransfersResume(t *testing.T) {
	st, fake := newStore(t, objectstore.Options{MaxAttempts: 3})
	data := pattern(3 << 20)
	fake.Put(t, "rec", "cut.wav", data)
	fake.Put(t, "rec", "cutcut.wav", data)
	fake.Set(func(r s3test.Request, nth int) *s3test.Fault {
		switch {
		case r.Key == "cut.wav" && nth == 1:
			return &s3test.Fault{CutAfter: 100_000}
		case r.Key == "cutcut.wav" && nth >= 1:
			return &s3test.Fault{CutAfter: 1000}
		}
		return nil
	})
	obj, err := st.Open(context.Background(), objectstore.URI{Bucket: "rec", Key: "cut.wav"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(io.NewSectionReader(obj, 0, obj.Size()))
	obj.Close()
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read through one broken response: %v (equal %v)", err, bytes.Equal(got, data))
	}

	obj, err = st.Open(context.Background(), objectstore.URI{Bucket: "rec", Key: "cutcut.wav"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = io.ReadAll(io.NewSectionReader(obj, 0, obj.Size()))
	obj.Close()
	var e *objectstore.Error
	if !errors.As(err, &e) || e.Attempts != 3 || !strings.Contains(err.Error(), "the transfer kept breaking off") {
		t.Fatalf("always broken: %v", err)
	}
	// Later reads fail the same way.
	if _, err2 := obj.ReadAt(make([]byte, 1), 0); err2 == nil {
		t.Error("a read after the failure succeeded")
	}
}
