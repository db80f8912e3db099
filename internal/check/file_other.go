//go:build !unix

package check

import (
	"fmt"
	"os"
)

func openFile(name string) (Audio, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("%s: not a regular file", name)
	}
	return fileAudio{f, st.Size()}, nil
}
