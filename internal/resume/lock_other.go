//go:build !unix

package resume

import "os"

// lock is a no-op where the system has no flock: running two resumes of
// one report at once is then the user's to avoid.
func lock(*os.File) error { return nil }
