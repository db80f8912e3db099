//go:build unix

package inputs

import (
	"errors"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// tree creates files (and directories, for names ending in "/") under dir.
func tree(t *testing.T, dir string, names ...string) {
	t.Helper()
	for _, n := range names {
		p := filepath.Join(dir, n)
		if strings.HasSuffix(n, "/") {
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("RIFF"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func symlink(t *testing.T, target, name string) {
	t.Helper()
	if err := os.Symlink(target, name); err != nil {
		t.Fatal(err)
	}
}

// show writes inputs compactly: "name" for a file, "stdin:-", "url:...",
// "stream:name", "error: name: message" for an input error.
func show(in []Input) []string {
	out := []string{}
	for _, x := range in {
		switch {
		case x.Err != nil:
			out = append(out, "error: "+x.Name+": "+x.Err.Error())
		case x.Kind == Stdin:
			out = append(out, "stdin:"+x.Name)
		case x.Kind == URL:
			out = append(out, "url:"+x.Name)
		case x.Kind == Stream:
			out = append(out, "stream:"+x.Name)
		default:
			out = append(out, x.Name)
		}
	}
	return out
}

// expand runs Expand with a time limit: nothing it does may block.
func expand(t *testing.T, args []string, opts Options) ([]Input, error) {
	t.Helper()
	type result struct {
		in  []Input
		err error
	}
	done := make(chan result, 1)
	go func() {
		in, err := Expand(args, opts)
		done <- result{in, err}
	}()
	select {
	case r := <-done:
		for _, x := range r.in {
			var e *Error
			if x.Err != nil && (!errors.As(x.Err, &e) || e.Path != x.Name) {
				t.Errorf("input %q has error %v, not an *Error naming it", x.Name, x.Err)
			}
			// The result names the input; the error says what is wrong.
			if x.Err != nil && x.Name != "" && strings.HasPrefix(x.Err.Error(), x.Name+":") {
				t.Errorf("input %q: its error repeats the name: %q", x.Name, x.Err)
			}
		}
		return r.in, r.err
	case <-time.After(10 * time.Second):
		t.Fatalf("Expand(%q) did not return", args)
		return nil, nil
	}
}

// recordings is the tree most tests walk.
func recordings(t *testing.T) {
	t.Helper()
	t.Chdir(t.TempDir())
	tree(t, ".",
		"rec/a.wav", "rec/b.flac", "rec/notes.txt", "rec/z.mp3", "rec/a-b/e.wav",
		"rec/sub/c.opus", "rec/sub/d.WAV", "rec/sub/deeper/f.ogg",
		"rec/.hidden.wav", "rec/.git/x.wav", "rec/empty/", "[ab].wav", "top.wav",
	)
}

func TestExpand(t *testing.T) {
	recordings(t)
	allAudio := []string{"rec/a-b/e.wav", "rec/a.wav", "rec/b.flac", "rec/sub/c.opus", "rec/sub/d.WAV", "rec/sub/deeper/f.ogg", "rec/z.mp3"}
	tests := []struct {
		name string
		args []string
		opts Options
		want []string
	}{
		{"directory, audio extensions, lexical order, hidden skipped", []string{"rec"}, Options{}, allAudio},
		{"trailing slash kept as typed", []string{"rec/sub/"}, Options{}, []string{"rec/sub/c.opus", "rec/sub/d.WAV", "rec/sub/deeper/f.ogg"}},
		{"dot directory", []string{"./rec/sub/deeper"}, Options{}, []string{"./rec/sub/deeper/f.ogg"}},
		{"explicit file of any extension", []string{"rec/notes.txt"}, Options{}, []string{"rec/notes.txt"}},
		{"explicit hidden file", []string{"rec/.hidden.wav"}, Options{}, []string{"rec/.hidden.wav"}},
		{"arguments keep their order, duplicates kept",
			[]string{"top.wav", "-", "https://example.com/a.wav", "top.wav", "HTTP://EXAMPLE.COM/B"}, Options{},
			[]string{"top.wav", "stdin:-", "url:https://example.com/a.wav", "top.wav", "url:HTTP://EXAMPLE.COM/B"}},
		{"missing file", []string{"nope.wav", "top.wav"}, Options{},
			[]string{"error: nope.wav: no such file or directory", "top.wav"}},
		{"other URL schemes are URLs too", []string{"ftp://example.com/a.wav", "s3://bucket/key.wav"}, Options{},
			[]string{"url:ftp://example.com/a.wav", "url:s3://bucket/key.wav"}},
		{"file below a file", []string{"top.wav/x"}, Options{}, []string{"error: top.wav/x: not a directory"}},
		{"empty name", []string{""}, Options{}, []string{"error: : empty file name"}},
		{"directory with nothing to check", []string{"rec/empty"}, Options{},
			[]string{"error: rec/empty: nothing to check in this directory: no file has an audio extension (.wav, .flac, .opus, .ogg, .mp3, ...)"}},
		{"include replaces the extension test", []string{"rec"}, Options{Include: []string{"*.txt"}}, []string{"rec/notes.txt"}},
		{"include by relative path", []string{"rec"}, Options{Include: []string{"sub/*"}}, []string{"rec/sub/c.opus", "rec/sub/d.WAV"}},
		{"include with **", []string{"rec"}, Options{Include: []string{"**/*.wav"}}, []string{"rec/a-b/e.wav", "rec/a.wav"}},
		{"include ./ prefix ignored", []string{"rec"}, Options{Include: []string{"./sub/**"}}, []string{"rec/sub/c.opus", "rec/sub/d.WAV", "rec/sub/deeper/f.ogg"}},
		{"include matching nothing", []string{"rec"}, Options{Include: []string{"*.aiff"}},
			[]string{"error: rec: nothing to check in this directory: no file matches the include patterns"}},
		{"exclude by base name", []string{"rec"}, Options{Exclude: []string{"*.mp3", "a.*"}},
			[]string{"rec/a-b/e.wav", "rec/b.flac", "rec/sub/c.opus", "rec/sub/d.WAV", "rec/sub/deeper/f.ogg"}},
		{"exclude a directory prunes it", []string{"rec"}, Options{Exclude: []string{"sub"}},
			[]string{"rec/a-b/e.wav", "rec/a.wav", "rec/b.flac", "rec/z.mp3"}},
		{"exclude by relative path with **", []string{"rec"}, Options{Exclude: []string{"sub/**/*.ogg"}},
			[]string{"rec/a-b/e.wav", "rec/a.wav", "rec/b.flac", "rec/sub/c.opus", "rec/sub/d.WAV", "rec/z.mp3"}},
		{"exclude does not apply to a file named explicitly", []string{"rec/a.wav"}, Options{Exclude: []string{"*.wav"}}, []string{"rec/a.wav"}},
		{"glob", []string{"rec/*.wav"}, Options{}, []string{"rec/a.wav"}},
		{"glob ?", []string{"rec/?.flac"}, Options{}, []string{"rec/b.flac"}},
		{"glob class", []string{"rec/[az].*"}, Options{}, []string{"rec/a.wav", "rec/z.mp3"}},
		{"glob takes any extension it names", []string{"rec/*.txt"}, Options{}, []string{"rec/notes.txt"}},
		{"glob ** in lexical walk order", []string{"rec/**/*.wav"}, Options{}, []string{"rec/a-b/e.wav", "rec/a.wav"}},
		{"glob ** at the end: every file below", []string{"rec/**"}, Options{},
			[]string{"rec/a-b/e.wav", "rec/a.wav", "rec/b.flac", "rec/notes.txt", "rec/sub/c.opus", "rec/sub/d.WAV", "rec/sub/deeper/f.ogg", "rec/z.mp3"}},
		{"glob ** in the middle, zero directories", []string{"rec/**/sub/*.opus"}, Options{}, []string{"rec/sub/c.opus"}},
		{"glob at the top", []string{"*.wav"}, Options{}, []string{"[ab].wav", "top.wav"}},
		{"glob matching a directory walks it", []string{"re?"}, Options{}, allAudio},
		{"glob directory elements", []string{"rec/s*/*"}, Options{}, []string{"rec/sub/c.opus", "rec/sub/d.WAV", "rec/sub/deeper/f.ogg"}},
		{"glob does not match hidden names", []string{"rec/*"}, Options{Exclude: []string{"*.txt"}},
			[]string{"rec/a-b/e.wav", "rec/a.wav", "rec/b.flac", "rec/sub/c.opus", "rec/sub/d.WAV", "rec/sub/deeper/f.ogg", "rec/z.mp3"}},
		{"glob names hidden names with a dot", []string{"rec/.*.wav"}, Options{}, []string{"rec/.hidden.wav"}},
		{"glob with exclude", []string{"rec/**/*"}, Options{Exclude: []string{"*.txt", "sub/**"}},
			[]string{"rec/a-b/e.wav", "rec/a.wav", "rec/b.flac", "rec/z.mp3"}},
		{"glob with exclude relative to its leading directories", []string{"rec/*"}, Options{Exclude: []string{"sub/deeper", "a-b/e.wav"}},
			[]string{"rec/a.wav", "rec/b.flac", "rec/notes.txt", "rec/sub/c.opus", "rec/sub/d.WAV", "rec/z.mp3"}},
		{"glob with include in matched directories", []string{"rec/s*"}, Options{Include: []string{"sub/deeper/*"}},
			[]string{"rec/sub/deeper/f.ogg"}},
		{"glob matching nothing", []string{"rec/*.aiff", "top.wav"}, Options{},
			[]string{"error: rec/*.aiff: no file matches this pattern", "top.wav"}},
		{"glob below a missing directory", []string{"nope/*.wav"}, Options{}, []string{"error: nope/*.wav: no file matches this pattern"}},
		{"existing file named like a pattern", []string{"[ab].wav"}, Options{}, []string{"[ab].wav"}},
		{"escaped pattern characters", []string{`\[ab\].wa?`}, Options{}, []string{"[ab].wav"}},
		{"a file in a glob and a matched directory is listed once", []string{"rec/**/*"}, Options{Include: []string{"*.txt"}},
			[]string{"rec/a-b/e.wav", "rec/a.wav", "rec/b.flac", "rec/notes.txt", "rec/sub/c.opus", "rec/sub/d.WAV", "rec/sub/deeper/f.ogg", "rec/z.mp3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, err := expand(t, tt.args, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := show(in); !slices.Equal(got, tt.want) {
				t.Errorf("Expand(%q)\n got %q\nwant %q", tt.args, got, tt.want)
			}
		})
	}
}

// A directory named by going up (../.., as a config file's paths are from a
// subdirectory) is walked like any other: what is below it is not above it.
func TestExpandParentDirectories(t *testing.T) {
	recordings(t)
	t.Chdir("rec/sub/deeper")
	in, _ := expand(t, []string{"../.."}, Options{})
	want := []string{"../../a-b/e.wav", "../../a.wav", "../../b.flac", "../../sub/c.opus", "../../sub/d.WAV", "../../sub/deeper/f.ogg", "../../z.mp3"}
	if got := show(in); !slices.Equal(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestExpandAbsolutePattern(t *testing.T) {
	recordings(t)
	wd, _ := os.Getwd()
	in, err := expand(t, []string{wd + "/rec/*.flac", wd + "/rec/sub/"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{wd + "/rec/b.flac", wd + "/rec/sub/c.opus", wd + "/rec/sub/d.WAV", wd + "/rec/sub/deeper/f.ogg"}
	if got := show(in); !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestExpandErrorsAreTyped(t *testing.T) {
	recordings(t)
	l, err := net.Listen("unix", "sock.wav")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	in, _ := expand(t, []string{"nope.wav", "rec/*.aiff", "rec/empty", "sock.wav"}, Options{})
	if len(in) != 4 {
		t.Fatalf("got %q", show(in))
	}
	for i, target := range []error{fs.ErrNotExist, ErrNoMatch, ErrNoFiles, ErrNotRegular} {
		if !errors.Is(in[i].Err, target) {
			t.Errorf("%s: error %v is not %v", in[i].Name, in[i].Err, target)
		}
	}
	// The error says what is wrong; the input's name is the Input's.
	if got := in[0].Err.Error(); got != "no such file or directory" {
		t.Errorf("nope.wav: %q", got)
	}
	if got := in[3].Err.Error(); got != "not a regular file (socket)" {
		t.Errorf("sock.wav: %q", got)
	}
}

func TestSymlinks(t *testing.T) {
	recordings(t)
	symlink(t, "a.wav", "rec/link.wav")
	symlink(t, "missing.wav", "rec/dangling.wav")
	symlink(t, "missing.txt", "rec/dangling.txt") // not taken: no error either
	symlink(t, "self.wav", "rec/self.wav")
	symlink(t, ".", "rec/sub/deeper/again")  // loop to itself
	symlink(t, "../..", "rec/sub/deeper/up") // loop to rec
	tree(t, ".", "elsewhere/g.wav")
	symlink(t, "../elsewhere", "rec/far")
	in, err := expand(t, []string{"rec"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"rec/a-b/e.wav", "rec/a.wav", "rec/b.flac",
		"error: rec/dangling.wav: broken symbolic link: no such file or directory",
		"rec/far/g.wav",
		"rec/link.wav",
		"error: rec/self.wav: too many levels of symbolic links",
		"rec/sub/c.opus", "rec/sub/d.WAV",
		// "again" and "up" lead back into the walk: not walked twice, and
		// no error, since every file below them is checked already.
		"rec/sub/deeper/f.ogg",
		"rec/z.mp3",
	}
	if got := show(in); !slices.Equal(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}

	// A link to the directory above the walk's root is a loop that would
	// walk what was not asked for, without end: an error.
	symlink(t, "..", "rec/empty/parent")
	in, _ = expand(t, []string{"rec/empty"}, Options{Include: []string{"*"}})
	want = []string{"error: rec/empty/parent: directory loop: leads back to rec, above the directory walked"}
	if got := show(in); !slices.Equal(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	// Also when the path given does not name it, or names it through a link.
	wd, _ := os.Getwd()
	symlink(t, "rec/empty", "via")
	for _, arg := range []string{"./via", wd + "/via/"} {
		in, _ = expand(t, []string{arg}, Options{Include: []string{"*"}})
		want = []string{"error: " + joinName(arg, "parent") + ": directory loop: leads back to " + realPath(t, "rec") + ", above the directory walked"}
		if got := show(in); !slices.Equal(got, want) {
			t.Errorf("got  %q\nwant %q", got, want)
		}
	}

	// Patterns follow links and find loops the same way.
	os.Remove("rec/empty/parent")
	in, _ = expand(t, []string{"rec/**/*.ogg"}, Options{})
	want = []string{"rec/sub/deeper/f.ogg"}
	if got := show(in); !slices.Equal(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}

	// A pattern does not walk a link that loops; "up" leads back to rec,
	// above the pattern's "rec/sub": that one is an error.
	in, _ = expand(t, []string{"rec/sub/**/*"}, Options{})
	want = []string{
		"rec/sub/c.opus", "rec/sub/d.WAV",
		"rec/sub/deeper/f.ogg",
		"error: rec/sub/deeper/up: directory loop: leads back to rec, above the directory walked",
	}
	if got := show(in); !slices.Equal(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}

	// Named explicitly: a link to a directory is walked, a broken one is an error.
	in, _ = expand(t, []string{"rec/far", "rec/dangling.wav"}, Options{})
	want = []string{"rec/far/g.wav", "error: rec/dangling.wav: broken symbolic link: no such file or directory"}
	if got := show(in); !slices.Equal(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func realPath(t *testing.T, name string) string {
	t.Helper()
	p, err := filepath.EvalSymlinks(name)
	if err != nil {
		t.Fatal(err)
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// TestSpecialFiles: named explicitly, a pipe or a character device is read
// like standard input (process substitution, /dev/stdin); found in a walk
// or by a pattern, a special file is left out, without an error.
func TestSpecialFiles(t *testing.T) {
	recordings(t)
	if err := syscall.Mkfifo("rec/pipe.wav", 0o644); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo("rec/pipe.txt", 0o644); err != nil {
		t.Fatal(err)
	}
	// A socket path must be short: make it relative to the test directory.
	l, err := net.Listen("unix", "rec/sock.wav")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	symlink(t, "pipe.wav", "rec/topipe.flac")
	in, err := expand(t, []string{"rec", "rec/*.wav", "rec/pipe.txt", "rec/topipe.flac", "/dev/null", "rec/sock.wav"}, Options{Exclude: []string{"sub", "a-b"}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"rec/a.wav", "rec/b.flac", "rec/z.mp3", // the walk
		"rec/a.wav", // the pattern
		"stream:rec/pipe.txt",
		"stream:rec/topipe.flac",
		"stream:/dev/null",
		"error: rec/sock.wav: not a regular file (socket)",
	}
	if got := show(in); !slices.Equal(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

// TestFiltersComeFirst: an entry the filters leave out is never an error,
// whatever it is — a link to nowhere, a pipe, a link that loops.
func TestFiltersComeFirst(t *testing.T) {
	t.Chdir(t.TempDir())
	tree(t, ".", "a/sub/x.flac", "a/x.opus", "a/other/")
	symlink(t, "..", "a/other/loop")
	symlink(t, "nothing.wav", "a/other/dangling.wav")
	symlink(t, "self.wav", "a/other/self.wav")
	if err := syscall.Mkfifo("a/other/p.wav", 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		args []string
		opts Options
		want []string
	}{
		{[]string{"a/**/*.flac"}, Options{}, []string{"a/sub/x.flac"}},
		{[]string{"."}, Options{Include: []string{"*.opus"}}, []string{"./a/x.opus"}},
		{[]string{"a"}, Options{Include: []string{"*.opus"}}, []string{"a/x.opus"}},
		{[]string{"a"}, Options{Exclude: []string{"other"}}, []string{"a/sub/x.flac", "a/x.opus"}},
		{[]string{"a"}, Options{Exclude: []string{"dangling.wav", "self.wav"}}, []string{"a/sub/x.flac", "a/x.opus"}},
		{[]string{"a/*/*"}, Options{Exclude: []string{"*.wav"}}, []string{"a/sub/x.flac"}},
		// What the filters keep is judged: links to nowhere are errors.
		{[]string{"a"}, Options{}, []string{
			"error: a/other/dangling.wav: broken symbolic link: no such file or directory",
			"error: a/other/self.wav: too many levels of symbolic links",
			"a/sub/x.flac", "a/x.opus"}},
	} {
		in, err := expand(t, tt.args, tt.opts)
		if err != nil {
			t.Fatal(err)
		}
		if got := show(in); !slices.Equal(got, tt.want) {
			t.Errorf("Expand(%q, %+v)\n got %q\nwant %q", tt.args, tt.opts, got, tt.want)
		}
	}
}

// TestPatternsMatchThePrintedPath: an Exclude or Include pattern matches
// the path below the directory walked, the path as printed, or the base
// name.
func TestPatternsMatchThePrintedPath(t *testing.T) {
	recordings(t)
	for _, tt := range []struct {
		args []string
		opts Options
		want []string
	}{
		{[]string{"rec"}, Options{Exclude: []string{"rec/sub"}}, []string{"rec/a-b/e.wav", "rec/a.wav", "rec/b.flac", "rec/z.mp3"}},
		{[]string{"./rec"}, Options{Exclude: []string{"rec/sub", "./rec/a-b"}}, []string{"./rec/a.wav", "./rec/b.flac", "./rec/z.mp3"}},
		{[]string{"rec"}, Options{Exclude: []string{"sub"}}, []string{"rec/a-b/e.wav", "rec/a.wav", "rec/b.flac", "rec/z.mp3"}},
		{[]string{"rec"}, Options{Exclude: []string{"rec/*.wav", "rec/**/*.ogg"}}, []string{"rec/a-b/e.wav", "rec/b.flac", "rec/sub/c.opus", "rec/sub/d.WAV", "rec/z.mp3"}},
		{[]string{"rec/s*"}, Options{Exclude: []string{"rec/sub/deeper"}}, []string{"rec/sub/c.opus", "rec/sub/d.WAV"}},
		{[]string{"rec"}, Options{Include: []string{"rec/sub/*"}}, []string{"rec/sub/c.opus", "rec/sub/d.WAV"}},
	} {
		in, err := expand(t, tt.args, tt.opts)
		if err != nil {
			t.Fatal(err)
		}
		if got := show(in); !slices.Equal(got, tt.want) {
			t.Errorf("Expand(%q, %+v)\n got %q\nwant %q", tt.args, tt.opts, got, tt.want)
		}
	}
}

// TestUnmatchedPatternsWarn: a pattern that matches nothing in the whole
// expansion is reported, once; one that matched is not.
func TestUnmatchedPatternsWarn(t *testing.T) {
	recordings(t)
	var warnings []string
	opts := Options{
		Include: []string{"*.wav", "*.aiff"},
		Exclude: []string{"a/b", "sub", "nothing/**"},
		Warn:    func(w string) { warnings = append(warnings, w) },
	}
	in, err := expand(t, []string{"rec", "top.wav"}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := show(in), []string{"rec/a-b/e.wav", "rec/a.wav", "top.wav"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if len(warnings) != 3 || !strings.HasPrefix(warnings[0], `--include "*.aiff" matched nothing`) ||
		!strings.HasPrefix(warnings[1], `--exclude "a/b" matched nothing`) || !strings.HasPrefix(warnings[2], `--exclude "nothing/**" matched nothing`) {
		t.Errorf("warnings %q", warnings)
	}
	// Patterns with no walk to apply to match nothing either.
	warnings = nil
	expand(t, []string{"top.wav"}, Options{Exclude: []string{"*.wav"}, Warn: opts.Warn})
	if len(warnings) != 1 || !strings.Contains(warnings[0], "never to files named explicitly") {
		t.Errorf("warnings %q", warnings)
	}
}

func TestFilesFrom(t *testing.T) {
	recordings(t)
	write := func(name, content string) {
		if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("list.txt", "top.wav\r\n\nrec/sub\n  top.wav\ntop.wav \nrec/*.wav\n-\nhttps://example.com/x.flac\n")
	in, err := expand(t, []string{"rec/a.wav"}, Options{FilesFrom: "list.txt", Stdin: strings.NewReader("")})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"rec/a.wav", // arguments first
		"top.wav",   // CR dropped, empty line skipped
		"rec/sub/c.opus", "rec/sub/d.WAV", "rec/sub/deeper/f.ogg",
		"error:   top.wav: no such file or directory", // blanks are part of the name
		"error: top.wav : no such file or directory",
		"error: rec/*.wav: no such file or directory", // not expanded
		"stdin:-",
		"url:https://example.com/x.flac",
	}
	if got := show(in); !slices.Equal(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}

	// NUL-separated, from standard input.
	in, err = expand(t, nil, Options{FilesFrom: "-", Null: true, Stdin: strings.NewReader("top.wav\x00rec/a.wav\n\x00\x00rec/notes.txt\x00")})
	if err != nil {
		t.Fatal(err)
	}
	want = []string{"top.wav", "error: rec/a.wav\n: no such file or directory", "rec/notes.txt"}
	if got := show(in); !slices.Equal(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}

	// Problems with the invocation itself.
	write("stdin-list.txt", "-\n")
	write("nul-list.txt", "top.wav\x00rec/a.wav\n")
	for _, tt := range []struct {
		args []string
		opts Options
		msg  string
	}{
		{[]string{"-"}, Options{FilesFrom: "-"}, "standard input cannot be both the list of inputs (--files-from -) and an input (-)"},
		{[]string{"-", "-"}, Options{}, "standard input (-) is named more than once"},
		{[]string{"-"}, Options{FilesFrom: "stdin-list.txt"}, "standard input (-) is named more than once"},
		{nil, Options{FilesFrom: "missing-list.txt"}, "reading the list of inputs: open missing-list.txt: no such file or directory"},
		{nil, Options{FilesFrom: "nul-list.txt"}, "the list of inputs in nul-list.txt has a NUL byte on line 1: for a NUL-separated list, use -0/--null"},
		{[]string{"rec"}, Options{Include: []string{"[a"}}, `invalid --include pattern "[a": syntax error in pattern`},
		{[]string{"rec"}, Options{Exclude: []string{"/"}}, `invalid --exclude pattern "/": it matches no file name`},
	} {
		in, err := expand(t, tt.args, tt.opts)
		if err == nil || err.Error() != tt.msg {
			t.Errorf("Expand(%q, %+v) = %q, %v; want error %q", tt.args, tt.opts, show(in), err, tt.msg)
		}
	}
	// "-" in a list read from standard input is refused the same way.
	_, err = expand(t, nil, Options{FilesFrom: "-", Stdin: strings.NewReader("-\n")})
	if err == nil || !strings.Contains(err.Error(), "cannot be both") {
		t.Errorf("list with - on standard input: %v", err)
	}
}

func TestNoArguments(t *testing.T) {
	in, err := Expand(nil, Options{})
	if err != nil || len(in) != 0 {
		t.Errorf("Expand(nil) = %q, %v", show(in), err)
	}
}

func TestKindString(t *testing.T) {
	for k, want := range map[Kind]string{File: "file", Stdin: "stdin", URL: "url", Stream: "stream", Kind(7): "Kind(7)"} {
		if got := k.String(); got != want {
			t.Errorf("%d.String() = %q; want %q", int(k), got, want)
		}
	}
}

func TestMatchElems(t *testing.T) {
	tests := []struct {
		pat, name string
		want      bool
	}{
		{"*.wav", "a.wav", true},
		{"*.wav", "sub/a.wav", false},
		{"**/*.wav", "a.wav", true},
		{"**/*.wav", "x/y/a.wav", true},
		{"x/**", "x/y/a.wav", true},
		{"x/**", "x", true},
		{"x/**/a.wav", "x/a.wav", true},
		{"x/**/**/a.wav", "x/p/q/a.wav", true},
		{"x/**/b/*.wav", "x/b/c/a.wav", false},
		{"[ab].wav", "b.wav", true},
		{"?.wav", "ab.wav", false},
	}
	for _, tt := range tests {
		if got := matchElems(splitPattern(tt.pat), strings.Split(tt.name, "/")); got != tt.want {
			t.Errorf("match(%q, %q) = %v", tt.pat, tt.name, got)
		}
	}
}

func TestCompareNames(t *testing.T) {
	names := []string{"a.wav", "a/b/c.wav", "a-b/x.wav", "a/a.wav", "b", "a/b.wav", "a"}
	slices.SortFunc(names, compareNames)
	want := []string{"a", "a/a.wav", "a/b/c.wav", "a/b.wav", "a-b/x.wav", "a.wav", "b"}
	if !slices.Equal(names, want) {
		t.Errorf("sorted %q; want %q", names, want)
	}
}
