//go:build unix

package inputs

import "syscall"

// checkReadable reports whether the process may read the file: one
// access(2) call, so that an unreadable file is reported with the others
// instead of when the check opens it.
func checkReadable(name string) error {
	if err := syscall.Access(name, 4 /* R_OK */); err != nil {
		return err
	}
	return nil
}
