// Package run is the loop that checks a stream of inputs on a fixed set of
// workers and hands the results on in input order, in memory bounded by a
// window of inputs rather than by how many there are.
//
// The inputs come from a sequence (iter.Seq2), read by one feeder as the
// walk or the list produces them, into a ring of Window slots in input
// order. Workers take inputs from the ring a few at a time (a batch of
// consecutive inputs, when enough are waiting that each worker gets one),
// check them, and mark their slots done. Whichever worker completes the
// oldest slot writes it and every done slot after it (emit is called by one
// goroutine at a time, in input order) and frees them. No goroutine or
// channel is made per input: a run costs a handful of goroutines and one
// mutex, and a worker sleeps only when there is nothing to take.
//
// Backpressure: a slot is free again only once its result is written, so
// when the writer is slow (a stalled standard output) the ring fills, the
// feeder stops reading inputs and the workers stop taking them. At most
// Window inputs are held, read but unwritten, whatever the number of inputs.
//
// Output is flushed neither per result nor whenever the loop waits: after
// a result is written, Flush is called once FlushEvery has passed (only
// when something was written since the last flush); the writer behind emit
// flushes on its own when its buffer is full, and the caller flushes at the
// end.
package run

import (
	"context"
	"iter"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// Defaults of Options.
const (
	// DefaultWindow is how many inputs may be in flight (read, being
	// checked, or checked and waiting for an earlier one to be written).
	DefaultWindow = 1024
	// DefaultFlushEvery is how long written output may wait in a buffer
	// before it is flushed: live enough for a terminal or a pipe,
	// rare enough that flushing costs nothing next to checking.
	DefaultFlushEvery = 150 * time.Millisecond
	// maxBatch is the most consecutive inputs a worker takes at once.
	maxBatch = 16
	// wakeBatch is how many local inputs wait before an idle worker is
	// woken for them, and nudgeAfter how long fewer may wait.
	wakeBatch  = 8
	nudgeAfter = time.Millisecond
)

// Options shape a run.
type Options[In any] struct {
	// Jobs is how many inputs are worked on at once (0 or less: one per
	// CPU).
	Jobs int
	// RemoteJobs is how many of the inputs Remote says yes to are worked
	// on at once, by workers of their own (started when the first such
	// input comes): they wait on the network, not on a CPU. 0 means
	// Jobs.
	RemoteJobs int
	// Remote tells the inputs for the remote workers (nil: none is).
	Remote func(In) bool
	// Window bounds the inputs in flight (0: DefaultWindow). It is made
	// at least four times the number of workers.
	Window int
	// Flush, when set, is called (between two emits, never during one)
	// once FlushEvery has passed since something was emitted and not
	// flushed.
	Flush func() error
	// FlushEvery is Flush's delay (0: DefaultFlushEvery).
	FlushEvery time.Duration
	// Listed, when set, is told of each input read from the sequence, and
	// of the end of the sequence (end true), for a progress line.
	Listed func(end bool)
}

// EmitError is Run's error when emit (or Flush) failed: the run stopped
// there.
type EmitError struct{ Err error }

func (e *EmitError) Error() string { return e.Err.Error() }
func (e *EmitError) Unwrap() error { return e.Err }

// Run reads inputs from the sequence, works on each with work, and calls
// emit with the outputs in input order, as soon as each and every one
// before it are done — so output streams, and is the same whatever the
// number of workers. emit is never called by two goroutines at once.
//
// An error the sequence yields ends the inputs there: the inputs before it
// are worked on and emitted, and Run returns that error. When emit or Flush
// fails, Run stops taking inputs, cancels the context given to work, and
// returns an *EmitError at once, without waiting for the inputs in hand.
func Run[In, Out any](ctx context.Context, inputs iter.Seq2[In, error], o Options[In], work func(context.Context, In) Out, emit func(Out) error) error {
	jobs := o.Jobs
	if jobs <= 0 {
		jobs = runtime.NumCPU()
	}
	remoteJobs := o.RemoteJobs
	if remoteJobs <= 0 {
		remoteJobs = jobs
	}
	window := o.Window
	if window <= 0 {
		window = DefaultWindow
	}
	workers := jobs
	if o.Remote != nil {
		workers += remoteJobs
	}
	window = max(window, 4*workers)
	flushEvery := o.FlushEvery
	if flushEvery <= 0 {
		flushEvery = DefaultFlushEvery
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	r := &runner[In, Out]{
		ctx: ctx, cancel: cancel, opts: o, work: work, emit: emit,
		ring: make([]slot[In, Out], window), window: int64(window),
		jobs: jobs, remoteJobs: remoteJobs, flushEvery: flushEvery,
		feeding: true,
	}
	r.space.L, r.local.L, r.remote.L, r.finished.L = &r.mu, &r.mu, &r.mu, &r.mu
	r.mu.Lock()
	r.live = jobs
	r.mu.Unlock()
	for range jobs {
		go r.worker(false)
	}
	go r.feed(inputs)

	r.mu.Lock()
	for !r.done() {
		r.finished.Wait()
	}
	err, listErr := r.err, r.listErr
	r.closed = true
	if r.timer != nil {
		r.timer.Stop()
	}
	if r.nudge != nil {
		r.nudge.Stop()
	}
	r.mu.Unlock()
	if err != nil {
		return &EmitError{err}
	}
	return listErr
}

// slot holds one input from when it is read until its output is written.
type slot[In, Out any] struct {
	in     In
	out    Out
	remote bool
	done   bool
}

type runner[In, Out any] struct {
	ctx    context.Context
	cancel context.CancelFunc
	opts   Options[In]
	work   func(context.Context, In) Out
	emit   func(Out) error

	jobs, remoteJobs int
	flushEvery       time.Duration

	mu   sync.Mutex
	ring []slot[In, Out]
	// window is len(ring). Inputs are numbered from 0 in input order;
	// input i lives in ring[i%window] from when it is read (i < tail)
	// until it is written (i < head).
	window int64
	head   int64 // the next input to write
	tail   int64 // the next input to read
	// localNext and remoteNext are the first inputs not yet looked at
	// by the local and the remote workers.
	localNext, remoteNext int64

	feeding       bool // the feeder is still reading inputs
	remoteStarted bool
	live          int // workers running
	emitting      bool
	feederWaits   bool
	idleLocal     int
	idleRemote    int
	pending       bool // emitted, not flushed
	timer         *time.Timer
	timerArmed    bool
	nudge         *time.Timer // wakes a local worker for fewer than wakeBatch inputs (nil until first armed)
	nudgeArmed    bool
	flushWanted   bool
	stopped       bool // emit failed: take nothing more
	closed        bool // Run returned: the timer flushes nothing
	err, listErr  error
	space         sync.Cond // the feeder waits for a free slot
	local, remote sync.Cond // workers wait for inputs
	finished      sync.Cond // Run waits for the end
	// halted is stopped, for the workers to read without the lock.
	halted atomic.Bool
}

// done reports whether Run can return: emit failed, or every input was
// read, worked on and written, and nobody is writing.
func (r *runner[In, Out]) done() bool {
	return r.stopped || !r.feeding && r.live == 0 && !r.emitting && r.head == r.tail
}

// feed reads the inputs into the ring, waiting for a free slot when it is
// full.
func (r *runner[In, Out]) feed(inputs iter.Seq2[In, error]) {
	var listErr error
	for in, err := range inputs {
		if err != nil {
			listErr = err
			break
		}
		remote := r.opts.Remote != nil && r.opts.Remote(in)
		r.mu.Lock()
		for r.tail-r.head >= r.window && !r.stopped {
			r.feederWaits = true
			r.space.Wait()
		}
		if r.stopped {
			r.mu.Unlock()
			return
		}
		s := &r.ring[r.tail%r.window]
		s.in, s.remote, s.done = in, remote, false
		r.tail++
		switch {
		case remote && !r.remoteStarted:
			r.remoteStarted = true
			r.live += r.remoteJobs
			for range r.remoteJobs {
				go r.worker(true)
			}
		case remote && r.idleRemote > 0:
			r.remote.Signal()
		case !remote && r.idleLocal > 0:
			// Waking a sleeping worker costs the system more than a
			// small input does: wake one when a few are waiting, or
			// shortly after the first when no more come (a list
			// read as something else writes it).
			if r.tail-r.localNext >= wakeBatch {
				r.local.Signal()
			} else if !r.nudgeArmed {
				r.nudgeArmed = true
				r.armNudge()
			}
		}
		r.mu.Unlock()
		if r.opts.Listed != nil {
			r.opts.Listed(false)
		}
	}
	if r.opts.Listed != nil {
		r.opts.Listed(true)
	}
	r.mu.Lock()
	r.feeding = false
	r.listErr = listErr
	r.local.Broadcast()
	r.remote.Broadcast()
	r.finishIfDone()
	r.mu.Unlock()
}

// worker takes inputs of its kind (remote or local) from the ring until
// there are no more.
func (r *runner[In, Out]) worker(remote bool) {
	next, cond, idle := &r.localNext, &r.local, &r.idleLocal
	workers, most := int64(r.jobs), int64(maxBatch)
	if remote {
		// One at a time: a download can take seconds, and a batch's
		// results are written only when all of it is done.
		next, cond, idle = &r.remoteNext, &r.remote, &r.idleRemote
		workers, most = int64(r.remoteJobs), 1
	}
	r.mu.Lock()
	for {
		// Skip what is the other kind's.
		for *next < r.tail && r.ring[*next%r.window].remote != remote {
			(*next)++
		}
		if r.stopped || *next == r.tail && !r.feeding {
			break
		}
		if *next == r.tail {
			(*idle)++
			cond.Wait()
			(*idle)--
			continue
		}
		// A batch: consecutive inputs, as many as leave every worker a
		// share of what is waiting, up to maxBatch.
		start := *next
		n := min(max((r.tail-start)/(2*workers), 1), most)
		end := start + n
		*next = end
		r.mu.Unlock()
		for i := start; i < end; i++ {
			s := &r.ring[i%r.window]
			if s.remote == remote && !r.halted.Load() {
				s.out = r.work(r.ctx, s.in)
			}
		}
		r.mu.Lock()
		for i := start; i < end; i++ {
			if s := &r.ring[i%r.window]; s.remote == remote {
				s.done = true
			}
		}
		if !r.emitting && r.head >= start && r.head < end {
			r.emitDone()
		}
	}
	r.live--
	r.finishIfDone()
	r.mu.Unlock()
}

// emitDone writes the done results at the head of the ring, in order, and
// frees their slots; it is called with r.mu held and not emitting, and
// returns with it held. Between batches it lets go of the lock, so that
// workers go on and the feeder fills freed slots.
func (r *runner[In, Out]) emitDone() {
	r.emitting = true
	for !r.stopped {
		if r.flushWanted {
			r.flushWanted = false
			r.mu.Unlock()
			err := r.opts.Flush()
			r.mu.Lock()
			if err != nil {
				r.fail(err)
				break
			}
			r.pending = false
			continue
		}
		start := r.head
		end := start
		for end < r.tail && end-start < 64 && r.ring[end%r.window].done {
			end++
		}
		if end == start {
			break
		}
		r.mu.Unlock()
		var err error
		for i := start; i < end; i++ {
			s := &r.ring[i%r.window]
			if err == nil {
				err = r.emit(s.out)
			}
			var zeroIn In
			var zeroOut Out
			s.in, s.out = zeroIn, zeroOut // let it go: names are not kept after they are written
		}
		r.mu.Lock()
		r.head = end
		if err != nil {
			r.fail(err)
			break
		}
		r.pending = true
		// The feeder is woken when half the ring is free, not per slot.
		if r.feederWaits && r.tail-r.head <= r.window/2 {
			r.feederWaits = false
			r.space.Signal()
		}
	}
	r.emitting = false
	if r.pending && !r.timerArmed && !r.stopped && r.opts.Flush != nil {
		r.timerArmed = true
		if r.timer == nil {
			r.timer = time.AfterFunc(r.flushEvery, r.flushLater)
		} else {
			r.timer.Reset(r.flushEvery)
		}
	}
	r.finishIfDone()
}

// flushLater is the flush timer: it flushes now if nobody is writing, or
// has the writer flush when it is between two results.
func (r *runner[In, Out]) flushLater() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.timerArmed = false
	if r.stopped || r.closed || !r.pending {
		return
	}
	r.flushWanted = true
	if !r.emitting {
		// Flushes, then writes whatever completed meanwhile.
		r.emitDone()
	}
}

// armNudge starts the nudge; called with r.mu held. Its timer is made
// the first time: a run whose workers never wait for inputs (one input,
// or inputs listed faster than checked) makes none.
func (r *runner[In, Out]) armNudge() {
	if r.nudge == nil {
		r.nudge = time.AfterFunc(nudgeAfter, r.wakeLocal)
		return
	}
	r.nudge.Reset(nudgeAfter)
}

// wakeLocal is the nudge: it wakes a local worker for the inputs waiting.
func (r *runner[In, Out]) wakeLocal() {
	r.mu.Lock()
	r.nudgeArmed = false
	if r.idleLocal > 0 && r.localNext < r.tail {
		r.local.Signal()
	}
	r.mu.Unlock()
}

// fail stops the run on an emit error; called with r.mu held.
func (r *runner[In, Out]) fail(err error) {
	if r.stopped {
		return
	}
	r.stopped, r.err = true, err
	r.halted.Store(true)
	r.cancel()
	r.space.Broadcast()
	r.local.Broadcast()
	r.remote.Broadcast()
	r.finished.Broadcast()
}

func (r *runner[In, Out]) finishIfDone() {
	if r.done() {
		r.finished.Broadcast()
	}
}

// Slice is a sequence over a list of inputs already in memory.
func Slice[In any](list []In) iter.Seq2[In, error] {
	return func(yield func(In, error) bool) {
		for _, in := range list {
			if !yield(in, nil) {
				return
			}
		}
	}
}
