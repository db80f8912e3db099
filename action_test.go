package main

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The GitHub Action (action.yml) is tested here without GitHub: its steps
// run with bash exactly as a runner runs a composite action's `shell: bash`
// steps (bash --noprofile --norc -eo pipefail FILE), with the variables a
// runner sets (GITHUB_OUTPUT, GITHUB_PATH, GITHUB_ENV, GITHUB_STEP_SUMMARY,
// GITHUB_ACTION_PATH, RUNNER_OS, RUNNER_ARCH, RUNNER_TEMP,
// RUNNER_TOOL_CACHE…), its ${{ }} expressions evaluated from the inputs
// and contexts, and the release downloaded from a loopback server serving
// a release laid out as GoReleaser lays it out (.goreleaser.yaml).

// actionFile is what the tests read of action.yml.
type actionFile struct {
	Inputs map[string]struct {
		Description string `yaml:"description"`
		Default     string `yaml:"default"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Value string `yaml:"value"`
	} `yaml:"outputs"`
	Runs struct {
		Using string       `yaml:"using"`
		Steps []actionStep `yaml:"steps"`
	} `yaml:"runs"`
}

type actionStep struct {
	ID    string            `yaml:"id"`
	Shell string            `yaml:"shell"`
	Run   string            `yaml:"run"`
	Env   map[string]string `yaml:"env"`
	If    string            `yaml:"if"`
	Uses  string            `yaml:"uses"`
}

func readAction(t *testing.T) *actionFile {
	t.Helper()
	b, err := os.ReadFile("action.yml")
	if err != nil {
		t.Fatal(err)
	}
	var a actionFile
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	if err := dec.Decode(&a); err != nil {
		t.Fatal(err)
	}
	if a.Runs.Using != "composite" {
		t.Fatalf("runs.using %q, want composite", a.Runs.Using)
	}
	return &a
}

// release is a release served on loopback as GitHub serves one:
// /releases/latest redirects to /releases/tag/vVERSION, and
// /releases/download/vVERSION/FILE serves the files of dir.
type release struct {
	url     string
	version string
	dir     string

	mu        sync.Mutex
	downloads map[string]int
}

func serveRelease(t *testing.T, version, dir string) *release {
	t.Helper()
	r := &release{version: version, dir: dir, downloads: map[string]int{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		switch p := req.URL.Path; {
		case p == "/releases/latest":
			http.Redirect(w, req, "/releases/tag/v"+r.version, http.StatusFound)
		case strings.HasPrefix(p, "/releases/tag/"):
			fmt.Fprintln(w, "release page")
		case strings.HasPrefix(p, "/releases/download/v"+r.version+"/"):
			name := strings.TrimPrefix(p, "/releases/download/v"+r.version+"/")
			if strings.Contains(name, "/") {
				http.NotFound(w, req)
				return
			}
			r.mu.Lock()
			r.downloads[name]++
			r.mu.Unlock()
			http.ServeFile(w, req, filepath.Join(r.dir, name))
		default:
			http.NotFound(w, req)
		}
	}))
	t.Cleanup(srv.Close)
	r.url = srv.URL + "/releases"
	return r
}

func (r *release) downloaded() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, c := range r.downloads {
		n += c
	}
	return n
}

// runnerOS and runnerArch are RUNNER_OS and RUNNER_ARCH for this machine.
func runnerPlatform(t *testing.T) (string, string) {
	t.Helper()
	osName := map[string]string{"linux": "Linux", "darwin": "macOS"}[runtime.GOOS]
	arch := map[string]string{"amd64": "X64", "arm64": "ARM64"}[runtime.GOARCH]
	if osName == "" || arch == "" {
		t.Skipf("no release for %s/%s", runtime.GOOS, runtime.GOARCH)
	}
	return osName, arch
}

// snapshotRelease lays out a release of the binary under test as
// GoReleaser does: the archive named by .goreleaser.yaml's name_template
// for this platform, holding the binary, and checksums.txt. With
// AUDIOPREFLIGHT_RELEASE_DIST set (scripts/release/test-packages.sh sets
// it to GoReleaser's own dist/ after a snapshot release), that directory is
// served instead, at the version its metadata.json gives.
func snapshotRelease(t *testing.T) (version, dir string) {
	t.Helper()
	snapshot.once.Do(func() { snapshot.version, snapshot.dir = makeSnapshotRelease(t) })
	if snapshot.dir == "" {
		t.Fatal("no snapshot release (see the first test that asked for it)")
	}
	return snapshot.version, snapshot.dir
}

// snapshot is the release made once for every test of the process.
var snapshot struct {
	once         sync.Once
	version, dir string
}

func makeSnapshotRelease(t *testing.T) (version, dir string) {
	if dist := os.Getenv("AUDIOPREFLIGHT_RELEASE_DIST"); dist != "" {
		b, err := os.ReadFile(filepath.Join(dist, "metadata.json"))
		if err != nil {
			t.Fatal(err)
		}
		m := regexp.MustCompile(`"version":\s*"([^"]+)"`).FindSubmatch(b)
		if m == nil {
			t.Fatalf("no version in %s/metadata.json", dist)
		}
		return string(m[1]), dist
	}
	version, dir = "1.2.3", filepath.Join(filepath.Dir(binary), "release")
	archive := goreleaserArchiveName(t, version, runtime.GOOS, runtime.GOARCH)
	var tgz strings.Builder
	gz := gzip.NewWriter(&tgz)
	tw := tar.NewWriter(gz)
	for _, f := range []struct {
		name string
		path string
		mode int64
	}{{"audiopreflight", binary, 0o755}, {"README.md", "README.md", 0o644}, {"LICENSE", "LICENSE", 0o644}} {
		b, err := os.ReadFile(f.path)
		if err != nil {
			t.Fatal(err)
		}
		if err := tw.WriteHeader(&tar.Header{Name: f.name, Mode: f.mode, Size: int64(len(b)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, archive), []byte(tgz.String()))
	sum := sha256.Sum256([]byte(tgz.String()))
	// Another platform's line first: the Action must pick its own.
	write(t, filepath.Join(dir, "checksums.txt"), []byte(fmt.Sprintf("%s  audiopreflight_%s_windows_amd64.zip\n%s  %s\n",
		strings.Repeat("0", 64), version, hex.EncodeToString(sum[:]), archive)))
	return version, dir
}

// goreleaserArchiveName is the name .goreleaser.yaml gives the archive
// of a version for a platform, which the Action downloads.
func goreleaserArchiveName(t *testing.T, version, goos, goarch string) string {
	t.Helper()
	b, err := os.ReadFile(".goreleaser.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		ProjectName string `yaml:"project_name"`
		Archives    []struct {
			Formats         []string `yaml:"formats"`
			NameTemplate    string   `yaml:"name_template"`
			FormatOverrides []struct {
				Goos    string   `yaml:"goos"`
				Formats []string `yaml:"formats"`
			} `yaml:"format_overrides"`
		} `yaml:"archives"`
		Checksum struct {
			NameTemplate string `yaml:"name_template"`
		} `yaml:"checksum"`
	}
	if err := yaml.Unmarshal(b, &cfg); err != nil {
		t.Fatal(err)
	}
	if len(cfg.Archives) != 1 || cfg.Checksum.NameTemplate != "checksums.txt" {
		t.Fatalf(".goreleaser.yaml: %d archives, checksums %q: the Action expects one archive and checksums.txt", len(cfg.Archives), cfg.Checksum.NameTemplate)
	}
	a := cfg.Archives[0]
	format := a.Formats[0]
	for _, o := range a.FormatOverrides {
		if o.Goos == goos {
			format = o.Formats[0]
		}
	}
	name := strings.NewReplacer("{{ .ProjectName }}", cfg.ProjectName, "{{ .Version }}", version,
		"{{ .Os }}", goos, "{{ .Arch }}", goarch).Replace(a.NameTemplate)
	if strings.Contains(name, "{{") {
		t.Fatalf(".goreleaser.yaml: name_template %q has fields the Action does not fill", a.NameTemplate)
	}
	return name + "." + format
}

// actionRunner runs action.yml's steps as a GitHub runner would, one job
// after another on the same runner (the tool cache is kept between runs).
type actionRunner struct {
	t         *testing.T
	action    *actionFile
	workspace string
	toolCache string
	env       map[string]string // what the runner sets, and what a test adds
}

func newActionRunner(t *testing.T) *actionRunner {
	t.Helper()
	requireTool(t, "bash", "apt-get install bash")
	requireTool(t, "curl", "apt-get install curl")
	osName, arch := runnerPlatform(t)
	self, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	r := &actionRunner{t: t, action: readAction(t), workspace: t.TempDir(), toolCache: t.TempDir()}
	r.env = map[string]string{
		"PATH":               os.Getenv("PATH"),
		"HOME":               t.TempDir(),
		"CI":                 "true",
		"GITHUB_ACTIONS":     "true",
		"GITHUB_ACTION_PATH": self,
		// A composite action's steps see these empty (see action.yml).
		"GITHUB_ACTION_REF":        "",
		"GITHUB_ACTION_REPOSITORY": "",
		"GITHUB_WORKSPACE":         r.workspace,
		"GITHUB_SERVER_URL":        "https://github.com",
		"GITHUB_REPOSITORY":        "team/recordings",
		"RUNNER_OS":                osName,
		"RUNNER_ARCH":              arch,
		"RUNNER_TOOL_CACHE":        r.toolCache,
	}
	return r
}

// actionRun is the outcome of one use of the Action in a job.
type actionRun struct {
	failed  string // the id of the step that failed, if one did
	outputs map[string]string
	steps   map[string]map[string]string
	log     string
	summary string
	temp    string
}

var expression = regexp.MustCompile(`\$\{\{\s*(.*?)\s*\}\}`)

// run uses the Action with the given inputs, with the github.action_ref
// of `uses: audiopreflight/audiopreflight@REF`, in a new job (a new
// RUNNER_TEMP, GITHUB_OUTPUT, GITHUB_PATH…), and runs the steps named in
// only (all when empty).
func (r *actionRunner) run(ref string, inputs map[string]string, only ...string) *actionRun {
	t := r.t
	t.Helper()
	for name := range inputs {
		if _, ok := r.action.Inputs[name]; !ok {
			t.Fatalf("action.yml has no input %q", name)
		}
	}
	job := &actionRun{outputs: map[string]string{}, steps: map[string]map[string]string{}, temp: t.TempDir()}
	summaryFile := filepath.Join(job.temp, "_runner_file_commands", "step_summary")
	pathFile := filepath.Join(job.temp, "_runner_file_commands", "add_path")
	envFile := filepath.Join(job.temp, "_runner_file_commands", "set_env")
	write(t, summaryFile, nil)
	var addedPath []string
	jobEnv := map[string]string{}
	eval := func(s string) string {
		return expression.ReplaceAllStringFunc(s, func(m string) string {
			e := expression.FindStringSubmatch(m)[1]
			parts := strings.Split(e, ".")
			switch {
			case len(parts) == 2 && parts[0] == "inputs":
				if v, ok := inputs[parts[1]]; ok {
					return v
				}
				in, ok := r.action.Inputs[parts[1]]
				if !ok {
					t.Fatalf("action.yml uses input %q, which it does not declare", parts[1])
				}
				return in.Default
			case e == "github.action_ref":
				return ref
			case e == "github.action_path":
				return r.env["GITHUB_ACTION_PATH"]
			case e == "github.workspace":
				return r.workspace
			case e == "runner.temp":
				return job.temp
			case e == "runner.os":
				return r.env["RUNNER_OS"]
			case e == "runner.arch":
				return r.env["RUNNER_ARCH"]
			case len(parts) == 4 && parts[0] == "steps" && parts[2] == "outputs":
				return job.steps[parts[1]][parts[3]]
			}
			t.Fatalf("action.yml: the test runner does not know the expression %q", e)
			return ""
		})
	}
	for i, step := range r.action.Runs.Steps {
		if step.Uses != "" || step.If != "" || step.Shell != "bash" {
			t.Fatalf("step %d (%s): only unconditional `shell: bash` steps are run here (uses %q, if %q, shell %q)", i, step.ID, step.Uses, step.If, step.Shell)
		}
		if len(only) > 0 && !slices.Contains(only, step.ID) {
			continue
		}
		script := filepath.Join(job.temp, fmt.Sprintf("step-%d.sh", i))
		write(t, script, []byte(eval(step.Run)))
		outputFile := filepath.Join(job.temp, "_runner_file_commands", fmt.Sprintf("set_output_%d", i))
		write(t, outputFile, nil)
		write(t, pathFile, nil)
		write(t, envFile, nil)
		env := map[string]string{}
		for k, v := range r.env {
			env[k] = v
		}
		for k, v := range jobEnv {
			env[k] = v
		}
		env["PATH"] = strings.Join(append(slices.Clone(addedPath), r.env["PATH"]), string(os.PathListSeparator))
		env["RUNNER_TEMP"] = job.temp
		env["GITHUB_OUTPUT"] = outputFile
		env["GITHUB_PATH"] = pathFile
		env["GITHUB_ENV"] = envFile
		env["GITHUB_STEP_SUMMARY"] = summaryFile
		for k, v := range step.Env {
			env[k] = eval(v)
		}
		c := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", script)
		c.Dir = r.workspace
		for k, v := range env {
			c.Env = append(c.Env, k+"="+v)
		}
		out, err := c.CombinedOutput()
		job.log += string(out)
		job.steps[step.ID] = readFileCommands(t, outputFile)
		// GITHUB_PATH lines go before the PATH, the last added first.
		for _, p := range readLines(t, pathFile) {
			addedPath = append([]string{p}, addedPath...)
		}
		for k, v := range readFileCommands(t, envFile) {
			jobEnv[k] = v
		}
		if err != nil {
			if _, ok := err.(*exec.ExitError); !ok {
				t.Fatal(err)
			}
			job.failed = step.ID
			break
		}
	}
	for name, o := range r.action.Outputs {
		job.outputs[name] = eval(o.Value)
	}
	b, err := os.ReadFile(summaryFile)
	if err != nil {
		t.Fatal(err)
	}
	job.summary = string(b)
	return job
}

func readLines(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(string(b), "\n") {
		if l != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

// readFileCommands reads a GITHUB_OUTPUT or GITHUB_ENV file: name=value
// lines, and name<<DELIMITER … DELIMITER blocks.
func readFileCommands(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	vals := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if name, delim, ok := strings.Cut(line, "<<"); ok && !strings.Contains(name, "=") {
			var body []string
			for sc.Scan() && sc.Text() != delim {
				body = append(body, sc.Text())
			}
			vals[name] = strings.Join(body, "\n")
			continue
		}
		if name, val, ok := strings.Cut(line, "="); ok {
			vals[name] = val
		} else if line != "" {
			t.Fatalf("%s: malformed line %q", path, line)
		}
	}
	return vals
}

// TestActionInputsAreDescribed: every input and output says what it is,
// and the inputs that are check flags are named as the flags are.
func TestActionInputsAreDescribed(t *testing.T) {
	a := readAction(t)
	for _, name := range []string{"paths", "request", "mode", "sync-limit", "header-only", "strict", "config", "baseline", "args", "version", "token"} {
		in, ok := a.Inputs[name]
		if !ok || in.Description == "" {
			t.Errorf("input %q missing or undescribed", name)
		}
	}
	for _, name := range []string{"rejected", "accepted", "report"} {
		if _, ok := a.Outputs[name]; !ok {
			t.Errorf("output %q missing", name)
		}
	}
}

func TestActionInstallsTheReleaseAndCachesIt(t *testing.T) {
	version, dir := snapshotRelease(t)
	rel := serveRelease(t, version, dir)
	r := newActionRunner(t)
	inputs := map[string]string{"download-url": rel.url}

	// uses: audiopreflight/audiopreflight@vVERSION runs that release.
	job := r.run("v"+version, inputs, "install")
	if job.failed != "" {
		t.Fatalf("install failed:\n%s", job.log)
	}
	installed := job.steps["install"]["path"]
	if job.outputs["version"] != version || !strings.HasPrefix(installed, r.toolCache) {
		t.Fatalf("outputs %v, install step %v\n%s", job.outputs, job.steps["install"], job.log)
	}
	out, err := exec.Command(installed, "version").CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "audiopreflight ") {
		t.Fatalf("the installed binary: %v\n%s", err, out)
	}
	if n := rel.downloaded(); n != 2 {
		t.Errorf("%d downloads, want 2 (the archive and checksums.txt): %v", n, rel.downloads)
	}

	// The next job on this runner takes it from the tool cache.
	job = r.run("v"+version, inputs, "install")
	if job.failed != "" || job.steps["install"]["path"] != installed || !strings.Contains(job.log, "from the tool cache") {
		t.Fatalf("second job: %v\n%s", job.steps["install"], job.log)
	}
	if n := rel.downloaded(); n != 2 {
		t.Errorf("the second job downloaded again: %v", rel.downloads)
	}
}

// The version: the input, else the Action's ref when it names a release,
// else the latest release (GitHub's /releases/latest redirect), said in a
// notice.
func TestActionVersion(t *testing.T) {
	version, dir := snapshotRelease(t)
	rel := serveRelease(t, version, dir)
	tests := []struct {
		ref, input string
		latest     bool
	}{
		{"v" + version, "", false},
		{"main", "", true},
		{"0123456789abcdef0123456789abcdef01234567", "", true},
		{"v1", "latest", true},
		{"v9.9.9", version, false},
		{"v9.9.9", "v" + version, false},
	}
	for _, tt := range tests {
		r := newActionRunner(t)
		job := r.run(tt.ref, map[string]string{"version": tt.input, "download-url": rel.url}, "install")
		if job.failed != "" || job.outputs["version"] != version {
			t.Errorf("ref %q, version %q: failed %q, outputs %v\n%s", tt.ref, tt.input, job.failed, job.outputs, job.log)
		}
		if notice := strings.Contains(job.log, "::notice title=audiopreflight::using the latest release, v"+version); notice != tt.latest {
			t.Errorf("ref %q, version %q: latest-release notice %v, want %v\n%s", tt.ref, tt.input, notice, tt.latest, job.log)
		}
	}
}

// Nothing unverified is run or kept: an archive that does not match
// checksums.txt, or that checksums.txt does not list, stops the job with an
// error annotation, and the tool cache holds nothing for that version.
func TestActionRefusesWhatChecksumsDoNotVouchFor(t *testing.T) {
	version, good := snapshotRelease(t)
	archive := goreleaserArchiveName(t, version, runtime.GOOS, runtime.GOARCH)
	b, err := os.ReadFile(filepath.Join(good, archive))
	if err != nil {
		t.Fatal(err)
	}
	sums, err := os.ReadFile(filepath.Join(good, "checksums.txt"))
	if err != nil {
		t.Fatal(err)
	}
	tampered := t.TempDir()
	write(t, filepath.Join(tampered, archive), append(b, 0))
	write(t, filepath.Join(tampered, "checksums.txt"), sums)
	unlisted := t.TempDir()
	write(t, filepath.Join(unlisted, archive), b)
	write(t, filepath.Join(unlisted, "checksums.txt"), []byte(strings.Split(string(sums), "\n")[0]+"\n"))

	for _, tt := range []struct{ dir, want string }{
		{tampered, archive + " does not match checksums.txt"},
		{unlisted, "checksums.txt of " + version + " does not list " + archive},
	} {
		rel := serveRelease(t, version, tt.dir)
		r := newActionRunner(t)
		job := r.run("v"+version, map[string]string{"download-url": rel.url}, "install")
		if job.failed != "install" || !strings.Contains(job.log, "::error title=audiopreflight::"+tt.want) {
			t.Errorf("want the install step to fail with %q:\n%s", tt.want, job.log)
		}
		left, _ := filepath.Glob(filepath.Join(r.toolCache, "audiopreflight", version, "*"))
		if len(left) > 0 {
			t.Errorf("left in the tool cache: %v", left)
		}
	}
}

func TestActionInstallErrors(t *testing.T) {
	version, dir := snapshotRelease(t)
	rel := serveRelease(t, version, dir)
	tests := []struct {
		inputs map[string]string
		env    map[string]string
		want   string
	}{
		{map[string]string{"version": "1.2"}, nil, `version "1.2" is not a release version`},
		{map[string]string{"version": "9.9.9"}, nil, "cannot download " + rel.url + "/download/v9.9.9/"},
		{nil, map[string]string{"RUNNER_ARCH": "ARM"}, `runner architecture "ARM" has no audiopreflight release`},
		{nil, map[string]string{"RUNNER_OS": "Plan9"}, `runner OS "Plan9" has no audiopreflight release`},
	}
	for _, tt := range tests {
		r := newActionRunner(t)
		for k, v := range tt.env {
			r.env[k] = v
		}
		inputs := map[string]string{"download-url": rel.url}
		for k, v := range tt.inputs {
			inputs[k] = v
		}
		job := r.run("v"+version, inputs, "install")
		if job.failed != "install" || !strings.Contains(job.log, "::error title=audiopreflight::"+tt.want) {
			t.Errorf("%v %v: want the install step to fail with %q:\n%s", tt.inputs, tt.env, tt.want, job.log)
		}
	}
}

// A team's job: the Action checks the workspace's recordings, annotates
// the rejected file, writes the step summary and the JSON report, sets
// its outputs and fails the step; with last week's report as baseline the
// same run passes; the token is masked and checked.
func TestActionChecksTheWorkspace(t *testing.T) {
	version, dir := snapshotRelease(t)
	rel := serveRelease(t, version, dir)
	r := newActionRunner(t)
	for name, sample := range map[string]string{"takes/take one.wav": "hello-16k-mono.wav", "takes/stereo.flac": "hello-44k-stereo.flac"} {
		b, err := os.ReadFile(filepath.Join(samples, sample))
		if err != nil {
			t.Fatal(err)
		}
		write(t, filepath.Join(r.workspace, name), b)
	}
	write(t, filepath.Join(r.workspace, ".git", "HEAD"), []byte("ref: refs/heads/main\n"))
	inputs := map[string]string{"download-url": rel.url, "paths": "takes/take one.wav\n  takes/stereo.flac  \n"}

	job := r.run("v"+version, inputs)
	if job.failed != "check" {
		t.Fatalf("the check step passed, or another failed (%q):\n%s", job.failed, job.log)
	}
	want := map[string]string{"rejected": "1", "accepted": "1", "ignored": "0", "errors": "0", "exit-code": "1", "version": version}
	for k, v := range want {
		if job.outputs[k] != v {
			t.Errorf("output %s = %q, want %q (%v)", k, job.outputs[k], v, job.outputs)
		}
	}
	report := job.outputs["report"]
	if b, err := os.ReadFile(report); err != nil || !strings.HasPrefix(report, job.temp) || !strings.Contains(string(b), `"input": "takes/stereo.flac"`) {
		t.Errorf("report %q: %v", report, err)
	}
	if !strings.Contains(job.log, "::error file=takes/stereo.flac,title=InvalidAudioFormat::takes/stereo.flac: Only 16 kHz mono WAV") {
		t.Errorf("no annotation on the rejected file:\n%s", job.log)
	}
	if !strings.HasPrefix(job.summary, "## ❌ audiopreflight: the API would reject 1 of 2 inputs") ||
		!strings.Contains(job.summary, "| takes/stereo.flac | `InvalidAudioFormat` |") {
		t.Errorf("step summary:\n%s", job.summary)
	}

	// Last week's report as the baseline: the known rejection passes.
	b, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(r.workspace, "last-week.json"), b)
	job = r.run("v"+version, map[string]string{"download-url": rel.url, "paths": "takes/", "baseline": "last-week.json"})
	if job.failed != "" || job.outputs["rejected"] != "0" || job.outputs["ignored"] != "1" || job.outputs["exit-code"] != "0" {
		t.Errorf("with the baseline: failed %q, outputs %v\n%s", job.failed, job.outputs, job.log)
	}

	// The token is masked, and its header checked.
	const token = "tok_3f9a8b7c6d5e4f3a2b1c"
	job = r.run("v"+version, map[string]string{"download-url": rel.url, "paths": "takes/take one.wav", "token": token})
	if job.failed != "" || !strings.Contains(job.log, "::add-mask::"+token) || strings.Count(job.log, token) != 1 {
		t.Errorf("with a token: failed %q\n%s", job.failed, job.log)
	}
	job = r.run("v"+version, map[string]string{"download-url": rel.url, "paths": "takes/take one.wav", "token": "Bearer Bearer " + token, "request": "scripted"})
	if job.failed != "check" || !strings.Contains(job.log, "InvalidHeaderParameter") {
		t.Errorf("a doubled scheme: failed %q\n%s", job.failed, job.log)
	}

	// Inputs are check's flags, with check's own messages.
	for _, tt := range []struct {
		inputs map[string]string
		want   string
	}{
		{map[string]string{"strict": "maybe"}, `::error title=audiopreflight::input strict must be true or false, got "maybe"`},
		{map[string]string{"mode": "later"}, `invalid --mode "later": must be one of sync, async`},
		{map[string]string{"header-only": "TRUE", "args": "--request scripted --jobs 1"}, ""},
	} {
		in := map[string]string{"download-url": rel.url, "paths": "takes/take one.wav"}
		for k, v := range tt.inputs {
			in[k] = v
		}
		job := r.run("v"+version, in)
		if tt.want == "" {
			if job.failed != "" {
				t.Errorf("%v: failed:\n%s", tt.inputs, job.log)
			}
			continue
		}
		if job.failed != "check" || job.outputs["exit-code"] != "2" && !strings.Contains(tt.want, "::error") || !strings.Contains(job.log, tt.want) {
			t.Errorf("%v: failed %q, outputs %v, want %q:\n%s", tt.inputs, job.failed, job.outputs, tt.want, job.log)
		}
	}
}
