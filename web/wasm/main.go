//go:build js && wasm

// Command wasm is audiopreflight's check for browsers: built by
// scripts/build-web.sh into audiopreflight.wasm, which the ES module
// audiopreflight.js loads. It imports no network code: the page fetches or
// records the bytes itself, and nothing it checks leaves the browser.
//
// The module runs it with one argument, the name of a global function it
// set up; main calls that function with the API object and then waits, so
// the functions stay callable. The API's functions take and return plain
// values:
//
//	check(bytes: Uint8Array, options: string /* JSON */) -> string /* a check -o jsonl line */
//
// or, when the call fails (bad options, a bug), {error: {name, message}}:
// a Go function called from JavaScript cannot throw. The module turns
// these into the documented check(bytes, options) → object, or a thrown
// TypeError or Error.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"syscall/js"

	"github.com/audiopreflight/audiopreflight/internal/redact"
	"github.com/audiopreflight/audiopreflight/internal/webcheck"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "audiopreflight.wasm is loaded by audiopreflight.js, which passes it the name of its ready callback")
		os.Exit(2)
	}
	api := js.Global().Get("Object").New()
	api.Set("check", js.FuncOf(checkFunc))
	ready := js.Global().Get(os.Args[1])
	if ready.Type() != js.TypeFunction {
		fmt.Fprintf(os.Stderr, "audiopreflight.wasm: %s is not a function\n", os.Args[1])
		os.Exit(2)
	}
	ready.Invoke(api)
	select {}
}

// checkFunc is the API's check. Its arguments were shaped by the module:
// a Uint8Array and the options' JSON.
func checkFunc(_ js.Value, args []js.Value) (result any) {
	if len(args) != 2 || args[1].Type() != js.TypeString {
		return throw("TypeError", "check: internal call expects (Uint8Array, string)")
	}
	if !args[0].InstanceOf(js.Global().Get("Uint8Array")) {
		return throw("TypeError", "audiopreflight check: bytes must be a Uint8Array")
	}
	audio := jsAudio{array: args[0], size: int64(args[0].Get("length").Int())}
	// A bug in a parser must not kill the module (a panic in a call from
	// JavaScript ends the Go program): the call throws instead, and the
	// next one works.
	defer func() {
		if v := recover(); v != nil {
			result = throw("Error", "audiopreflight check: internal error while checking it (please report this with the file): "+redact.Pairs(fmt.Sprint(v)))
		}
	}()
	line, err := webcheck.Check(audio, []byte(args[1].String()))
	if err != nil {
		kind := "Error"
		if _, ok := err.(*webcheck.OptionError); ok {
			kind = "TypeError"
		}
		return throw(kind, err.Error())
	}
	return string(line)
}

// throw makes the call throw: js.FuncOf cannot throw, so the module
// rethrows what it receives as {error: {name, message}}.
func throw(name, message string) any {
	return map[string]any{"error": map[string]any{"name": name, "message": message}}
}

// jsAudio is the caller's Uint8Array, read where it is: the check copies
// into Go's memory only what it reads, so a header check of a long
// recording copies a few KiB, and no recording is held twice. JavaScript
// cannot change the array while the check, a synchronous call, runs.
type jsAudio struct {
	array js.Value
	size  int64
}

func (a jsAudio) Size() int64  { return a.size }
func (a jsAudio) Close() error { return nil }

func (a jsAudio) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errors.New("read at a negative offset")
	}
	if off >= a.size {
		return 0, io.EOF
	}
	n := min(int64(len(p)), a.size-off)
	js.CopyBytesToGo(p[:n], a.array.Call("subarray", off, off+n))
	if int(n) < len(p) {
		return int(n), io.EOF
	}
	return int(n), nil
}
