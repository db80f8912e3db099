package flac

// SetWindowSize sets the frame reader's window for a test and returns the
// function that restores it.
func SetWindowSize(n int) func() { return setWindowSize(n) }

func setWindowSize(n int) func() {
	old := windowSize
	windowSize = n
	return func() { windowSize = old }
}
