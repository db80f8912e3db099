// audiopreflight for the browser: says which exception the speech-assessment
// API would answer for a piece of audio, or that it would accept it — in the
// page, without sending the audio anywhere.
//
//   import { load } from "./audiopreflight.js";
//   const ap = await load();
//   const result = ap.check(new Uint8Array(await file.arrayBuffer()), { name: file.name });
//   if (result.status === "rejected") console.log(result.exception.name, result.hint);
//
// check's result is the object that one line of `audiopreflight check -o
// jsonl` holds for a file of that name with those bytes: the same keys, the
// same values. scripts/build-web.sh puts this module beside
// audiopreflight.wasm and Go's wasm_exec.js, which it imports.

import "./wasm_exec.js"; // defines globalThis.Go, the runtime glue of Go's WebAssembly

let loads = 0;

/**
 * Loads and starts audiopreflight.wasm (by default the one beside this
 * module). Each call starts a separate instance.
 *
 * @param {string | URL} [wasmURL]
 * @returns {Promise<{check: (bytes: Uint8Array | ArrayBuffer, options?: CheckOptions) => object}>}
 */
export async function load(wasmURL = new URL("audiopreflight.wasm", import.meta.url)) {
  const go = new globalThis.Go();
  const readyName = `__audiopreflightReady${Date.now()}_${loads++}`;
  const ready = new Promise((resolve) => {
    globalThis[readyName] = resolve;
  });
  go.argv = ["audiopreflight.wasm", readyName];
  try {
    const instance = await instantiate(wasmURL, go.importObject);
    const exited = go.run(instance).then(() => {
      throw new Error("audiopreflight: audiopreflight.wasm stopped before it was ready");
    });
    const api = await Promise.race([ready, exited]);
    return Object.freeze({ check: (bytes, options) => check(api, bytes, options) });
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

// check runs the check on the calling thread: for long recordings, load the
// module in a Worker.
function check(api, bytes, options = {}) {
  if (bytes instanceof ArrayBuffer) {
    bytes = new Uint8Array(bytes);
  }
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError("audiopreflight check: bytes must be a Uint8Array or an ArrayBuffer");
  }
  if (options === undefined || options === null) {
    options = {};
  }
  if (typeof options !== "object" || Array.isArray(options)) {
    throw new TypeError("audiopreflight check: options must be an object");
  }
  if (typeof options.syncLimit === "number" && !Number.isFinite(options.syncLimit)) {
    // JSON would carry it as null, the default.
    throw new TypeError(`audiopreflight check: syncLimit must be a whole number of bytes, not ${options.syncLimit}`);
  }
  const out = api.check(bytes, JSON.stringify(options));
  if (typeof out !== "string") {
    const Err = out.error.name === "TypeError" ? TypeError : Error;
    throw new Err(out.error.message);
  }
  return JSON.parse(out);
}
