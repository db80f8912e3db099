//go:build unix

// Command alternate times commands side by side the way scripts/bench.sh
// compares audiopreflight with its peers: run k of every command before
// run k+1 of any, so that a change in the machine's load falls on all of
// them alike (hyperfine runs one command's runs back to back). Each
// command is run directly (no shell; write sh -c where a pipe is needed)
// with standard input and output on /dev/null, once unmeasured to warm the
// page cache, then -runs times; it prints one line per command:
//
//	NAME <TAB> median wall s <TAB> median CPU s (user+system, children waited for included) <TAB> peak RSS KiB <TAB> exit status of the last run
//
// It is a measuring tool, not part of the CLI.
//
// usage: go run ./scripts/bench/alternate [-runs 7] [-warmup 1] -- @NAME CMD ARG... [@NAME CMD ARG...]...
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"time"
)

type command struct {
	name string
	argv []string
	wall []float64
	cpu  []float64
	rss  int64
	exit int
}

func main() {
	runs := flag.Int("runs", 7, "measured runs of each command")
	warmup := flag.Int("warmup", 1, "unmeasured runs of each command first")
	flag.Parse()
	cmds, err := parse(flag.Args())
	if err != nil || *runs < 1 || *warmup < 0 {
		fmt.Fprintln(os.Stderr, "usage: alternate [-runs N] [-warmup N] -- @NAME CMD ARG... [@NAME CMD ARG...]...")
		if err != nil {
			fmt.Fprintln(os.Stderr, "alternate:", err)
		}
		os.Exit(2)
	}
	for k := 0; k < *warmup+*runs; k++ {
		for _, c := range cmds {
			wall, cpu, rss, exit, err := runOnce(c.argv)
			if err != nil {
				fmt.Fprintf(os.Stderr, "alternate: %s: %v\n", c.name, err)
				os.Exit(1)
			}
			c.exit = exit
			if k < *warmup {
				continue
			}
			c.wall = append(c.wall, wall)
			c.cpu = append(c.cpu, cpu)
			c.rss = max(c.rss, rss)
		}
	}
	for _, c := range cmds {
		fmt.Printf("%s\t%.6f\t%.6f\t%d\t%d\n", c.name, median(c.wall), median(c.cpu), c.rss, c.exit)
	}
}

func parse(args []string) ([]*command, error) {
	var cmds []*command
	for _, a := range args {
		if name, ok := strings.CutPrefix(a, "@"); ok {
			cmds = append(cmds, &command{name: name})
			continue
		}
		if len(cmds) == 0 {
			return nil, fmt.Errorf("%q comes before the first @NAME", a)
		}
		c := cmds[len(cmds)-1]
		c.argv = append(c.argv, a)
	}
	if len(cmds) == 0 {
		return nil, errors.New("no command")
	}
	for _, c := range cmds {
		if len(c.argv) == 0 {
			return nil, fmt.Errorf("@%s has no command", c.name)
		}
	}
	return cmds, nil
}

// runOnce runs argv and returns its wall time and CPU time in seconds, its
// peak RSS in KiB (the largest of it and its descendants, as wait4 says)
// and its exit status. A command killed by a signal is an error, and so is
// an exit status above 1 (audiopreflight check exits 1 when it rejects an
// input, the peers exit 0): the measurement would be of a failure.
func runOnce(argv []string) (wall, cpu float64, rss int64, exit int, err error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	runErr := cmd.Run()
	wall = time.Since(start).Seconds()
	if cmd.ProcessState == nil {
		return 0, 0, 0, 0, runErr
	}
	exit = cmd.ProcessState.ExitCode()
	if exit < 0 || exit > 1 {
		msg := strings.TrimSpace(stderr.String())
		if len(msg) > 400 {
			msg = msg[:400] + "..."
		}
		return 0, 0, 0, exit, fmt.Errorf("%s: %v: %s", strings.Join(argv, " "), runErr, msg)
	}
	cpu = (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = ru.Maxrss
	}
	return wall, cpu, rss, exit, nil
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
