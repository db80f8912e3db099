// Package inputs turns the INPUT arguments of the check and probe commands
// into the ordered list of inputs to look at (README.md#inputs).
//
// Each argument, in order, becomes:
//
//   - "-": standard input, one audio input (Kind Stdin).
//   - "scheme://..." (remote.IsURL: http, https, and also ftp, s3, file,
//     ...): a URL input, passed on untouched (Kind URL). The server
//     downloads only http and https; the others get its answer for them,
//     FailedToReadAudioFromURL, rather than a missing-file error.
//   - With Options.Objects (check --read-objects), "s3://bucket/key" is an
//     object to read (Kind Object), and "s3://bucket/prefix/" (or
//     "s3://bucket") the objects under the prefix, listed in the store's
//     order and taken as a directory walk takes files (audio extensions,
//     or Include, less Exclude, matched against the key below the
//     prefix). A prefix under which nothing is taken is an input error
//     (ErrNoObjects), and so is one whose listing fails.
//   - A regular file (or a symbolic link to one): that file, whatever its
//     extension.
//   - A named pipe or a character device (process substitution <(...),
//     /dev/stdin): read like "-", once and forward (Kind Stream).
//   - A directory: the files below it, walked recursively in lexical order.
//     By default a file is taken when its extension is an audio extension
//     (probe.AudioExtensions); Include patterns, when given, replace that
//     test, and a file matching an Exclude pattern is left out (a directory
//     matching one is not entered). Patterns are matched against the path
//     relative to the directory given, against the path as printed (the
//     directory as given, joined with that), and against the base name;
//     "./" and empty elements do not count. Entries whose name starts with
//     '.' are skipped. Symbolic links are followed, to files and to
//     directories. The filters come first: an entry they leave out is never
//     an error, whatever it is. Among the entries they keep, special files
//     (pipes, sockets, devices) are skipped, and a link to nowhere is an
//     input error. A link leading back to a directory the walk is inside
//     is not followed again: everything below it is checked under its own
//     path already; a link to a directory above the one given would walk
//     it without end, and is an input error (ErrLoop). A directory argument
//     in which nothing is taken is an input error too (ErrNoFiles), so that
//     a wrong path does not pass unnoticed.
//   - Anything else that contains '*', '?' or '[' and is not the name of an
//     existing file: a pattern, expanded here (so quoting it for the shell
//     works the same as letting the shell expand it). '*', '?' and '[...]'
//     match within one path element and '**' as a whole element matches any
//     number of directories. Wildcards do not match a leading '.' unless the
//     pattern element starts with one; a '**' at the end matches every file
//     below. Matches come in lexical order and each is taken as if it were
//     found in a walk (a matched directory is walked, a matched special
//     file is skipped), except that Exclude patterns apply to what a
//     pattern matches, relative to the pattern's leading directories and as
//     printed. A pattern that matches nothing is an input error.
//   - Anything else: an input error saying what is wrong ("no such file or
//     directory", "permission denied", "not a regular file (socket)").
//
// An Include or Exclude pattern that matches nothing in the whole
// expansion is reported to Options.Warn: it was probably meant to match
// something.
//
// A file named explicitly is checked for read permission here; files found
// in directories or by patterns are not (one more system call per file
// would dominate the walk's cost), so an unreadable one among them fails
// when it is opened. Unreadable directories are input errors either way.
//
// Names listed in Options.FilesFrom come after the arguments and are taken
// the same way, except that they are never expanded as patterns: a name in
// a list is a name.
// A list named manifest.json, *.csv or *.csv.gz is an S3 Inventory report
// (its manifest, or one data file) or a Batch Operations CSV manifest: its
// rows are objects, taken as s3://bucket/key names (see package
// inventory); a manifest in a bucket is read with Options.Objects.
//
// The same file named twice is checked twice: each argument expands on its
// own, in the order given, as the user asked. Within one argument a file is
// listed once.
//
// Errors about a single input (missing, unreadable, ...) are carried by its
// Input and the expansion goes on; their text says what is wrong, not which
// input (the Input's Name says that). Expand itself fails only for problems
// with the invocation: bad patterns, an unreadable list, or standard input
// wanted twice.
package inputs

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"os"

	"github.com/audiopreflight/audiopreflight/internal/remote"
)

// Kind says where an input's audio comes from.
type Kind int

// Kinds of input.
const (
	File Kind = iota
	Stdin
	URL
	// Stream is a named pipe or a character device named explicitly: it
	// can be read once, forward, like standard input.
	Stream
	// Object is an object of a store, read with the user's credentials
	// (Options.Objects).
	Object
)

// String returns "file", "stdin", "url", "stream" or "object".
func (k Kind) String() string {
	switch k {
	case File:
		return "file"
	case Stdin:
		return "stdin"
	case URL:
		return "url"
	case Stream:
		return "stream"
	case Object:
		return "object"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Input is one input to check.
type Input struct {
	// Name is the argument as given, or for a file found in a directory
	// or by a pattern, its path as found ("recordings/day1/a.wav").
	Name string
	Kind Kind
	// Err, when not nil, is why this input cannot be checked (an *Error).
	Err error
}

// Options changes how Expand expands arguments.
type Options struct {
	// Include and Exclude are patterns choosing the files taken from
	// directories (see the package documentation).
	Include, Exclude []string
	// FilesFrom names a file listing more inputs, "-" for standard input.
	FilesFrom string
	// Null says the list's names end with NUL bytes, not newlines
	// (without FilesFrom it changes nothing).
	Null bool
	// Stdin is standard input (os.Stdin when nil).
	Stdin io.Reader
	// Warn, when set, is told about an Include or Exclude pattern that
	// matched nothing in the whole expansion.
	Warn func(message string)
	// Objects, when set, makes s3:// inputs objects to read (a prefix is
	// listed), and lets FilesFrom be an inventory in a bucket; without
	// it they are URLs, which the API cannot download.
	Objects ObjectSource
}

// Error is an input that cannot be checked: its path and what is wrong.
// Its text is what is wrong only: whoever prints it names the input.
type Error struct {
	Path string
	Err  error
}

func (e *Error) Error() string { return e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// Errors an Input's Err can wrap, besides the fs and syscall errors of the
// operating system (errors.Is(err, fs.ErrNotExist), fs.ErrPermission).
var (
	ErrNotRegular = errors.New("not a regular file")
	ErrNoMatch    = errors.New("no file matches this pattern")
	ErrNoFiles    = errors.New("nothing to check in this directory")
	ErrLoop       = errors.New("directory loop")
)

// Expand returns the inputs the arguments and the FilesFrom list name, in
// order (none for no arguments and no list). Its error is for problems with
// the invocation itself. It holds the whole list: a run of any size reads
// Seq instead.
func Expand(args []string, opts Options) ([]Input, error) {
	seq, err := Seq(args, opts)
	if err != nil {
		return nil, err
	}
	var out []Input
	for in, err := range seq {
		if err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	return out, nil
}

// Seq returns the inputs the arguments and the FilesFrom list name, in
// the order Expand lists them, as a sequence that finds each as it goes:
// directories are walked, patterns searched, prefixes listed and the
// list read only as far as the inputs taken so far, so that memory does
// not grow with their number (a walk or a pattern's search holds the
// listings of the directories it is in, one a level).
//
// Seq's error is for problems with the invocation found at once (bad
// patterns, standard input named twice among the arguments, a list that
// cannot be opened); a problem with the list found while reading it (a
// read error, a NUL byte in a list of lines, "-" in it when standard input
// is taken) is the sequence's last element, an error with a zero Input.
// The warnings about patterns go to Options.Warn at the end of the
// sequence. The sequence reads the list and standard input: range over it
// once.
func Seq(args []string, opts Options) (iter.Seq2[Input, error], error) {
	e, err := newExpander(opts)
	if err != nil {
		return nil, err
	}
	stdinUsed := false
	useStdin := func() error {
		if opts.FilesFrom == "-" {
			return errors.New("standard input cannot be both the list of inputs (--files-from -) and an input (-)")
		}
		if stdinUsed {
			return errors.New("standard input (-) is named more than once")
		}
		stdinUsed = true
		return nil
	}
	for _, arg := range args {
		if arg == "-" {
			if err := useStdin(); err != nil {
				return nil, err
			}
		}
	}
	var names iter.Seq2[string, error]
	closeList := func() {}
	if opts.FilesFrom != "" {
		open := openList
		if isInventory(opts.FilesFrom) {
			open = openInventory
		}
		if names, closeList, err = open(opts); err != nil {
			return nil, err
		}
	}
	return func(yield func(Input, error) bool) {
		defer closeList()
		e.yield = func(in Input) bool { return yield(in, nil) }
		for _, arg := range args {
			if e.expandArg(arg, true); e.stop {
				return
			}
		}
		if names != nil {
			for name, err := range names {
				if err == nil && name == "-" {
					err = useStdin()
				}
				if err != nil {
					yield(Input{}, err)
					return
				}
				if e.expandArg(name, false); e.stop {
					return
				}
			}
		}
		if opts.Warn != nil {
			for _, w := range e.unmatched() {
				opts.Warn(w)
			}
		}
	}, nil
}

// expander yields the inputs of one Seq.
type expander struct {
	objects          ObjectSource
	include, exclude []*pattern
	yield            func(Input) bool
	n                int  // inputs yielded
	stop             bool // yield said to stop
	direntBuf        []byte
}

func newExpander(opts Options) (*expander, error) {
	e := &expander{objects: opts.Objects}
	var err error
	if e.include, err = compilePatterns("include", opts.Include); err != nil {
		return nil, err
	}
	if e.exclude, err = compilePatterns("exclude", opts.Exclude); err != nil {
		return nil, err
	}
	return e, nil
}

// add yields an input, unless the consumer stopped.
func (e *expander) add(in Input) {
	if e.stop {
		return
	}
	e.n++
	if !e.yield(in) {
		e.stop = true
	}
}

// expandArg yields the inputs one argument names; patterns are expanded
// only when glob is set.
func (e *expander) expandArg(arg string, glob bool) {
	switch {
	case arg == "-":
		e.add(Input{Name: arg, Kind: Stdin})
		return
	case e.objects != nil && isS3(arg):
		e.object(arg)
		return
	case isURL(arg):
		e.add(Input{Name: arg, Kind: URL})
		return
	case arg == "":
		e.fail(arg, errors.New("empty file name"))
		return
	}
	if glob && hasMeta(arg) {
		if _, err := os.Lstat(arg); err != nil {
			e.glob(arg)
			return
		}
	}
	fi, err := os.Stat(arg)
	if err != nil {
		e.fail(arg, statError(arg, err))
		return
	}
	if fi.IsDir() {
		before := e.n
		e.walk(arg, "", nil)
		if e.n == before && !e.stop {
			e.fail(arg, e.noFiles())
		}
		return
	}
	e.addNamed(arg, fi.Mode())
}

// addNamed appends a file named explicitly: a regular file, or a pipe or
// character device read like standard input, with an error when it is
// something else or not readable.
func (e *expander) addNamed(name string, mode fs.FileMode) {
	kind := File
	switch {
	case mode.IsRegular():
	case isStream(mode):
		kind = Stream
	default:
		e.fail(name, notRegular(mode))
		return
	}
	if err := checkReadable(name); err != nil {
		e.fail(name, err)
		return
	}
	e.add(Input{Name: name, Kind: kind})
}

// isStream reports whether a file named explicitly is read like standard
// input: a named pipe (process substitution, mkfifo) or a character
// device (/dev/stdin on a terminal, /dev/null).
func isStream(mode fs.FileMode) bool {
	return mode&fs.ModeNamedPipe != 0 || mode&fs.ModeCharDevice != 0
}

// addFound yields a file a walk or a pattern found; special files are
// left out, silently: a walk takes files.
func (e *expander) addFound(name string, mode fs.FileMode) {
	if mode.IsRegular() {
		e.add(Input{Name: name, Kind: File})
	}
}

// fail yields an input error, once per name and argument.
func (e *expander) fail(name string, err error) {
	e.add(Input{Name: name, Kind: File, Err: &Error{Path: name, Err: err}})
}

// noFiles explains an empty directory walk.
func (e *expander) noFiles() error {
	if len(e.include) > 0 {
		return fmt.Errorf("%w: no file matches the include patterns", ErrNoFiles)
	}
	return fmt.Errorf("%w: no file has an audio extension (.wav, .flac, .opus, .ogg, .mp3, ...)", ErrNoFiles)
}

func isURL(arg string) bool { return remote.IsURL(arg) }

// statError words a failed stat of name: the system's reason without the
// operation, and a hint for a link to nowhere or an unsupported URL.
func statError(name string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	if errors.Is(err, fs.ErrNotExist) {
		if fi, lerr := os.Lstat(name); lerr == nil && fi.Mode()&fs.ModeSymlink != 0 {
			return fmt.Errorf("broken symbolic link: %w", err)
		}
	}
	return err
}

// notRegular says what kind of file mode is instead of a regular one.
func notRegular(mode fs.FileMode) error {
	what := "irregular file"
	switch {
	case mode&fs.ModeNamedPipe != 0:
		what = "named pipe"
	case mode&fs.ModeSocket != 0:
		what = "socket"
	case mode&fs.ModeCharDevice != 0:
		what = "character device"
	case mode&fs.ModeDevice != 0:
		what = "block device"
	case mode.IsDir():
		what = "directory"
	}
	return fmt.Errorf("%w (%s)", ErrNotRegular, what)
}
