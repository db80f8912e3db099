package main

import (
	"bytes"
	bin "encoding/binary"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/audiopreflight/audiopreflight/probe"
)

// requireTool skips the test, with one line saying how to get what is
// missing, when a program is not on the PATH; under CI it fails.
func requireTool(t *testing.T, name, how string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		msg := name + " not found: " + how
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return path
}

// preCommitHook is an entry of .pre-commit-hooks.yaml.
type preCommitHook struct {
	ID       string `yaml:"id"`
	Entry    string `yaml:"entry"`
	Language string `yaml:"language"`
	Files    string `yaml:"files"`
}

func readPreCommitHooks(t *testing.T) []preCommitHook {
	t.Helper()
	b, err := os.ReadFile(".pre-commit-hooks.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var hooks []preCommitHook
	if err := yaml.Unmarshal(b, &hooks); err != nil {
		t.Fatal(err)
	}
	return hooks
}

// The hooks' files: regex takes exactly the extensions check takes for
// audio in a directory, in any case, and nothing else.
func TestPreCommitHooksFilesAreTheAudioExtensions(t *testing.T) {
	hooks := readPreCommitHooks(t)
	var ids []string
	for _, h := range hooks {
		ids = append(ids, h.ID)
		if h.Entry != "audiopreflight check" {
			t.Errorf("%s: entry %q", h.ID, h.Entry)
		}
		re, err := regexp.Compile(h.Files)
		if err != nil {
			t.Fatalf("%s: files: %v", h.ID, err)
		}
		for _, ext := range probe.AudioExtensions() {
			for _, name := range []string{"take" + ext, "a/b/take" + strings.ToUpper(ext)} {
				if !re.MatchString(name) {
					t.Errorf("%s: files does not match %q", h.ID, name)
				}
			}
		}
		for _, name := range []string{"notes.txt", "wav", "take.wav.txt", "take.wavx", "take.xflac", "README.md"} {
			if re.MatchString(name) {
				t.Errorf("%s: files matches %q", h.ID, name)
			}
		}
		// The alternatives, listed, are the extensions.
		inner := regexp.MustCompile(`\\\.\(([^)]*)\)\$`).FindStringSubmatch(h.Files)
		if inner == nil {
			t.Fatalf("%s: files %q is not (?i)\\.(ext|…)$", h.ID, h.Files)
		}
		var listed []string
		for _, e := range strings.Split(inner[1], "|") {
			listed = append(listed, "."+e)
		}
		if !slices.Equal(listed, probe.AudioExtensions()) {
			t.Errorf("%s: files lists %v, check takes %v", h.ID, listed, probe.AudioExtensions())
		}
	}
	if !slices.Equal(ids, []string{"audiopreflight", "audiopreflight-system"}) {
		t.Errorf("hooks %v", ids)
	}
	if hooks[0].Language != "golang" || hooks[1].Language != "system" {
		t.Errorf("languages %q, %q", hooks[0].Language, hooks[1].Language)
	}
}

// TestPreCommitHooks runs each hook with Debian's pre-commit in a fresh
// repository, this repository being the hooks' repository: a staged
// 44.1 kHz stereo WAV fails with the exception's name, a staged 16 kHz mono
// WAV passes, a staged text file is not checked. The system hook (the
// binary on the PATH) is tried as a team first tries hooks, with
// pre-commit try-repo; the golang hook, which builds audiopreflight from
// this repository's HEAD with the Go on the PATH, as a team then uses it:
// installed into the repository with a .pre-commit-config.yaml, failing
// and passing `git commit`.
func TestPreCommitHooks(t *testing.T) {
	preCommit := requireTool(t, "pre-commit", "apt-get install pre-commit (.ci/run installs it)")
	git := requireTool(t, "git", "apt-get install git")
	self, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	env := []string{
		"HOME=" + t.TempDir(),
		"PRE_COMMIT_HOME=" + t.TempDir(),
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
		"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com",
		"GIT_CONFIG_NOSYSTEM=1",
		// The golang hook's `go install` reuses the modules and the build
		// cache of this test run instead of fetching and compiling
		// everything again.
		"GOMODCACHE=" + goEnv(t, "GOMODCACHE"),
		"GOCACHE=" + goEnv(t, "GOCACHE"),
		"GOFLAGS=" + os.Getenv("GOFLAGS"),
	}

	t.Run("audiopreflight-system", func(t *testing.T) {
		r := newGitRepo(t, git, append(env, "PATH="+filepath.Dir(binary)+string(os.PathListSeparator)+os.Getenv("PATH")))
		tryRepo := []string{"try-repo", "--color", "never", self, "audiopreflight-system"}
		r.stage(t, "takes/take 1.wav", sineWAV(44100, 2, 1))
		r.stage(t, "notes.txt", []byte("not audio\n"))
		code, out := r.run(t, preCommit, tryRepo...)
		wantRejected(t, code, out)
		r.mustRun(t, git, "rm", "-q", "--cached", "takes/take 1.wav")
		r.stage(t, "takes/take 2.wav", sineWAV(16000, 1, 1))
		code, out = r.run(t, preCommit, tryRepo...)
		wantAccepted(t, code, out)
	})

	t.Run("audiopreflight", func(t *testing.T) {
		head, err := exec.Command(git, "-C", self, "rev-parse", "HEAD").Output()
		if err != nil {
			t.Fatal(err)
		}
		r := newGitRepo(t, git, append(env, "PATH="+os.Getenv("PATH")))
		r.stage(t, ".pre-commit-config.yaml", []byte("repos:\n  - repo: "+self+"\n    rev: "+strings.TrimSpace(string(head))+"\n    hooks:\n      - id: audiopreflight\n"))
		r.mustRun(t, preCommit, "install")
		r.stage(t, "takes/take 1.wav", sineWAV(44100, 2, 1))
		r.stage(t, "notes.txt", []byte("not audio\n"))
		code, out := r.run(t, git, "commit", "-m", "a take")
		wantRejected(t, code, out)
		if code, _ := r.run(t, git, "rev-parse", "-q", "--verify", "HEAD"); code == 0 {
			t.Error("the commit was made")
		}
		r.mustRun(t, git, "rm", "-q", "--cached", "takes/take 1.wav")
		r.stage(t, "takes/take 2.wav", sineWAV(16000, 1, 1))
		code, out = r.run(t, git, "commit", "-m", "a take")
		wantAccepted(t, code, out)
	})
}

func wantRejected(t *testing.T, code int, out string) {
	t.Helper()
	if code != 1 || !strings.Contains(out, "InvalidAudioFormat") || !strings.Contains(out, "takes/take 1.wav") || !strings.Contains(out, "Failed") {
		t.Fatalf("a staged 44.1 kHz stereo WAV: exit %d, want 1 naming InvalidAudioFormat\n%s", code, out)
	}
	if strings.Contains(out, "notes.txt") {
		t.Errorf("the hook was given notes.txt:\n%s", out)
	}
}

func wantAccepted(t *testing.T, code int, out string) {
	t.Helper()
	if code != 0 || !strings.Contains(out, "Passed") {
		t.Fatalf("a staged 16 kHz mono WAV: exit %d, want 0\n%s", code, out)
	}
}

// gitRepo is a fresh repository in a temporary directory; commands run in
// it with env as their whole environment.
type gitRepo struct {
	dir, git string
	env      []string
}

func newGitRepo(t *testing.T, git string, env []string) *gitRepo {
	r := &gitRepo{dir: t.TempDir(), git: git, env: env}
	r.mustRun(t, git, "init", "-q", "-b", "main")
	return r
}

func (r *gitRepo) run(t *testing.T, name string, args ...string) (int, string) {
	t.Helper()
	c := exec.Command(name, args...)
	c.Dir, c.Env = r.dir, r.env
	var out bytes.Buffer
	c.Stdout, c.Stderr = &out, &out
	err := c.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), out.String()
	} else if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return 0, out.String()
}

func (r *gitRepo) mustRun(t *testing.T, name string, args ...string) {
	t.Helper()
	if code, out := r.run(t, name, args...); code != 0 {
		t.Fatalf("%s %v: exit %d\n%s", name, args, code, out)
	}
}

// stage writes a file and adds it to the index.
func (r *gitRepo) stage(t *testing.T, name string, b []byte) {
	t.Helper()
	write(t, filepath.Join(r.dir, name), b)
	r.mustRun(t, r.git, "add", name)
}

func goEnv(t *testing.T, name string) string {
	t.Helper()
	out, err := exec.Command("go", "env", name).Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(out))
}

func write(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// sineWAV is a 16-bit PCM WAV of a 440 Hz tone.
func sineWAV(rate, channels, seconds int) []byte {
	frames := rate * seconds
	data := make([]byte, frames*channels*2)
	for i := range frames {
		v := int16(8000 * math.Sin(2*math.Pi*440*float64(i)/float64(rate)))
		for c := range channels {
			bin.LittleEndian.PutUint16(data[(i*channels+c)*2:], uint16(v))
		}
	}
	var b bytes.Buffer
	b.WriteString("RIFF")
	bin.Write(&b, bin.LittleEndian, uint32(36+len(data)))
	b.WriteString("WAVEfmt ")
	for _, v := range []any{uint32(16), uint16(1), uint16(channels), uint32(rate),
		uint32(rate * channels * 2), uint16(channels * 2), uint16(16)} {
		bin.Write(&b, bin.LittleEndian, v)
	}
	b.WriteString("data")
	bin.Write(&b, bin.LittleEndian, uint32(len(data)))
	b.Write(data)
	return b.Bytes()
}
