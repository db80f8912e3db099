#!/usr/bin/env bash
# make-pcm-fixtures.sh — rebuild internal/pcm/testdata: one short file for each container and
# sample coding the decoders read (WAV, RIFX, RF64, W64, AIFF, AIFF-C, AU, CAF with PCM, float
# and the laws; FLAC; MP3; Ogg-Vorbis) and a few they do not, each with what libsndfile decodes
# from it (NAME.f32: interleaved little-endian float32, as python-soundfile reads it), which the
# tests compare the decoders with.
# Needs: sox, ffmpeg, /usr/bin/python3 with python3-soundfile.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(cd "$here/.." && pwd)/internal/pcm/testdata
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -rf "$out"; mkdir -p "$out"

# sweeps (quieter for the lossy codings, whose decoded peaks may overshoot) at 44.1 kHz (two channels, 0.05 s for the uncompressed codings, 0.25 s for the others),
# 16 kHz and 48 kHz, stored as 32-bit float
sox -V1 -R -n -r 44100 -c 2 -e float -b 32 "$tmp/st.wav" synth 0.05 sine 200-6000 sine 300-9000 vol 0.7
sox -V1 -R -n -r 44100 -c 2 -e float -b 32 "$tmp/long.wav" synth 0.25 sine 200-6000 sine 300-9000 vol 0.5
sox -V1 -R -n -r 16000 -c 1 -e float -b 32 "$tmp/mono16.wav" synth 0.25 sine 200-6000 vol 0.5
sox -V1 -R -n -r 48000 -c 2 -e float -b 32 "$tmp/st48.wav" synth 0.05 sine 200-6000 sine 300-9000 vol 0.7

s() { sox -V1 -R -D "$tmp/st.wav" "$@"; }
s -e signed -b 16 "$out/wav-s16.wav"
s -e unsigned -b 8 "$out/wav-u8.wav"
s -e signed -b 24 "$out/wav-s24.wav"
s -e signed -b 32 "$out/wav-s32.wav"
s -e float -b 32 "$out/wav-f32.wav"
s -e float -b 64 "$out/wav-f64.wav"
s -e mu-law "$out/wav-ulaw.wav"
s -e a-law "$out/wav-alaw.wav"
s -e signed -b 16 -B "$out/rifx-s16.wav"
s -e signed -b 24 "$out/w64-s24.w64"
s -e signed -b 16 "$out/aiff-s16.aiff"
s -e signed -b 8 "$out/aiff-s8.aiff"
s -e floating-point -b 32 "$out/aifc-f32.aifc"
s -e mu-law "$out/aifc-ulaw.aifc"
s -e signed -b 16 "$out/au-s16.au"
s -e signed -b 8 "$out/au-s8.au"
s -e floating-point -b 64 "$out/au-f64.au"
s -e a-law "$out/au-alaw.au"
f() { ffmpeg -v error -bitexact -i "$tmp/st.wav" "$@"; }
f -c:a pcm_s16le -rf64 always -y "$out/rf64-s16.wav"
f -c:a pcm_s16le -y "$out/aifc-sowt.aifc"
f -c:a pcm_s16be -y "$out/caf-s16.caf"
f -c:a pcm_f32le -y "$out/caf-f32le.caf"
f -c:a pcm_mulaw -y "$out/caf-ulaw.caf"
f -c:a flac -sample_fmt s16 -y "$out/flac-s16.flac"
ffmpeg -v error -bitexact -i "$tmp/st48.wav" -c:a flac -sample_fmt s32 -bits_per_raw_sample 24 -y "$out/flac-s24-48k.flac"
f() { ffmpeg -v error -bitexact -i "$tmp/long.wav" "$@"; }
f -c:a libmp3lame -b:a 128k -y "$out/mp3-44k-stereo.mp3"
f -c:a libmp3lame -ar 24000 -b:a 64k -y "$out/mp3-24k-stereo.mp3"
ffmpeg -v error -bitexact -i "$tmp/mono16.wav" -c:a libmp3lame -b:a 32k -y "$out/mp3-16k-mono.mp3"
f -c:a libvorbis -y "$out/vorbis-44k-stereo.ogg"
ffmpeg -v error -bitexact -i "$tmp/mono16.wav" -c:a libvorbis -y "$out/vorbis-16k-mono.ogg"
# ALAC in CAF as libsndfile writes it (it does not open ffmpeg's, whose format flags are 0)
sox -V1 -R -n -r 44100 -c 2 -b 16 "$tmp/noise.wav" synth 0.1 whitenoise
/usr/bin/python3 - "$tmp" "$out" <<'PY'
import sys, soundfile as sf
tmp, out = sys.argv[1], sys.argv[2]
st, rate = sf.read(tmp + "/long.wav", dtype="float32")
sf.write(out + "/alac-s16.caf", st, rate, format="CAF", subtype="ALAC_16")
sf.write(out + "/alac-s20.caf", st, rate, format="CAF", subtype="ALAC_20")
m, rate48 = sf.read(tmp + "/st48.wav", dtype="float32")
sf.write(out + "/alac-s24-48k-mono.caf", m[:, 0], rate48, format="CAF", subtype="ALAC_24")
sf.write(out + "/alac-s32.caf", m, rate48, format="CAF", subtype="ALAC_32")
n, rate = sf.read(tmp + "/noise.wav", dtype="int16")
sf.write(out + "/alac-noise.caf", n, rate, format="CAF", subtype="ALAC_16")
PY
# codings the decoders leave to ffmpeg
s() { sox -V1 -R -D "$tmp/long.wav" "$@"; }
s -e ima-adpcm "$out/no-wav-ima.wav"
s -e gsm-full-rate -r 8000 -c 1 "$out/no-wav-gsm.wav"
f -c:a mp2 -y "$out/no-mp2.mp2"
# MPEG-2 at 22.05 kHz with padded frames (32 kbit/s), which go-mp3 misreads
ffmpeg -v error -bitexact -i "$tmp/mono16.wav" -c:a libmp3lame -ar 22050 -b:a 32k -y "$out/no-mp3-22k-32k.mp3"

cd "$out"
/usr/bin/python3 - <<'PY'
import glob, os, soundfile as sf, numpy as np
for name in sorted(glob.glob("*")):
    if name.endswith(".f32") or name.startswith("no-"):
        continue
    data, rate = sf.read(name, dtype="float32", always_2d=True)
    data.astype("<f4").tofile(name + ".f32")
PY
