package objectstore

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"iter"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
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
		var next listCursor
		for {
			var page *listPage
			attempts, err := s.do(ctx, func() error {
				var err error
				page, err = s.listPage(ctx, u, next)
				return err
			})
			if err != nil {
				yield(Listed{}, newError("list", u, attempts, err))
				return
			}
			for _, obj := range page.Contents {
				if strings.HasSuffix(obj.Key, "/") {
					continue
				}
				if !yield(Listed{URI: URI{Bucket: u.Bucket, Key: obj.Key}, Size: obj.Size}, nil) {
					return
				}
			}
			if !page.IsTruncated {
				return
			}
			switch {
			case page.NextContinuationToken != "":
				next = listCursor{token: page.NextContinuationToken}
			case len(page.Contents) > 0:
				// A store that pages without tokens: go on after the
				// last key.
				next = listCursor{startAfter: page.Contents[len(page.Contents)-1].Key}
			default:
				yield(Listed{}, &Error{Op: "list", URI: u, Msg: "the store said the listing goes on but gave no way to ask for the rest"})
				return
			}
		}
	}
}

// listCursor is where a page starts: after a continuation token, or
// after a key.
type listCursor struct{ token, startAfter string }

// listPage is one page of ListObjectsV2, as much of it as a listing
// needs.
type listPage struct {
	IsTruncated           bool
	NextContinuationToken string
	EncodingType          string
	Contents              []struct {
		Key  string
		Size int64
	}
}

// listPage asks for one page of keys under u.Key. Keys come URL-encoded
// (encoding-type=url: XML 1.0 cannot carry every byte a key may hold)
// and are decoded here, when the store says it encoded them.
func (s *Store) listPage(ctx context.Context, u URI, at listCursor) (*listPage, error) {
	q := url.Values{"list-type": {"2"}, "encoding-type": {"url"}, "prefix": {u.Key}}
	q.Set("max-keys", "1000")
	if s.pageSize > 0 && s.pageSize < 1000 {
		q.Set("max-keys", strconv.Itoa(s.pageSize))
	}
	if at.token != "" {
		q.Set("continuation-token", at.token)
	}
	if at.startAfter != "" {
		q.Set("start-after", at.startAfter)
	}
	resp, err := s.client.send(ctx, http.MethodGet, u.Bucket, "", q, nil)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	page := &listPage{}
	if err := xml.NewDecoder(resp.Body).Decode(page); err != nil {
		var netErr net.Error
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.As(err, &netErr) {
			// The body broke off on the way: worth asking again.
			return nil, err
		}
		return nil, &s3Error{Message: fmt.Sprintf("the store sent a listing that is not S3's XML (%v)", err)}
	}
	if page.EncodingType == "url" {
		for i := range page.Contents {
			key, err := url.QueryUnescape(page.Contents[i].Key)
			if err != nil {
				return nil, &s3Error{Message: fmt.Sprintf("the store sent a listed key that is not URL-encoded: %q", page.Contents[i].Key)}
			}
			page.Contents[i].Key = key
		}
	}
	return page, nil
}
