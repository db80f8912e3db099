package objectstore_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/objectstore"
	"github.com/audiopreflight/audiopreflight/internal/objectstore/s3test"
)

func listAll(t *testing.T, st *objectstore.Store, u objectstore.URI) ([]string, error) {
	t.Helper()
	var keys []string
	for obj, err := range st.List(context.Background(), u) {
		if err != nil {
			return keys, err
		}
		if obj.URI.Bucket != u.Bucket {
			t.Fatalf("listed %v from bucket %s", obj.URI, u.Bucket)
		}
		keys = append(keys, obj.URI.Key)
	}
	return keys, nil
}

// A listing goes page by page through every key under the prefix, in
// order, skipping folder markers; keys with blanks and non-ASCII letters
// come back as they were stored.
func TestListPaginates(t *testing.T) {
	st, fake := newStore(t, objectstore.Options{PageSize: 100})
	var want []string
	for i := range 250 {
		key := fmt.Sprintf("day1/take %03d ü.wav", i)
		fake.Put(t, "rec", key, []byte("x"))
		want = append(want, key)
	}
	fake.Put(t, "rec", "day1/sub/", nil)
	fake.Put(t, "rec", "day2/other.wav", []byte("y"))
	fake.Requests()

	got, err := listAll(t, st, objectstore.URI{Bucket: "rec", Key: "day1/"})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("listed %d keys, want %d (first %q)", len(got), len(want), got[:min(3, len(got))])
	}
	if n := len(fake.Requests()); n != 3 {
		t.Errorf("%d listing requests for 250 keys in pages of 100, want 3", n)
	}

	all, err := listAll(t, st, objectstore.URI{Bucket: "rec"})
	if err != nil || len(all) != 251 {
		t.Errorf("whole bucket: %d keys, %v; want 251", len(all), err)
	}
}

// Stopping a listing early sends no further request.
func TestListStopsEarly(t *testing.T) {
	st, fake := newStore(t, objectstore.Options{PageSize: 10})
	for i := range 50 {
		fake.Put(t, "rec", fmt.Sprintf("k%02d.wav", i), []byte("x"))
	}
	fake.Requests()
	n := 0
	for _, err := range st.List(context.Background(), objectstore.URI{Bucket: "rec"}) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 5 {
			break
		}
	}
	if got := len(fake.Requests()); got != 1 {
		t.Errorf("%d requests after stopping on the first page, want 1", got)
	}
}

func TestListEmptyPrefixAndMissingBucket(t *testing.T) {
	st, fake := newStore(t, objectstore.Options{})
	fake.Put(t, "rec", "a.wav", []byte("x"))
	got, err := listAll(t, st, objectstore.URI{Bucket: "rec", Key: "none/"})
	if err != nil || len(got) != 0 {
		t.Errorf("empty prefix: %q, %v", got, err)
	}
	_, err = listAll(t, st, objectstore.URI{Bucket: "nobucket", Key: "x/"})
	var e *objectstore.Error
	if !errors.As(err, &e) || e.Op != "list" || !errors.Is(err, objectstore.ErrNotFound) {
		t.Fatalf("missing bucket: %v", err)
	}
	if !strings.HasPrefix(err.Error(), "listing failed: no such bucket (NoSuchBucket") {
		t.Errorf("missing bucket: %q", err)
	}
}

// Throttled listing pages are retried like reads.
func TestListRetries(t *testing.T) {
	st, fake := newStore(t, objectstore.Options{PageSize: 10})
	for i := range 30 {
		fake.Put(t, "rec", fmt.Sprintf("k%02d.wav", i), []byte("x"))
	}
	pages := 0
	fake.Set(func(r s3test.Request, nth int) *s3test.Fault {
		if r.Key == "" && r.Method == "GET" {
			pages++
			if pages%2 == 1 {
				return &s3test.Fault{Status: 503, Code: "SlowDown"}
			}
		}
		return nil
	})
	got, err := listAll(t, st, objectstore.URI{Bucket: "rec"})
	if err != nil || len(got) != 30 {
		t.Fatalf("listed %d, %v; want 30", len(got), err)
	}
}

// The client library's lines never reach the process's stderr, on any
// path: reads, retries that run out, a missing object, a listing.
func TestClientLogsNeverReachStderr(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	saved := os.Stderr
	os.Stderr = w
	defer func() { os.Stderr = saved }()

	st, fake := newStore(t, objectstore.Options{MaxAttempts: 2})
	fake.Put(t, "rec", "a.wav", pattern(200_000))
	fake.Set(func(r s3test.Request, nth int) *s3test.Fault {
		if r.Key == "never.wav" {
			return &s3test.Fault{Status: 503, Code: "SlowDown"}
		}
		return nil
	})
	for _, key := range []string{"a.wav", "never.wav", "missing.wav"} {
		if obj, err := st.Open(context.Background(), objectstore.URI{Bucket: "rec", Key: key}); err == nil {
			obj.ReadAt(make([]byte, 10), 150_000)
			obj.Close()
		}
	}
	listAll(t, st, objectstore.URI{Bucket: "rec"})

	os.Stderr = saved
	w.Close()
	buf := make([]byte, 4096)
	n, _ := r.Read(buf)
	if n > 0 {
		t.Errorf("stderr got %q", buf[:n])
	}
}

// A listing holds one page at a time: walking a quarter of a million keys
// (a million in the numbers recorded in docs/scale.md), the heap stays
// where it was after the first pages.
func TestListingManyKeysInBoundedMemory(t *testing.T) {
	const n = 250_000
	s3test.Env(t, s3test.AccessKey, s3test.SecretKey)
	endpoint := s3test.ListServer(t, "big", n, func(i int) string { return fmt.Sprintf("archive/2024/%02d/take-%07d.wav", i%12, i) }, nil)
	st, err := objectstore.New(context.Background(), objectstore.Options{EndpointURL: endpoint})
	if err != nil {
		t.Fatal(err)
	}
	var ms runtime.MemStats
	count, peak, early := 0, uint64(0), uint64(0)
	for obj, err := range st.List(context.Background(), objectstore.URI{Bucket: "big"}) {
		if err != nil {
			t.Fatal(err)
		}
		if count%50_000 == 0 {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			if count == 50_000 {
				early = ms.HeapInuse
			}
		}
		if want := fmt.Sprintf("archive/2024/%02d/take-%07d.wav", count%12, count); obj.URI.Key != want {
			t.Fatalf("key %d is %q, want %q", count, obj.URI.Key, want)
		}
		count++
	}
	if count != n {
		t.Fatalf("listed %d keys, want %d", count, n)
	}
	t.Logf("heap in use: %.1f MiB after 50,000 keys, at most %.1f MiB over %d", float64(early)/(1<<20), float64(peak)/(1<<20), n)
	if peak > early+8<<20 {
		t.Errorf("the heap grew from %d to %d bytes over the listing", early, peak)
	}
}
