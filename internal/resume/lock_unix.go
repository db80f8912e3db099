//go:build unix

package resume

import (
	"os"
	"syscall"
)

// lock takes an exclusive advisory lock on f without waiting: a second
// run resuming the same report fails at once instead of interleaving its
// lines with the first one's. The lock goes with the descriptor, so a
// killed run leaves none behind.
func lock(f *os.File) error {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
}
