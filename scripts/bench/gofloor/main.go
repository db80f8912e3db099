// Command gofloor is the floor the benchmark's header-only goal is stated
// against: in Go, as a Go checker must run, it lists a directory in lexical
// order and two goroutines take its files in turn and, for each, open it,
// read its first 4 KiB and close it. It decides nothing and prints only the
// count of files and bytes read. scripts/bench/floor/floor.c is the same
// work in C, without the Go runtime's start and its file wrapper: the lower
// bound of any checker, shown beside it.
//
// usage: gofloor DIR [GOROUTINES]   (GOROUTINES defaults to 2)
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
)

func main() {
	if len(os.Args) < 2 || len(os.Args) > 3 {
		fmt.Fprintln(os.Stderr, "usage: gofloor DIR [GOROUTINES]")
		os.Exit(2)
	}
	workers := 2
	if len(os.Args) == 3 {
		if n, err := strconv.Atoi(os.Args[2]); err == nil && n > 0 {
			workers = n
		}
	}
	dir := os.Args[1]
	entries, err := os.ReadDir(dir) // sorted by name
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var next, total atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			buf := make([]byte, 4096)
			for {
				i := next.Add(1) - 1
				if i >= int64(len(entries)) {
					return
				}
				f, err := os.Open(filepath.Join(dir, entries[i].Name()))
				if err != nil {
					fmt.Fprintln(os.Stderr, err)
					continue
				}
				n, _ := f.ReadAt(buf, 0)
				total.Add(int64(n))
				f.Close()
			}
		})
	}
	wg.Wait()
	fmt.Printf("%d files, %d bytes read\n", len(entries), total.Load())
}
