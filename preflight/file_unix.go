//go:build unix

package preflight

import (
	"errors"
	"io"
	"os"
	"syscall"
)

// fdAudio is a regular file read with pread on a bare descriptor. A header
// check of a small file is then exactly open, fstat, pread and close:
// os.File would add the poller's fcntl and epoll calls, which cost as much
// as the check itself when a thousand files are checked in a blink.
type fdAudio struct {
	fd   int
	size int64
}

// fileSlot is memory for a file opened in place, which a caller that
// opens one file after another reuses (see inputState): the file, and its
// name as the system call takes it.
type fileSlot struct {
	f    fdAudio
	name []byte
}

// reset lets go of the file, keeping the memory of the name.
func (s *fileSlot) reset() { s.f = fdAudio{} }

// openFile opens the regular file name for reading, in slot when not nil.
func openFile(name string, slot *fileSlot) (Audio, error) {
	var fd int
	var err error
	for {
		// O_NONBLOCK: a FIFO that appeared since the inputs were listed
		// must not block the open; it is refused just below.
		fd, err = openNamed(name, syscall.O_RDONLY|syscall.O_CLOEXEC|syscall.O_NONBLOCK, slot)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return nil, plainPathError(&os.PathError{Op: "open", Path: name, Err: err})
	}
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		syscall.Close(fd)
		return nil, plainPathError(&os.PathError{Op: "stat", Path: name, Err: err})
	}
	if st.Mode&syscall.S_IFMT != syscall.S_IFREG {
		syscall.Close(fd)
		return nil, errChanged
	}
	if slot == nil {
		return &fdAudio{fd: fd, size: st.Size}, nil
	}
	slot.f = fdAudio{fd: fd, size: st.Size}
	return &slot.f, nil
}

func (f *fdAudio) Size() int64 { return f.size }

func (f *fdAudio) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, readError(off, errors.New("negative offset"))
	}
	n := 0
	for n < len(p) {
		m, err := syscall.Pread(f.fd, p[n:], off+int64(n))
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return n, readError(off+int64(n), err)
		}
		if m == 0 {
			return n, io.EOF
		}
		n += m
	}
	return n, nil
}

func (f *fdAudio) Close() error { return syscall.Close(f.fd) }
