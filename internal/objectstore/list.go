package objectstore

import (
	"context"
	"iter"
	"strings"

	"github.com/minio/minio-go/v7"
)

// Listed is one object of a listing.
type Listed struct {
	URI  URI
	Size int64
}

// List yields the objects whose keys start with the prefix u.Key, in the
// store's order (S3 lists keys in UTF-8 byte order), holding one page
// (at most 1000 keys) in memory at a time. Keys that end with '/' are the
// empty "folder" objects that consoles create, not recordings: they are
// skipped. A page the store fails to send is asked again as requests are
// (from after the last key yielded); an error that persists (an *Error)
// is yielded once and ends the sequence. Stopping early sends no further
// request.
func (s *Store) List(ctx context.Context, u URI) iter.Seq2[Listed, error] {
	return func(yield func(Listed, error) bool) {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		fetchOwner := false
		opts := minio.ListObjectsOptions{Prefix: u.Key, Recursive: true, MaxKeys: s.pageSize, FetchOwner: &fetchOwner}
		attempts := 0
		for {
			var failed error
			for obj := range s.client.ListObjectsIter(ctx, u.Bucket, opts) {
				if obj.Err != nil {
					failed = obj.Err
					break
				}
				attempts = 0
				// The keys come decoded: the client asks S3 to
				// URL-encode them (XML cannot carry every
				// character) and decodes them.
				opts.StartAfter = obj.Key
				if strings.HasSuffix(obj.Key, "/") {
					continue
				}
				if !yield(Listed{URI: URI{Bucket: u.Bucket, Key: obj.Key}, Size: obj.Size}, nil) {
					return
				}
			}
			if failed == nil {
				return
			}
			// Ask again from after the last key received, as a
			// failed read is asked again.
			attempts++
			if attempts >= s.maxAttempts || !retryable(ctx, failed) {
				yield(Listed{}, newError("list", u, attempts, failed))
				return
			}
			s.stats.retries.Add(1)
			if err := sleep(ctx, s.backoff(attempts, failed)); err != nil {
				yield(Listed{}, err)
				return
			}
		}
	}
}
