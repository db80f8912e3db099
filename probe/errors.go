package probe

import "fmt"

// FormatError reports a malformed structure in an input, where it is, and
// what is wrong with it: "wav: bad fmt chunk size at 0x24".
type FormatError struct {
	Format string // container short name
	Off    int64  // byte offset of the structure
	Msg    string
}

func (e *FormatError) Error() string {
	return fmt.Sprintf("%s: %s at 0x%x", e.Format, e.Msg, e.Off)
}

// UnsupportedError reports a well-formed input that libsndfile refuses:
// "flac: unsupported: 12 bits per sample".
type UnsupportedError struct {
	Format string
	Msg    string
}

func (e *UnsupportedError) Error() string {
	return fmt.Sprintf("%s: unsupported: %s", e.Format, e.Msg)
}

// IOError is a failure to read the input itself (not a property of its
// content): the input could not be checked.
type IOError struct {
	Err error
}

func (e *IOError) Error() string { return e.Err.Error() }
func (e *IOError) Unwrap() error { return e.Err }
