//go:build !unix

package preflight

import (
	"io"
	"os"
)

// fileSlot is memory for a file opened in place; here an os.File needs
// none of its own.
type fileSlot struct{}

func (s *fileSlot) reset() {}

// openFile opens the regular file name for reading (slot is not used).
func openFile(name string, _ *fileSlot) (Audio, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, plainPathError(err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, plainPathError(err)
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, errChanged
	}
	return fileAudio{f, st.Size()}, nil
}

// fileAudio is a regular file.
type fileAudio struct {
	*os.File
	size int64
}

func (f fileAudio) Size() int64 { return f.size }

func (f fileAudio) ReadAt(p []byte, off int64) (int, error) {
	n, err := f.File.ReadAt(p, off)
	if err != nil && err != io.EOF {
		err = readError(off+int64(n), err)
	}
	return n, err
}
