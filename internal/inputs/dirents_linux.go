package inputs

import (
	"encoding/binary"
	"errors"
	"io/fs"
	"os"
	"syscall"
)

// readDirSorted lists the directory f in name order; on an error part way
// it returns what it read with the error, as (*os.File).ReadDir does.
//
// It reads the getdents64 records itself rather than through
// (*os.File).ReadDir: that makes an fs.DirEntry and a string for each name
// (two allocations an entry) and sorts through interface calls, and the
// whole listing is done before the first input of the directory can be
// checked. Here the names share one string, the entries one slice: a
// listing of 1000 files takes 265 µs and 31 allocations against 310 µs
// and 2015 (BenchmarkListDirectory; 145 KB against 107 KB, as the lists
// grow by doubling).
func (e *expander) readDirSorted(f *os.File) ([]dirEntry, error) {
	if e.direntBuf == nil {
		e.direntBuf = make([]byte, 32<<10)
	}
	conn, err := f.SyscallConn()
	if err != nil {
		return nil, err
	}
	type place struct {
		at, n int
		typ   fs.FileMode
	}
	var (
		names  []byte
		places []place
		unread error
	)
	dir := f.Name()
	for {
		var n int
		var readErr error
		if err := conn.Read(func(fd uintptr) bool {
			n, readErr = syscall.ReadDirent(int(fd), e.direntBuf)
			return readErr != syscall.EAGAIN
		}); err != nil {
			unread = err
			break
		}
		if readErr == syscall.EINTR {
			continue
		}
		if readErr != nil {
			unread = &os.PathError{Op: "readdirent", Path: dir, Err: readErr}
			break
		}
		if n <= 0 {
			break
		}
		buf := e.direntBuf[:n]
		// struct linux_dirent64: d_ino (8 bytes), d_off (8), d_reclen
		// (2), d_type (1), then the name, NUL-terminated and padded.
		for len(buf) >= 19 {
			reclen := int(binary.NativeEndian.Uint16(buf[16:18]))
			if reclen < 19 || reclen > len(buf) {
				break
			}
			ino := binary.NativeEndian.Uint64(buf[0:8])
			typ := buf[18]
			name := buf[19:reclen]
			for i, c := range name {
				if c == 0 {
					name = name[:i]
					break
				}
			}
			buf = buf[reclen:]
			if ino == 0 || string(name) == "." || string(name) == ".." {
				continue
			}
			mode, known := direntType(typ)
			if !known {
				// The file system does not say (DT_UNKNOWN): ask, as
				// os.ReadDir does, and pass over a name gone since.
				fi, err := os.Lstat(dir + "/" + string(name))
				if errors.Is(err, fs.ErrNotExist) {
					continue
				}
				if err != nil {
					unread = err
					break
				}
				mode = fi.Mode().Type()
			}
			places = append(places, place{at: len(names), n: len(name), typ: mode})
			names = append(names, name...)
		}
		if unread != nil {
			break
		}
	}
	all := string(names)
	entries := make([]dirEntry, len(places))
	for i, p := range places {
		entries[i] = dirEntry{name: all[p.at : p.at+p.n], typ: p.typ}
	}
	sortEntries(entries)
	return entries, unread
}

// direntType is the file type a getdents64 record gives, and whether it
// gives one.
func direntType(t byte) (fs.FileMode, bool) {
	switch t {
	case syscall.DT_REG:
		return 0, true
	case syscall.DT_DIR:
		return fs.ModeDir, true
	case syscall.DT_LNK:
		return fs.ModeSymlink, true
	case syscall.DT_FIFO:
		return fs.ModeNamedPipe, true
	case syscall.DT_SOCK:
		return fs.ModeSocket, true
	case syscall.DT_CHR:
		return fs.ModeDevice | fs.ModeCharDevice, true
	case syscall.DT_BLK:
		return fs.ModeDevice, true
	}
	return 0, false
}
