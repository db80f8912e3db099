// The browser tests drive Chromium from the machine that runs them: they
// do not build for js/wasm, where chromedp cannot start a process.

//go:build !js

package web_test

import (
	"bytes"
	"context"
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
	mux.Handle("/", http.FileServer(http.Dir(built)))
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
