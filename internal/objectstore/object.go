package objectstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// How an Object reads. Reads are served from a cache of fixed-size
// blocks; the first block is fetched when the object is opened and kept.
// A miss fetches the missing blocks:
//
//   - a miss where the previous fetch ended (reading forward, as a full
//     check does) opens a response with read-ahead that doubles with each
//     continuation until it runs to the end of the object, and blocks are
//     taken from it as the reader asks: a full read is a handful of
//     streaming GETs;
//   - a miss that an open response will reach within maxSkip bytes reads
//     on through it;
//   - any other miss asks for exactly the blocks needed, and for the end of
//     the object with a suffix range (bytes=-N), as a format's trailer
//     needs.
//
// Memory stays bounded: the first block plus maxBlocks more.
const (
	blockSize  = 64 << 10 // also what opening asks for
	maxBlocks  = 16       // cached blocks beyond the first: 1 MiB
	maxRun     = 16       // blocks fetched for one random miss at most
	maxSkip    = 1 << 20  // read through this much of an open response rather than ask again
	firstAhead = 128 << 10
	maxAhead   = 8 << 20 // beyond this read-ahead, ask for the rest of the object
	maxDrain   = 64 << 10
)

// Object is one object, open for reading: an io.ReaderAt of known size.
// Methods are safe for concurrent use; reads are serialised.
type Object struct {
	store *Store
	uri   URI
	ctx   context.Context
	size  int64
	etag  string

	transferred atomic.Int64
	requests    atomic.Int64

	mu      sync.Mutex
	blocks  map[int64]*block
	tick    uint64
	stream  *stream
	ahead   int64 // read-ahead of the current forward run; 0 after a random access
	lastEnd int64 // where the previous fetch ended
	broken  int   // responses that broke off and were asked again
	err     error // the first failure: every later read fails the same way
}

type block struct {
	data []byte
	used uint64
}

// stream is an open response, read forward.
type stream struct {
	body     io.ReadCloser
	pos, end int64 // object offsets of the next byte and after the last
}

// Open opens the object u for reading: it asks for the first 64 KiB and
// learns the size. Its errors are *Error (or the context's).
func (s *Store) Open(ctx context.Context, u URI) (*Object, error) {
	if u.IsPrefix() {
		return nil, &Error{Op: "read", URI: u, Msg: "this names a prefix, not an object"}
	}
	o := &Object{store: s, uri: u, ctx: ctx, size: -1, blocks: map[int64]*block{}}
	if err := o.open(); err != nil {
		o.Close()
		return nil, err
	}
	return o, nil
}

// URI is the object's name.
func (o *Object) URI() URI { return o.uri }

// Size is the object's size in bytes.
func (o *Object) Size() int64 { return o.size }

// BytesTransferred counts the body bytes received for this object.
func (o *Object) BytesTransferred() int64 { return o.transferred.Load() }

// Requests counts the GET requests made for this object, retries
// included.
func (o *Object) Requests() int64 { return o.requests.Load() }

// Close ends the object's transfer and releases its memory.
func (o *Object) Close() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.closeStream()
	o.blocks = nil
	if o.err == nil {
		o.err = errors.New("objectstore: read after close")
	}
	return nil
}

// ReadAt reads as io.ReaderAt does. A failed transfer is returned as an
// *Error, and every later read fails the same way.
func (o *Object) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errors.New("objectstore: negative offset")
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.err != nil {
		return 0, o.err
	}
	if off >= o.size {
		return 0, io.EOF
	}
	end := min(off+int64(len(p)), o.size)
	lastBlock := (end - 1) / blockSize
	n := 0
	for pos := off; pos < end; {
		bi := pos / blockSize
		b, ok := o.blocks[bi]
		if !ok {
			if err := o.fetch(bi, min(lastBlock, bi+maxRun-1)); err != nil {
				o.err = err
				return n, err
			}
			if b, ok = o.blocks[bi]; !ok {
				o.err = fmt.Errorf("objectstore: internal error: block at %d not fetched", bi*blockSize)
				return n, o.err
			}
		}
		o.tick++
		b.used = o.tick
		k := copy(p[n:end-off], b.data[pos-bi*blockSize:])
		n += k
		pos += int64(k)
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// open makes the first request, which sets the size and the ETag.
func (o *Object) open() error {
	resp, err := o.get(0, blockSize)
	if err != nil {
		var e *Error
		if !errors.As(err, &e) || e.Status != http.StatusRequestedRangeNotSatisfiable {
			return err
		}
		// S3 answers a range of an empty object with 416: ask for the
		// whole of it, which is nothing.
		if resp, err = o.get(0, -1); err != nil {
			return err
		}
	}
	o.etag = resp.etag
	var end int64 // of the answer's bytes
	switch {
	case resp.ranged && resp.first == 0 && resp.total >= 0:
		o.size = resp.total
		end = min(o.size, blockSize)
	case !resp.ranged && resp.length >= 0:
		// The whole object (a store that ignores Range, or no range
		// asked): its start is read, the rest left unread.
		o.size = resp.length
		end = o.size
	default:
		resp.body.Close()
		return &Error{Op: "read", URI: o.uri, Msg: fmt.Sprintf("the store answered a request for the first bytes with Content-Range %q", resp.contentRange)}
	}
	o.stream = &stream{body: o.counted(resp.body), pos: 0, end: end}
	if err := o.readBlocks(min(blockSize, o.size)); err != nil {
		return err
	}
	o.lastEnd = min(blockSize, o.size)
	o.closeStream()
	return nil
}

// response is one answer to a GET.
type response struct {
	body         io.ReadCloser
	etag         string
	contentRange string
	ranged       bool  // the answer is a byte range (Content-Range)
	first, total int64 // of the range; total -1 when unknown
	length       int64 // of a whole answer; -1 when unknown
}

// get sends one GET (retried as the Store retries) for bytes
// [start, end): end -1 asks for everything from start, and when start is
// also 0 there is no Range header at all; a range that runs to the end of
// the object is asked as a suffix (bytes=-N). Once the ETag is known,
// If-Match makes sure every answer is of the same object.
func (o *Object) get(start, end int64) (*response, error) {
	header := http.Header{}
	switch {
	case end == o.size && start > 0:
		header.Set("Range", fmt.Sprintf("bytes=-%d", o.size-start))
	case end >= 0:
		header.Set("Range", fmt.Sprintf("bytes=%d-%d", start, end-1))
	case start > 0:
		header.Set("Range", fmt.Sprintf("bytes=%d-", start))
	}
	if o.etag != "" {
		header.Set("If-Match", o.etag)
	}
	var r *response
	attempts, err := o.store.do(o.ctx, func() error {
		o.requests.Add(1)
		resp, err := o.store.client.send(o.ctx, http.MethodGet, o.uri.Bucket, o.uri.Key, nil, header)
		if err != nil {
			return err
		}
		r = &response{body: resp.Body, etag: resp.Header.Get("ETag"), contentRange: resp.Header.Get("Content-Range"), length: -1}
		if r.contentRange != "" {
			r.first, r.total, r.ranged = parseContentRange(r.contentRange)
		} else if cl := resp.Header.Get("Content-Length"); cl != "" {
			r.length, _ = strconv.ParseInt(cl, 10, 64)
		}
		return nil
	})
	if err != nil {
		return nil, newError("read", o.uri, attempts, err)
	}
	return r, nil
}

// counted wraps a body so that its bytes count for this object.
func (o *Object) counted(body io.ReadCloser) io.ReadCloser {
	return &countingBody{ReadCloser: body, n: &o.transferred}
}

// fetch brings blocks first..last into the cache.
func (o *Object) fetch(first, last int64) error {
	start := first * blockSize
	stop := min((last+1)*blockSize, o.size)
	for start < stop {
		s := o.stream
		if s == nil || s.pos > start || start-s.pos > maxSkip {
			if err := o.openFor(start, stop); err != nil {
				return err
			}
		}
		reach := min(stop, o.stream.end)
		if err := o.readBlocks(reach); err != nil {
			return err
		}
		// Whatever follows continues this run.
		start, o.lastEnd = reach, reach
	}
	return nil
}

// openFor opens a response that starts at start and covers at least up
// to stop: read-ahead for a forward run, exactly the range otherwise.
func (o *Object) openFor(start, stop int64) error {
	if start != o.lastEnd {
		o.ahead = 0
		return o.openStream(start, stop)
	}
	o.ahead = nextAhead(o.ahead)
	end := o.size
	if o.ahead > 0 {
		end = min(o.size, max(start+o.ahead, stop))
	}
	return o.openStream(start, end)
}

// nextAhead is the read-ahead of the next fetch of a forward run: doubling
// from firstAhead, then (-1) the rest of the object.
func nextAhead(ahead int64) int64 {
	switch {
	case ahead < 0:
		return -1
	case ahead == 0:
		return firstAhead
	case ahead >= maxAhead:
		return -1
	}
	return 2 * ahead
}

// openStream opens a response for bytes [start, end).
func (o *Object) openStream(start, end int64) error {
	o.closeStream()
	resp, err := o.get(start, end)
	if err != nil {
		return err
	}
	if !resp.ranged || resp.first != start || resp.total != o.size {
		resp.body.Close()
		if resp.ranged && resp.total != o.size {
			return &Error{Op: "read", URI: o.uri, Msg: fmt.Sprintf("%s (its size was %d bytes, then %d)", ErrChanged, o.size, resp.total), Err: ErrChanged}
		}
		return &Error{Op: "read", URI: o.uri, Msg: fmt.Sprintf("the store answered a request for bytes %d-%d with Content-Range %q", start, end-1, resp.contentRange)}
	}
	o.stream = &stream{body: o.counted(resp.body), pos: start, end: end}
	return nil
}

// readBlocks reads the open stream from its position up to stop, block by
// block, into the cache. A response that breaks off is asked again from
// where it stopped, as many times as a request is tried.
func (o *Object) readBlocks(stop int64) error {
	for o.stream != nil && o.stream.pos < stop {
		s := o.stream
		n := min(blockSize, o.size-s.pos)
		buf := make([]byte, n)
		k, err := io.ReadFull(s.body, buf)
		if err != nil {
			if cerr := o.ctx.Err(); cerr != nil {
				return cerr
			}
			o.broken++
			if o.broken >= o.store.maxAttempts {
				return &Error{Op: "read", URI: o.uri, Attempts: o.broken, Err: err,
					Msg: fmt.Sprintf("the transfer kept breaking off (last at byte %d: %v)", s.pos+int64(k), err)}
			}
			if err := o.openStream(s.pos, s.end); err != nil {
				return err
			}
			continue
		}
		o.store1(s.pos/blockSize, buf)
		s.pos += n
		if s.pos >= s.end {
			o.closeStream()
		}
	}
	return nil
}

// store1 caches one block, evicting the least recently used beyond
// maxBlocks (the first block stays).
func (o *Object) store1(bi int64, data []byte) {
	o.tick++
	o.blocks[bi] = &block{data: data, used: o.tick}
	if len(o.blocks) <= maxBlocks+1 {
		return
	}
	var oldest int64 = -1
	for i, b := range o.blocks {
		if i == 0 || i == bi {
			continue
		}
		if oldest < 0 || b.used < o.blocks[oldest].used {
			oldest = i
		}
	}
	if oldest >= 0 {
		delete(o.blocks, oldest)
	}
}

// closeStream ends the open response. What is left of a short one is read
// out, so that its connection can serve the next request.
func (o *Object) closeStream() {
	s := o.stream
	if s == nil {
		return
	}
	o.stream = nil
	if left := s.end - s.pos; left > 0 && left <= maxDrain {
		io.CopyN(io.Discard, s.body, left)
	}
	s.body.Close()
}

// parseContentRange reads "bytes FIRST-LAST/TOTAL" (TOTAL -1 for "*").
func parseContentRange(s string) (first, total int64, ok bool) {
	rest, found := strings.CutPrefix(s, "bytes ")
	if !found {
		return 0, 0, false
	}
	span, size, found := strings.Cut(rest, "/")
	if !found {
		return 0, 0, false
	}
	a, _, found := strings.Cut(span, "-")
	if !found {
		return 0, 0, false
	}
	first, err := strconv.ParseInt(a, 10, 64)
	if err != nil || first < 0 {
		return 0, 0, false
	}
	if size == "*" {
		return first, -1, true
	}
	total, err = strconv.ParseInt(size, 10, 64)
	if err != nil || total < 0 {
		return 0, 0, false
	}
	return first, total, true
}
