package report

import "time"

// Multi fans one run's results out to several outputs (-o repeated), each
// with its own format, destination and display copy; they count the same
// results, so any one's Summary is the run's.
type Multi []*Output

// Write gives r to every output, in order.
func (m Multi) Write(r *Result) error {
	for _, o := range m {
		if err := o.Write(r); err != nil {
			return err
		}
	}
	return nil
}

// Flush ends every output; the first error is returned, after all have
// been flushed.
func (m Multi) Flush(elapsed time.Duration) error {
	var first error
	for _, o := range m {
		if err := o.Flush(elapsed); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// Summary is the count of the results written so far.
func (m Multi) Summary() Summary { return m[0].Summary() }
