package rare

import (
	"io"

	"github.com/audiopreflight/audiopreflight/probe"
	"github.com/audiopreflight/audiopreflight/probe/internal/sndfile"
)

// Container short names, the lowercase of libsndfile's format names.
const (
	ContainerPAF   = "paf"
	ContainerNIST  = "nist"
	ContainerIRCAM = "ircam"
	ContainerMAT4  = "mat4"
	ContainerMAT5  = "mat5"
	ContainerPVF   = "pvf"
	ContainerXI    = "xi"
	ContainerHTK   = "htk"
	ContainerSDS   = "sds"
	ContainerAVR   = "avr"
	ContainerWVE   = "wve"
	ContainerMPC2K = "mpc2k"
	ContainerDWD   = "dwd"
	ContainerTXW   = "txw"
	ContainerREX2  = "rex2"
)

// headerFunc reads a header with libsndfile's reader and fills f.
type headerFunc func(f *sndfile.File, info *probe.Info) error

// open runs a parser the way psf_open_file does: libsndfile needs 12 bytes
// to recognise anything, the parser and codec set-up fill in the state,
// and the sanity checks decide.
func open(name, format string, r io.ReaderAt, size int64, read headerFunc) (*probe.Info, *sndfile.File, error) {
	info := &probe.Info{Container: name}
	if size < 12 {
		return info, nil, &probe.FormatError{Format: name, Msg: "shorter than the 12 bytes libsndfile needs to recognise a format"}
	}
	h := sndfile.Open(r, size)
	f := sndfile.NewFile(h, name)
	if err := read(f, info); err != nil {
		return info, f, err
	}
	if err := f.Finish(info, format); err != nil {
		return info, f, err
	}
	return info, f, nil
}

// settled is open for formats whose every frame is read as reported.
func settled(name, format string, read headerFunc, r io.ReaderAt, size int64) (*probe.Info, error) {
	info, f, err := open(name, format, r, size, read)
	if err == nil {
		info.Settled = f.Settle()
	}
	return info, err
}

// marker packs four bytes, most significant first, as HeaderReader's "m".
func marker(s string) uint32 {
	return uint32(s[0])<<24 | uint32(s[1])<<16 | uint32(s[2])<<8 | uint32(s[3])
}
