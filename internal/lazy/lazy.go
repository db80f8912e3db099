// Package lazy holds package-level values that are made on first use.
//
// sync.OnceValue makes a value on first use too, but a package-level
// variable holding the function it returns is set by the package's
// initialiser, which allocates the function's closures and state at every
// start of the program, in every run, whether or not the run ever needs
// the value. A Value whose literal holds only a function is laid out by the
// linker: declaring one costs nothing at start.
package lazy

import "sync"

// Value is a value of type T made by New when Get is first called:
//
//	var pattern = lazy.Value[*regexp.Regexp]{New: func() *regexp.Regexp {
//		return regexp.MustCompile(`...`)
//	}}
//
// A Value must not be copied after first use. New must not panic: unlike
// sync.OnceValue, later calls would not panic again but return T's zero
// value.
type Value[T any] struct {
	New  func() T
	once sync.Once
	v    T
}

// Get returns the value, made by New on the first call.
func (l *Value[T]) Get() T {
	l.once.Do(l.make)
	return l.v
}

func (l *Value[T]) make() { l.v = l.New() }
