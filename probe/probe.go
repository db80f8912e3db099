package probe

import (
	"errors"
	"io"
)

// Probe reads the headers of one input and says what the server's reader
// sees. name is the input's name as given (used only for what the content
// cannot tell, never to pick a parser). The returned error is an *IOError
// when r itself failed; content the server cannot open is not an error but
// an Info with Opens false.
func Probe(r io.ReaderAt, size int64, name string) (*Info, error) {
	g := newGuardedReader(r, size)
	head := g.head
	info := probeHead(g, head, size)
	if g.err != nil {
		return nil, &IOError{Err: g.err}
	}
	info.Size = size
	if w := extensionWarning(name, info.Container); w != "" {
		info.Warnings = append(info.Warnings, w)
	}
	return info, nil
}

func probeHead(r io.ReaderAt, head []byte, size int64) *Info {
	f, ok := lookup(head, size)
	if (!ok || f.Order > OrderID3) && hasID3v2(head) {
		return probeBehindID3(r, head, size)
	}
	if !ok {
		return &Info{Container: ContainerUnknown, OpenError: ErrUnknownFormat.Error()}
	}
	return openFormat(f, r, size)
}

// openFormat runs f's ReadHeader over r.
func openFormat(f Format, r io.ReaderAt, size int64) *Info {
	if f.ReadHeader == nil {
		return &Info{Container: f.Name, OpenError: (&UnsupportedError{Format: f.Name, Msg: "the server's reader does not open this container"}).Error()}
	}
	info, err := f.ReadHeader(r, size)
	if info == nil {
		info = &Info{}
	}
	if info.Container == "" {
		info.Container = f.Name
	}
	if err != nil {
		info.Opens = false
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		info.OpenError = err.Error()
	}
	return info
}

// ReadAll reads the whole audio of an input that Probe said opens, the way
// the server's read loop does, and reports the frames read and any read
// error. It returns nil when the server would not read at all: the input
// does not open, or its length is unknown (the length step comes first:
// docs/server.md#length-and-read-errors).
func ReadAll(r io.ReaderAt, size int64, info *Info) (*ReadResult, error) {
	if info == nil || !info.Opens || info.LengthUnknown {
		return nil, nil
	}
	if info.Settled != nil {
		return info.Settled, nil
	}
	f, ok := lookupName(info.Container)
	if !ok || f.ReadAll == nil {
		return nil, &IOError{Err: errors.New(info.Container + ": no full reader registered")}
	}
	g := newGuardedReader(r, size)
	sr, n := sectionOf(g, size, info)
	res, err := f.ReadAll(sr, n, info)
	if g.err != nil {
		return nil, &IOError{Err: g.err}
	}
	if err != nil {
		return nil, &IOError{Err: err}
	}
	return res, nil
}

// Release lets go of what Probe keeps in info for ReadAll (a format's
// open decoder state and buffers, which it reuses for the next input) when
// ReadAll will not be called: header-only checks call it once they are
// done with the input. info stays valid; a ReadAll after it reads the
// headers again.
func Release(info *Info) {
	if r, ok := info.Detail.(interface{ Release() }); ok {
		r.Release()
	}
}

// guardedReader serves the first HeadSize bytes from memory and records
// the first failure of the underlying reader that is not an end of file, so
// that a format parser's error can be told apart from an unreadable input.
type guardedReader struct {
	r    io.ReaderAt
	size int64
	head []byte
	err  error
}

// HeadReader is an io.ReaderAt that already holds the input's first bytes
// (at least min(HeadSize, size) of them): Probe uses them instead of
// reading them again. The slice must not change while Probe runs.
type HeadReader interface {
	io.ReaderAt
	Head() []byte
}

func newGuardedReader(r io.ReaderAt, size int64) *guardedReader {
	g := &guardedReader{r: r, size: size}
	n := int64(HeadSize)
	if size < n {
		n = size
	}
	if h, ok := r.(HeadReader); ok && int64(len(h.Head())) >= n {
		g.head = h.Head()[:n]
		return g
	}
	if n > 0 {
		buf := make([]byte, n)
		m, err := r.ReadAt(buf, 0)
		if err != nil && err != io.EOF {
			g.err = err
		}
		g.head = buf[:m]
	}
	return g
}

func (g *guardedReader) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errors.New("negative offset")
	}
	if off+int64(len(p)) <= int64(len(g.head)) {
		return copy(p, g.head[off:]), nil
	}
	if off >= g.size {
		return 0, io.EOF
	}
	n, err := g.r.ReadAt(p, off)
	if err != nil && err != io.EOF && g.err == nil {
		g.err = err
	}
	if err == nil && n < len(p) {
		err = io.EOF
	}
	return n, err
}
