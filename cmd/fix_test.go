package cmd

import (
	"bufio"
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/oggmux"
	"github.com/audiopreflight/audiopreflight/internal/report"
)

const fixCorpus = "../testdata/corpus/fix"

// copyInto copies files into a new temporary directory and returns it.
func copyInto(t *testing.T, files ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// listDir is the names and contents of a directory's files.
func listDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		out[e.Name()] = string(b)
	}
	return out
}

// fixResults runs fix with -o jsonl and decodes its lines.
func fixResults(t *testing.T, env map[string]string, stdin string, args ...string) (int, []fixLine, string) {
	t.Helper()
	code, out, stderr := run(t, env, stdin, append([]string{"fix", "-o", "jsonl"}, args...)...)
	var lines []fixLine
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if l == "" {
			continue
		}
		var r fixLine
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("%v: %s", err, l)
		}
		lines = append(lines, r)
	}
	return code, lines, stderr
}

type fixLine struct {
	Input    string           `json:"input"`
	Status   report.FixStatus `json:"status"`
	Method   string           `json:"method"`
	Lossless bool             `json:"lossless"`
	Steps    []string         `json:"steps"`
	Notes    []string         `json:"notes"`
	Output   string           `json:"output"`
	Backup   string           `json:"backup"`
	Reason   string           `json:"reason"`
	Command  string           `json:"command"`
	Error    string           `json:"error"`
	Before   *struct {
		Status    string `json:"status"`
		Exception *struct {
			Name string `json:"name"`
		} `json:"exception"`
	} `json:"before"`
	After *struct {
		Input  string `json:"input"`
		Status string `json:"status"`
		Audio  *struct {
			SampleRate int     `json:"sample_rate"`
			Channels   int     `json:"channels"`
			Frames     int64   `json:"frames"`
			Duration   float64 `json:"duration_seconds"`
		} `json:"audio"`
	} `json:"after"`
}

func TestFixUsageErrors(t *testing.T) {
	ok := samples + "/hello-16k-mono.wav"
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"fix"}, "give at least one INPUT"},
		{[]string{"fix", "--in-place", "-O", t.TempDir(), ok}, "--in-place and --output-dir exclude each other"},
		{[]string{"fix", "--in-place", "--suffix", "-x", ok}, "--in-place and --suffix exclude each other"},
		{[]string{"fix", "--no-backup", ok}, "--no-backup is for --in-place"},
		{[]string{"fix", "--suffix", "a/b", ok}, "holds a path separator"},
		{[]string{"fix", "-"}, "standard input has no directory to write the fixed file in: give -O DIR"},
		{[]string{"fix", "https://example.com/a.mp3"}, "a URL has no directory"},
		{[]string{"fix", "--format", "mp3", ok}, "invalid --format"},
		{[]string{"fix", "--max-duration", "0", ok}, "must be more than 0"},
		{[]string{"fix", "--ffmpeg", "/no/such/ffmpeg", ok}, "--ffmpeg /no/such/ffmpeg"},
		{[]string{"fix", "-o", "github", ok}, "invalid --output"},
	}
	for _, tt := range tests {
		code, out, stderr := run(t, nil, "", tt.args...)
		if code != ExitError || out != "" || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want %q", tt.args, code, out, stderr, tt.want)
		}
	}
	// A variable yields to a flag typed on the command line.
	dir := copyInto(t, samples+"/hello.mp3")
	out := t.TempDir()
	code, lines, stderr := fixResults(t, map[string]string{"AUDIOPREFLIGHT_IN_PLACE": "1", "AUDIOPREFLIGHT_NO_BACKUP": "1"}, "", "-O", out, dir)
	if code != 0 || len(lines) != 1 || lines[0].Output != filepath.Join(out, "hello-16k.wav") {
		t.Errorf("AUDIOPREFLIGHT_IN_PLACE with -O: exit %d %s %+v", code, stderr, lines)
	}
}

// TestFixWritesNextToTheInput: each rejected input gets NAME-16k.EXT
// beside it, accepted by check; accepted inputs and the inputs themselves
// are left alone.
func TestFixWritesNextToTheInput(t *testing.T) {
	dir := copyInto(t, samples+"/hello-44k-stereo.flac", samples+"/hello.mp3", samples+"/hello-16k-mono.wav",
		fixCorpus+"/in/opusenc-48k-stereo.opus", fixCorpus+"/in/chrome-stereo.webm", fixCorpus+"/in/stream-sizes-0.wav")
	before := listDir(t, dir)
	code, lines, stderr := fixResults(t, nil, "", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s %+v", code, stderr, lines)
	}
	want := map[string]struct {
		status report.FixStatus
		method string
		output string
	}{
		"hello-44k-stereo.flac":   {report.FixFixed, "decode", "hello-44k-stereo-16k.wav"},
		"hello.mp3":               {report.FixFixed, "decode", "hello-16k.wav"},
		"hello-16k-mono.wav":      {report.FixAccepted, "", ""},
		"opusenc-48k-stereo.opus": {report.FixFixed, "opus-header", "opusenc-48k-stereo-16k.opus"},
		"chrome-stereo.webm":      {report.FixFixed, "opus-remux", "chrome-stereo-16k.opus"},
		"stream-sizes-0.wav":      {report.FixFixed, "wav-header", "stream-sizes-0-16k.wav"},
	}
	after := listDir(t, dir)
	for _, r := range lines {
		w := want[filepath.Base(r.Input)]
		if r.Status != w.status || r.Method != w.method || filepath.Base(r.Output) != w.output && w.output != "" {
			t.Errorf("%s: %s %s %s; want %+v", r.Input, r.Status, r.Method, r.Output, w)
		}
		if r.Status != report.FixFixed {
			continue
		}
		if r.After == nil || r.After.Status != "accepted" || r.After.Input != r.Output || r.After.Audio.SampleRate != 16000 || r.After.Audio.Channels != 1 {
			t.Errorf("%s: after %+v", r.Input, r.After)
		}
		if r.Lossless != (r.Method != "decode") || r.Before.Exception == nil || len(r.Steps) == 0 {
			t.Errorf("%s: %+v", r.Input, r)
		}
		if _, ok := after[w.output]; !ok || filepath.Dir(r.Output) != dir {
			t.Errorf("%s: no %s in %s", r.Input, r.Output, dir)
		}
	}
	for name, b := range before {
		if after[name] != b {
			t.Errorf("%s changed", name)
		}
	}
	if len(after) != len(before)+5 {
		t.Errorf("%d files after, %d before", len(after), len(before))
	}
	// A second run finds every fixed file there: nothing is overwritten.
	code, lines, _ = fixResults(t, nil, "", dir+"/hello.mp3")
	if code != ExitRejected || lines[0].Status != report.FixNotFixed || !strings.Contains(lines[0].Reason, "hello-16k.wav exists, and fix never overwrites a file") {
		t.Errorf("second run: exit %d %+v", code, lines)
	}
	if listDir(t, dir)["hello-16k.wav"] != after["hello-16k.wav"] {
		t.Error("the existing file changed")
	}
}

// TestFixTwoInputsOneName: two inputs whose fixed files would share a
// name: the first is written, the second refused with the reason.
func TestFixTwoInputsOneName(t *testing.T) {
	dir := copyInto(t, samples+"/hello.mp3", samples+"/hello-44k-stereo.flac")
	if err := os.Rename(filepath.Join(dir, "hello-44k-stereo.flac"), filepath.Join(dir, "hello.flac")); err != nil {
		t.Fatal(err)
	}
	code, lines, _ := fixResults(t, nil, "", filepath.Join(dir, "hello.flac"), filepath.Join(dir, "hello.mp3"))
	if code != ExitRejected || lines[0].Status != report.FixFixed || lines[1].Status != report.FixNotFixed ||
		!strings.Contains(lines[1].Reason, "is the fixed file of "+filepath.Join(dir, "hello.flac")+", an earlier input of this run") {
		t.Errorf("exit %d %+v", code, lines)
	}
	code, lines, _ = fixResults(t, nil, "", "--suffix", "-b", filepath.Join(dir, "hello.mp3"))
	if code != 0 || filepath.Base(lines[0].Output) != "hello-b.wav" {
		t.Errorf("--suffix: exit %d %+v", code, lines)
	}
}

// TestFixInPlace: the fixed file takes the input's place (its name when
// the kind of file is the same, else the new extension), the original is
// kept as NAME.orig with its bytes, the file's permissions are kept, and
// an existing backup is never overwritten.
func TestFixInPlace(t *testing.T) {
	dir := copyInto(t, fixCorpus+"/in/stream-sizes-0.wav", samples+"/hello.mp3", fixCorpus+"/in/chrome-mono.webm")
	wavPath := filepath.Join(dir, "stream-sizes-0.wav")
	if err := os.Chmod(wavPath, 0o600); err != nil {
		t.Fatal(err)
	}
	before := listDir(t, dir)
	code, lines, stderr := fixResults(t, nil, "", "--in-place", dir)
	if code != 0 {
		t.Fatalf("exit %d %s %+v", code, stderr, lines)
	}
	after := listDir(t, dir)
	wantNames := []string{"chrome-mono.opus", "chrome-mono.webm.orig", "hello.mp3.orig", "hello.wav", "stream-sizes-0.wav", "stream-sizes-0.wav.orig"}
	var names []string
	for n := range after {
		names = append(names, n)
	}
	slices.Sort(names)
	if !slices.Equal(names, wantNames) {
		t.Fatalf("files %v, want %v", names, wantNames)
	}
	for _, n := range []string{"stream-sizes-0.wav", "hello.mp3", "chrome-mono.webm"} {
		if after[n+".orig"] != before[n] {
			t.Errorf("%s.orig is not the original", n)
		}
	}
	if after["stream-sizes-0.wav"] == before["stream-sizes-0.wav"] {
		t.Error("stream-sizes-0.wav was not replaced")
	}
	if st, _ := os.Stat(wavPath); st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", st.Mode())
	}
	for _, r := range lines {
		if r.Backup != filepath.Join(dir, filepath.Base(r.Input))+".orig" {
			t.Errorf("%s: backup %q", r.Input, r.Backup)
		}
	}

	// A backup already there: refused, and nothing changes.
	if err := os.WriteFile(filepath.Join(dir, "x.mp3"), []byte(before["hello.mp3"]), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "x.mp3.orig"), []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	snapshot := listDir(t, dir)
	code, lines, _ = fixResults(t, nil, "", "--in-place", filepath.Join(dir, "x.mp3"))
	if code != ExitRejected || !strings.Contains(lines[0].Reason, "x.mp3.orig exists: fix keeps one backup and never overwrites it") {
		t.Errorf("exit %d %+v", code, lines)
	}
	if !mapsEqual(listDir(t, dir), snapshot) {
		t.Error("the directory changed")
	}
	// --no-backup: the input is replaced, no backup kept.
	code, lines, _ = fixResults(t, nil, "", "--in-place", "--no-backup", filepath.Join(dir, "x.mp3"))
	final := listDir(t, dir)
	if _, gone := final["x.mp3"]; code != 0 || gone || final["x.mp3.orig"] != "keep me" || final["x.wav"] == "" || lines[0].Backup != "" {
		t.Errorf("--no-backup: exit %d %+v", code, lines)
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestFixDryRunWritesNothing: --dry-run says what would be done and where,
// and the directory is as it was.
func TestFixDryRunWritesNothing(t *testing.T) {
	dir := copyInto(t, samples+"/hello.mp3", fixCorpus+"/in/chrome-stereo.webm", samples+"/hello-16k-mono.wav")
	before := listDir(t, dir)
	for _, extra := range [][]string{nil, {"--in-place"}, {"-O", filepath.Join(dir, "out")}} {
		code, lines, stderr := fixResults(t, nil, "", append(append([]string{"--dry-run"}, extra...), dir)...)
		if code != 0 || len(lines) != 3 {
			t.Fatalf("%v: exit %d %s %+v", extra, code, stderr, lines)
		}
		for _, r := range lines {
			if r.Status == report.FixAccepted {
				continue
			}
			if r.Status != report.FixPlanned || r.Output == "" || len(r.Steps) == 0 || r.After != nil {
				t.Errorf("%v %s: %+v", extra, r.Input, r)
			}
		}
		if !mapsEqual(listDir(t, dir), before) {
			t.Errorf("%v: the directory changed", extra)
		}
	}
	_, out, _ := run(t, nil, "", "fix", "--dry-run", dir)
	if !strings.Contains(out, "would be fixed (dry run)") || !strings.Contains(out, "2 would be fixed, 1 accepted as they are, 0 not fixed (unscripted, sync, dry run") {
		t.Errorf("text:\n%s", out)
	}
}

// TestFixLosslessKeepsEveryPacket: the Opus packets of the files fix
// writes are the input's, byte for byte, in order, as ffmpeg's demuxers
// read the inputs (the fix corpus's ref/*.framemd5).
func TestFixLosslessKeepsEveryPacket(t *testing.T) {
	refs, _ := filepath.Glob(fixCorpus + "/ref/*.framemd5")
	if len(refs) < 10 {
		t.Fatalf("%d references", len(refs))
	}
	var lines []fixLine
	for _, ref := range refs {
		// one run each: a.webm and a.mkv would both be a-16k.opus
		in := filepath.Join(fixCorpus, "in", strings.TrimSuffix(filepath.Base(ref), ".framemd5"))
		code, l, stderr := fixResults(t, nil, "", "-O", t.TempDir(), in)
		if code != 0 {
			t.Fatalf("%s: exit %d %s %+v", in, code, stderr, l)
		}
		lines = append(lines, l...)
	}
	for i, r := range lines {
		if !r.Lossless || !strings.HasPrefix(r.Method, "opus-") {
			t.Errorf("%s: method %q", r.Input, r.Method)
			continue
		}
		b, err := os.ReadFile(r.Output)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		pk := oggmux.NewPacketReader(bytes.NewReader(b), int64(len(b)))
		for n := 0; ; n++ {
			p, err := pk.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", r.Output, err)
			}
			if n >= 2 {
				sum := md5.Sum(p.Data)
				got = append(got, fmt.Sprintf("%d %s", len(p.Data), hex.EncodeToString(sum[:])))
			}
		}
		if want := frameMD5(t, refs[i]); !slices.Equal(got, want) {
			t.Errorf("%s: %d packets out, %d in, or different", r.Input, len(got), len(want))
		}
	}
}

// frameMD5 reads ffmpeg's framemd5 lines as "size hash".
func frameMD5(t *testing.T, path string) []string {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Split(sc.Text(), ",")
		if len(fields) >= 6 && !strings.HasPrefix(fields[0], "#") {
			out = append(out, strings.TrimSpace(fields[4])+" "+strings.TrimSpace(fields[5]))
		}
	}
	return out
}

// TestFixWithoutFFmpeg: audio the tool does not decode is not fixed when
// there is no ffmpeg; the result names the command that would fix it.
func TestFixWithoutFFmpeg(t *testing.T) {
	dir := copyInto(t, samples+"/hello.m4a")
	in := filepath.Join(dir, "hello.m4a")
	code, lines, _ := fixResults(t, nil, "", "--ffmpeg", "none", in)
	out := filepath.Join(dir, "hello-16k.wav")
	want := "ffmpeg -i " + in + " -map 0:a:0 -ar 16000 -ac 1 -c:a pcm_s16le " + out + " && audiopreflight check " + out
	if code != ExitRejected || lines[0].Status != report.FixNotFixed || lines[0].Command != want ||
		lines[0].Reason != "the tool does not decode m4a; ffmpeg would convert it (--ffmpeg none)" || lines[0].Output != "" {
		t.Errorf("exit %d %+v", code, lines)
	}
	// not on PATH
	t.Setenv("PATH", t.TempDir())
	code, lines, _ = fixResults(t, nil, "", in)
	if code != ExitRejected || !strings.HasSuffix(lines[0].Reason, "ffmpeg would convert it, and it is not on PATH") || lines[0].Command != want {
		t.Errorf("exit %d %+v", code, lines)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a file was written")
	}
}

// needFFmpeg skips a test without ffmpeg, except under CI.
func needFFmpeg(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("ffmpeg not on PATH: CI must have it")
		}
		t.Skip("ffmpeg not on PATH")
	}
}

// TestFixWithFFmpeg: a phone's M4A (AAC) goes through ffmpeg and comes
// out accepted; so does an MP3 go-mp3 misreads, with the reason; and a
// damaged FLAC the tool's decoder stops in.
func TestFixWithFFmpeg(t *testing.T) {
	needFFmpeg(t)
	dir := copyInto(t, samples+"/hello.m4a", "../internal/pcm/testdata/no-mp3-22k-32k.mp3", samples+"/cut-short.flac")
	code, lines, stderr := fixResults(t, nil, "", dir)
	if code != 0 || len(lines) != 3 {
		t.Fatalf("exit %d %s %+v", code, stderr, lines)
	}
	why := map[string]string{
		"hello.m4a":          "the tool does not decode m4a",
		"no-mp3-22k-32k.mp3": "go-mp3 misreads the size of the padded frame",
		"cut-short.flac":     "the tool's decoder stops",
	}
	for _, r := range lines {
		if r.Status != report.FixFixed || r.Method != "ffmpeg" || r.After == nil || r.After.Status != "accepted" ||
			!strings.Contains(r.Steps[0], why[filepath.Base(r.Input)]) || !strings.Contains(r.Steps[0], "decode with ffmpeg (") {
			t.Errorf("%s: %+v", r.Input, r)
		}
	}
	// the M4A lasts what it lasts (1.2 s, and AAC's priming adds less
	// than 20 ms)
	for _, r := range lines {
		if filepath.Base(r.Input) == "hello.m4a" && (r.After.Audio.Duration < 1.19 || r.After.Audio.Duration > 1.22) {
			t.Errorf("m4a: %.3f s", r.After.Audio.Duration)
		}
	}
}

// TestFixFromStandardInput: standard input is fixed into -O DIR as
// stdin-16k.EXT.
func TestFixFromStandardInput(t *testing.T) {
	b, err := os.ReadFile(samples + "/hello-44k-stereo.flac")
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	code, lines, stderr := fixResults(t, nil, string(b), "-O", out, "--format", "flac", "-")
	if code != 0 || lines[0].Output != filepath.Join(out, "stdin-16k.flac") || lines[0].After.Status != "accepted" {
		t.Errorf("exit %d %s %+v", code, stderr, lines)
	}
}

// TestFixNotFixedSaysWhy: inputs with nothing to fix, or too big for sync
// even as FLAC, exit 1 with the reason; an unreadable input is counted
// with them.
func TestFixNotFixedSaysWhy(t *testing.T) {
	dir := copyInto(t, samples+"/empty.wav", samples+"/no-audio.wav", samples+"/hello-44k-stereo.flac")
	code, lines, _ := fixResults(t, nil, "", "--sync-limit", "20000", filepath.Join(dir, "empty.wav"), filepath.Join(dir, "no-audio.wav"),
		filepath.Join(dir, "hello-44k-stereo.flac"), filepath.Join(dir, "missing.wav"))
	reasons := []string{"the input is empty", "the input holds no audio", "too big for sync mode even as 16 kHz mono FLAC", ""}
	if code != ExitRejected || len(lines) != 4 {
		t.Fatalf("exit %d %+v", code, lines)
	}
	for i, r := range lines[:3] {
		if r.Status != report.FixNotFixed || !strings.Contains(r.Reason, reasons[i]) || r.Output != "" {
			t.Errorf("%s: %+v", r.Input, r)
		}
	}
	if lines[3].Status != report.FixError || lines[3].Error != "no such file or directory" {
		t.Errorf("missing: %+v", lines[3])
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 3 {
		t.Errorf("%d files: a temporary or rejected file was left", len(entries))
	}
	// async mode has no limit
	if code, lines, _ = fixResults(t, nil, "", "--sync-limit", "20000", "--mode", "async", filepath.Join(dir, "hello-44k-stereo.flac")); code != 0 {
		t.Errorf("async: exit %d %+v", code, lines)
	}
}

// aiff16k is a 16 kHz mono 16-bit AIFF of the given samples.
func aiff16k(samples []int16) []byte {
	be := func(b []byte, v uint32) []byte { return append(b, byte(v>>24), byte(v>>16), byte(v>>8), byte(v)) }
	comm := []byte{0, 1}
	comm = be(comm, uint32(len(samples)))
	comm = append(comm, 0, 16, 0x40, 0x0C, 0xFA, 0, 0, 0, 0, 0, 0, 0) // 16000 as an 80-bit float
	ssnd := be(be(nil, 0), 0)
	for _, s := range samples {
		ssnd = append(ssnd, byte(uint16(s)>>8), byte(s))
	}
	body := append([]byte("AIFF"), "COMM"...)
	body = be(body, uint32(len(comm)))
	body = append(body, comm...)
	body = append(body, "SSND"...)
	body = be(body, uint32(len(ssnd)))
	body = append(body, ssnd...)
	return append(be([]byte("FORM"), uint32(len(body))), body...)
}

// TestFixWAVRefusedBecomesFLAC: 16 kHz mono audio whose first samples
// spell "OggS" is copied as it is, and the API's reader refuses a WAV whose
// audio starts with another format's signature: the fixed file is FLAC,
// and the result says why.
func TestFixWAVRefusedBecomesFLAC(t *testing.T) {
	pcm := make([]int16, 16000)
	pcm[0], pcm[1] = 0x674F, 0x5367 // "OggS", little-endian
	for i := 2; i < len(pcm); i++ {
		pcm[i] = int16((i * 37) % 2000)
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "oggs.aiff")
	if err := os.WriteFile(in, aiff16k(pcm), 0o644); err != nil {
		t.Fatal(err)
	}
	code, lines, stderr := fixResults(t, nil, "", "--ffmpeg", "none", in)
	if code != 0 || len(lines) != 1 {
		t.Fatalf("exit %d %s %+v", code, stderr, lines)
	}
	r := lines[0]
	if r.Output != filepath.Join(dir, "oggs-16k.flac") || r.After.Status != "accepted" || len(r.Notes) != 1 ||
		!strings.Contains(r.Notes[0], "written as FLAC: the API's reader refuses this audio as WAV") {
		t.Errorf("%+v", r)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("%d files", len(entries))
	}
	// asked for WAV: not fixed, with the reason
	code, lines, _ = fixResults(t, nil, "", "--ffmpeg", "none", "--format", "wav", "--suffix", "-w", in)
	if code != ExitRejected || !strings.Contains(lines[0].Reason, "check would still reject the fixed file (FailedToParseAudioHeader") {
		t.Errorf("--format wav: exit %d %+v", code, lines)
	}
}
