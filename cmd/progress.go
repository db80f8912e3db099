package cmd

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/audiopreflight/audiopreflight/internal/check"
	"github.com/audiopreflight/audiopreflight/internal/term"
)

// progressLine draws "checked 120/1000 · 3 rejected · 45.2 MB read ·
// 230 inputs/s" ("checked 120/…" while the inputs are still being listed)
// on a terminal's stderr once a run has taken a second, and
// rubs it out at the end. It never draws on anything but a terminal.
type progressLine struct {
	w     io.Writer
	p     *check.Progress
	start time.Time
	stop  chan struct{}
	wg    sync.WaitGroup
	drawn bool
}

func startProgress(w io.Writer, p *check.Progress) *progressLine {
	pl := &progressLine{w: w, p: p, start: time.Now(), stop: make(chan struct{})}
	if !term.IsTerminal(w) {
		return pl
	}
	pl.wg.Add(1)
	go func() {
		defer pl.wg.Done()
		delay := time.NewTimer(time.Second)
		defer delay.Stop()
		select {
		case <-delay.C:
		case <-pl.stop:
			return
		}
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for {
			pl.draw()
			select {
			case <-tick.C:
			case <-pl.stop:
				return
			}
		}
	}()
	return pl
}

func (pl *progressLine) draw() {
	done := pl.p.Done.Load()
	secs := time.Since(pl.start).Seconds()
	// The total is known once the inputs are all listed; until then
	// the walk or the list is still being read, as the run goes.
	total := "…"
	if pl.p.ListEnded.Load() {
		total = fmt.Sprint(pl.p.Listed.Load())
	}
	fmt.Fprintf(pl.w, "\r\x1b[Kchecked %d/%s · %d rejected · %.1f MB read · %.0f inputs/s",
		done, total, pl.p.Rejected.Load(), float64(pl.p.BytesRead.Load())/1e6, float64(done)/secs)
	pl.drawn = true
}

// Stop ends the progress line and rubs it out.
func (pl *progressLine) Stop() {
	close(pl.stop)
	pl.wg.Wait()
	if pl.drawn {
		fmt.Fprint(pl.w, "\r\x1b[K")
	}
}
