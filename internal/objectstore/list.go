package objectstore

import (
	"context"
	"fmt"
	"iter"
	"net/url"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
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
// skipped. An error (as an *Error) is yielded once and ends the sequence;
// stopping early sends no further request.
func (s *Store) List(ctx context.Context, u URI) iter.Seq2[Listed, error] {
	return func(yield func(Listed, error) bool) {
		in := &s3.ListObjectsV2Input{
			Bucket: aws.String(u.Bucket),
			Prefix: aws.String(u.Key),
			// Keys may hold characters XML 1.0 cannot carry (control
			// characters): asked for, S3 sends them percent-encoded.
			EncodingType: types.EncodingTypeUrl,
		}
		if s.pageSize > 0 {
			in.MaxKeys = aws.Int32(s.pageSize)
		}
		pages := s3.NewListObjectsV2Paginator(s.client, in)
		for pages.HasMorePages() {
			page, err := pages.NextPage(ctx)
			if err != nil {
				yield(Listed{}, newError("list", u, err))
				return
			}
			encoded := page.EncodingType == types.EncodingTypeUrl
			for _, obj := range page.Contents {
				key := aws.ToString(obj.Key)
				if encoded {
					if key, err = url.QueryUnescape(key); err != nil {
						yield(Listed{}, &Error{Op: "list", URI: u, Err: err, Msg: fmt.Sprintf("the store sent a key that does not decode (%q)", aws.ToString(obj.Key))})
						return
					}
				}
				if strings.HasSuffix(key, "/") {
					continue
				}
				if !yield(Listed{URI: URI{Bucket: u.Bucket, Key: key}, Size: aws.ToInt64(obj.Size)}, nil) {
					return
				}
			}
		}
	}
}
