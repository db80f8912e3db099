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
	var p Prober
	return p.Probe(r, size, name, nil)
}

// Prober probes inputs one after another, keeping its working memory from
// one to the next: a program that probes many small inputs pays the
// allocations of a probe once, not per input (every fresh page of heap is
// a page fault, which costs as much as a small input's header). The zero
// Prober is ready to use; it is not safe for concurrent use. An input's
// Info.Detail may read through the Prober: it is reused only once the
// Detail is spent (ReadAll) or let go of (Release).
type Prober struct {
	g guardedReader
	// full guards the input ReadAll reads: a guard of its own, as Detail
	// may still read through g; made afresh for every full read, it was
	// an allocation per input, written into fresh heap in the middle of a
	// run.
	full guardedReader
}

// Probe is the package's Probe. With a room, the Info is built in it (see
// Room); without one, in memory of its own.
func (p *Prober) Probe(r io.ReaderAt, size int64, name string, room *Room) (*Info, error) {
	g := &p.g
	g.reset(r, size)
	info := probeHead(g, g.head, size, room)
	if g.err != nil {
		return nil, &IOError{Err: g.err}
	}
	info.Size = size
	if w := extensionWarning(name, info.Container); w != "" {
		info.Warnings = append(info.Warnings, w)
	}
	return info, nil
}

// Room is memory for one Info and what it points at (its settled read,
// its sample layout, its first parts), which a program that checks many
// inputs reuses from one input's Info to the next one's (Prober.Probe):
// an Info built in a room is valid until the room is used again. Formats
// that register ReadHeaderIn build their Info in it.
type Room struct {
	info    Info
	settled ReadResult
	samples SampleLayout
	parts   [4]Part
}

// Info is the room's Info, empty.
func (m *Room) Info() *Info {
	m.info = Info{}
	return &m.info
}

// Settled is the room's ReadResult, set to res.
func (m *Room) Settled(res ReadResult) *ReadResult {
	m.settled = res
	return &m.settled
}

// Samples is the room's SampleLayout, empty.
func (m *Room) Samples() *SampleLayout {
	m.samples = SampleLayout{}
	return &m.samples
}

// Parts is an empty list of parts that appends into the room while it has
// space.
func (m *Room) Parts() []Part { return m.parts[:0:len(m.parts)] }

// newInfo is an Info in room, or a new one without.
func (m *Room) newInfo(v Info) *Info {
	if m == nil {
		return &v
	}
	i := m.Info()
	*i = v
	return i
}

func probeHead(r io.ReaderAt, head []byte, size int64, room *Room) *Info {
	f, ok := lookup(head, size)
	if (!ok || f.Order > OrderID3) && hasID3v2(head) {
		return probeBehindID3(r, head, size, room)
	}
	if !ok {
		return room.newInfo(Info{Container: ContainerUnknown, OpenError: ErrUnknownFormat.Error()})
	}
	return openFormat(f, r, size, room)
}

// openFormat runs f's ReadHeader (ReadHeaderIn, in room) over r.
func openFormat(f Format, r io.ReaderAt, size int64, room *Room) *Info {
	if f.ReadHeader == nil && f.ReadHeaderIn == nil {
		return room.newInfo(Info{Container: f.Name, OpenError: (&UnsupportedError{Format: f.Name, Msg: "the server's reader does not open this container"}).Error()})
	}
	var info *Info
	var err error
	if f.ReadHeaderIn != nil {
		if room == nil {
			room = new(Room)
		}
		info, err = f.ReadHeaderIn(r, size, room)
	} else {
		info, err = f.ReadHeader(r, size)
	}
	if info == nil {
		info = room.newInfo(Info{})
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
	return readAll(new(guardedReader), r, size, info)
}

// ReadAll is the package's ReadAll, for an Info from p.Probe, with memory
// kept for the next input's.
func (p *Prober) ReadAll(r io.ReaderAt, size int64, info *Info) (*ReadResult, error) {
	return readAll(&p.full, r, size, info)
}

func readAll(g *guardedReader, r io.ReaderAt, size int64, info *Info) (*ReadResult, error) {
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
	g.reset(r, size)
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
	if info.Held != nil {
		info.Held.Release()
	}
}

// Releaser is a Detail that holds memory its format reuses: see Info.Held.
type Releaser interface{ Release() }

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

// reset makes g the guard of r, reading its head unless r holds it.
func (g *guardedReader) reset(r io.ReaderAt, size int64) {
	*g = guardedReader{r: r, size: size}
	n := int64(HeadSize)
	if size < n {
		n = size
	}
	if h, ok := r.(HeadReader); ok && int64(len(h.Head())) >= n {
		g.head = h.Head()[:n]
		return
	}
	if n > 0 {
		buf := make([]byte, n)
		m, err := r.ReadAt(buf, 0)
		if err != nil && err != io.EOF {
			g.err = err
		}
		g.head = buf[:m]
	}
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
