// Package webcheck is what the browser build (web/wasm) does for the
// JavaScript module's check(bytes, options): it reads the options as the
// module hands them over (JSON), checks the bytes as `audiopreflight check`
// checks a file of that name, and returns the result as the line
// `check -o jsonl` prints for it — the same renderer writes both. It has no
// syscall/js in it, so it is tested like any package.
package webcheck

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/audiopreflight/audiopreflight/internal/cmdengine"
	"github.com/audiopreflight/audiopreflight/internal/redact"
	"github.com/audiopreflight/audiopreflight/internal/report"
	"github.com/audiopreflight/audiopreflight/preflight"
	_ "github.com/audiopreflight/audiopreflight/probe/allformats"
	"github.com/audiopreflight/audiopreflight/validate"
)

// DefaultName names bytes checked without a name: it has no extension, so
// a scripted check has none to fall back to for audio_format.
const DefaultName = "audio"

// Options are check's options as the module passes them, named as in
// JavaScript. Each is the `check` flag of the same name; what is left out
// is the flag's default. There is no --base64: the CLI decodes base64 text
// into a spool that goes to disk past 1 MiB, which a browser does not
// have: a page checks the bytes it is about to encode.
type Options struct {
	// Request is "unscripted" (the default) or "scripted" (--request).
	Request string `json:"request"`
	// Mode is "sync" (the default) or "async" (--mode).
	Mode string `json:"mode"`
	// SyncLimit is the sync limit in bytes (--sync-limit): a whole
	// number; 10 MiB when left out. (Sizes as text, "5MB", would bring
	// the size parser's big-number arithmetic into the module: a number
	// keeps it smaller.)
	SyncLimit *float64 `json:"syncLimit"`
	// HeaderOnly reads the headers only (--header-only).
	HeaderOnly bool `json:"headerOnly"`
	// Name plays the part of the input's name: the result's input,
	// AudioTooBigForSync's stream_dir, the extension a scripted
	// audio_format falls back to, the names in hints. DefaultName when
	// left out.
	Name *string `json:"name"`
}

// OptionError is options the module cannot check with; the module throws
// it as a TypeError.
type OptionError struct{ Msg string }

func (e *OptionError) Error() string { return "audiopreflight check: " + e.Msg }

func optionErrorf(format string, args ...any) error {
	return &OptionError{Msg: fmt.Sprintf(format, args...)}
}

// ParseOptions reads the options' JSON: an object with the keys of
// Options, each of its type, or null (no options).
func ParseOptions(text []byte) (Options, error) {
	var o Options
	err := DecodeOptions(text, &o, "request, mode, syncLimit, headerOnly, name")
	return o, err
}

// DecodeOptions decodes a module's options' JSON into v (a pointer to a
// struct of the option fields): an object with v's keys, each of its type,
// or null (no options, v left as it is). Its errors are *OptionError with
// the messages a page shows; names lists the options for the message about
// an unknown one. The check and the fix module share it, so their options
// are read and refused alike.
func DecodeOptions(text []byte, v any, names string) error {
	if t := bytes.TrimSpace(text); len(t) == 0 || string(t) == "null" {
		return nil
	} else if t[0] != '{' {
		return optionErrorf("options must be an object")
	}
	dec := json.NewDecoder(bytes.NewReader(text))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var typeErr *json.UnmarshalTypeError
		switch {
		case errors.As(err, &typeErr):
			return optionErrorf("option %s must be a %s, not a %s", typeErr.Field, jsType[typeErr.Type.String()], typeErr.Value)
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			return optionErrorf("unknown option %s (the options are %s)", strings.TrimPrefix(err.Error(), "json: unknown field "), names)
		}
		return optionErrorf("options: %v", err)
	}
	return nil
}

// jsType names the options' Go types as JavaScript does.
var jsType = map[string]string{"string": "string", "*string": "string", "bool": "boolean", "*float64": "number", "float64": "number"}

// request is the validate.Request the options ask for.
func (o Options) request() (validate.Request, error) {
	req := validate.Request{Type: validate.Unscripted, SyncLimit: validate.DefaultSyncLimit, HeaderOnly: o.HeaderOnly}
	switch o.Request {
	case "", validate.Unscripted:
	case validate.Scripted:
		req.Type = validate.Scripted
	default:
		return req, optionErrorf("request must be %q or %q, not %q", validate.Unscripted, validate.Scripted, o.Request)
	}
	switch o.Mode {
	case "", "sync":
	case "async":
		req.Async = true
	default:
		return req, optionErrorf("mode must be \"sync\" or \"async\", not %q", o.Mode)
	}
	if f := o.SyncLimit; f != nil {
		const maxSafe = 1<<53 - 1 // Number.MAX_SAFE_INTEGER: JavaScript holds every whole number up to it
		if *f < 0 || *f != math.Trunc(*f) || *f > maxSafe {
			return req, optionErrorf("syncLimit must be a whole number of bytes from 0 to %d, not %v", int64(maxSafe), *f)
		}
		req.SyncLimit = int64(*f)
	}
	return req, nil
}

// Check checks audio with the options (JSON, see ParseOptions) and
// returns the result's `check -o jsonl` line, without its newline. The
// input is named by the options' name and its source is "file": the line
// is the one `audiopreflight check -o jsonl` prints for a file of that
// name holding the same bytes, with the same options as flags. Only what
// the check needs is read of audio (the browser's array stays where it is).
func Check(audio preflight.Audio, options []byte) ([]byte, error) {
	o, err := ParseOptions(options)
	if err != nil {
		return nil, err
	}
	req, err := o.request()
	if err != nil {
		return nil, err
	}
	name := DefaultName
	if o.Name != nil {
		name = *o.Name
	}
	// The command's engine on audio at hand: preflight.Checker.Check would
	// link what opens files, spools and URLs too, which a browser has no
	// use for (and the module's size budget no room).
	c := preflight.NewCommand(cmdengine.Config{Request: req})
	r := c.CheckAudio(cmdengine.Target{Name: name, Source: report.SourceFile}, audio)
	// The CLI's output path: the run's redaction (with no tokens given,
	// the URLs' secrets in messages) and the JSONL encoding.
	return report.JSONLine(r, redact.Policy{})
}
