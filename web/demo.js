// The demo page: checks dropped, chosen and recorded audio with
// audiopreflight.js, in the page, and fixes what the API would reject.
// Nothing here sends audio anywhere.
import { load } from "./audiopreflight.js";

const $ = (id) => document.getElementById(id);
const status = $("status");
const results = $("results");
const form = $("options");
const checked = []; // {name, bytes, element}: checked again when the options change

let ap;
try {
  const start = performance.now();
  ap = await load();
  status.textContent = `Ready (the checker loaded in ${Math.round(performance.now() - start)} ms). Drop a file or record one.`;
  document.body.dataset.ready = "true";
} catch (e) {
  status.textContent = `The checker did not load: ${e.message}`;
  throw e;
}

function options(name) {
  const f = new FormData(form);
  return { request: f.get("request"), mode: f.get("mode"), headerOnly: f.get("headerOnly") === "on", name };
}

async function checkBlob(name, blob) {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  const element = document.createElement("section");
  element.className = "result";
  results.prepend(element);
  const entry = { name, bytes, element };
  checked.push(entry);
  show(entry);
}

function show(entry) {
  const { name, bytes, element } = entry;
  let r;
  const start = performance.now();
  try {
    r = ap.check(bytes, options(name));
  } catch (e) {
    element.replaceChildren(heading(name), text("p", `Could not check it: ${e.message}`));
    return;
  }
  const ms = performance.now() - start;
  const children = [heading(name)];
  const line = document.createElement("p");
  line.append(badge(r.status));
  if (r.exception) {
    line.append(text("span", `${r.exception.name}: ${r.exception.message}`, "verdict"));
  } else if (r.status === "accepted") {
    line.append(text("span", "The API would accept it.", "verdict"));
  } else if (r.status === "undecided") {
    line.append(text("span", `Nothing found in the headers; not decided: ${r.undecided.join(", ")}`, "verdict"));
  } else {
    line.append(text("span", r.error, "verdict"));
  }
  children.push(line);
  if (r.exception?.detail) children.push(text("p", r.exception.detail));
  for (const f of (r.findings || []).slice(1)) children.push(text("p", `Also: ${f.name} (${f.detail || f.message})`));
  for (const w of r.warnings || []) children.push(text("p", `Warning: ${w}`));
  if (r.hint) children.push(text("pre", r.hint));
  if (r.audio) children.push(facts(r.audio, bytes.length));
  if (r.status === "rejected") children.push(fixPanel(entry));
  const raw = document.createElement("details");
  raw.append(text("summary", `The result as check -o jsonl prints it (checked in ${ms.toFixed(1)} ms)`), text("pre", JSON.stringify(r, null, 2)));
  children.push(raw);
  element.replaceChildren(...children);
  element.dataset.status = r.status;
}

// fixPanel offers to fix a rejected file here, as `audiopreflight fix`
// would: the fixed file is made in the page, checked again, and offered
// for download. Nothing is uploaded.
function fixPanel(entry) {
  const panel = document.createElement("div");
  panel.className = "fix";
  const button = text("button", "Fix it here");
  button.type = "button";
  button.className = "fix-button";
  panel.append(button);
  button.addEventListener("click", async () => {
    button.disabled = true;
    button.textContent = "Fixing…";
    const f = new FormData(form);
    const opts = { request: f.get("request"), mode: f.get("mode"), name: entry.name };
    let out;
    try {
      out = await ap.fix(entry.bytes, opts);
    } catch (e) {
      panel.replaceChildren(text("p", `Could not fix it: ${e.message}`));
      return;
    }
    panel.replaceChildren(...fixed(out, opts));
  });
  return panel;
}

// fixed shows what fix made: what was done, the fixed file's own verdict
// (checked again here) and its download; or why it was not fixed.
function fixed({ bytes, name, report }, opts) {
  if (!bytes) {
    const why = report.status === "accepted" ? "it is accepted as it is" : report.reason || report.error;
    return [text("p", `Not fixed: ${why}`, "verdict")];
  }
  const out = [];
  const how = report.lossless ? "lossless: no audio decoded, every packet copied" : "decoded and re-encoded";
  out.push(text("p", `Fixed (${report.method}, ${how}): ${name}, ${bytes.length} bytes`, "verdict"));
  const steps = document.createElement("ul");
  for (const s of [...report.steps, ...report.notes]) steps.append(text("li", s));
  out.push(steps);
  const r = ap.check(bytes, { ...opts, name });
  const line = document.createElement("p");
  line.className = "fixed-verdict";
  line.dataset.status = r.status;
  line.append(badge(r.status), text("span", r.exception ? `${r.exception.name}: ${r.exception.message}` : "The API would accept the fixed file.", "verdict"));
  out.push(line);
  if (r.audio) out.push(facts(r.audio, bytes.length));
  const a = text("a", `Download ${name}`, "download");
  a.href = URL.createObjectURL(new Blob([bytes], { type: mimeTypes[name.slice(name.lastIndexOf("."))] || "application/octet-stream" }));
  a.download = name.slice(name.lastIndexOf("/") + 1);
  out.push(a);
  return out;
}

const mimeTypes = { ".opus": "audio/ogg", ".ogg": "audio/ogg", ".oga": "audio/ogg", ".wav": "audio/wav", ".wave": "audio/wav", ".flac": "audio/flac" };

function facts(a, size) {
  const dl = document.createElement("dl");
  const add = (k, v) => {
    if (v === undefined || v === null || v === "") return;
    dl.append(text("dt", k), text("dd", String(v)));
  };
  add("container", [a.container, a.variant].filter(Boolean).join(" "));
  add("codec", a.codec);
  add("sample rate", a.sample_rate && `${a.sample_rate} Hz`);
  add("channels", a.channels);
  add("duration", a.duration_seconds != null && `${a.duration_seconds} s`);
  add("size", `${size} bytes`);
  return dl;
}

function heading(name) {
  return text("h2", name);
}

function badge(s) {
  return text("span", s, `badge ${s}`);
}

function text(tag, content, className) {
  const e = document.createElement(tag);
  e.textContent = content;
  if (className) e.className = className;
  return e;
}

// Files: dropped or chosen.
const drop = $("drop");
drop.addEventListener("dragover", (e) => {
  e.preventDefault();
  drop.classList.add("over");
});
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (e) => {
  e.preventDefault();
  drop.classList.remove("over");
  for (const f of e.dataTransfer.files) checkBlob(f.name, f);
});
$("files").addEventListener("change", (e) => {
  for (const f of e.target.files) checkBlob(f.name, f);
  e.target.value = "";
});
form.addEventListener("change", () => checked.forEach(show));

// Recording: MediaRecorder's own format (WebM/Opus in Chromium and Firefox,
// MP4/AAC in Safari), checked as the file an upload would send.
const extensions = { "audio/webm": ".webm", "video/webm": ".webm", "audio/ogg": ".ogg", "audio/mp4": ".m4a", "video/mp4": ".mp4" };
const recordButton = $("record");
let recorder;
let takes = 0;
recordButton.addEventListener("click", async () => {
  if (recorder) {
    recorder.stop();
    return;
  }
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  } catch (e) {
    status.textContent = `No microphone: ${e.message}`;
    return;
  }
  const parts = [];
  recorder = new MediaRecorder(stream);
  recorder.ondataavailable = (e) => parts.push(e.data);
  recorder.onstop = () => {
    stream.getTracks().forEach((t) => t.stop());
    const type = recorder.mimeType.split(";")[0];
    recorder = undefined;
    recordButton.textContent = "Record from the microphone";
    recordButton.classList.remove("recording");
    checkBlob(`recording-${++takes}${extensions[type] || ""}`, new Blob(parts, { type }));
  };
  recorder.start();
  recordButton.textContent = "Stop and check";
  recordButton.classList.add("recording");
});
