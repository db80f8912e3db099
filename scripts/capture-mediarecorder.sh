#!/usr/bin/env bash
# capture-mediarecorder.sh — record WebM/Opus files with a real browser's MediaRecorder.
#
# usage: scripts/capture-mediarecorder.sh [OUTDIR]   (default: testdata/mediarecorder)
#
# Runs headless Chromium on a page that plays a two-tone signal through Web Audio into a
# MediaStream, records it with MediaRecorder, and hands the recording back base64-encoded on
# the console; the script decodes it into OUTDIR/NAME.webm. Each variant is one way browsers
# record speech:
#   chrome-stereo.webm        the default: a stereo stream, 1.5 s, data every 250 ms (timeslice)
#   chrome-mono.webm          a mono stream at 24 kbit/s, 2 s, no timeslice: Chromium then
#                             rewrites the file for seeking when it stops (known sizes, SeekHead,
#                             Duration, Cues)
#   chrome-video.webm         audio and a VP8 video track (a camera recording), 1.5 s
#   chrome-long-timeslice.webm  mono, 4 s, data every 1000 ms
# Chromium's recordings made with a timeslice have a Segment and Clusters of unknown size,
# SimpleBlocks only, no Cues and no Duration; all have an OpusHead with pre-skip 0 and block
# timestamps from the capture clock (they jitter around the 60 ms the packets hold). The files are not reproducible byte
# for byte (random track UIDs, clock jitter); the tests rely on what they are, not on a
# regeneration giving the same bytes.
# Needs: chromium (headless), base64.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../testdata/mediarecorder}
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat > "$work/rec.html" <<'HTML'
<html><body><script>
(async () => {
  const q = new URLSearchParams(location.search);
  const channels = +(q.get('channels') || 2), seconds = +(q.get('seconds') || 1.5);
  const ctx = new AudioContext({sampleRate: 48000});
  const dest = ctx.createMediaStreamDestination();
  dest.channelCount = channels;
  for (const f of [220, 330]) {
    const osc = ctx.createOscillator(), gain = ctx.createGain();
    osc.frequency.value = f; gain.gain.value = 0.2;
    osc.connect(gain).connect(dest); osc.start();
  }
  let stream = dest.stream, mime = 'audio/webm;codecs=opus';
  if (q.get('video')) {
    const canvas = document.createElement('canvas');
    canvas.width = 32; canvas.height = 32;
    const g = canvas.getContext('2d');
    setInterval(() => { g.fillStyle = '#' + Math.floor(Math.random() * 0xffffff).toString(16).padStart(6, '0'); g.fillRect(0, 0, 32, 32); }, 40);
    stream = new MediaStream([...canvas.captureStream(25).getVideoTracks(), ...dest.stream.getAudioTracks()]);
    mime = 'video/webm;codecs=vp8,opus';
  }
  const opts = {mimeType: mime};
  if (q.get('bitrate')) opts.audioBitsPerSecond = +q.get('bitrate');
  if (q.get('video')) opts.videoBitsPerSecond = 50000;
  const rec = new MediaRecorder(stream, opts);
  const parts = [];
  rec.ondataavailable = e => parts.push(e.data);
  rec.onstop = async () => {
    const buf = new Uint8Array(await new Blob(parts).arrayBuffer());
    let s = '';
    for (const b of buf) s += String.fromCharCode(b);
    const b64 = btoa(s);
    for (let i = 0; i < b64.length; i += 1000) console.log('B64:' + b64.slice(i, i + 1000));
    console.log('B64END');
    setTimeout(() => window.close(), 200); // lets headless Chromium exit
  };
  const slice = +(q.get('timeslice') || 0);
  if (slice) rec.start(slice); else rec.start();
  setTimeout(() => rec.stop(), seconds * 1000);
})().catch(e => console.log('ERR ' + e));
</script></body></html>
HTML

capture() { # NAME QUERY
  local name=$1 query=$2 log=$work/$1.log
  timeout 30 chromium --headless=new --no-sandbox --disable-gpu --autoplay-policy=no-user-gesture-required \
    --user-data-dir="$work/profile" --enable-logging=stderr --v=0 "file://$work/rec.html?$query" 2>"$log" >/dev/null || true
  grep -q B64END "$log" || { echo "capture-mediarecorder.sh: $name: no recording (see $log)" >&2; grep -o 'ERR .*' "$log" >&2 || true; exit 1; }
  grep -o 'B64:[A-Za-z0-9+/=]*' "$log" | sed 's/^B64://' | tr -d '\n' | base64 -d > "$out/$name.webm"
  printf '%-28s %6d bytes\n' "$name.webm" "$(stat -c %s "$out/$name.webm")"
}

capture chrome-stereo 'channels=2&seconds=1.5&timeslice=250&bitrate=32000'
capture chrome-mono 'channels=1&seconds=2&bitrate=24000'
capture chrome-video 'channels=1&seconds=1.5&timeslice=250&bitrate=24000&video=1'
capture chrome-long-timeslice 'channels=1&seconds=4&timeslice=1000&bitrate=16000'
chromium --version > "$out/chromium-version.txt" 2>/dev/null || true
