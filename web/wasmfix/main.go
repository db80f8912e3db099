//go:build js && wasm

// Command wasmfix is audiopreflight's fix for browsers: built by
// scripts/build-web.sh into audiopreflight-fix.wasm, which the ES module
// audiopreflight.js loads the first time a page calls fix, so that pages
// that only check never download it. Like the check module it imports no
// network code: the fixed file is made in the page and handed back to it.
//
// It is started as the check module is (one argument, the name of a global
// ready callback, called with the API object). The API's one function
// takes and returns plain values:
//
//	fix(bytes: Uint8Array, options: string /* JSON */) -> {bytes: Uint8Array | null, name: string, report: string /* a fix -o jsonl line */}
//
// or, when the call fails (bad options, a bug), {error: {name, message}}.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"syscall/js"

	"github.com/audiopreflight/audiopreflight/internal/redact"
	"github.com/audiopreflight/audiopreflight/internal/webfix"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "audiopreflight-fix.wasm is loaded by audiopreflight.js, which passes it the name of its ready callback")
		os.Exit(2)
	}
	api := js.Global().Get("Object").New()
	api.Set("fix", js.FuncOf(fixFunc))
	ready := js.Global().Get(os.Args[1])
	if ready.Type() != js.TypeFunction {
		fmt.Fprintf(os.Stderr, "audiopreflight-fix.wasm: %s is not a function\n", os.Args[1])
		os.Exit(2)
	}
	ready.Invoke(api)
	select {}
}

// fixFunc is the API's fix. Its arguments were shaped by the module: a
// Uint8Array and the options' JSON.
func fixFunc(_ js.Value, args []js.Value) (result any) {
	if len(args) != 2 || args[1].Type() != js.TypeString {
		return throw("TypeError", "fix: internal call expects (Uint8Array, string)")
	}
	if !args[0].InstanceOf(js.Global().Get("Uint8Array")) {
		return throw("TypeError", "audiopreflight fix: bytes must be a Uint8Array")
	}
	audio := jsAudio{array: args[0], size: int64(args[0].Get("length").Int())}
	// A panic in a call from JavaScript would end the Go program: the call
	// throws instead, and the next one works.
	defer func() {
		if v := recover(); v != nil {
			result = throw("Error", "audiopreflight fix: internal error while fixing it (please report this with the file): "+redact.Pairs(fmt.Sprint(v)))
		}
	}()
	fixed, err := webfix.Fix(audio, []byte(args[1].String()))
	if err != nil {
		kind := "Error"
		var oe *webfix.FixOptionError
		if errors.As(err, &oe) {
			kind = "TypeError"
		}
		return throw(kind, err.Error())
	}
	out := map[string]any{"bytes": nil, "name": fixed.Name, "report": string(fixed.Report)}
	if fixed.Bytes != nil {
		b := js.Global().Get("Uint8Array").New(len(fixed.Bytes))
		js.CopyBytesToJS(b, fixed.Bytes)
		out["bytes"] = b
	}
	return out
}

// throw makes the call throw: js.FuncOf cannot throw, so the module
// rethrows what it receives as {error: {name, message}}.
func throw(name, message string) any {
	return map[string]any{"error": map[string]any{"name": name, "message": message}}
}

// jsAudio is the caller's Uint8Array, read where it is (see the check
// module): JavaScript cannot change it while the call runs.
type jsAudio struct {
	array js.Value
	size  int64
}

func (a jsAudio) Size() int64 { return a.size }

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
