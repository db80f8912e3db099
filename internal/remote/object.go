package remote

import (
	"bufio"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/audiopreflight/audiopreflight/internal/bytesize"
)

// How an Object reads: the prober reads headers through ReadAt, at the
// start of the file and here and there (a FLAC metadata block, the last Ogg
// page), and a full check reads the whole file forward. Reads are served
// from a cache of fixed-size blocks; a miss fetches the missing blocks:
//
//   - the first request asks for the first prefixSize bytes, which hold
//     the headers of most files;
//   - a miss right after the previous fetch (sequential reading) opens a
//     ranged response with read-ahead that doubles with each continuation
//     until it is open-ended, and blocks are taken from it as the reader
//     asks, so a full read costs a handful of requests and a header check
//     that stops reading wastes little;
//   - any other miss asks for exactly the blocks needed (a random access).
//
// When the server ignores Range (it answers 200), the first answer's prefix
// is read and the connection closed; anything beyond needs a new download
// from the start, read forward and thrown away up to where it is needed.
// Memory stays bounded: pinned prefix blocks plus maxBlocks more.
//
// A header check (Options.HeaderOnly) reads no more than it needs: no
// read-ahead, only the blocks asked for; and when the server ignores
// Range, no more of the body than HeaderWindow (see limits.go).
const (
	blockSize    = 32 << 10
	prefixSize   = 64 << 10
	pinnedBlocks = prefixSize / blockSize
	maxBlocks    = 32      // cached blocks beyond the prefix: 1 MiB
	maxRun       = 16      // blocks fetched for one miss at most
	maxSkip      = 1 << 20 // read through this much of an open response rather than ask again
	firstAhead   = 64 << 10
	maxAhead     = 8 << 20 // beyond this read-ahead, ask for the rest of the file
)

// Object is one URL input, open for reading. It is an io.ReaderAt over the
// audio the server would download, with its size known from the first
// answer, so the prober reads it like a local file. Methods are safe for
// concurrent use; reads are serialised.
type Object struct {
	client *Client
	input  string
	url    *url.URL // where requests go: the URL the redirects end at
	name   string
	ctx    context.Context // carries the deadline of the whole download
	cancel context.CancelFunc
	trace  *trace

	size        int64  // -1 until known
	ranged      bool   // the server honours Range
	encoding    string // Content-Encoding of whole bodies, to undo ("" for identity)
	transferred atomic.Int64
	pinned      int64 // blocks at the start the cache never evicts
	// counted says the size was learnt by reading the body to its end
	// (it came without a length); incomplete, that reading stopped
	// before the end (Incomplete).
	counted    bool
	incomplete error

	mu       sync.Mutex
	warnings []string
	blocks   map[int64]*block
	tick     uint64
	free     [][]byte
	stream   *bodyStream
	ahead    int64 // read-ahead of the current sequential run; 0 after a random access
	lastEnd  int64 // where the previous fetch ended: a fetch from there is sequential
	complete int64 // bytes [0, complete) have all arrived at least once
	failure  *Failure
}

type block struct {
	data []byte
	used uint64
}

// bodyStream is an open response, read forward.
type bodyStream struct {
	resp *http.Response
	r    io.Reader // the body, decoded when needed
	pos  int64     // file offset of the next byte r gives
	end  int64     // file offset after the last byte r gives; -1 when unknown
}

// Open starts reading rawURL as the server would download it. A non-nil
// Failure means the server could not read audio from it
// (FailedToReadAudioFromURL); otherwise the Object knows the size and holds
// the start of the file. ctx (with the client's timeout added) governs the
// whole life of the Object; Close it when done.
func (c *Client) Open(ctx context.Context, rawURL string) (*Object, *Failure) {
	u, f := parseServerURL(rawURL)
	if f != nil {
		return nil, f
	}
	var warnings []string
	if exp, ok := ParseExpiry(u); ok {
		f, w := expiryCheck(exp, c.now(), "the pre-signed URL")
		if f != nil {
			return nil, f
		}
		if w != "" {
			warnings = append(warnings, w)
		}
	}
	if b := c.checkLiteral(u); b != nil {
		return nil, notPublicFailure(b, nil)
	}
	tr := &trace{}
	octx, cancel := context.WithTimeout(ctx, c.timeout)
	octx = context.WithValue(octx, traceKey{}, tr)
	o := &Object{
		client:   c,
		input:    rawURL,
		url:      u,
		name:     nameOf(u),
		ctx:      octx,
		cancel:   cancel,
		trace:    tr,
		size:     -1,
		blocks:   make(map[int64]*block),
		warnings: warnings,
		pinned:   pinnedBlocks,
	}
	if c.headerOnly {
		o.pinned = HeaderWindow / blockSize
	}
	if f := o.open(); f != nil {
		o.Close()
		return nil, f
	}
	return o, nil
}

// Size is the size of the file in bytes, from Content-Range or
// Content-Length (or, for a body without a length, from reading it; when
// Incomplete, how far the reading came: a lower bound).
func (o *Object) Size() int64 { return o.size }

// Name is the last segment of the URL's path: the input's file name, for
// the prober's extension check.
func (o *Object) Name() string { return o.name }

// FinalURL is the URL the redirects ended at, with its query and user
// information hidden (pre-signed queries hold credentials).
func (o *Object) FinalURL() string { return displayURL(o.url) }

// BytesTransferred counts the body bytes received so far (headers not
// included); progress displays poll it.
func (o *Object) BytesTransferred() int64 { return o.transferred.Load() }

// Warnings are things the server tolerates but a person should know: a
// pre-signed URL that expires soon, redirects, a server that ignores Range.
func (o *Object) Warnings() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]string(nil), o.warnings...)
}

// Close ends the Object's transfers and releases its memory. A read under
// way in another goroutine is interrupted.
func (o *Object) Close() error {
	o.cancel()
	o.mu.Lock()
	defer o.mu.Unlock()
	o.closeStream()
	if o.failure == nil {
		o.failure = &Failure{Reason: ReasonTransfer, Detail: "read after close"}
	}
	o.blocks, o.free = nil, nil
	return nil
}

// ReadAt reads the file as io.ReaderAt does. A failure of the transfer is
// returned as a *Failure (the server could not read the audio either), and
// every later read fails the same way.
func (o *Object) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errors.New("remote: negative offset")
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.failure != nil {
		return 0, o.failure
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
			last := min(lastBlock, bi+maxRun-1)
			if o.client.headerOnly && !o.ranged {
				if err := o.headerMiss(bi, pos); err != nil {
					return n, err
				}
				last = min(last, HeaderWindow/blockSize-1)
			}
			if f := o.fetch(bi, last); f != nil {
				o.failure = f
				return n, f
			}
			if b, ok = o.blocks[bi]; !ok {
				o.failure = &Failure{Reason: ReasonTransfer, Detail: fmt.Sprintf("internal error: block at %d not fetched", bi*blockSize)}
				return n, o.failure
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

// FinishDownload receives whatever part of the body has not arrived yet,
// as the server's download would, and fails when the body is shorter than
// announced or the download outlasts the timeout. Full checks call it after
// reading the audio; reads done by then are not repeated. A header-only
// check cannot know these and does not call it.
func (o *Object) FinishDownload() *Failure {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.failure != nil {
		return o.failure
	}
	if o.complete >= o.size {
		return nil
	}
	start := o.complete
	if s := o.stream; s == nil || s.pos > start || (o.ranged && start-s.pos > maxSkip) {
		end := int64(-1)
		if f := o.openStream(start, end); f != nil {
			o.failure = f
			return f
		}
	}
	if f := o.skip(o.size - o.stream.pos); f != nil {
		o.failure = f
		return f
	}
	o.finishStream()
	return nil
}

// open makes the first request and sets the size.
func (o *Object) open() *Failure {
	resp, f := o.get(0, prefixSize)
	if f != nil {
		return f
	}
	o.followed(resp)
	status := resp.StatusCode
	switch {
	case status == http.StatusPartialContent:
		cr, ok := parseContentRange(resp.Header.Get("Content-Range"))
		if ok && cr.first == 0 && cr.total > 0 && usableRange(resp) {
			o.size, o.ranged = cr.total, true
			o.stream = o.newStream(resp, 0, cr.last+1)
			if f := o.readBlocks(0, min(prefixSize, o.size)); f != nil {
				return f
			}
			o.lastEnd = min(prefixSize, o.size)
			if o.stream != nil && o.stream.pos >= o.stream.end {
				o.finishStream()
			}
			return nil
		}
		resp.Body.Close()
		o.warn(fmt.Sprintf("the audio host's answer to a Range request was unusable (Content-Range %q): the whole body is read instead", resp.Header.Get("Content-Range")))
	case status == http.StatusRequestedRangeNotSatisfiable:
		resp.Body.Close()
		if cr, ok := parseContentRange(resp.Header.Get("Content-Range")); ok && cr.total == 0 {
			return &Failure{Reason: ReasonEmpty, Detail: "the file is empty (the audio host answered a Range request with HTTP 416, Content-Range " + resp.Header.Get("Content-Range") + ")"}
		}
	case status/100 != 2 && status != http.StatusNotFound && status != http.StatusGone:
		// The server sends no Range header: ask again as it does, in
		// case the range is what was refused.
		resp.Body.Close()
	default:
		return o.openWhole(resp, status)
	}
	resp, f = o.get(0, -1)
	if f != nil {
		return f
	}
	o.followed(resp)
	return o.openWhole(resp, status)
}

// openWhole takes a response that carries the whole body (or fails).
// rangeStatus is what the server answered to the first, ranged, request.
func (o *Object) openWhole(resp *http.Response, rangeStatus int) *Failure {
	if resp.StatusCode/100 != 2 {
		resp.Body.Close()
		return statusFailure(resp, o.url, o.client.now)
	}
	o.ranged = false
	o.encoding = contentEncoding(resp)
	if o.encoding == "" && resp.ContentLength >= 0 {
		o.size = resp.ContentLength
		if o.size == 0 {
			resp.Body.Close()
			return emptyFailure(resp)
		}
		o.warnNoRange(rangeStatus)
		o.stream = o.newStream(resp, 0, o.size)
		n := min(prefixSize, o.size)
		if f := o.readBlocks(0, n); f != nil {
			return f
		}
		o.lastEnd = n
		switch {
		case n == o.size:
			o.finishStream()
		case o.client.headerOnly:
			// Keep the response: what the headers need beyond the
			// prefix, up to HeaderWindow, is read from it as asked.
		default:
			// Stop the transfer here: the rest is read only if the
			// check needs it.
			o.closeStream()
		}
		return nil
	}
	// Without a length (chunked, or an encoded body whose decoded size
	// only decoding tells), the size is known at the end of the body: read
	// it all now, keeping the prefix and the last blocks — or, where a
	// limit says so, up to the limit only (limits.go).
	o.stream = o.newStream(resp, 0, -1)
	o.counted = true
	stopAt := o.countLimit()
	for {
		if stopAt >= 0 && o.stream.pos >= stopAt {
			if o.bodyGoesOn() {
				o.incomplete = o.stopped(stopAt)
			}
			break
		}
		buf := o.newBuf()
		n, err := fill(o.stream.r, buf)
		if n > 0 {
			o.store(o.stream.pos/blockSize, buf[:n])
			o.stream.pos += int64(n)
			o.complete = o.stream.pos
		} else {
			o.free = append(o.free, buf)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return o.failureFrom(err, o.stream.pos)
		}
	}
	o.size = o.stream.pos
	o.lastEnd = o.size
	o.closeStream()
	if o.size == 0 {
		return emptyFailure(resp)
	}
	if o.incomplete == nil {
		o.warnNoRange(rangeStatus)
	}
	return nil
}

// warnNoRange says that the server does not serve byte ranges, when that
// matters: a file larger than the first request's range (a server may
// answer 200 when the range covers the whole file).
func (o *Object) warnNoRange(rangeStatus int) {
	if o.size <= prefixSize {
		return
	}
	then := "a header check reads the start of the body, anything more downloads it from the start"
	if o.client.headerOnly {
		then = fmt.Sprintf("a header check reads at most its first %s", bytesize.Format(HeaderWindow))
	}
	switch {
	case rangeStatus/100 == 2:
		o.warn(fmt.Sprintf("the audio host ignores Range requests (it answered HTTP %d): %s", rangeStatus, then))
	case rangeStatus != 0:
		o.warn(fmt.Sprintf("the audio host answers Range requests with HTTP %d but serves the file: %s", rangeStatus, then))
	}
}

func emptyFailure(resp *http.Response) *Failure {
	return &Failure{Reason: ReasonEmpty, Detail: fmt.Sprintf("the audio host answered HTTP %d with an empty body", resp.StatusCode)}
}

// followed notes the redirects behind resp, the first time there are
// some, and sends later requests straight to where they ended.
func (o *Object) followed(resp *http.Response) {
	if resp.Request == nil || resp.Request.URL == nil {
		return
	}
	final := resp.Request.URL
	if n := o.trace.count(); n > 0 && *final != *o.url {
		hops := "1 redirect"
		if n > 1 {
			hops = fmt.Sprintf("%d redirects", n)
		}
		o.warn(fmt.Sprintf("the URL redirects (%s) and ends at %s", hops, displayURL(final)))
		if exp, ok := ParseExpiry(final); ok {
			if _, w := expiryCheck(exp, o.client.now(), "the pre-signed URL it redirects to"); w != "" {
				o.warn(w)
			}
		}
	}
	o.url = final
}

func (o *Object) warn(w string) {
	for _, have := range o.warnings {
		if have == w {
			return
		}
	}
	o.warnings = append(o.warnings, w)
}

// get sends one GET for bytes [start, end) (end -1: to the end of the
// file; start 0 and end -1: no Range header at all).
func (o *Object) get(start, end int64) (*http.Response, *Failure) {
	req, err := http.NewRequestWithContext(o.ctx, http.MethodGet, o.url.String(), nil)
	if err != nil {
		return nil, &Failure{Reason: ReasonInvalidURL, Detail: "not a valid URL: " + err.Error(), Err: err}
	}
	req.Header.Set("User-Agent", o.client.userAgent)
	req.Header.Set("Accept", "*/*")
	req.Header.Set("Accept-Encoding", acceptEncoding)
	switch {
	case end >= 0:
		req.Header.Set("Range", fmt.Sprintf("bytes=%d-%d", start, end-1))
	case start > 0:
		req.Header.Set("Range", fmt.Sprintf("bytes=%d-", start))
	}
	resp, err := o.client.do(req)
	if err != nil {
		return nil, o.failureFrom(err, start)
	}
	return resp, nil
}

// newStream wraps resp's body: counting what arrives, decoding when the
// body is encoded and not a byte range.
func (o *Object) newStream(resp *http.Response, pos, end int64) *bodyStream {
	s := &bodyStream{resp: resp, pos: pos, end: end}
	s.r = &countingReader{r: resp.Body, o: o}
	if resp.StatusCode != http.StatusPartialContent {
		s.r = decoder(contentEncoding(resp), s.r)
	}
	return s
}

// openStream opens a response positioned at start, asking for bytes up to
// end (-1: to the end of the file). Without Range support it downloads from
// the start and reads forward to start.
func (o *Object) openStream(start, end int64) *Failure {
	o.closeStream()
	if !o.ranged {
		resp, f := o.get(0, -1)
		if f != nil {
			return f
		}
		if resp.StatusCode/100 != 2 {
			resp.Body.Close()
			return statusFailure(resp, o.url, o.client.now)
		}
		if contentEncoding(resp) == "" && o.encoding == "" && resp.ContentLength >= 0 && resp.ContentLength != o.size {
			resp.Body.Close()
			return changedFailure(o.size, resp.ContentLength)
		}
		o.stream = o.newStream(resp, 0, o.size)
		return o.skip(start)
	}
	if end >= o.size {
		end = -1
	}
	resp, f := o.get(start, end)
	if f != nil {
		return f
	}
	switch resp.StatusCode {
	case http.StatusPartialContent:
		cr, ok := parseContentRange(resp.Header.Get("Content-Range"))
		if !ok || cr.first != start || !usableRange(resp) {
			resp.Body.Close()
			return &Failure{Reason: ReasonTransfer, Detail: fmt.Sprintf("the audio host answered a request for bytes %d- with Content-Range %q", start, resp.Header.Get("Content-Range"))}
		}
		if cr.total != o.size && cr.total >= 0 {
			resp.Body.Close()
			return changedFailure(o.size, cr.total)
		}
		o.stream = o.newStream(resp, start, cr.last+1)
		return nil
	case http.StatusRequestedRangeNotSatisfiable:
		resp.Body.Close()
		return &Failure{Reason: ReasonShortBody, Detail: fmt.Sprintf("the audio host has no bytes from offset %d on, though it announced %d bytes", start, o.size)}
	}
	if resp.StatusCode/100 != 2 {
		resp.Body.Close()
		return statusFailure(resp, o.url, o.client.now)
	}
	// The server stopped honouring Range: read the whole body from here on.
	o.ranged = false
	o.warnNoRange(resp.StatusCode)
	if contentEncoding(resp) == "" && resp.ContentLength >= 0 && resp.ContentLength != o.size {
		resp.Body.Close()
		return changedFailure(o.size, resp.ContentLength)
	}
	o.stream = o.newStream(resp, 0, o.size)
	return o.skip(start)
}

func changedFailure(was, now int64) *Failure {
	return &Failure{Reason: ReasonChanged, Detail: fmt.Sprintf("the file changed while it was read (its size was %d bytes, then %d)", was, now)}
}

// fetch brings blocks first..last into the cache.
func (o *Object) fetch(first, last int64) *Failure {
	start := first * blockSize
	stop := min((last+1)*blockSize, o.size)
	s := o.stream
	switch {
	case s != nil && s.pos <= start && (start-s.pos <= maxSkip || !o.ranged):
		// Go on with the open response.
	case !o.ranged:
		if f := o.openStream(start, -1); f != nil {
			return f
		}
	case start == o.lastEnd && !o.client.headerOnly:
		o.ahead = nextAhead(o.ahead)
		end := int64(-1)
		if o.ahead > 0 {
			end = max(start+o.ahead, stop)
		}
		if f := o.openStream(start, end); f != nil {
			return f
		}
	default:
		o.ahead = 0
		if f := o.openStream(start, stop); f != nil {
			return f
		}
	}
	if f := o.skip(start - o.stream.pos); f != nil {
		return f
	}
	if f := o.readBlocks(start, stop); f != nil {
		return f
	}
	o.lastEnd = stop
	if s := o.stream; s != nil && (s.pos == o.size || s.end >= 0 && s.pos >= s.end) {
		o.finishStream()
	}
	return nil
}

// nextAhead doubles the read-ahead of a sequential run, up to -1 (the rest
// of the file).
func nextAhead(a int64) int64 {
	switch {
	case a == 0:
		return firstAhead
	case a < 0 || a >= maxAhead:
		return -1
	}
	return 2 * a
}

// readBlocks reads the open stream, positioned at start (block-aligned),
// into the cache up to stop.
func (o *Object) readBlocks(start, stop int64) *Failure {
	for pos := start; pos < stop; {
		n := min(blockSize, o.size-pos)
		buf := o.newBuf()
		if f := o.streamRead(buf[:n]); f != nil {
			return f
		}
		o.store(pos/blockSize, buf[:n])
		pos += n
	}
	return nil
}

// skip reads n bytes of the stream and throws them away.
func (o *Object) skip(n int64) *Failure {
	if n <= 0 {
		return nil
	}
	scratch := o.newBuf()
	defer func() { o.free = append(o.free, scratch) }()
	for n > 0 {
		k := min(n, int64(len(scratch)))
		if f := o.streamRead(scratch[:k]); f != nil {
			return f
		}
		n -= k
	}
	return nil
}

// streamRead fills buf from the stream, asking for more when a response
// ends before the file does (servers may cap the length of a range).
func (o *Object) streamRead(buf []byte) *Failure {
	for got := 0; got < len(buf); {
		s := o.stream
		if s.end >= 0 && s.pos >= s.end {
			if s.end >= o.size {
				return o.shortFailure(s.pos)
			}
			var end int64
			if o.client.headerOnly {
				end = s.pos + int64(len(buf)-got) // no read-ahead
			} else {
				o.ahead = nextAhead(o.ahead)
				end = -1
				if o.ahead > 0 {
					end = s.pos + o.ahead
				}
			}
			if f := o.openStream(s.pos, end); f != nil {
				return f
			}
			continue
		}
		want := buf[got:]
		if s.end >= 0 && int64(len(want)) > s.end-s.pos {
			want = want[:s.end-s.pos]
		}
		n, err := s.r.Read(want)
		if n > 0 {
			if s.pos <= o.complete && s.pos+int64(n) > o.complete {
				o.complete = s.pos + int64(n)
			}
			s.pos += int64(n)
			got += n
		}
		switch {
		case err == io.EOF:
			if s.end < 0 || s.pos < s.end {
				return o.shortFailure(s.pos)
			}
		case err != nil:
			return o.failureFrom(err, s.pos)
		}
	}
	return nil
}

func (o *Object) shortFailure(at int64) *Failure {
	return &Failure{Reason: ReasonShortBody, Detail: fmt.Sprintf("the body ended after %d of %d bytes (shorter than its Content-Length)", at, o.size)}
}

// finishStream ends a response that has given all it should: reading its
// end lets the connection be reused.
func (o *Object) finishStream() {
	if s := o.stream; s != nil {
		var one [1]byte
		s.r.Read(one[:])
		s.resp.Body.Close()
		o.stream = nil
	}
}

// closeStream abandons the open response, if any; for HTTP/1.1 that closes
// the connection, which stops the transfer.
func (o *Object) closeStream() {
	if o.stream != nil {
		o.stream.resp.Body.Close()
		o.stream = nil
	}
}

func (o *Object) newBuf() []byte {
	if n := len(o.free); n > 0 {
		b := o.free[n-1]
		o.free = o.free[:n-1]
		return b[:blockSize]
	}
	return make([]byte, blockSize)
}

// store caches block bi, evicting the least recently used unpinned block
// when the cache is full. data's buffer is owned by the cache afterwards
// (or copied, when it is not a buffer of the cache's size).
func (o *Object) store(bi int64, data []byte) {
	if cap(data) < blockSize {
		b := o.newBuf()
		data = b[:copy(b, data)]
	}
	if old, ok := o.blocks[bi]; ok {
		o.free = append(o.free, old.data)
	}
	o.tick++
	o.blocks[bi] = &block{data: data, used: o.tick}
	if int64(len(o.blocks)) <= o.pinned+maxBlocks {
		return
	}
	victim, oldest := int64(-1), ^uint64(0)
	for i, b := range o.blocks {
		if i >= o.pinned && i != bi && b.used < oldest {
			victim, oldest = i, b.used
		}
	}
	if victim >= 0 {
		o.free = append(o.free, o.blocks[victim].data)
		delete(o.blocks, victim)
	}
}

// countingReader counts body bytes as they arrive and reports progress.
type countingReader struct {
	r io.Reader
	o *Object
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if n > 0 {
		total := c.o.transferred.Add(int64(n))
		if c.o.client.progress != nil {
			c.o.client.progress(c.o.input, total, c.o.size)
		}
	}
	return n, err
}

// fill reads until buf is full or the reader ends; io.EOF only when it
// ended cleanly (a body cut short gives io.ErrUnexpectedEOF).
func fill(r io.Reader, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		k, err := r.Read(buf[n:])
		n += k
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// contentRange is a parsed "bytes first-last/total" (total -1 for "*";
// first and last -1 for "bytes */total").
type contentRange struct{ first, last, total int64 }

func parseContentRange(s string) (contentRange, bool) {
	unit, spec, ok := strings.Cut(strings.TrimSpace(s), " ")
	if !ok || !strings.EqualFold(unit, "bytes") {
		return contentRange{}, false
	}
	rng, total, ok := strings.Cut(strings.TrimSpace(spec), "/")
	if !ok {
		return contentRange{}, false
	}
	cr := contentRange{first: -1, last: -1, total: -1}
	if total != "*" {
		t, err := strconv.ParseInt(total, 10, 64)
		if err != nil || t < 0 {
			return contentRange{}, false
		}
		cr.total = t
	}
	if rng == "*" {
		return cr, cr.total >= 0
	}
	a, b, ok := strings.Cut(rng, "-")
	if !ok {
		return contentRange{}, false
	}
	first, err1 := strconv.ParseInt(a, 10, 64)
	last, err2 := strconv.ParseInt(b, 10, 64)
	if err1 != nil || err2 != nil || first < 0 || last < first || cr.total >= 0 && last >= cr.total {
		return contentRange{}, false
	}
	cr.first, cr.last = first, last
	return cr, true
}

// usableRange reports whether a 206 answer is one plain byte range of the
// file itself (not multipart, not encoded).
func usableRange(resp *http.Response) bool {
	ct := strings.ToLower(resp.Header.Get("Content-Type"))
	return contentEncoding(resp) == "" && !strings.HasPrefix(ct, "multipart/byteranges")
}

// contentEncoding is the response's Content-Encoding, "" for identity.
func contentEncoding(resp *http.Response) string {
	e := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding")))
	if e == "identity" {
		return ""
	}
	return e
}

// decoder undoes a Content-Encoding as the server's client (urllib3)
// does: gzip and deflate (zlib-wrapped or raw); bodies in other encodings
// are kept as they are, as urllib3 does without the optional decoders.
func decoder(encoding string, r io.Reader) io.Reader {
	switch encoding {
	case "gzip", "x-gzip":
		return &lazyDecoder{open: func() (io.Reader, error) { return gzip.NewReader(r) }}
	case "deflate":
		return &lazyDecoder{open: func() (io.Reader, error) {
			br := bufio.NewReader(r)
			if h, err := br.Peek(2); err == nil && h[0]&0x0f == 8 && (uint16(h[0])<<8|uint16(h[1]))%31 == 0 {
				return zlib.NewReader(br)
			}
			return flate.NewReader(br), nil
		}}
	}
	return r
}

// lazyDecoder opens its decoder at the first read, so that opening a
// response does not block on its body.
type lazyDecoder struct {
	open func() (io.Reader, error)
	r    io.Reader
	err  error
}

func (d *lazyDecoder) Read(p []byte) (int, error) {
	if d.r == nil && d.err == nil {
		d.r, d.err = d.open()
		// An empty encoded body is an empty body (urllib3 decodes
		// nothing when nothing came); io.EOF says so.
	}
	if d.err != nil {
		return 0, d.err
	}
	return d.r.Read(p)
}
