package check

import (
	"context"
	"fmt"
	"iter"
	"sync"
	"sync/atomic"
	"time"

	"github.com/audiopreflight/audiopreflight/internal/prefault"
	"github.com/audiopreflight/audiopreflight/internal/redact"
	"github.com/audiopreflight/audiopreflight/internal/report"
	"github.com/audiopreflight/audiopreflight/internal/run"
	"github.com/audiopreflight/audiopreflight/preflight"
)

// Progress counts a run's work as it goes, for a progress line.
type Progress struct {
	Done      atomic.Int64
	Rejected  atomic.Int64
	BytesRead atomic.Int64
	// Listed counts the inputs read so far, and ListEnded says that all
	// are: the run's total is known only then.
	Listed    atomic.Int64
	ListEnded atomic.Bool
}

// RunOptions shape Run.
type RunOptions struct {
	// Jobs is how many inputs are checked at once (0: one per CPU).
	Jobs int
	// RemoteJobs is how many URL and object inputs are read at once, by
	// workers of their own (0: Jobs).
	RemoteJobs int
	// Progress, when set, counts the run's work.
	Progress *Progress
	// Flush, when set, is called now and then while results are written
	// (not per result): see package run.
	Flush func() error
	// Window bounds the inputs in flight (0: run.DefaultWindow).
	Window int
}

// Run checks the targets of a sequence and hands each result to emit in
// input order, as soon as it and every result before it are done — so
// output streams, and is the same whatever the number of workers — holding
// at most a window of targets, whatever their number (package run). emit
// is never called by two goroutines at once; if it fails, Run stops and
// returns a *run.EmitError. An error the sequence yields (a problem with
// the list of inputs) ends the run after the targets before it, and Run
// returns it.
//
// A result's memory serves a later input once emit returns: emit keeps
// what it needs of it (report.Output copies it), never the result.
func (c *Checker) Run(ctx context.Context, targets iter.Seq2[Target, error], o RunOptions, emit func(*report.Result) error) error {
	ro := run.Options[Target]{Jobs: o.Jobs, RemoteJobs: o.RemoteJobs, Remote: isRemote, Flush: o.Flush, Window: o.Window}
	if p := o.Progress; p != nil {
		ro.Listed = func(end bool) {
			if end {
				p.ListEnded.Store(true)
			} else {
				p.Listed.Add(1)
			}
		}
	}
	// One engine for the run: the settings do not change while it runs.
	cmd := c.cmd()
	return run.Run(ctx, targets, ro, func(ctx context.Context, t Target) checked {
		room := resultRooms.Get().(*preflight.ResultRoom)
		return checked{c.checkCounted(ctx, cmd, t, o.Progress, room), room}
	}, func(c checked) error {
		err := emit(c.r)
		*c.room = preflight.ResultRoom{} // nothing of the input stays in the pool
		resultRooms.Put(c.room)
		return err
	})
}

// checked is a result and the room it may be built in, which goes back
// to resultRooms once the result is written.
type checked struct {
	r    *report.Result
	room *preflight.ResultRoom
}

// resultRooms keep the memory of results from one input to the next: a
// header check of a small file allocated its result, Info and findings
// afresh, most of what it allocated, and every fresh page of heap costs a
// page fault (a run's heap only grows in the time a check of a thousand
// small files takes).
var resultRooms = sync.Pool{New: func() any { return prefault.New[preflight.ResultRoom]() }}

// isRemote reports whether t is read over the network (a URL, an object):
// its wait is the network's, so it has workers of its own.
func isRemote(t Target) bool {
	return t.Err == nil && (t.Source == report.SourceURL || t.Source == report.SourceObject)
}

func (c *Checker) checkCounted(ctx context.Context, cmd *preflight.Command, t Target, progress *Progress, room *preflight.ResultRoom) (r *report.Result) {
	start := time.Now()
	// A bug in a parser must not take the other inputs down with it: the
	// input it broke on gets an error result and the run goes on.
	defer func() {
		if v := recover(); v != nil {
			r = report.ErrorResult(t.Name, t.Source, fmt.Errorf("internal error while checking it (please report this with the file): %s", redact.Pairs(fmt.Sprint(v))))
			if progress != nil {
				progress.Done.Add(1)
			}
		}
		r.Elapsed = time.Since(start)
	}()
	if progress == nil {
		return cmd.CheckIn(ctx, t, nil, room)
	}
	r = cmd.CheckIn(ctx, t, &progress.BytesRead, room)
	progress.Done.Add(1)
	if r.Status == report.StatusRejected {
		progress.Rejected.Add(1)
	}
	return r
}
