//go:build unix && !linux

package preflight

import "syscall"

// openNamed is syscall.Open.
func openNamed(name string, flags int, _ *fileSlot) (int, error) {
	return syscall.Open(name, flags, 0)
}
