package probe

import (
	"errors"
	"io"
	"slices"
	"sync"
	"sync/atomic"
)

// Format is one container the prober knows. Formats that the server's reader
// opens have a ReadHeader that says what libsndfile sees; formats it only
// needs to recognise (M4A, WebM, AMR, ...) still have a row, so that a
// rejection can name them.
type Format struct {
	// Name is the container short name (one of the Container* constants).
	Name string
	// Magic is matched against the first bytes of the input: '?' matches
	// any byte, as in image.RegisterFormat. Empty when Match does the work.
	Magic string
	// Match, when set, must also accept the head of the input (the first
	// HeadSize bytes or fewer) and its total size.
	Match func(head []byte, size int64) bool
	// Order places the format in the sniffing order. It follows the order
	// of libsndfile's guess_file_type, so that the first format that
	// matches is the one libsndfile would pick; formats that libsndfile does
	// not know come after (OrderDetectOnly and up).
	Order int
	// ReadHeader reads the headers only and says what libsndfile sees. It
	// returns a non-nil error when the header cannot be parsed; the input
	// then does not open and the error says why. I/O failures of r are
	// caught by the caller and need no special care.
	ReadHeader func(r io.ReaderAt, size int64) (*Info, error)
	// ReadHeaderIn, set instead, is ReadHeader building the Info in room
	// (never nil): see Room.
	ReadHeaderIn func(r io.ReaderAt, size int64, room *Room) (*Info, error)
	// ReadAll reads the whole audio as the server's sf_read loop would. It
	// is called only for inputs that open, have a known length and were not
	// Settled by the header. Nil for formats whose header settles everything.
	ReadAll func(r io.ReaderAt, size int64, info *Info) (*ReadResult, error)
}

// OrderDetectOnly is the first Order for formats libsndfile does not open.
const OrderDetectOnly = 1000

// HeadSize is how many leading bytes Probe reads in one go to sniff the
// format; parsers get them again from a cache rather than from the input.
const HeadSize = 4096

// The formats are registered at init (under formatsMu) and read by every
// probe of every worker. Readers take no lock: they load a sorted snapshot,
// made once after the last registration (as image.RegisterFormat keeps its
// formats in an atomic.Value). With a mutex, two workers contended on it
// for every input.
var (
	formatsMu sync.Mutex
	added     []Format                 // in the order registered
	formats   atomic.Pointer[[]Format] // added, sorted; nil until read

	// addedRoom has room for the formats of probe/allformats (36), so
	// that registering them, at every start, allocates nothing; more
	// spill to the heap.
	addedRoom [48]Format
)

// RegisterFormat adds a format to the prober. Sub-packages call it from init.
func RegisterFormat(f Format) {
	formatsMu.Lock()
	defer formatsMu.Unlock()
	if added == nil {
		added = addedRoom[:0]
	}
	added = append(added, f)
	formats.Store(nil)
}

// registered is the formats in sniffing order, shared: not to be changed.
func registered() []Format {
	if p := formats.Load(); p != nil {
		return *p
	}
	formatsMu.Lock()
	defer formatsMu.Unlock()
	if p := formats.Load(); p != nil {
		return *p
	}
	sorted := slices.Clone(added)
	slices.SortStableFunc(sorted, func(a, b Format) int { return a.Order - b.Order })
	formats.Store(&sorted)
	return sorted
}

// Formats returns the registered formats in sniffing order.
func Formats() []Format {
	return slices.Clone(registered())
}

func (f *Format) matches(head []byte, size int64) bool {
	if len(head) < len(f.Magic) {
		return false
	}
	for i := 0; i < len(f.Magic); i++ {
		if f.Magic[i] != '?' && f.Magic[i] != head[i] {
			return false
		}
	}
	return f.Match == nil || f.Match(head, size)
}

// lookup returns the first registered format that matches head.
func lookup(head []byte, size int64) (Format, bool) {
	formats := registered()
	for i := range formats {
		if formats[i].matches(head, size) {
			return formats[i], true
		}
	}
	return Format{}, false
}

func lookupName(name string) (Format, bool) {
	for _, f := range registered() {
		if f.Name == name && (f.ReadHeader != nil || f.ReadHeaderIn != nil) {
			return f, true
		}
	}
	return Format{}, false
}

// ErrUnknownFormat is the OpenError cause for content no registered format
// recognises: raw PCM, text, random bytes, empty input.
var ErrUnknownFormat = errors.New("format not recognised")
