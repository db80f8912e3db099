#!/usr/bin/env bash
# bench-workload.sh — the benchmark workload scripts/bench.sh measures on, made deterministically.
#
# usage: scripts/bench-workload.sh [DIR] [--big] [--force]
#   DIR      where to make it (default /tmp/apf-workload)
#   --big    also DIR/big.wav: a 16 kHz mono 16-bit WAV with 2 GiB of PCM (past INT32_MAX bytes)
#   --force  make it again even when DIR/.complete says it is current
#
# What it makes (the families the budgets in CONTRIBUTING.md#benchmarks speak of):
#   small/          1000 small files, 1 to 4 s, named 0000 to 0999 in a fixed mix:
#                   70% 16 kHz mono 16-bit WAV (every other one written by ffmpeg, with a LIST/INFO
#                   chunk before the audio, the others by sox, with the bare 44-byte header),
#                   10% FLAC 16 kHz mono, 8% Ogg-Opus from 16 kHz mono, 7% WAV 44.1 kHz stereo,
#                   5% MP3 44.1 kHz mono behind an ID3v2 tag (rejected files, and an ID3 skip)
#   speech5s-wav/   1000 clips of exactly 5 s, 16 kHz mono 16-bit WAV (s0000.wav ...)
#   speech5s-flac/  the same clips as FLAC (flac -5: seek table, padding, a Vorbis comment)
#   speech5s-opus/  the same clips as Ogg-Opus (opusenc, 24 kb/s, a fixed serial number each)
#   big.wav         with --big only
#   MANIFEST.sha256 a checksum per file (not big.wav), so two runs can be compared
#
# The audio is synthesised speech (espeak-ng; sox tones when it is missing), so that the encoders
# do the work real recordings give them. Everything is deterministic: fixed texts, voices and
# serial numbers, sox -R, ffmpeg -bitexact; the same tool versions give the same bytes.
# DIR/.complete holds this script's checksum: bench.sh and a second run reuse a current workload.
# Needs: sox, flac, opusenc (opus-tools), ffmpeg (libmp3lame), /usr/bin/python3; espeak-ng.
# Takes about a minute on 2 cores, and 450 MiB (plus 2 GiB with --big).
set -euo pipefail

dir=/tmp/apf-workload
big=0
force=0
for a in "$@"; do
  case "$a" in
    --big) big=1 ;;
    --force) force=1 ;;
    -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
    -*) echo "bench-workload.sh: unknown option $a" >&2; exit 2 ;;
    *) dir=$a ;;
  esac
done
for t in sox flac opusenc ffmpeg; do
  command -v "$t" >/dev/null || { echo "bench-workload.sh: $t is needed (see the header of $0)" >&2; exit 1; }
done
py=/usr/bin/python3
[ -x "$py" ] || py=python3

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
stamp="bench-workload $(sha256sum "$0" | cut -c1-16)"
start=$(date +%s)

if [ "$force" = 0 ] && [ -f "$dir/.complete" ] && [ "$(cat "$dir/.complete")" = "$stamp" ]; then
  echo "bench-workload.sh: $dir is current"
else
  rm -rf "$dir/small" "$dir/speech5s-wav" "$dir/speech5s-flac" "$dir/speech5s-opus" "$dir/.work" \
    "$dir/.complete" "$dir/MANIFEST.sha256"
  work=$dir/.work
  mkdir -p "$work/voice" "$work/clip" "$work/small" "$dir/small" "$dir/speech5s-wav" "$dir/speech5s-flac" "$dir/speech5s-opus"

  # --- voices: 10 utterances, each fitted into exactly 5 s of 16 kHz mono ---------------------
  texts=(
    "Before every upload, the recording is checked for its rate, its channels and its length."
    "Our train leaves platform four at twenty past nine, and the next one is an hour later."
    "Please describe the picture on the screen in your own words, taking as long as you need."
    "The committee agreed to meet again in March, once the new figures have been published."
    "Mix two cups of flour with a pinch of salt, then add the warm water a little at a time."
    "If the line is busy, leave a short message with your name and the best time to call."
    "Seventeen students passed the oral exam this term, which is more than ever before."
    "A light breeze from the south will keep the afternoon pleasant along the whole coast."
    "Turn the handle slowly to the right until you hear a click, and then let it go."
    "Thank you for waiting, an agent will be with you in about three minutes from now."
  )
  voices=(en-us en-gb en-gb-scotland en-gb-x-rp en-029 en-us+f2 en-gb+f3 en-us+m3 en-gb-x-gbclan en-us+f4)
  for k in "${!texts[@]}"; do
    raw=$work/voice/raw$k.wav
    if command -v espeak-ng >/dev/null; then
      espeak-ng -v "${voices[$k]}" -s $((150 + 4 * k)) -w "$raw" "${texts[$k]}" 2>/dev/null ||
        espeak-ng -s $((150 + 4 * k)) -w "$raw" "${texts[$k]}"
      # speed up only what does not fit in 4.8 s; then exactly 5 s, with a faint noise floor so
      # that the pauses are not digital silence (which every encoder makes trivially small)
      tempo=$(soxi -D "$raw" | awk '{t = $1 / 4.8; printf "%.4f", (t < 1 ? 1 : t)}')
      sox -V1 -R -D "$raw" -r 16000 -c 1 -b 16 "$work/voice/fit$k.wav" tempo -s "$tempo" pad 0.1 5 trim 0 5
    else
      sox -V1 -R -D -n -r 16000 -c 1 -b 16 "$work/voice/fit$k.wav" synth 5 sine $((120 + 23 * k)) sine $((240 + 31 * k)) tremolo 5 50 vol 0.3
    fi
    sox -V1 -R -D -n -r 16000 -c 1 -b 16 "$work/voice/floor$k.wav" synth 5 brownnoise vol 0.002
    sox -V1 -R -D -m "$work/voice/fit$k.wav" "$work/voice/floor$k.wav" -b 16 "$work/voice/v$k.wav" trim 0 5
  done
  nvoice=${#texts[@]}

  # --- speech5s: 40 distinct clips (a voice, a gain, a pitch shift), each encoded three ways ---
  nclip=40
  for c in $(seq 0 $((nclip - 1))); do
    v=$((c % nvoice)) g=$((c / nvoice))
    sox -V1 -R -D "$work/voice/v$v.wav" -b 16 "$work/clip/c$c.wav" pitch $((g * 60 - 90)) rate 16000 gain -n -$((2 + g)) pad 0 1 trim 0 80000s
    flac -s -5 -f -o "$work/clip/c$c.flac" "$work/clip/c$c.wav"
    opusenc --quiet --serial $((7000 + c)) --bitrate 24 "$work/clip/c$c.wav" "$work/clip/c$c.opus"
  done

  # --- small: one file per kind, voice and length, made once and copied where the mix needs it
  small_file() { # kind voice seconds -> path of the made file
    local kind=$1 v=$2 s=$3 src=$work/voice/v$2.wav out
    case "$kind" in
      wav-sox) out=$work/small/$kind-$v-$s.wav
        [ -f "$out" ] || sox -V1 -R -D "$src" "$out" trim 0 "$s" ;;
      wav-ffmpeg) out=$work/small/$kind-$v-$s.wav
        [ -f "$out" ] || ffmpeg -v error -nostdin -bitexact -i "$src" -t "$s" -c:a pcm_s16le \
          -metadata title="take $v" -metadata artist="audiopreflight bench" -y "$out" ;;
      flac) out=$work/small/$kind-$v-$s.flac
        [ -f "$out" ] || { sox -V1 -R -D "$src" "$out.wav" trim 0 "$s"; flac -s -5 -f -o "$out" "$out.wav"; rm -f "$out.wav"; } ;;
      opus) out=$work/small/$kind-$v-$s.opus
        [ -f "$out" ] || { sox -V1 -R -D "$src" "$out.wav" trim 0 "$s"
          opusenc --quiet --serial $((9000 + 10 * v + s)) --bitrate 24 "$out.wav" "$out"; rm -f "$out.wav"; } ;;
      wav-44k-stereo) out=$work/small/$kind-$v-$s.wav
        [ -f "$out" ] || sox -V1 -R -D "$src" -r 44100 -c 2 -b 16 "$out" trim 0 "$s" remix 1 1 ;;
      mp3) out=$work/small/$kind-$v-$s.mp3
        [ -f "$out" ] || ffmpeg -v error -nostdin -bitexact -i "$src" -t "$s" -ar 44100 -ac 1 \
          -c:a libmp3lame -b:a 64k -id3v2_version 3 -metadata title="take $v" -y "$out" ;;
    esac
    echo "$out"
  }
  plan=$work/plan.tsv
  : > "$plan"
  for i in $(seq 0 999); do
    slot=$((i % 100)) v=$(((i * 3) % nvoice)) s=$((1 + (i * 7) % 4))
    if [ $slot -lt 70 ]; then
      if [ $((i % 2)) = 0 ]; then kind=wav-ffmpeg; else kind=wav-sox; fi; ext=wav
    elif [ $slot -lt 80 ]; then kind=flac ext=flac
    elif [ $slot -lt 88 ]; then kind=opus ext=opus
    elif [ $slot -lt 95 ]; then kind=wav-44k-stereo ext=wav
    else kind=mp3 ext=mp3
    fi
    printf '%s\t%s\n' "$(small_file "$kind" "$v" "$s")" "$dir/small/$(printf %04d "$i").$ext" >> "$plan"
  done
  for i in $(seq 0 999); do
    c=$((i % nclip))
    for f in wav flac opus; do
      printf '%s\t%s\n' "$work/clip/c$c.$f" "$dir/speech5s-$f/s$(printf %04d "$i").$f" >> "$plan"
    done
  done
  # 4000 copies in one process: a process per copy would take longer than everything else
  "$py" - "$plan" <<'PY'
import shutil, sys
with open(sys.argv[1]) as plan:
    for line in plan:
        src, dst = line.rstrip("\n").split("\t")
        shutil.copyfile(src, dst)
PY
  rm -rf "$work"
  (cd "$dir" && find small speech5s-wav speech5s-flac speech5s-opus -type f -print0 | LC_ALL=C sort -z |
    xargs -0 sha256sum > MANIFEST.sha256)
  echo "$stamp" > "$dir/.complete"
fi

if [ "$big" = 1 ]; then
  pcm=$((2 << 30))
  if [ -f "$dir/big.wav" ] && [ "$(stat -c %s "$dir/big.wav")" = $((pcm + 44)) ] && [ "$force" = 0 ]; then
    echo "bench-workload.sh: $dir/big.wav is there"
  else
    free_kib=$(df -Pk "$dir" | awk 'NR == 2 {print $4}')
    if [ "$free_kib" -lt $(((pcm >> 10) + (256 << 10))) ]; then
      echo "bench-workload.sh: $dir has $free_kib KiB free; big.wav needs 2 GiB and some room" >&2
      exit 1
    fi
    # the 5-second clips' PCM over and over: real speech, written in large sequential blocks
    "$py" - "$dir/big.wav" "$pcm" "$dir/speech5s-wav" <<'PY'
import os, struct, sys
out, n, clips = sys.argv[1], int(sys.argv[2]), sys.argv[3]
speech = bytearray()
for name in sorted(os.listdir(clips))[:40]:
    with open(os.path.join(clips, name), "rb") as f:
        wav = f.read()
    speech += wav[wav.index(b"data") + 8:]
block = bytes(speech) * max(1, (8 << 20) // len(speech))
header = (b"RIFF" + struct.pack("<I", (36 + n) & 0xFFFFFFFF) + b"WAVE"
          + b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, 16000, 32000, 2, 16)
          + b"data" + struct.pack("<I", n & 0xFFFFFFFF))
with open(out + ".part", "wb") as f:
    f.write(header)
    left = n
    while left > 0:
        f.write(block[:min(left, len(block))])
        left -= min(left, len(block))
os.replace(out + ".part", out)
PY
  fi
fi

echo "bench-workload.sh: $dir ready in $(($(date +%s) - start)) s"
for d in small speech5s-wav speech5s-flac speech5s-opus; do
  printf '  %-14s %5d files %7s\n' "$d" "$(find "$dir/$d" -type f | wc -l)" "$(du -sh --apparent-size "$dir/$d" | cut -f1)"
done
[ ! -f "$dir/big.wav" ] || printf '  %-14s %5d file  %7s\n' big.wav 1 "$(du -h --apparent-size "$dir/big.wav" | cut -f1)"
printf '  manifest %s\n' "$(sha256sum "$dir/MANIFEST.sha256" | cut -c1-16)"
