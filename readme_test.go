package main

import (
	"bytes"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// update rewrites the README's examples from real runs (go test . -run
// TestREADMEExamples -update); only examples whose output changed are
// rewritten, so run-to-run times do not churn the file.
var update = flagUpdate()

// exampleDir is where README examples that write files (fix) write them:
// it is emptied before the examples run, which run in order, so that one
// may check what an earlier one wrote.
const exampleDir = "/tmp/audiopreflight-readme"

// TestREADMEExamples runs every "$ audiopreflight …" line in a fenced
// block of README.md with the built binary, from the repository root with
// NO_COLOR=1 and no AUDIOPREFLIGHT_ variables, and compares what it prints
// (standard output, then standard error) with the lines under it in the
// README, up to the next "$ " line or the end of the block. What changes
// from run to run — the elapsed seconds of a summary, "…h…m ago" — and
// what changes from build to build — the values `version` prints — is
// normalised before comparing.
func TestREADMEExamples(t *testing.T) {
	if err := os.RemoveAll(exampleDir); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(exampleDir) })
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(readme), "\n")
	var out []string
	examples, changed := 0, false
	inFence := false
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if strings.HasPrefix(line, "```") {
			inFence = !inFence
			out = append(out, line)
			continue
		}
		command, ok := strings.CutPrefix(line, "$ audiopreflight ")
		if !inFence || !ok {
			out = append(out, line)
			continue
		}
		examples++
		// The example's output runs to the next command or the fence.
		j := i + 1
		for j < len(lines) && !strings.HasPrefix(lines[j], "$ ") && !strings.HasPrefix(lines[j], "```") {
			j++
		}
		want := strings.TrimRight(strings.Join(lines[i+1:j], "\n"), "\n")
		got := strings.TrimRight(runExample(t, command), "\n")
		out = append(out, line)
		if normaliseExample(got) == normaliseExample(want) {
			out = append(out, lines[i+1:j]...)
		} else if *update {
			changed = true
			out = append(out, strings.Split(got, "\n")...)
			if j < len(lines) && strings.HasPrefix(lines[j], "$ ") {
				out = append(out, "")
			}
		} else {
			t.Errorf("README example `audiopreflight %s` differs from a real run (go test . -run TestREADMEExamples -update rewrites it); it prints:\n%s", command, got)
			out = append(out, lines[i+1:j]...)
		}
		i = j - 1
	}
	if examples < 5 {
		t.Errorf("only %d examples found in README.md", examples)
	}
	if changed {
		if err := os.WriteFile("README.md", []byte(strings.Join(out, "\n")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// runExample runs one example's command line with the built binary.
func runExample(t *testing.T, command string) string {
	t.Helper()
	args, err := splitShellWords(command)
	if err != nil {
		t.Fatalf("%s: %v", command, err)
	}
	c := exec.Command(binary, args...)
	c.Env = []string{"NO_COLOR=1", "PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	var stdout, stderr bytes.Buffer
	c.Stdout, c.Stderr = &stdout, &stderr
	if err := c.Run(); err != nil {
		if _, exited := err.(*exec.ExitError); !exited {
			t.Fatalf("%s: %v", command, err)
		}
	}
	return stdout.String() + stderr.String()
}

var (
	elapsedSeconds = regexp.MustCompile(`, [0-9]+\.[0-9]+ s\)`)
	agoDuration    = regexp.MustCompile(`[0-9]+h[0-9]+m ago`)
	// The build's fields in version's text ("commit:       abc") and JSON
	// ("commit": "abc"); the labels and keys stay compared.
	versionLine  = regexp.MustCompile(`(?m)^(audiopreflight |commit: +|commit time: +|built: +|go: +)[^\s:][^\n]*$`)
	versionField = regexp.MustCompile(`"(version|commit|commit_time|build_time|go_version)": "[^"]*"`)
)

func normaliseExample(s string) string {
	s = elapsedSeconds.ReplaceAllString(s, ", N s)")
	s = versionLine.ReplaceAllString(s, "${1}V")
	s = versionField.ReplaceAllString(s, `"$1": "V"`)
	return agoDuration.ReplaceAllString(s, "NhNm ago")
}

// splitShellWords splits a command line as a POSIX shell would for the
// quoting the README uses: 'single', "double" (with \" and \\) and
// backslash escapes.
func splitShellWords(s string) ([]string, error) {
	var words []string
	var w strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t':
			if inWord {
				words = append(words, w.String())
				w.Reset()
				inWord = false
			}
		case c == '\'':
			end := strings.IndexByte(s[i+1:], '\'')
			if end < 0 {
				return nil, errUnterminated
			}
			w.WriteString(s[i+1 : i+1+end])
			i += end + 1
			inWord = true
		case c == '"':
			i++
			for ; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) && strings.IndexByte(`"\$`+"`", s[i+1]) >= 0 {
					i++
				}
				w.WriteByte(s[i])
			}
			if i >= len(s) {
				return nil, errUnterminated
			}
			inWord = true
		case c == '\\' && i+1 < len(s):
			i++
			w.WriteByte(s[i])
			inWord = true
		default:
			w.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, w.String())
	}
	return words, nil
}

var errUnterminated = errorString("unterminated quote")

type errorString string

func (e errorString) Error() string { return string(e) }
