#!/usr/bin/env bash
# wav.sh OUTDIR SCALE — the WAV family's part of the differential corpus.
#
# Makes RIFF/WAVE (every codec libsndfile reads in WAV, plain and
# WAVE_FORMAT_EXTENSIBLE), RIFX, RF64, BW64 and Sony Wave64 files with sox,
# ffmpeg and libsndfile itself (python3-soundfile), then hand-edits copies
# into broken ones: truncations at every structural boundary, zero, odd and
# huge sizes, missing and misplaced chunks, every fmt field libsndfile
# checks. All of it is deterministic (sox -R, ffmpeg -bitexact, fixed seeds).
#
# SCALE 1 makes the small committed set. SCALE > 1 adds SCALE random
# mutations of each base file in mut/: byte flips in the header region,
# size fields set to awkward values, truncations (fixed seeds).
#
# Needs: sox, ffmpeg (with libmp3lame), /usr/bin/python3 with python3-soundfile and numpy.
set -euo pipefail

out=${1:?usage: wav.sh OUTDIR SCALE}
scale=${2:-1}
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# --- files made by the tools ------------------------------------------------
s() { sox -R -D -n "$@" 2>/dev/null; }
s -r 16000 -c 1 -b 16 -e signed "$tmp/pcm16-16k-mono.wav" synth 0.1 sine 440
s -r 8000 -c 1 -b 8 -e unsigned "$tmp/pcm-u8-8k.wav" synth 0.1 sine 440
s -r 16000 -c 1 -b 24 -e signed "$tmp/ext-pcm24.wav" synth 0.05 sine 440
s -r 16000 -c 1 -b 24 -e signed -t wavpcm "$tmp/pcm24.wav" synth 0.05 sine 440
s -r 16000 -c 1 -b 32 -e signed -t wavpcm "$tmp/pcm32.wav" synth 0.05 sine 440
s -r 16000 -c 1 -b 32 -e floating-point "$tmp/float32.wav" synth 0.05 sine 440
s -r 16000 -c 1 -b 64 -e floating-point "$tmp/float64.wav" synth 0.03 sine 440
s -r 8000 -c 1 -e u-law "$tmp/ulaw-8k.wav" synth 0.1 sine 440
s -r 8000 -c 1 -e a-law "$tmp/alaw-8k.wav" synth 0.1 sine 440
s -r 16000 -c 1 -e ima-adpcm "$tmp/ima-16k.wav" synth 0.1 sine 440
s -r 8000 -c 2 -e ima-adpcm "$tmp/ima-stereo.wav" synth 0.1 sine 440
s -r 16000 -c 1 -e ms-adpcm "$tmp/msadpcm-16k.wav" synth 0.1 sine 440
s -r 8000 -c 2 -e ms-adpcm "$tmp/msadpcm-stereo.wav" synth 0.1 sine 440
s -r 8000 -c 1 -e gsm-full-rate "$tmp/gsm-8k.wav" synth 0.1 sine 440
s -r 44100 -c 2 -b 16 -e signed "$tmp/pcm16-44k-stereo.wav" synth 0.03 sine 440
s -r 16000 -c 1 -b 16 -e signed -B "$tmp/rifx-pcm16.wav" synth 0.05 sine 440
s -r 16000 -c 1 -b 24 -e signed -B -t wavpcm "$tmp/rifx-pcm24.wav" synth 0.03 sine 440
s -r 16000 -c 1 -b 16 -e signed -t w64 "$tmp/w64-pcm16.w64" synth 0.05 sine 440
s -r 16000 -c 1 -b 32 -e floating-point -t w64 "$tmp/w64-float.w64" synth 0.03 sine 440

f() { ffmpeg -hide_banner -loglevel error -nostdin -f lavfi -i "$1" "${@:3}" -bitexact -y "$tmp/$2"; }
f "sine=frequency=440:sample_rate=16000:duration=0.1" rf64-pcm16.wav -c:a pcm_s16le -rf64 always
f "sine=frequency=440:sample_rate=16000:duration=0.05" rf64-float.wav -c:a pcm_f32le -rf64 always
f "sine=frequency=440:sample_rate=16000:duration=0.3" mp3-16k-mono.wav -c:a libmp3lame -b:a 32k
f "sine=frequency=440:sample_rate=44100:duration=0.2" mp3-44k-stereo.wav -c:a libmp3lame -b:a 64k -ac 2
f "sine=frequency=440:sample_rate=16000:duration=0.2" mp2-16k.wav -c:a mp2
f "sine=frequency=440:sample_rate=16000:duration=0.02" ext-6ch.wav -c:a pcm_s16le -ac 6

/usr/bin/python3 - "$tmp" <<'PY'
import sys
import numpy as np
import soundfile as sf
d = sys.argv[1]
x = (np.sin(np.arange(1600) * 2 * np.pi * 440 / 16000) * 0.5).astype("float32")
for name, fmt, sub, n in [
    ("g721-8k.wav", "WAV", "G721_32", 800),
    ("nms16-8k.wav", "WAV", "NMS_ADPCM_16", 800),
    ("nms24-8k.wav", "WAV", "NMS_ADPCM_24", 800),
    ("nms32-8k.wav", "WAV", "NMS_ADPCM_32", 800),
    ("w64-ima.w64", "W64", "IMA_ADPCM", 1600),
    ("w64-msadpcm.w64", "W64", "MS_ADPCM", 1600),
    ("w64-gsm.w64", "W64", "GSM610", 1600),
    ("w64-ulaw.w64", "W64", "ULAW", 800),
    ("rf64-ulaw.wav", "RF64", "ULAW", 800),
]:
    sf.write(f"{d}/{name}", x[:n], 8000 if "8k" in name else 16000, format=fmt, subtype=sub)
PY

# --- hand-made and hand-edited files ----------------------------------------
/usr/bin/python3 - "$tmp" "$out" "$scale" <<'PY'
import os, random, re, struct, sys, zlib

src, out, scale = sys.argv[1], sys.argv[2], int(sys.argv[3])
files = {}

def load(name):
    with open(os.path.join(src, name), "rb") as fh:
        return fh.read()

for name in sorted(os.listdir(src)):
    files[name] = load(name)

def put(name, data):
    assert name not in files, name
    files[name] = bytes(data)

def u16(v, be=False): return struct.pack(">H" if be else "<H", v & 0xFFFF)
def u32(v, be=False): return struct.pack(">I" if be else "<I", v & 0xFFFFFFFF)
def u64(v): return struct.pack("<Q", v & 0xFFFFFFFFFFFFFFFF)

def chunk(cid, body, size=None, pad=True, be=False):
    b = cid + u32(len(body) if size is None else size, be) + body
    if pad and len(body) % 2:
        b += b"\0"
    return b

def riff(chunks, size=None, magic=b"RIFF", form=b"WAVE", be=False):
    body = form + b"".join(chunks)
    return magic + u32(len(body) if size is None else size, be) + body

def fmt(tag=1, ch=1, rate=16000, bits=16, align=None, rate_b=None, extra=None, be=False):
    if align is None:
        align = ch * ((bits + 7) // 8)
    if rate_b is None:
        rate_b = rate * align
    b = u16(tag, be) + u16(ch, be) + u32(rate, be) + u32(rate_b, be) + u16(align, be) + u16(bits, be)
    if extra is not None:
        b += u16(len(extra), be) + extra
    return b

GUID_TAIL = bytes([0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71])
def ext(sub, ch=1, rate=16000, bits=16, valid=None, mask=4, align=None):
    guid = u16(sub) + GUID_TAIL
    extra = u16(bits if valid is None else valid) + u32(mask) + guid
    return fmt(0xFFFE, ch, rate, bits, align, extra=extra)

def tone(n, width=2, ch=1):
    # Deterministic 16-bit-ish samples without numpy.
    out = bytearray()
    for i in range(n * ch):
        v = int(12000 * ((i * 37 % 200) - 100) / 100)
        out += v.to_bytes(4, "little", signed=True)[:width]
    return bytes(out)

pcm = tone(1600)  # 0.1 s of 16 kHz mono 16-bit
fmt16 = chunk(b"fmt ", fmt())

def wav(*chunks, **kw):
    return riff(list(chunks), **kw)

base = files["pcm16-16k-mono.wav"]

# A WAV as ffmpeg writes it: a LIST/INFO/ISFT chunk before the audio.
info = chunk(b"LIST", b"INFO" + chunk(b"ISFT", b"Lavf59.27.100\0"))
put("ffmpeg-style-list.wav", wav(fmt16, info, chunk(b"data", pcm)))
ffm = files["ffmpeg-style-list.wav"]

# Truncations at every structural boundary of the ffmpeg-style file and a few inside.
list_at = ffm.index(b"LIST")
data_at = ffm.index(b"data")
for cut in sorted({1, 4, 8, 11, 12, 13, 16, 20, 22, 24, 28, 32, 35, 36, list_at, list_at + 4, list_at + 8,
                   list_at + 12, data_at - 1, data_at, data_at + 4, data_at + 7, data_at + 8, data_at + 9,
                   data_at + 10, data_at + 11, len(ffm) // 2, len(ffm) - 1}):
    put(f"trunc-{cut:05d}.wav", ffm[:cut])

# RIFF size field.
for name, v in [("0", 0), ("8", 8), ("ffffffff", 0xFFFFFFFF), ("small", 100), ("large", len(base) + 1000), ("odd", len(base) - 7)]:
    put(f"riffsize-{name}.wav", base[:4] + u32(v) + base[8:])

# data size field.
ds = base.index(b"data") + 4
for name, v in [("0", 0), ("ffffffff", 0xFFFFFFFF), ("1g", 1 << 30), ("odd", 3199), ("small", 100), ("large", 10000),
                ("fffffffe", 0xFFFFFFFE), ("80000000", 0x80000000)]:
    put(f"datasize-{name}.wav", base[:ds] + u32(v) + base[ds + 4:])
put("datasize-0-unclosed.wav", base[:4] + u32(8) + base[8:ds] + u32(0) + base[ds + 4:])
put("datasize-0-unclosed-short.wav", (base[:4] + u32(8) + base[8:ds] + u32(0) + base[ds + 4:])[:44])
put("datasize-0-list-after.wav", wav(fmt16, chunk(b"data", b"", size=0), info) + pcm)
put("data-odd-pad.wav", wav(fmt16, chunk(b"data", pcm[:3199]), info))
put("data-odd-nopad.wav", wav(fmt16, chunk(b"data", pcm[:3199], pad=False), info))
put("data-then-list.wav", wav(fmt16, chunk(b"data", pcm), info))
put("data-then-junk-odd.wav", wav(fmt16, chunk(b"data", pcm), chunk(b"JUNK", b"abc"), info))

# Missing, misplaced and repeated chunks.
put("no-data.wav", wav(fmt16, info))
put("no-fmt.wav", wav(info, chunk(b"data", pcm)))
put("data-before-fmt.wav", wav(chunk(b"data", pcm), fmt16))
put("two-fmt.wav", wav(fmt16, chunk(b"fmt ", fmt(ch=2, rate=8000)), chunk(b"data", pcm)))
put("two-data.wav", wav(fmt16, chunk(b"data", pcm[:1000]), info, chunk(b"data", pcm)))
put("fact-before-fmt.wav", wav(chunk(b"fact", u32(1600)), fmt16, chunk(b"data", pcm)))
put("second-riff.wav", wav(fmt16, chunk(b"RIFF", b"WAVE"), chunk(b"data", pcm)))
put("only-riff-header.wav", riff([]))

# fmt chunk size and fields.
for size in [0, 14, 15, 17, 18, 20, 40, 1 << 30, 0x80000000]:
    body = fmt() + b"\0" * 24
    put(f"fmtsize-{size}.wav", wav(chunk(b"fmt ", body[:max(min(size, 40), 0)], size=size), chunk(b"data", pcm)))
put("fmtsize-17-nopad.wav", wav(chunk(b"fmt ", fmt() + b"\0", pad=False), chunk(b"data", pcm)))
put("fmt-1g-36bytes.wav", riff([chunk(b"fmt ", b"", size=1 << 30)], size=28) + b"\0" * 16)
for name, kw in [
    ("blockalign-0", dict(align=0)), ("channels-0", dict(ch=0)), ("channels-2", dict(ch=2)),
    ("channels-1025", dict(ch=1025)), ("channels-65535", dict(ch=65535)),
    ("bits-0", dict(bits=0)), ("bits-1", dict(bits=1)), ("bits-8", dict(bits=8)), ("bits-12", dict(bits=12)),
    ("bits-20", dict(bits=20)), ("bits-24", dict(bits=24)), ("bits-32", dict(bits=32)), ("bits-33", dict(bits=33)),
    ("bits-64", dict(bits=64)), ("rate-0", dict(rate=0)), ("rate-2g", dict(rate=0x80000000)),
    ("rate-1", dict(rate=1)), ("tag-1234", dict(tag=0x1234)), ("tag-ibm-mulaw", dict(tag=0x0101)),
    ("tag-0", dict(tag=0)), ("float-16", dict(tag=3, bits=16)), ("float-24", dict(tag=3, bits=24)),
    ("float-32", dict(tag=3, bits=32)), ("float-64", dict(tag=3, bits=64)), ("mulaw-16bit", dict(tag=7, bits=16)),
    ("alaw-ch2", dict(tag=6, ch=2, bits=8)),
]:
    put(f"fmt-{name}.wav", wav(chunk(b"fmt ", fmt(**kw)), chunk(b"data", pcm)))
# 24-bit PCM whose block align says 32 bits: libsndfile looks at the samples.
i24in32 = bytes(b for i in range(2000) for b in (0, (i * 7) & 0xFF or 1, (i * 3) & 0x7F, 0))
put("pcm24-align32-int.wav", wav(chunk(b"fmt ", fmt(bits=24, align=4)), chunk(b"data", i24in32)))
flt = b"".join(struct.pack("<f", 100.0 + i) for i in range(2000))
put("pcm24-align32-float.wav", wav(chunk(b"fmt ", fmt(bits=24, align=4)), chunk(b"data", flt)))
put("pcm24-align32-short.wav", wav(chunk(b"fmt ", fmt(bits=24, align=4)), chunk(b"data", pcm[:800])))

# Extensible.
put("ext-pcm16.wav", wav(chunk(b"fmt ", ext(1)), chunk(b"data", pcm)))
put("ext-float32.wav", wav(chunk(b"fmt ", ext(3, bits=32)), chunk(b"data", pcm)))
put("ext-float24.wav", wav(chunk(b"fmt ", ext(3, bits=24)), chunk(b"data", pcm)))
put("ext-mulaw.wav", wav(chunk(b"fmt ", ext(7, bits=8)), chunk(b"data", pcm)))
put("ext-alaw.wav", wav(chunk(b"fmt ", ext(6, bits=8)), chunk(b"data", pcm)))
put("ext-unknown-guid.wav", wav(chunk(b"fmt ", ext(0x55)), chunk(b"data", pcm)))
put("ext-short-fmt.wav", wav(chunk(b"fmt ", fmt(0xFFFE)), chunk(b"data", pcm)))
put("ext-mask-0.wav", wav(chunk(b"fmt ", ext(1, mask=0)), chunk(b"data", pcm)))
put("ext-ambisonic.wav", wav(chunk(b"fmt ", fmt(0xFFFE, extra=u16(16) + u32(0) + u32(1) + u16(0x0721) + u16(0x11d3)
                                            + bytes([0x86, 0x44, 0xc8, 0xc1, 0xca, 0, 0, 0]))), chunk(b"data", pcm)))
ima = files["ima-16k.wav"]
ima_fmt = ima[20:20 + struct.unpack("<I", ima[16:20])[0]]
put("ext-msadpcm-validbits.wav", wav(chunk(b"fmt ", fmt(0xFFFE, bits=4, align=256,
                                                      extra=u16(500) + u32(4) + u16(2) + GUID_TAIL)), chunk(b"data", pcm)))

# IMA ADPCM fields.
ima_data = ima[ima.index(b"data") + 8:]
def ima_fmt_with(bits=4, ch=1, align=256, spb=505):
    return fmt(0x11, ch, 16000, bits, align, extra=u16(spb))
for name, kw in [("bits3", dict(bits=3)), ("ch3", dict(ch=3)), ("spb0", dict(spb=0)), ("spb-wrong", dict(spb=504)),
                 ("align0", dict(align=0, spb=505))]:
    put(f"ima-{name}.wav", wav(chunk(b"fmt ", ima_fmt_with(**kw)), chunk(b"data", ima_data)))
put("ima-fmt16.wav", wav(chunk(b"fmt ", fmt(0x11, 1, 16000, 4, 256)), chunk(b"data", ima_data)))
put("ima-partial-block.wav", wav(chunk(b"fmt ", ima_fmt_with()), chunk(b"data", ima_data[:300])))
put("ima-truncated.wav", wav(chunk(b"fmt ", ima_fmt_with()), chunk(b"data", ima_data))[:-200])
put("ima-odd-data.wav", wav(chunk(b"fmt ", ima_fmt_with()), chunk(b"data", ima_data[:257]), info))

# MS ADPCM fields and bad blocks.
ms = files["msadpcm-16k.wav"]
ms_fmt_body = ms[20:20 + struct.unpack("<I", ms[16:20])[0]]
ms_data = ms[ms.index(b"data") + 8:]
ms_align = struct.unpack("<H", ms_fmt_body[12:14])[0]
def ms_with(**edits):
    b = bytearray(ms_fmt_body)
    for off, val in edits.values():
        b[off:off + 2] = u16(val)
    return bytes(b)
put("msadpcm-spb-wrong.wav", wav(chunk(b"fmt ", ms_with(a=(18, 100))), chunk(b"data", ms_data)))
put("msadpcm-spb-0.wav", wav(chunk(b"fmt ", ms_with(a=(18, 0))), chunk(b"data", ms_data)))
put("msadpcm-numcoeffs-200.wav", wav(chunk(b"fmt ", ms_with(a=(20, 200))), chunk(b"data", ms_data)))
put("msadpcm-align0.wav", wav(chunk(b"fmt ", ms_with(a=(12, 0))), chunk(b"data", ms_data)))
put("msadpcm-ch3.wav", wav(chunk(b"fmt ", ms_with(a=(2, 3))), chunk(b"data", ms_data)))
bad_pred = bytearray(ms_data)
for k in range(0, len(bad_pred), ms_align):
    bad_pred[k] = 0xEE
put("msadpcm-bad-predictor.wav", wav(chunk(b"fmt ", ms_fmt_body), chunk(b"data", bytes(bad_pred))))
put("msadpcm-partial-block.wav", wav(chunk(b"fmt ", ms_fmt_body), chunk(b"data", ms_data[:ms_align + 100])))
put("msadpcm-truncated.wav", wav(chunk(b"fmt ", ms_fmt_body), chunk(b"data", ms_data))[:-(ms_align // 2)])

# GSM 6.10 fields.
gsm = files["gsm-8k.wav"]
gsm_fmt_body = gsm[20:20 + struct.unpack("<I", gsm[16:20])[0]]
gsm_data = gsm[gsm.index(b"data") + 8:]
def gsm_with(off, val):
    b = bytearray(gsm_fmt_body); b[off:off + 2] = u16(val); return bytes(b)
put("gsm-align64.wav", wav(chunk(b"fmt ", gsm_with(12, 64)), chunk(b"data", gsm_data)))
put("gsm-spb321.wav", wav(chunk(b"fmt ", gsm_with(18, 321)), chunk(b"data", gsm_data)))
put("gsm-ch2.wav", wav(chunk(b"fmt ", gsm_with(2, 2)), chunk(b"data", gsm_data)))
put("gsm-partial-block.wav", wav(chunk(b"fmt ", gsm_fmt_body), chunk(b"data", gsm_data[:100])))
put("gsm-garbage.wav", wav(chunk(b"fmt ", gsm_fmt_body), chunk(b"data", bytes(range(256)) * 2)))

# MPEG: layer II data under the layer III tag, garbage under the MPEG tag.
mp2 = bytearray(files["mp2-16k.wav"])
mp2[20:22] = u16(0x55)
put("mp2-tagged-mp3.wav", mp2)
mp3 = files["mp3-16k-mono.wav"]
mp3_data_at = mp3.index(b"data") + 8
put("mp3-truncated.wav", mp3[:mp3_data_at + 700])
put("mp3-garbage-data.wav", mp3[:mp3_data_at] + bytes((i * 131) & 0xFF for i in range(3000)))
put("mp3-fmt-stereo.wav", mp3[:22] + u16(2) + mp3[24:])
mp3_frames = mp3[mp3_data_at:]
junk = bytes((i * 131 + 7) & 0xFF for i in range(1500))
put("mp3-junk-inside.wav", mp3[:mp3_data_at - 4] + u32(len(mp3_frames) + len(junk))
    + mp3_frames[:len(mp3_frames) // 2] + junk + mp3_frames[len(mp3_frames) // 2:])
put("mp3-list-after.wav", riff([mp3[12:mp3_data_at - 8], chunk(b"data", mp3_frames), info]))
put("mp3-44k-in-16k-fmt.wav", files["mp3-44k-stereo.wav"][:24] + u32(16000) + files["mp3-44k-stereo.wav"][28:])

# Other chunks libsndfile reads.
put("list-1g.wav", wav(fmt16, chunk(b"LIST", b"INFO", size=1 << 30)) + chunk(b"data", pcm))
put("list-1g-24bytes.wav", riff([chunk(b"LIST", b"INFO", size=1 << 30)], size=16))
put("list-with-data.wav", wav(fmt16, chunk(b"LIST", b"INFO" + chunk(b"data", pcm))))
put("list-size-4.wav", wav(fmt16, chunk(b"LIST", b"INFO", size=4), chunk(b"data", pcm)))
put("list-size-0.wav", wav(fmt16, chunk(b"LIST", b"", size=0), chunk(b"data", pcm)))
put("junk-odd-pad.wav", wav(fmt16, chunk(b"JUNK", b"x" * 5), chunk(b"data", pcm)))
put("junk-odd-nopad.wav", wav(fmt16, chunk(b"JUNK", b"x" * 5, pad=False), chunk(b"data", pcm)))
put("unknown-chunk.wav", wav(fmt16, chunk(b"abcd", b"x" * 10), chunk(b"data", pcm)))
put("nonprint-chunk-aligned.wav", wav(fmt16, chunk(b"\x01\x02\x03\x04", b"x" * 10), chunk(b"data", pcm)))
put("nonprint-chunk-unaligned.wav", wav(fmt16, b"\x01", chunk(b"data", pcm)))
put("peak-ok.wav", wav(fmt16, chunk(b"PEAK", u32(1) + u32(0) + struct.pack("<f", 0.5) + u32(10)), chunk(b"data", pcm)))
put("peak-bad-size.wav", wav(fmt16, chunk(b"PEAK", u32(1) + u32(0)), chunk(b"data", pcm)))
put("peak-before-fmt.wav", wav(chunk(b"PEAK", u32(1) + u32(0) + u32(0) + u32(0)), fmt16, chunk(b"data", pcm)))
put("cue.wav", wav(fmt16, chunk(b"cue ", u32(1) + u32(1) + u32(0) + b"data" + u32(0) * 3), chunk(b"data", pcm)))
put("cue-short.wav", wav(fmt16, chunk(b"cue ", u32(2) + u32(1)), chunk(b"data", pcm)))
put("smpl.wav", wav(fmt16, chunk(b"smpl", u32(0) * 7 + u32(1) + u32(0) + u32(0) * 6), chunk(b"data", pcm)))
put("smpl-short.wav", wav(fmt16, chunk(b"smpl", u32(0) * 4), chunk(b"data", pcm)))
put("acid.wav", wav(fmt16, chunk(b"acid", b"\0" * 24), chunk(b"data", pcm)))
put("bext.wav", wav(fmt16, chunk(b"bext", b"\0" * 610), chunk(b"data", pcm)))
put("bext-short.wav", wav(fmt16, chunk(b"bext", b"\0" * 100), chunk(b"data", pcm)))
put("cart.wav", wav(fmt16, chunk(b"cart", b"\0" * 2060), chunk(b"data", pcm)))
put("fact-0.wav", wav(fmt16, chunk(b"fact", b"", size=0), chunk(b"data", pcm)))
put("id3v1-trailer.wav", wav(fmt16, chunk(b"data", pcm)) + b"TAG" + b"\0" * 125)
put("data-wvpk.wav", wav(fmt16, chunk(b"data", b"wvpk" + pcm)))
put("data-oggs.wav", wav(fmt16, chunk(b"data", b"OggS" + pcm)))
put("riff-not-wave.wav", b"RIFF" + u32(len(pcm) + 4) + b"AVI " + pcm)

# Metadata chunks around the audio, for the mutations to hit.
short = pcm[:400]
info_full = chunk(b"LIST", b"INFO" + chunk(b"ISFT", b"Lavf59\0") + chunk(b"INAM", b"title") + chunk(b"IART", b"me\0")
                  + chunk(b"ICMT", b"a comment here") + chunk(b"ITRK", b"3\0"))
adtl = chunk(b"LIST", b"adtl" + chunk(b"labl", u32(1) + b"one\0") + chunk(b"note", u32(2) + b"n\0")
             + chunk(b"ltxt", u32(1) + u32(10) + b"rgn " + b"\0" * 8))
exif = chunk(b"LIST", b"exif" + b"ever" + b"0220" + chunk(b"emdl", b"EX-Z1050") + chunk(b"etim", b"12:00:00.0\0")
             + chunk(b"olym", b"\0" * 6) + chunk(b"ecor", b"CASIO\0"))
cue2 = chunk(b"cue ", u32(2) + (u32(1) + u32(0) + b"data" + u32(0) * 3) + (u32(2) + u32(100) + b"data" + u32(0) + u32(0) + u32(100)))
smpl2 = chunk(b"smpl", u32(0) * 7 + u32(2) + u32(4) + (u32(1) + u32(0) + u32(0) + u32(99) + u32(0) + u32(0)) * 2 + b"abcd")
put("meta-after-data.wav", wav(fmt16, chunk(b"data", short), info_full, adtl, cue2, smpl2,
                              chunk(b"acid", b"\0" * 24), chunk(b"PEAK", u32(1) + u32(0) + struct.pack("<f", 0.5) + u32(10))))
put("meta-before-data.wav", wav(fmt16, chunk(b"fact", u32(200)), info_full, exif, cue2, smpl2,
                               chunk(b"bext", b"\0" * 602 + b"A=PCM\r\n"), chunk(b"iXML", b"<x/>"), chunk(b"data", short)))
put("cart-tag.wav", wav(fmt16, chunk(b"cart", b"0101" + b"\0" * 2044 + b"tag text"), chunk(b"data", short)))
put("rifx-meta.wav", riff([chunk(b"fmt ", fmt(be=True), be=True), chunk(b"LIST", b"INFO" + chunk(b"INAM", b"x\0", be=True), be=True),
                            chunk(b"data", short, be=True),
                            chunk(b"cue ", u32(1, True) + u32(1, True) + u32(0, True) + b"data" + u32(0, True) * 3, be=True),
                            chunk(b"JUNK", b"\0" * 6, be=True)], magic=b"RIFX", be=True))
put("rf64-meta.wav", b"RF64" + u32(0xFFFFFFFF) + b"WAVE" + chunk(b"ds64", u64(0) + u64(len(short)) + u64(200) + u32(0))
    + chunk(b"JUNK", b"\0" * 10) + chunk(b"bext", b"\0" * 602) + fmt16 + info_full + chunk(b"data", short, size=0xFFFFFFFF)
    + chunk(b"PAD ", b"\0" * 4))
put("rf64-ds64-table.wav", b"RF64" + u32(0xFFFFFFFF) + b"WAVE"
    + chunk(b"ds64", u64(0) + u64(len(short)) + u64(200) + u32(1) + b"abcd" + u64(5) + b"\0" * 4) + fmt16
    + chunk(b"data", short, size=0xFFFFFFFF))
w64b = files["w64-pcm16.w64"]
def w64chunk(guid, body):
    b = guid + u64(24 + len(body)) + body
    return b + b"\0" * ((8 - len(b) % 8) % 8)
w64_fmt_at = w64b.index(b"fmt ")
w64_data_at = w64b.index(b"data\xf3")
w64_list = bytes([0x6C, 0x69, 0x73, 0x74, 0x2F, 0x91, 0xCF, 0x11, 0xA5, 0xD6, 0x28, 0xDB, 0x04, 0xC1, 0x00, 0x00])
w64_junk = bytes([0x6A, 0x75, 0x6E, 0x6b, 0xF3, 0xAC, 0xD3, 0x11, 0x8C, 0xD1, 0x00, 0xC0, 0x4f, 0x8E, 0xDB, 0x8A])
w64_fact = b"fact" + w64b[w64_fmt_at + 4:w64_fmt_at + 16]
body = (w64b[w64_fmt_at:w64_data_at] + w64chunk(w64_fact, u64(800)) + w64chunk(w64_junk, b"\0" * 13)
        + w64b[w64_data_at:] + w64chunk(w64_list, b"INFO" + b"\0" * 9))
put("w64-meta.w64", w64b[:16] + u64(40 + len(body)) + w64b[24:40] + body)

# RIFX.
rifx = files["rifx-pcm16.wav"]
put("rifx-cue-then-data.wav", riff([chunk(b"fmt ", fmt(be=True), be=True),
                                     chunk(b"cue ", u32(0, True), be=True),
                                     chunk(b"data", pcm, be=True)], magic=b"RIFX", be=True))
put("rifx-le-sizes.wav", riff([chunk(b"fmt ", fmt()), chunk(b"data", pcm)], magic=b"RIFX"))
put("rifx-truncated.wav", rifx[:len(rifx) // 2])

# RF64 and BW64.
rf = files["rf64-pcm16.wav"]
ds64_data = rf.index(b"ds64") + 16
put("rf64-ds64-datasize-large.wav", rf[:ds64_data] + u64(1 << 40) + rf[ds64_data + 8:])
put("rf64-ds64-datasize-small.wav", rf[:ds64_data] + u64(100) + rf[ds64_data + 8:])
put("rf64-ds64-datasize-0.wav", rf[:ds64_data] + u64(0) + rf[ds64_data + 8:])
put("rf64-no-ds64.wav", b"RF64" + u32(0xFFFFFFFF) + b"WAVE" + fmt16 + chunk(b"data", pcm, size=0xFFFFFFFF))
put("rf64-no-ds64-sized.wav", b"RF64" + u32(0xFFFFFFFF) + b"WAVE" + fmt16 + chunk(b"data", pcm))
put("rf64-truncated.wav", rf[:len(rf) // 2])
put("rf64-trunc-ds64.wav", rf[:30])
put("rf64-ima.wav", b"RF64" + u32(0xFFFFFFFF) + b"WAVE" + chunk(b"ds64", u64(0) + u64(len(ima_data)) + u64(0) + u32(0))
    + chunk(b"fmt ", ima_fmt_with()) + chunk(b"data", ima_data, size=0xFFFFFFFF))
put("bw64-pcm16.wav", b"BW64" + rf[4:])

# W64.
w = files["w64-pcm16.w64"]
put("w64-truncated.w64", w[:len(w) // 2])
put("w64-trunc-header.w64", w[:60])
put("w64-datasize-huge.w64", w[:0x60] + u64(1 << 40) + w[0x68:])
put("w64-datasize-0.w64", w[:0x60] + u64(0) + w[0x68:])
put("w64-fmtsize-odd.w64", w[:0x38] + u64(0x28 + 24 + 1) + w[0x40:])
put("w64-riffsize-0.w64", w[:16] + u64(0) + w[24:])

# ID3v2 tags in front: libsndfile skips them and reads the WAV with the
# tags' bytes still counted in its positions.
def id3(n, version=3):
    return b"ID3" + bytes([version, 0, 0]) + bytes([(n >> 21) & 0x7F, (n >> 14) & 0x7F, (n >> 7) & 0x7F, n & 0x7F]) + b"\0" * n
wav_list_after = wav(fmt16, chunk(b"data", short), info)
put("id3-100-wav.wav", id3(100) + base)
put("id3-1000-wav-list-after.wav", id3(1000) + wav_list_after)
put("id3-60000-wav.wav", id3(60000) + wav(fmt16, chunk(b"data", short)))
put("id3-two-tags-wav.wav", id3(200) + id3(300, 4) + base)
put("id3-two-tags-large-second.wav", id3(200) + id3(60000) + wav(fmt16, chunk(b"data", short)))
put("id3-v1-not-a-tag.wav", id3(50, 1) + base)
put("id3-truncated-wav.wav", (id3(100) + base)[:700])
put("id3-riffsize-small.wav", id3(100) + base[:4] + u32(1000) + base[8:])
put("id3-ima.wav", id3(300) + files["ima-16k.wav"])
put("id3-msadpcm.wav", id3(300) + files["msadpcm-16k.wav"])
put("id3-mp3-in-wav.wav", id3(300) + files["mp3-16k-mono.wav"])
put("id3-rf64.wav", id3(100) + files["rf64-pcm16.wav"])
put("id3-w64.w64", id3(100) + files["w64-pcm16.w64"])

for name in sorted(files):
    with open(os.path.join(out, name), "wb") as fh:
        fh.write(files[name])

# --- the large mutation set ---------------------------------------------------
if scale > 1:
    os.makedirs(os.path.join(out, "mut"), exist_ok=True)
    awkward = [0, 1, 2, 3, 4, 7, 8, 15, 16, 17, 18, 20, 24, 40, 255, 256, 0x7FFF, 0xFFFF, 0x10000,
               0x7FFFFFFF, 0x80000000, 0xFFFF0000, 0xFFFFFFF8, 0xFFFFFFFE, 0xFFFFFFFF, 1 << 30]
    ids = [b"RIFF", b"RIFX", b"RF64", b"WAVE", b"fmt ", b"data", b"fact", b"LIST", b"INFO", b"JUNK", b"PAD ", b"cue ",
           b"smpl", b"acid", b"bext", b"cart", b"PEAK", b"ds64", b"labl", b"note", b"ltxt", b"exif", b"emdl", b"olym",
           b"ISFT", b"ICMT", b"adtl", b"iXML", b"riff", b"wave", b"list", b"junk"]
    for name in sorted(files):
        orig = files[name]
        if len(orig) < 12:
            continue
        try:
            hdr_end = min(orig.index(b"data") + 12, len(orig))
        except ValueError:
            hdr_end = min(len(orig), 128)
        hdr_end = max(hdr_end, 16)
        # Where identifiers and sizes are, anywhere in the file.
        marks = sorted({m.start() for cid in ids for m in re.finditer(re.escape(cid), orig)})
        for i in range(scale):
            rng = random.Random(zlib.crc32(name.encode()) * 1000 + i)
            b = bytearray(orig)
            op = rng.randrange(9)
            if op >= 6 and not marks:
                op = rng.randrange(6)
            if op == 6:
                # A size field of a chunk anywhere set to an awkward value.
                k = rng.choice(marks) + (4 if name.endswith(".wav") else 16)
                b[k:k + 4] = u32(rng.choice(awkward + [len(b) - k + rng.randint(-16, 16)]))
            elif op == 7:
                # An identifier anywhere damaged or replaced by another.
                k = rng.choice(marks)
                if rng.random() < 0.5:
                    b[k + rng.randrange(4)] = rng.randrange(256)
                else:
                    b[k:k + 4] = rng.choice(ids)
            elif op == 8:
                # Bytes flipped after the audio (trailing chunks) or inside a chunk body.
                k = rng.choice(marks)
                for _ in range(rng.randint(1, 3)):
                    j = min(len(b) - 1, k + rng.randrange(64))
                    b[j] = rng.randrange(256)
            if op >= 6:
                pass
            elif op <= 1:
                for _ in range(rng.randint(1, 4)):
                    k = rng.randrange(min(hdr_end, len(b)))
                    b[k] = rng.randrange(256)
            elif op == 2:
                k = rng.randrange(4, max(5, min(hdr_end, len(b)) - 3))
                b[k:k + 4] = u32(rng.choice(awkward + [len(b) + rng.randint(-64, 64)]))
            elif op == 3:
                b = b[:rng.randrange(12, len(b) + 1)]
            elif op == 4:
                k = rng.randrange(min(hdr_end, len(b)))
                b[k] ^= 1 << rng.randrange(8)
                b = b[:rng.randrange(max(k, 12), len(b) + 1)]
            else:
                # Move, drop or duplicate a stretch of the header.
                k = rng.randrange(min(hdr_end, len(b)))
                n = rng.randint(1, 16)
                if rng.random() < 0.5:
                    del b[k:k + n]
                else:
                    b[k:k] = b[k:k + n]
            if len(b) < 12:
                b += bytes(12 - len(b))
            ext_ = os.path.splitext(name)[1]
            with open(os.path.join(out, "mut", f"{os.path.splitext(name)[0]}-{i:03d}{ext_}"), "wb") as fh:
                fh.write(b)
PY
