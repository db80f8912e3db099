// The browser tests drive Chromium from the machine that runs them: they
// do not build for js/wasm, where chromedp cannot start a process.

//go:build !js

package web_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"github.com/audiopreflight/audiopreflight/cmd"
	"github.com/audiopreflight/audiopreflight/internal/oracle"
)

// chromium finds the browser: $AUDIOPREFLIGHT_CHROMIUM, else chromium or
// Chrome on PATH. Without one the browser tests skip, or fail under CI.
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("AUDIOPREFLIGHT_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := "no chromium: apt-get install chromium (or set AUDIOPREFLIGHT_CHROMIUM) for the browser tests"
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// artifacts is where the tests leave what people look at (the demo page's
// screenshot, the measured numbers): $AUDIOPREFLIGHT_ARTIFACTS, else a new
// temporary directory that is kept and named in the log.
func artifacts(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("AUDIOPREFLIGHT_ARTIFACTS")
	if dir == "" {
		d, err := os.MkdirTemp("", "audiopreflight-web-")
		if err != nil {
			t.Fatal(err)
		}
		dir = d
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// built is the output of scripts/build-web.sh, made once for the tests
// and removed by TestMain.
var (
	builtDir string
	build    = sync.OnceValues(func() (string, error) {
		dir, err := os.MkdirTemp("", "audiopreflight-build-web-")
		if err != nil {
			return "", err
		}
		builtDir = dir
		out, err := exec.Command("bash", "scripts/build-web.sh", dir).CombinedOutput()
		if err != nil {
			return "", fmt.Errorf("scripts/build-web.sh: %v\n%s", err, out)
		}
		return string(bytes.TrimSpace(out)), nil
	})
)

func TestMain(m *testing.M) {
	code := m.Run()
	if builtDir != "" {
		os.RemoveAll(builtDir)
	}
	os.Exit(code)
}

// served records the paths the site was asked for.
var served sync.Map

// site builds the module with scripts/build-web.sh (once) and serves it,
// with the repository's testdata under /testdata/, on loopback. The
// working directory must be the repository's root.
func site(t *testing.T) (url string) {
	t.Helper()
	out, err := build()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s", out)
	built := builtDir
	mux := http.NewServeMux()
	files := http.FileServer(http.Dir(built))
	mux.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		served.Store(r.URL.Path, true)
		files.ServeHTTP(w, r)
	}))
	mux.Handle("/testdata/", http.StripPrefix("/testdata/", http.FileServer(http.Dir("testdata"))))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL
}

// browser starts headless Chromium with a fresh profile and nothing of its
// own on the network, and opens a tab.
func browser(t *testing.T, path string) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1000, 900),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc, chromedp.WithLogf(t.Logf))
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		t.Fatalf("starting %s: %v", path, err)
	}
	return ctx
}

// job is one check: an input and the options, as check's flags and as the
// module's options.
type job struct {
	flags   []string
	options map[string]any
	names   []string
}

// jobs are the checks the browser must answer as the CLI does: every input
// of the committed corpus and of the samples (base64 text as the bytes it
// is: the module has no base64 option), with each request type, and the
// samples, the check family and the browser captures with every other
// option.
func jobs(t *testing.T) []job {
	t.Helper()
	dirs, err := filepath.Glob("testdata/corpus/*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no corpus: %v", err)
	}
	dirs = append(dirs, "testdata/samples")
	captures, _ := filepath.Glob("testdata/mediarecorder/*.webm")
	var out []job
	add := func(flags []string, options map[string]any, names []string) {
		out = append(out, job{flags, options, names})
	}
	for _, dir := range dirs {
		var names []string
		for _, v := range oracle.MustLoad(t, filepath.Join(dir, "expected-unscripted.jsonl")) {
			names = append(names, filepath.ToSlash(filepath.Join(dir, v.Input)))
		}
		if filepath.Base(dir) == "samples" {
			names = append(names, captures...)
		}
		add([]string{"--request", "unscripted"}, map[string]any{"request": "unscripted"}, names)
		add([]string{"--request", "scripted"}, map[string]any{"request": "scripted"}, names)
		if b := filepath.Base(dir); b == "samples" || b == "check" {
			add(nil, map[string]any{}, names)
			add([]string{"--sync-limit", "4096"}, map[string]any{"syncLimit": 4096}, names)
			add([]string{"--mode", "async", "--sync-limit", "4096"}, map[string]any{"mode": "async", "syncLimit": 4096}, names)
			add([]string{"--header-only", "--request", "scripted"}, map[string]any{"headerOnly": true, "request": "scripted"}, names)
		}
	}
	return out
}

// cli is what `audiopreflight check -o jsonl` prints for the job, parsed.
func cli(t *testing.T, j job) []any {
	t.Helper()
	var stdout, stderr bytes.Buffer
	args := append([]string{"check", "-o", "jsonl", "--quiet=false"}, j.flags...)
	args = append(append(args, "--"), j.names...)
	if code := cmd.Execute(args, strings.NewReader(""), &stdout, &stderr); code != 0 && code != 1 {
		t.Fatalf("check %v: exit %d: %s", j.flags, code, stderr.String())
	}
	var lines []any
	dec := json.NewDecoder(&stdout)
	for dec.More() {
		var v any
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, v)
	}
	if len(lines) != len(j.names) {
		t.Fatalf("check %v: %d lines for %d inputs", j.flags, len(lines), len(j.names))
	}
	return lines
}

// checkAll is the page's side of a job: fetch each input, check it with
// the module's check(bytes, options) and hand back the results, as JSON.
const checkAll = `(async (names, options) => {
  const out = [];
  for (const name of names) {
    const r = await fetch("/" + name.split("/").map(encodeURIComponent).join("/"));
    if (!r.ok) throw new Error(name + ": HTTP " + r.status);
    const bytes = new Uint8Array(await r.arrayBuffer());
    try {
      out.push(window.ap.check(bytes, {...options, name}));
    } catch (e) {
      out.push({thrown: String(e)});
    }
  }
  return JSON.stringify(out);
})`

// TestBrowserChecksAsTheCLIDoes loads the built module in Chromium and
// checks the corpus with it: every result must be the object that the
// CLI's `check -o jsonl` line for the same file and options parses to. No
// field is left out of the comparison: a JSONL line has nothing that may
// differ between two runs (no time, no path but the input's name, which
// the test gives the browser as the CLI has it).
func TestBrowserChecksAsTheCLIDoes(t *testing.T) {
	path := chromium(t)
	t.Chdir("..")
	url := site(t)
	ctx := browser(t, path)
	art := artifacts(t)

	if err := chromedp.Do(ctx, chromedp.Navigate(url+"/index.html")); err != nil {
		t.Fatal(err)
	}
	loadMS, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`(async () => {
	  const start = performance.now();
	  const { load } = await import("/audiopreflight.js");
	  window.ap = await load();
	  return performance.now() - start;
	})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("loading the module: %v", err)
	}

	t.Run("arguments", func(t *testing.T) {
		// Bad arguments throw a TypeError that says what is wrong, and
		// leave the module working; an ArrayBuffer is taken as its bytes.
		got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(async () => {
		  const bytes = new Uint8Array(await (await fetch("/testdata/samples/hello-16k-mono.wav")).arrayBuffer());
		  const out = [];
		  for (const call of [
		    () => window.ap.check("RIFF"),
		    () => window.ap.check(bytes, "scripted"),
		    () => window.ap.check(bytes, {request: "Scripted"}),
		    () => window.ap.check(bytes, {syncLimit: Infinity}),
		    () => window.ap.check(bytes, {sync_limit: 5}),
		    () => window.ap.check(bytes, {headerOnly: 1}),
		  ]) {
		    try { call(); out.push("no error"); } catch (e) { out.push(e.constructor.name + ": " + e.message); }
		  }
		  out.push(window.ap.check(bytes.buffer, {name: "a.wav"}).status);
		  return out;
		})()`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		want := []string{
			"TypeError: audiopreflight check: bytes must be a Uint8Array or an ArrayBuffer",
			"TypeError: audiopreflight check: options must be an object",
			`TypeError: audiopreflight check: request must be "unscripted" or "scripted", not "Scripted"`,
			"TypeError: audiopreflight check: syncLimit must be a whole number of bytes, not Infinity",
			`TypeError: audiopreflight check: unknown option "sync_limit" (the options are request, mode, syncLimit, headerOnly, name)`,
			"TypeError: audiopreflight check: option headerOnly must be a boolean, not a number",
			"accepted",
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})

	t.Run("long recording", func(t *testing.T) {
		// A 512 MiB WAV (16 kHz mono, silence) is read where it is: the
		// check copies a few KiB of it into the module.
		got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(() => {
		  const size = 512 * 1024 * 1024;
		  const b = new Uint8Array(size);
		  const v = new DataView(b.buffer);
		  const text = (off, s) => { for (let i = 0; i < s.length; i++) b[off + i] = s.charCodeAt(i); };
		  text(0, "RIFF"); v.setUint32(4, size - 8, true); text(8, "WAVEfmt ");
		  v.setUint32(16, 16, true); v.setUint16(20, 1, true); v.setUint16(22, 1, true);
		  v.setUint32(24, 16000, true); v.setUint32(28, 32000, true); v.setUint16(32, 2, true); v.setUint16(34, 16, true);
		  text(36, "data"); v.setUint32(40, size - 44, true);
		  const sync = window.ap.check(b, {name: "long.wav"});
		  const async = window.ap.check(b, {name: "long.wav", mode: "async"});
		  return [sync.exception.name, async.status, String(async.audio.duration_seconds)];
		})()`))
		want := []string{"AudioTooBigForSync", "accepted", "16777.215"}
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("got %q, %v; want %q", got, err, want)
		}
	})

	t.Run("worker", func(t *testing.T) {
		// The README sends long recordings to a Worker: the module loads
		// and checks there too.
		got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`new Promise((resolve, reject) => {
		  const src = 'import { load } from "' + location.origin + '/audiopreflight.js";' +
		    'const ap = await load();' +
		    'const bytes = new Uint8Array(await (await fetch("' + location.origin + '/testdata/samples/hello-44k-stereo.flac")).arrayBuffer());' +
		    'postMessage(ap.check(bytes, {name: "w.flac"}).exception.name);';
		  const w = new Worker(URL.createObjectURL(new Blob([src], {type: "text/javascript"})), {type: "module"});
		  w.onmessage = (e) => { resolve(e.data); w.terminate(); };
		  w.onerror = (e) => reject(new Error(e.message));
		})`, chromedp.EvalAwaitPromise))
		if err != nil || got != "InvalidAudioFormat" {
			t.Errorf("in a Worker: %q, %v", got, err)
		}
	})

	compared := 0
	for _, j := range jobs(t) {
		want := cli(t, j)
		names, _ := json.Marshal(j.names)
		options, _ := json.Marshal(j.options)
		text, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf("%s(%s, %s)", checkAll, names, options), chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("checking %s in the browser: %v", options, err)
		}
		var got []any
		if err := json.Unmarshal([]byte(text), &got); err != nil {
			t.Fatal(err)
		}
		for i, name := range j.names {
			if !reflect.DeepEqual(got[i], want[i]) {
				g, _ := json.Marshal(got[i])
				w, _ := json.Marshal(want[i])
				t.Errorf("%s %s:\nbrowser %s\n    cli %s", name, options, g, w)
			}
			compared++
		}
	}
	if compared < 2900 {
		t.Errorf("compared %d results, want every corpus input with both request types", compared)
	}

	// Numbers for the README: the module's size, how long it takes to load
	// and to check a sample (the median of 21 checks).
	timing, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]float64](`(async () => {
	  const out = {};
	  for (const name of ["hello-16k-mono.wav", "hello-44k-stereo.flac", "hello-16k-mono.opus"]) {
	    const bytes = new Uint8Array(await (await fetch("/testdata/samples/" + name)).arrayBuffer());
	    const ms = [];
	    for (let i = 0; i < 21; i++) {
	      const start = performance.now();
	      window.ap.check(bytes, {name});
	      ms.push(performance.now() - start);
	    }
	    ms.sort((a, b) => a - b);
	    out[name] = ms[10];
	  }
	  return out;
	})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	keys := make([]string, 0, len(timing))
	for k := range timing {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	report := fmt.Sprintf("%d results equal the CLI's\nload (fetch, compile, start): %.0f ms\n", compared, loadMS)
	for _, k := range keys {
		report += fmt.Sprintf("check %s: %.2f ms (median of 21)\n", k, timing[k])
	}
	t.Logf("%s", report)
	if err := os.WriteFile(filepath.Join(art, "browser-timing.txt"), []byte(report), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestDemoPageShowsTheVerdictOfADroppedFile drops a sample on the demo
// page as a user would (a drag of a file from the desktop) and waits for
// the verdict the CLI gives it; the screenshot is left in the artifacts.
func TestDemoPageShowsTheVerdictOfADroppedFile(t *testing.T) {
	path := chromium(t)
	t.Chdir("..")
	url := site(t)
	ctx := browser(t, path)
	art := artifacts(t)

	sample, err := filepath.Abs("testdata/samples/hello-44k-stereo.flac")
	if err != nil {
		t.Fatal(err)
	}
	want := cli(t, job{names: []string{"testdata/samples/hello-44k-stereo.flac"}})[0].(map[string]any)
	wantException := want["exception"].(map[string]any)["name"].(string)

	if err := chromedp.Do(ctx,
		chromedp.Navigate(url+"/index.html"),
		chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)),
	); err != nil {
		t.Fatalf("the demo page did not get ready: %v", err)
	}
	privacy, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#privacy")))
	if err != nil || !strings.Contains(privacy, "No audio leaves your browser") {
		t.Errorf("the page does not say that no audio leaves the browser: %q %v", privacy, err)
	}
	// The drop zone's centre, where the file is dropped.
	center, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(() => {
	  const r = document.getElementById("drop").getBoundingClientRect();
	  return [r.x + r.width / 2, r.y + r.height / 2];
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	data := &input.DragData{Items: []*input.DragDataItem{}, Files: []string{sample}, DragOperationsMask: 1}
	for _, typ := range []input.DispatchDragEventType{input.DispatchDragEventTypeDragEnter, input.DispatchDragEventTypeDragOver, input.DispatchDragEventTypeDrop} {
		if _, err := chromedp.Call(ctx, input.DispatchDragEvent, input.DispatchDragEventParams{Type: typ, X: center[0], Y: center[1], Data: data}); err != nil {
			t.Fatalf("drag %s: %v", typ, err)
		}
	}
	waitCtx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(waitCtx, chromedp.WaitVisible(chromedp.CSS(`.result[data-status]`))); err != nil {
		t.Fatalf("no verdict on the page: %v", err)
	}
	shown, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".result")))
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"hello-44k-stereo.flac", want["status"].(string), wantException, "44100 Hz"} {
		if !strings.Contains(shown, w) {
			t.Errorf("the page shows %q, without %q", shown, w)
		}
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(art, "demo-dropped-file.png")
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot of the demo page: %s", shot)
}

// moduleSizes are the built modules' sizes as scripts/build-web.sh prints
// them: gzipped bytes by file name.
func moduleSizes(t *testing.T, out string) map[string]int {
	t.Helper()
	sizes := map[string]int{}
	for _, line := range strings.Split(out, "\n") {
		var path string
		var raw, gz int
		if _, err := fmt.Sscanf(line, "build-web.sh: %s %d bytes, %d gzipped", &path, &raw, &gz); err == nil {
			sizes[filepath.Base(strings.TrimSuffix(path, ":"))] = gz
		}
	}
	return sizes
}

// TestModuleSizes: the check module stays under its size budget, 1,500,000
// bytes gzipped; the fix module, loaded only when a page fixes, is
// reported beside it.
func TestModuleSizes(t *testing.T) {
	t.Chdir("..")
	out, err := build()
	if err != nil {
		t.Fatal(err)
	}
	sizes := moduleSizes(t, out)
	checkGz, fixGz := sizes["audiopreflight.wasm"], sizes["audiopreflight-fix.wasm"]
	if checkGz == 0 || fixGz == 0 {
		t.Fatalf("build-web.sh did not report both modules' sizes:\n%s", out)
	}
	if checkGz > 1_500_000 {
		t.Errorf("audiopreflight.wasm is %d bytes gzipped, over 1,500,000", checkGz)
	}
	report := fmt.Sprintf("audiopreflight.wasm: %d bytes gzipped\naudiopreflight-fix.wasm: %d bytes gzipped\n", checkGz, fixGz)
	t.Logf("%s", report)
	if err := os.WriteFile(filepath.Join(artifacts(t), "module-sizes.txt"), []byte(report), 0o644); err != nil {
		t.Fatal(err)
	}
}

// fixFamilies are the inputs the fix comparisons use, by the directory
// they are copied into: the fix corpus and the browser captures (the
// lossless paths), and the samples (decoding, and audio left to ffmpeg).
var fixFamilies = map[string]string{
	"fix":           "testdata/corpus/fix/in/*",
	"mediarecorder": "testdata/mediarecorder/*.webm",
	"samples":       "testdata/samples/*",
}

// fixedByCLI runs `audiopreflight fix -o jsonl --ffmpeg none` over copies
// of the fix inputs in a new directory, named there as family/file, and
// returns for each its name, where it is served from, the CLI's line
// parsed (what it says of ffmpeg as the module says it) and the file the
// CLI wrote (nil when none).
func fixedByCLI(t *testing.T, flags ...string) (names, paths []string, lines []map[string]any, outputs [][]byte) {
	t.Helper()
	dir := t.TempDir()
	for family, glob := range fixFamilies {
		files, err := filepath.Glob(glob)
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: no files (%v)", glob, err)
		}
		if err := os.MkdirAll(filepath.Join(dir, family), 0o755); err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if st, err := os.Stat(f); err != nil || st.IsDir() || strings.HasSuffix(f, ".jsonl") {
				continue // the samples' expectations and base64 texts
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			name := family + "/" + filepath.Base(f)
			if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
			names, paths = append(names, name), append(paths, filepath.ToSlash(f))
		}
	}
	repo, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	defer t.Chdir(repo)
	// One run an input: two inputs of one run may not share a fixed
	// file's name (x.mka, x.opus); each output is read and removed.
	for _, name := range names {
		var stdout, stderr bytes.Buffer
		args := append(append([]string{"fix", "-o", "jsonl", "--ffmpeg", "none"}, flags...), "--", name)
		if code := cmd.Execute(args, strings.NewReader(""), &stdout, &stderr); code != 0 && code != 1 {
			t.Fatalf("fix %v %s: exit %d: %s", flags, name, code, stderr.String())
		}
		var v map[string]any
		if err := json.Unmarshal(bytes.ReplaceAll(stdout.Bytes(), []byte(cliNoFFmpeg), []byte(browserNoFFmpeg)), &v); err != nil {
			t.Fatalf("fix %s: %v", name, err)
		}
		var out []byte
		if v["status"] == "fixed" {
			if out, err = os.ReadFile(v["output"].(string)); err != nil {
				t.Fatal(err)
			}
			os.Remove(v["output"].(string))
		}
		lines, outputs = append(lines, v), append(outputs, out)
	}
	return names, paths, lines, outputs
}

// The one difference between the command's line and the module's: what
// they say of ffmpeg, which `fix --ffmpeg none` does not run and a browser
// does not have.
const (
	cliNoFFmpeg     = "; ffmpeg would convert it (--ffmpeg none)"
	browserNoFFmpeg = "; ffmpeg would convert it, and a browser has none"
)

// fixAll is the page's side: fetch each input, fix it with the module's
// fix(bytes, options) and hand back the reports, the fixed files' names
// and their bytes (base64), as JSON.
const fixAll = `(async (paths, names, options) => {
  const out = [];
  for (let i = 0; i < paths.length; i++) {
    const r = await fetch("/" + paths[i].split("/").map(encodeURIComponent).join("/"));
    if (!r.ok) throw new Error(paths[i] + ": HTTP " + r.status);
    const bytes = new Uint8Array(await r.arrayBuffer());
    try {
      const f = await window.ap.fix(bytes, {...options, name: names[i]});
      let b64 = null;
      if (f.bytes) {
        let s = "";
        for (let j = 0; j < f.bytes.length; j += 0x8000) s += String.fromCharCode(...f.bytes.subarray(j, j + 0x8000));
        b64 = btoa(s);
      }
      out.push({report: f.report, name: f.name, bytes: b64});
    } catch (e) {
      out.push({thrown: String(e)});
    }
  }
  return JSON.stringify(out);
})`

// TestBrowserFixesAsTheCLIDoes fixes the fix corpus, the browser captures
// and the samples in Chromium with the module's fix: each report must be
// the object the CLI's `fix -o jsonl --ffmpeg none` line parses to (the
// input named as the CLI had it, so nothing differs), each fixed file the
// CLI's byte for byte, and what the CLI does not fix is not fixed, for the
// same reason. The fix module is fetched only when fix is first called.
func TestBrowserFixesAsTheCLIDoes(t *testing.T) {
	path := chromium(t)
	t.Chdir("..")
	url := site(t)
	ctx := browser(t, path)

	if err := chromedp.Do(ctx, chromedp.Navigate(url+"/index.html"),
		chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`))); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(async () => {
	  const { load } = await import("/audiopreflight.js");
	  window.ap = await load();
	  return true;
	})()`, chromedp.EvalAwaitPromise)); err != nil {
		t.Fatalf("loading the module: %v", err)
	}
	if _, ok := served.Load("/audiopreflight-fix.wasm"); ok {
		t.Errorf("the fix module was fetched before fix was called")
	}

	t.Run("arguments", func(t *testing.T) {
		got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(async () => {
		  const bytes = new Uint8Array(await (await fetch("/testdata/samples/hello-16k-mono.wav")).arrayBuffer());
		  const out = [];
		  for (const call of [
		    () => window.ap.fix("RIFF"),
		    () => window.ap.fix(bytes, "scripted"),
		    () => window.ap.fix(bytes, {headerOnly: true}),
		    () => window.ap.fix(bytes, {format: "mp3"}),
		  ]) {
		    try { await call(); out.push("no error"); } catch (e) { out.push(e.constructor.name + ": " + e.message); }
		  }
		  const f = await window.ap.fix(bytes.buffer, {name: "a.wav"});
		  out.push(f.report.status + " " + String(f.bytes));
		  return out;
		})()`, chromedp.EvalAwaitPromise))
		want := []string{
			"TypeError: audiopreflight fix: bytes must be a Uint8Array or an ArrayBuffer",
			"TypeError: audiopreflight fix: options must be an object",
			`TypeError: audiopreflight fix: unknown option "headerOnly" (the options are request, mode, syncLimit, name, format, force)`,
			`TypeError: audiopreflight fix: format must be "auto", "wav" or "flac", not "mp3"`,
			"accepted null",
		}
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("got\n%s\n%v\nwant\n%s", strings.Join(got, "\n"), err, strings.Join(want, "\n"))
		}
	})

	t.Run("readme", func(t *testing.T) {
		// The README's snippet, as printed there (its output is logged).
		got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(async () => {
		  const out = [];
		  const console = { log: (...a) => out.push(a.join(" ")) };
		  const ap = window.ap;
		  const bytes = new Uint8Array(await (await fetch("/testdata/mediarecorder/chrome-mono.webm")).arrayBuffer());
		  const fixed = await ap.fix(bytes, { name: "chrome-mono.webm" });
		  console.log(fixed.report.status, fixed.report.method, fixed.name, fixed.bytes?.length);
		  console.log(fixed.report.steps.join("\n"));
		  console.log(ap.check(fixed.bytes, { name: fixed.name }).status);
		  return out;
		})()`, chromedp.EvalAwaitPromise))
		if err != nil || len(got) != 3 || !strings.HasPrefix(got[0], "fixed opus-remux chrome-mono-16k.opus ") || got[2] != "accepted" {
			t.Errorf("the README's fix snippet prints %q, %v", got, err)
		}
		t.Logf("README snippet:\n%s", strings.Join(got, "\n"))
	})

	counts := map[string]int{}
	for _, v := range []struct {
		flags   []string
		options map[string]any
	}{
		{nil, map[string]any{}},
		{[]string{"--request", "scripted"}, map[string]any{"request": "scripted"}},
		{[]string{"--mode", "async", "--format", "flac"}, map[string]any{"mode": "async", "format": "flac"}},
	} {
		names, paths, lines, outputs := fixedByCLI(t, v.flags...)
		pathsJSON, _ := json.Marshal(paths)
		namesJSON, _ := json.Marshal(names)
		options, _ := json.Marshal(v.options)
		text, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf("%s(%s, %s, %s)", fixAll, pathsJSON, namesJSON, options), chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("fixing %s in the browser: %v", options, err)
		}
		var got []struct {
			Report map[string]any
			Name   string
			Bytes  []byte // base64 in the JSON
			Thrown string
		}
		if err := json.Unmarshal([]byte(text), &got); err != nil {
			t.Fatal(err)
		}
		for i, name := range names {
			g, want := got[i], lines[i]
			if g.Thrown != "" {
				t.Errorf("%s %s: threw %s", name, options, g.Thrown)
				continue
			}
			if !reflect.DeepEqual(g.Report, want) {
				gj, _ := json.Marshal(g.Report)
				wj, _ := json.Marshal(want)
				t.Errorf("%s %s:\nbrowser %s\n    cli %s", name, options, gj, wj)
			}
			wantName, _ := want["output"].(string)
			if want["status"] != "fixed" {
				wantName = ""
			}
			if g.Name != wantName || !bytes.Equal(g.Bytes, outputs[i]) {
				t.Errorf("%s %s: the browser's file %q (%d bytes) is not the CLI's %q (%d bytes)", name, options, g.Name, len(g.Bytes), wantName, len(outputs[i]))
			}
			method, _ := want["method"].(string)
			counts[fmt.Sprintf("%v %s", want["status"], method)]++
		}
	}
	t.Logf("compared: %v", counts)
	for _, m := range []string{"opus-remux", "opus-header", "wav-header"} {
		if counts["fixed "+m] == 0 {
			t.Errorf("no input was fixed by %s: %v", m, counts)
		}
	}
	if _, ok := served.Load("/audiopreflight-fix.wasm"); !ok {
		t.Errorf("fix worked without fetching audiopreflight-fix.wasm")
	}
}

// TestDemoPageFixesADroppedRecording drops a browser recording (WebM/Opus,
// which the API rejects) on the demo page, presses its Fix button, and
// checks the download the page offers: the CLI's fixed file byte for
// byte, accepted by a check of its own. The screenshot is left in the
// artifacts.
func TestDemoPageFixesADroppedRecording(t *testing.T) {
	path := chromium(t)
	t.Chdir("..")
	url := site(t)
	ctx := browser(t, path)
	art := artifacts(t)

	const capture = "testdata/mediarecorder/chrome-mono.webm"
	sample, err := filepath.Abs(capture)
	if err != nil {
		t.Fatal(err)
	}
	// What the CLI writes for it.
	dir := t.TempDir()
	in, err := os.ReadFile(capture)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "chrome-mono.webm"), in, 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := cmd.Execute([]string{"fix", "-o", "jsonl", "-O", dir, "--", filepath.Join(dir, "chrome-mono.webm")}, strings.NewReader(""), &stdout, &stderr); code != 0 {
		t.Fatalf("fix: exit %d: %s%s", code, stdout.String(), stderr.String())
	}
	wantBytes, err := os.ReadFile(filepath.Join(dir, "chrome-mono-16k.opus"))
	if err != nil {
		t.Fatal(err)
	}

	if err := chromedp.Do(ctx,
		chromedp.Navigate(url+"/index.html"),
		chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)),
	); err != nil {
		t.Fatalf("the demo page did not get ready: %v", err)
	}
	center, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(() => {
	  const r = document.getElementById("drop").getBoundingClientRect();
	  return [r.x + r.width / 2, r.y + r.height / 2];
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	data := &input.DragData{Items: []*input.DragDataItem{}, Files: []string{sample}, DragOperationsMask: 1}
	for _, typ := range []input.DispatchDragEventType{input.DispatchDragEventTypeDragEnter, input.DispatchDragEventTypeDragOver, input.DispatchDragEventTypeDrop} {
		if _, err := chromedp.Call(ctx, input.DispatchDragEvent, input.DispatchDragEventParams{Type: typ, X: center[0], Y: center[1], Data: data}); err != nil {
			t.Fatalf("drag %s: %v", typ, err)
		}
	}
	waitCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(waitCtx,
		chromedp.WaitVisible(chromedp.CSS(`.result[data-status="rejected"] .fix-button`)),
		chromedp.Click(chromedp.CSS(`.fix-button`)),
		chromedp.WaitVisible(chromedp.CSS(`a.download`)),
	); err != nil {
		t.Fatalf("no fixed file on the page: %v", err)
	}
	shown, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".fix")))
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"opus-remux", "chrome-mono-16k.opus", "accepted"} {
		if !strings.Contains(shown, w) {
			t.Errorf("the page shows %q, without %q", shown, w)
		}
	}
	// The download, as a user would get it, checked by a module of its own.
	got, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]any](`(async () => {
	  const a = document.querySelector("a.download");
	  const bytes = new Uint8Array(await (await fetch(a.href)).arrayBuffer());
	  const { load } = await import("/audiopreflight.js");
	  const r = (await load()).check(bytes, {name: a.download});
	  let s = "";
	  for (let j = 0; j < bytes.length; j += 0x8000) s += String.fromCharCode(...bytes.subarray(j, j + 0x8000));
	  return {file: a.download, status: r.status, bytes: btoa(s)};
	})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if got["file"] != "chrome-mono-16k.opus" || got["status"] != "accepted" {
		t.Errorf("the download is %v %v, want chrome-mono-16k.opus accepted", got["file"], got["status"])
	}
	if b64, _ := got["bytes"].(string); b64 != base64.StdEncoding.EncodeToString(wantBytes) {
		t.Errorf("the download is not the CLI's fixed file")
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(art, "demo-fixed-recording.png")
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot of the demo page: %s", shot)
}
