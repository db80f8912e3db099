#!/usr/bin/env bash
# Corpus family "check": the inputs that exercise the decision order itself rather than one
# container — base64 text in every shape Python's b64decode sees, the sync-limit boundary,
# empty and 1-byte inputs. The model runs on this family with --sync-limit 4096.
# usage: check.sh OUTDIR SCALE
set -euo pipefail
out=$1
cd "$out"
echo "--sync-limit 4096" > model-flags

# a real 16 kHz mono WAV to build from (0.1 s of a tone)
sox -V1 -R -D -n -r 16000 -c 1 -b 16 tone.wav synth 0.1 sine 440
python3 - <<'PY'
import base64, struct
tone = open("tone.wav", "rb").read()

def wav(n_data_bytes):
    """A 16 kHz mono PCM WAV whose file size is 44 + n_data_bytes."""
    pcm = (tone[44:] * 10)[:n_data_bytes]
    return (b"RIFF" + struct.pack("<I", 36 + len(pcm)) + b"WAVE" + b"fmt " +
            struct.pack("<IHHIIHH", 16, 1, 1, 16000, 32000, 2, 16) + b"data" + struct.pack("<I", len(pcm)) + pcm)

# the sync limit is 4096 bytes: exactly at it is fine, one byte over is AudioTooBigForSync
open("sync-at-limit.wav", "wb").write(wav(4096 - 44))
open("sync-one-over.wav", "wb").write(wav(4096 - 44 + 1))
open("sync-over-and-stereo.wav", "wb").write(wav(5000).replace(struct.pack("<HH", 1, 1), struct.pack("<HH", 1, 2), 1))
open("empty.wav", "wb").write(b"")
open("one-byte.wav", "wb").write(b"R")
open("one-byte-nul", "wb").write(b"\0")

small = wav(3200)
b64 = base64.b64encode(small)
cases = {
    "valid.b64": b64,
    "valid-wrapped-76.b64": b"\n".join(b64[i:i + 76] for i in range(0, len(b64), 76)) + b"\n",
    "valid-crlf.b64": b"\r\n".join(b64[i:i + 64] for i in range(0, len(b64), 64)),
    "junk-characters.b64": b"!!" + b64[:100] + b"*#-_~\x00\xff" + b64[100:] + b"??",
    "no-padding.b64": b64.rstrip(b"="),
    "bad-padding.b64": b64.rstrip(b"=") + b"=" * 3 if len(b64.rstrip(b"=")) % 4 else b64 + b"=",
    "one-over-multiple-of-4.b64": b64.rstrip(b"=") + b"AAAAA"[: (1 - len(b64.rstrip(b"="))) % 4 or 4],
    "padding-in-the-middle.b64": b64[:40] + b"==" + b64[40:],
    "data-after-padding.b64": base64.b64encode(small[:-1]) + b"QUJD",
    "empty.b64": b"",
    "whitespace-only.b64": b" \n\t\n",
    "url-safe-alphabet.b64": base64.urlsafe_b64encode(small),
    "not-audio.b64": base64.b64encode(b"hello, this is text and not audio at all"),
    "too-big-for-sync.b64": base64.b64encode(wav(5000)),
    "decodes-to-nothing.b64": b"====",
}
for name, data in cases.items():
    open(name, "wb").write(data)
PY
rm tone.wav
