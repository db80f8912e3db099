// audiopreflight for the browser: says which exception the speech-assessment
// API would answer for a piece of audio, or that it would accept it — in the
// page, without sending the audio anywhere.
//
//   import { load } from "./audiopreflight.js";
//   const ap = await load();
//   const result = ap.check(new Uint8Array(await file.arrayBuffer()), { name: file.name });
//   if (result.status === "rejected") console.log(result.exception.name, result.hint);
//   const fixed = await ap.fix(bytes, { name: file.name }); // {bytes, name, report}
//
// check's result is the object that one line of `audiopreflight check -o
// jsonl` holds for a file of that name with those bytes: the same keys, the
// same values; fix's report is the line of `audiopreflight fix -o jsonl`.
// scripts/build-web.sh puts this module beside audiopreflight.wasm,
// audiopreflight-fix.wasm (loaded the first time fix is called) and Go's
// wasm_exec.js, which it imports.

import "./wasm_exec.js"; // defines globalThis.Go, the runtime glue of Go's WebAssembly

let loads = 0;

/**
 * Loads and starts audiopreflight.wasm (by default the one beside this
 * module). Each call starts a separate instance. The fix module,
 * audiopreflight-fix.wasm beside wasmURL, is loaded the first time fix is
 * called: a page that only checks never downloads it.
 *
 * @param {string | URL} [wasmURL]
 * @returns {Promise<{
 *   check: (bytes: Uint8Array | ArrayBuffer, options?: CheckOptions) => object,
 *   fix: (bytes: Uint8Array | ArrayBuffer, options?: FixOptions) => Promise<{bytes: Uint8Array | null, name: string, report: object}>,
 * }>}
 */
export async function load(wasmURL = new URL("audiopreflight.wasm", import.meta.url)) {
  const api = await start(wasmURL, "audiopreflight.wasm");
  const fixURL = new URL("audiopreflight-fix.wasm", new URL(wasmURL, location.href));
  let fixer;
  return Object.freeze({
    check: (bytes, options) => check(api, bytes, options),
    fix: async (bytes, options) => {
      bytes = checkArgs("fix", bytes, options);
      // A failed load is not kept: the next call tries again.
      fixer ??= start(fixURL, "audiopreflight-fix.wasm").catch((e) => {
        fixer = undefined;
        throw e;
      });
      return fix(await fixer, bytes, options);
    },
  });
}

// start instantiates a Go module and resolves to the API object it hands
// to its ready callback.
async function start(url, file) {
  const go = new globalThis.Go();
  const readyName = `__audiopreflightReady${Date.now()}_${loads++}`;
  const ready = new Promise((resolve) => {
    globalThis[readyName] = resolve;
  });
  go.argv = [file, readyName];
  try {
    const instance = await instantiate(url, go.importObject);
    const exited = go.run(instance).then(() => {
      throw new Error(`audiopreflight: ${file} stopped before it was ready`);
    });
    return await Promise.race([ready, exited]);
  } finally {
    delete globalThis[readyName];
  }
}

// instantiate compiles the module while it downloads when the server says
// it is application/wasm, and from the whole body otherwise.
async function instantiate(url, imports) {
  const response = await fetch(url);
  if (!response.ok) {
    throw new Error(`audiopreflight: fetching ${url}: HTTP ${response.status} ${response.statusText}`);
  }
  const type = response.headers.get("Content-Type") || "";
  if (WebAssembly.instantiateStreaming && type.split(";")[0].trim() === "application/wasm") {
    return (await WebAssembly.instantiateStreaming(response, imports)).instance;
  }
  return (await WebAssembly.instantiate(await response.arrayBuffer(), imports)).instance;
}

/**
 * @typedef {object} CheckOptions
 * @property {"unscripted" | "scripted"} [request]  the request type (default "unscripted"), as --request
 * @property {"sync" | "async"} [mode]  unscripted mode (default "sync"), as --mode
 * @property {number} [syncLimit]  the sync limit in bytes (default 10485760), as --sync-limit
 * @property {boolean} [headerOnly]  read the headers only, as --header-only
 * @property {string} [name]  the input's name (default "audio"): the result's input,
 *   AudioTooBigForSync's stream_dir, the extension a scripted audio_format falls back to
 */

/**
 * @typedef {object} FixOptions
 * @property {"unscripted" | "scripted"} [request]  the request the fixed file is for, as --request
 * @property {"sync" | "async"} [mode]  unscripted mode (default "sync"), as --mode
 * @property {number} [syncLimit]  the sync limit in bytes (default 10485760), as --sync-limit
 * @property {string} [name]  the input's name (default "audio"); the fixed file is named after it
 *   as `audiopreflight fix` names it ("take.webm" → "take-16k.opus")
 * @property {"auto" | "wav" | "flac"} [format]  container of a re-encoded file, as --format
 * @property {boolean} [force]  re-encode audio the API accepts as it is, as --force
 */

// checkArgs checks what every call takes, and returns the bytes as a
// Uint8Array.
function checkArgs(what, bytes, options) {
  if (bytes instanceof ArrayBuffer) {
    bytes = new Uint8Array(bytes);
  }
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(`audiopreflight ${what}: bytes must be a Uint8Array or an ArrayBuffer`);
  }
  if (options !== undefined && options !== null && (typeof options !== "object" || Array.isArray(options))) {
    throw new TypeError(`audiopreflight ${what}: options must be an object`);
  }
  if (typeof options?.syncLimit === "number" && !Number.isFinite(options.syncLimit)) {
    // JSON would carry it as null, the default.
    throw new TypeError(`audiopreflight ${what}: syncLimit must be a whole number of bytes, not ${options.syncLimit}`);
  }
  return bytes;
}

// unwrap returns a module call's value, or throws its error.
function unwrap(out) {
  if (out.error) {
    const Err = out.error.name === "TypeError" ? TypeError : Error;
    throw new Err(out.error.message);
  }
  return out;
}

// check runs the check on the calling thread: for long recordings, load the
// module in a Worker.
function check(api, bytes, options) {
  bytes = checkArgs("check", bytes, options);
  const out = api.check(bytes, JSON.stringify(options ?? {}));
  return JSON.parse(typeof out === "string" ? out : unwrap(out));
}

// fix makes the fixed file on the calling thread (a Worker, for long
// recordings): {bytes, name, report}, bytes null when no file was made
// (report.status and report.reason say why).
function fix(api, bytes, options) {
  const out = unwrap(api.fix(bytes, JSON.stringify(options ?? {})));
  return { bytes: out.bytes, name: out.name, report: JSON.parse(out.report) };
}
