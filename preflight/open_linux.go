package preflight

import (
	"strings"
	"syscall"
	"unsafe"
)

// openNamed is syscall.Open, with the name made a C string in slot's
// memory rather than in a new allocation per file (syscall's), when there
// is a slot.
func openNamed(name string, flags int, slot *fileSlot) (int, error) {
	if slot == nil || strings.IndexByte(name, 0) >= 0 {
		return syscall.Open(name, flags, 0)
	}
	slot.name = append(append(slot.name[:0], name...), 0)
	dir := atFDCWD
	fd, _, errno := syscall.Syscall6(syscall.SYS_OPENAT, uintptr(dir), uintptr(unsafe.Pointer(&slot.name[0])),
		uintptr(flags|syscall.O_LARGEFILE), 0, 0, 0)
	if errno != 0 {
		return -1, errno
	}
	return int(fd), nil
}

// atFDCWD is Linux's AT_FDCWD: a name relative to the working directory.
const atFDCWD = -0x64
