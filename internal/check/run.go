package check

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/audiopreflight/audiopreflight/internal/redact"
	"github.com/audiopreflight/audiopreflight/internal/report"
)

// Progress counts a run's work as it goes, for a progress line.
type Progress struct {
	Done      atomic.Int64
	Rejected  atomic.Int64
	BytesRead atomic.Int64
}

// Run checks targets on jobs workers and hands each result to emit in
// input order, as soon as it and every result before it are done — so
// output streams, and is the same whatever the number of workers. emit is
// called from one goroutine; if it fails, Run stops and returns its error.
// idle, when not nil, is called whenever Run has to wait for the next
// result (the caller flushes buffered output there).
func (c *Checker) Run(ctx context.Context, targets []Target, jobs int, progress *Progress, emit func(*report.Result) error, idle func() error) error {
	if jobs <= 0 {
		jobs = runtime.NumCPU()
	}
	if jobs > len(targets) {
		jobs = max(len(targets), 1)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	results := make([]*report.Result, len(targets))
	done := make([]chan struct{}, len(targets))
	for i := range done {
		done[i] = make(chan struct{})
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < jobs; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				r := c.checkCounted(ctx, targets[i], progress)
				results[i] = r
				close(done[i])
			}
		}()
	}
	go func() {
		defer close(next)
		for i := range targets {
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	}()

	var err error
	for i := range targets {
		select {
		case <-done[i]:
		default:
			if idle != nil {
				if err = idle(); err != nil {
					break
				}
			}
			<-done[i]
		}
		if err != nil {
			break
		}
		if err = emit(results[i]); err != nil {
			break
		}
		results[i] = nil // let it go: a long run keeps only what is unprinted
	}
	cancel()
	if err != nil {
		// Workers finish the input in hand; the feeder stops on ctx.
		go func() { wg.Wait() }()
		return err
	}
	wg.Wait()
	return nil
}

func (c *Checker) checkCounted(ctx context.Context, t Target, progress *Progress) (r *report.Result) {
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
		return c.Check(ctx, t)
	}
	r = c.check(ctx, t, &progress.BytesRead)
	progress.Done.Add(1)
	if r.Status == report.StatusRejected {
		progress.Rejected.Add(1)
	}
	return r
}
