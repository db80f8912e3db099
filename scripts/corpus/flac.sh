#!/usr/bin/env bash
# flac.sh OUTDIR SCALE — the FLAC family's part of the differential corpus.
#
# Encodes small native FLAC files with flac(1), ffmpeg and sox (8/16/24-bit, 8 to 96 kHz,
# mono and stereo, with and without seek table, padding, Vorbis comments,
# a picture, odd block sizes with --lax, a few files longer than the
# 65536-frame blocks the server reads in, so that its seeks between blocks
# are exercised), then hand-edits copies into broken ones: byte flips in
# frame headers, bodies and CRCs, truncation at every structural boundary,
# wrong STREAMINFO fields, damaged metadata blocks, frames removed,
# duplicated or swapped in from another stream, CRC-valid frames that
# libFLAC still rejects, ID3v2 tags in front, garbage behind. Deterministic
# (sox -R -D, ffmpeg -bitexact, fixed seeds).
#
# SCALE 1 makes the small committed set. SCALE > 1 adds, in mut/, about
# 70*SCALE random mutations (byte flips, byte overwrites, truncations,
# deleted and inserted runs) of the base files, with fixed seeds.
#
# Needs: sox, flac, ffmpeg, /usr/bin/python3.
set -euo pipefail

out=${1:?usage: flac.sh OUTDIR SCALE}
scale=${2:-1}
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# --- files made by the tools ------------------------------------------------
s() { sox -R -D -n "$@" 2>/dev/null; }
enc() { # enc NAME WAV FLAC-OPTIONS...: encode into $out/NAME.flac
	local name=$1 wav=$2
	shift 2
	flac -s -f "$@" -o "$out/$name.flac" "$wav"
}
s -r 16000 -c 1 -b 16 "$tmp/16k-mono.wav" synth 0.3 sine 440 vol 0.05
s -r 16000 -c 1 -b 16 "$tmp/16k-mono-short.wav" synth 0.1 sine 440 vol 0.5
s -r 44100 -c 2 -b 16 "$tmp/44k-stereo.wav" synth 0.1 sine 440 sine 660 vol 0.5
s -r 8000 -c 1 -b 8 "$tmp/8k-8bit.wav" synth 0.2 sine 300 vol 0.5
s --comment "" -r 96000 -c 2 -b 24 "$tmp/96k-24bit.aiff" synth 0.03 sine 1000 sine 1500 vol 0.5
s --comment "" -r 48000 -c 1 -b 24 "$tmp/48k-24bit.aiff" synth 0.05 sine 1000 vol 0.5
s -r 22050 -c 1 -b 16 "$tmp/22k.wav" synth 0.1 sine 440 vol 0.5
s -r 32000 -c 2 -b 16 "$tmp/32k-stereo.wav" synth 0.05 sine 440 vol 0.5
s -r 11025 -c 1 -b 8 "$tmp/11k-8bit.wav" synth 0.2 sine 440 vol 0.5
s --comment "" -r 16000 -c 1 -b 32 "$tmp/16k-32bit.aiff" synth 0.05 sine 440 vol 0.5
s -r 16000 -c 2 -b 16 "$tmp/16k-stereo.wav" synth 0.2 sine 440 sine 445 vol 0.5
# Longer than one 65536-frame block (5 s at 16 kHz, 9 s at 8 kHz): mostly
# silence, with a quiet tone around frame 65536 so that the frames the
# seek lands on are real predicted ones.
s -r 16000 -c 1 -b 16 "$tmp/long-burst.wav" synth 1.0 sine 300 vol 0.001 pad 3.5 0.5
s -r 16000 -c 1 -b 16 "$tmp/long-silence.wav" trim 0 5
s -r 8000 -c 2 -b 8 "$tmp/long-stereo-8bit.wav" synth 1.5 sine 200 sine 201 vol 0.05 pad 7.5 0

enc 16k-mono "$tmp/16k-mono.wav" -b 1152 -P 256
enc 16k-mono-defaults "$tmp/16k-mono-short.wav"
enc 16k-mono-no-seektable "$tmp/16k-mono-short.wav" --no-seektable -P 64
enc 16k-mono-bare "$tmp/16k-mono-short.wav" --no-seektable --no-padding
enc 16k-mono-tags "$tmp/16k-mono-short.wav" -T TITLE=corpus -T ARTIST=audiopreflight --no-padding
enc 16k-mono-level8 "$tmp/16k-mono-short.wav" -8 --no-padding
enc 16k-mono-level0 "$tmp/16k-mono-short.wav" -0 --no-padding
enc 16k-stereo "$tmp/16k-stereo.wav" --no-padding
enc 44k-stereo "$tmp/44k-stereo.wav" --no-padding
enc 8k-8bit "$tmp/8k-8bit.wav" --no-padding
enc 11k-8bit "$tmp/11k-8bit.wav" --no-padding
enc 96k-24bit "$tmp/96k-24bit.aiff" --no-padding
enc 48k-24bit "$tmp/48k-24bit.aiff" --no-padding
enc 22k "$tmp/22k.wav" --no-padding
enc 32k-stereo "$tmp/32k-stereo.wav" --no-padding
enc 16k-32bit "$tmp/16k-32bit.aiff" --no-padding
enc blocksize-192 "$tmp/16k-mono-short.wav" -b 192 --no-padding
enc blocksize-16 "$tmp/16k-mono-short.wav" --lax -b 16 --no-padding
enc blocksize-16384 "$tmp/16k-mono.wav" --lax -b 16384 --no-padding
enc blocksize-65535 "$tmp/16k-mono.wav" --lax -b 65535 --no-padding
enc blocksize-1000 "$tmp/16k-mono-short.wav" --lax -b 1000 --no-padding
enc seekpoints-many "$tmp/16k-mono-short.wav" -S 10s -S 100x --no-padding
enc long-burst "$tmp/long-burst.wav" --no-padding
enc long-burst-seektable-every-half-second "$tmp/long-burst.wav" -S 0.5s --no-padding
enc long-silence "$tmp/long-silence.wav" --no-padding
enc long-stereo-8bit "$tmp/long-stereo-8bit.wav" --no-padding -b 1152
# Other encoders: ffmpeg's (its own block sizes and metadata) and sox's.
ff() { ffmpeg -hide_banner -loglevel error -nostdin -i "$1" "${@:3}" -bitexact -y "$out/$2.flac"; }
ff "$tmp/16k-mono-short.wav" ffmpeg-16k-mono -c:a flac
ff "$tmp/44k-stereo.wav" ffmpeg-44k-stereo-level12 -c:a flac -compression_level 12
ff "$tmp/16k-mono-short.wav" ffmpeg-16k-mono-s32 -c:a flac -sample_fmt s32
sox -R -D "$tmp/16k-mono-short.wav" "$out/sox-16k-mono.flac"
# A picture block (a tiny GIF).
printf 'GIF89a\001\000\001\000\000\000\000;' > "$tmp/pixel.gif"
enc picture "$tmp/16k-mono-short.wav" --picture="3||||$tmp/pixel.gif" --no-padding

# --- hand-edited files ------------------------------------------------------
/usr/bin/python3 - "$out" "$tmp" "$scale" <<'PY'
import os
import random
import struct
import sys

out, tmp, scale = sys.argv[1], sys.argv[2], int(sys.argv[3])


def load(name):
    with open(os.path.join(out, name + ".flac"), "rb") as f:
        return f.read()


def save(name, data):
    path = os.path.join(out, name + ".flac")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(bytes(data))


CRC8 = []
for i in range(256):
    c = i
    for _ in range(8):
        c = ((c << 1) ^ 0x07) & 0xFF if c & 0x80 else (c << 1) & 0xFF
    CRC8.append(c)


def crc8(b):
    c = 0
    for x in b:
        c = CRC8[c ^ x]
    return c


def crc16(b):
    c = 0
    for x in b:
        c ^= x << 8
        for _ in range(8):
            c = ((c << 1) ^ 0x8005) & 0xFFFF if c & 0x8000 else (c << 1) & 0xFFFF
    return c


def blocks(d):
    """Metadata blocks: (offset, is_last, type, length)."""
    res, p = [], 4
    while p + 4 <= len(d):
        last, typ, n = d[p] >> 7, d[p] & 0x7F, int.from_bytes(d[p + 1:p + 4], "big")
        res.append((p, last, typ, n))
        p += 4 + n
        if last:
            break
    return res


def audio_start(d):
    b = blocks(d)[-1]
    return b[0] + 4 + b[3]


def utf8_len(first):
    n = 0
    while n < 7 and first & (0x80 >> n):
        n += 1
    return 1 if n == 0 else n


def header_len(d, p):
    """Length of the frame header at p (sync to CRC-8), or 0 if none."""
    if p + 6 > len(d) or d[p] != 0xFF or d[p + 1] >> 1 != 0x7C:
        return 0
    q = p + 4
    q += utf8_len(d[q])
    bs, sr = d[p + 2] >> 4, d[p + 2] & 15
    q += {6: 1, 7: 2}.get(bs, 0) + {12: 1, 13: 2, 14: 2}.get(sr, 0)
    if q >= len(d) or crc8(d[p:q]) != d[q]:
        return 0
    return q + 1 - p


def frames(d):
    """Offsets of the frames of an encoder-written file, and its end."""
    res, p = [], audio_start(d)
    while p < len(d):
        res.append(p)
        q = p + 2
        while q < len(d):
            if d[q] == 0xFF and q + 1 < len(d) and d[q + 1] >> 1 == 0x7C and header_len(d, q) and crc16(d[p:q - 2]) == int.from_bytes(d[q - 2:q], "big"):
                break
            q += 1
        p = q
    return res


def streaminfo(d):
    p = blocks(d)[0][0] + 4
    minb, maxb = struct.unpack(">HH", d[p:p + 4])
    minf, maxf = int.from_bytes(d[p + 4:p + 7], "big"), int.from_bytes(d[p + 7:p + 10], "big")
    x = int.from_bytes(d[p + 10:p + 18], "big")
    return dict(minb=minb, maxb=maxb, minf=minf, maxf=maxf, rate=x >> 44, ch=((x >> 41) & 7) + 1,
                bps=((x >> 36) & 31) + 1, total=x & ((1 << 36) - 1))


def set_streaminfo(d, **kw):
    d = bytearray(d)
    v = streaminfo(d)
    v.update(kw)
    p = blocks(d)[0][0] + 4
    d[p:p + 4] = struct.pack(">HH", v["minb"], v["maxb"])
    d[p + 4:p + 7] = v["minf"].to_bytes(3, "big")
    d[p + 7:p + 10] = v["maxf"].to_bytes(3, "big")
    x = (v["rate"] << 44) | ((v["ch"] - 1) << 41) | ((v["bps"] - 1) << 36) | v["total"]
    d[p + 10:p + 18] = x.to_bytes(8, "big")
    return d


def flip(d, off, mask=0x01):
    d = bytearray(d)
    d[off] ^= mask
    return d


def set_block(d, i, last=None, typ=None, length=None):
    d = bytearray(d)
    p, l0, t0, n0 = blocks(d)[i]
    last = l0 if last is None else last
    typ = t0 if typ is None else typ
    n = n0 if length is None else length
    d[p] = last << 7 | typ
    d[p + 1:p + 4] = n.to_bytes(3, "big")
    return d


def insert_block(d, at, typ, body, last=0):
    """Insert a metadata block before block number at."""
    d = bytearray(d)
    p = blocks(d)[at][0]
    return d[:p] + bytes([last << 7 | typ]) + len(body).to_bytes(3, "big") + bytes(body) + d[p:]


def id3(size, version=3):
    s = size
    return b"ID3" + bytes([version, 0, 0, (s >> 21) & 127, (s >> 14) & 127, (s >> 7) & 127, s & 127]) + b"\0" * size


class Bits:
    def __init__(self):
        self.v, self.n = 0, 0

    def put(self, value, bits):
        self.v = (self.v << bits) | (value & ((1 << bits) - 1))
        self.n += bits

    def bytes(self):
        pad = (-self.n) % 8
        return (self.v << pad).to_bytes((self.n + pad) // 8, "big")


def crafted_frame(d, p, body_bits):
    """The frame at p with its subframes replaced, CRC-16 recomputed."""
    h = header_len(d, p)
    b = Bits()
    body_bits(b)
    f = bytes(d[p:p + h]) + b.bytes()
    return f + crc16(f).to_bytes(2, "big")


def replace_frame(d, i, new):
    fs = frames(d) + [len(d)]
    return bytes(d[:fs[i]]) + new + bytes(d[fs[i + 1]:])


# --- the base file: 16 kHz mono, flac defaults (seek table, comment, padding)
base = load("16k-mono")
fs = frames(base)
a0 = audio_start(base)
info = streaminfo(base)
n = len(base)

# Truncations at structural boundaries.
b = blocks(base)
cuts = {
    "trunc-after-marker": 4,
    "trunc-in-block-header": 6,
    "trunc-in-streaminfo": 20,
    "trunc-after-streaminfo": b[1][0],
    "trunc-in-seektable": b[1][0] + 10,
    "trunc-in-vorbis-comment": b[2][0] + 20,
    "trunc-in-padding": b[3][0] + 100,
    "trunc-padding-short-1": a0 - 1,
    "trunc-padding-short-2": a0 - 2,
    "trunc-at-audio": a0,
    "trunc-in-frame-sync": a0 + 1,
    "trunc-in-frame-header": a0 + 4,
    "trunc-in-first-frame": a0 + 30,
    "trunc-first-frame-crc": fs[1] - 1,
    "trunc-at-frame-2": fs[1],
    "trunc-in-frame-2": fs[1] + 200,
    "trunc-in-last-frame": fs[-1] + 100,
    "trunc-last-byte": n - 1,
}
for name, at in cuts.items():
    save("broken/" + name, base[:at])

# Byte flips in frames: header (CRC-8), body (CRC-16), footer.
save("broken/flip-first-frame-header", flip(base, a0 + 2, 0x10))
save("broken/flip-first-frame-crc8", flip(base, a0 + header_len(base, a0) - 1))
save("broken/flip-first-frame-body", flip(base, a0 + 40))
save("broken/flip-first-frame-crc16", flip(base, fs[1] - 1))
save("broken/flip-middle-frame-body", flip(base, fs[len(fs) // 2] + 50, 0x80))
save("broken/flip-last-frame-body", flip(base, fs[-1] + 20))
save("broken/flip-last-frame-crc16", flip(base, n - 1))
save("broken/flip-sync", flip(base, fs[1] + 1, 0x04))
save("broken/zero-frame-run", base[:fs[1] + 10] + b"\0" * 64 + base[fs[1] + 74:])

# Wrong STREAMINFO values.
t = info["total"]
for name, kw in {
    "si-total-plus-1": dict(total=t + 1),
    "si-total-minus-1": dict(total=t - 1),
    "si-total-double": dict(total=2 * t),
    "si-total-zero": dict(total=0),
    "si-total-1": dict(total=1),
    "si-minblock-4095": dict(minb=4095),
    "si-maxblock-1024": dict(minb=1024, maxb=1024),
    "si-maxblock-65535": dict(maxb=65535),
    "si-blocksize-16": dict(minb=16, maxb=16),
    "si-channels-2": dict(ch=2),
    "si-bps-8": dict(bps=8),
    "si-bps-12": dict(bps=12),
    "si-bps-20": dict(bps=20),
    "si-bps-24": dict(bps=24),
    "si-bps-32": dict(bps=32),
    "si-rate-0": dict(rate=0),
    "si-rate-8000": dict(rate=8000),
    "si-rate-1048575": dict(rate=1048575),
    "si-framesize-0": dict(minf=0, maxf=0),
    "si-maxframe-small": dict(maxf=20),
}.items():
    save("broken/" + name, set_streaminfo(base, **kw))

# Damaged metadata blocks.
save("broken/meta-seektable-length-plus-1", set_block(base, 1, length=b[1][3] + 1))
save("broken/meta-seektable-length-minus-1", set_block(base, 1, length=b[1][3] - 1))
save("broken/meta-vorbis-length-plus-1", set_block(base, 2, length=b[2][3] + 1))
save("broken/meta-vorbis-length-minus-1", set_block(base, 2, length=b[2][3] - 1))
save("broken/meta-padding-length-plus-1", set_block(base, 3, length=b[3][3] + 1))
save("broken/meta-padding-length-minus-1", set_block(base, 3, length=b[3][3] - 1))
save("broken/meta-padding-length-huge", set_block(base, 3, length=0xFFFFFF))
save("broken/meta-streaminfo-length-33", set_block(base, 0, length=33))
save("broken/meta-streaminfo-length-35", set_block(base, 0, length=35))
save("broken/meta-no-last-flag", set_block(base, 3, last=0))
save("broken/meta-last-flag-early", set_block(base, 1, last=1))
save("broken/meta-type-127", set_block(base, 3, typ=127))
save("broken/meta-type-unknown-9", set_block(base, 3, typ=9))
save("broken/meta-padding-as-cuesheet", set_block(base, 3, typ=5))
save("broken/meta-padding-as-picture", set_block(base, 3, typ=6))
save("broken/meta-padding-as-application", set_block(base, 3, typ=2))
save("broken/meta-padding-as-streaminfo", set_block(base, 3, typ=0))
save("broken/meta-padding-as-seektable", set_block(base, 3, typ=3))
save("broken/meta-padding-as-vorbis", set_block(base, 3, typ=4))
save("broken/meta-application-length-2", insert_block(base, 1, 2, b"ab"))
save("broken/meta-application-ok", insert_block(base, 1, 2, b"abcdxyz"))
save("broken/meta-empty-seektable", insert_block(base, 1, 3, b""))
save("broken/meta-two-empty-seektables", insert_block(insert_block(base, 1, 3, b""), 1, 3, b""))
save("broken/meta-seektable-then-empty", insert_block(base, 2, 3, b""))
vc = bytearray(struct.pack("<I", 3) + b"abc" + struct.pack("<I", 200000))
save("broken/meta-vorbis-200000-comments-exact", insert_block(base, 1, 4, vc))
save("broken/meta-vorbis-200000-comments-longer", insert_block(base, 1, 4, vc + b"\0" * 8))
vc2 = struct.pack("<I", 3) + b"abc" + struct.pack("<I", 2) + struct.pack("<I", 5) + b"a=bcd" + struct.pack("<I", 50) + b"xyz"
save("broken/meta-vorbis-comment-overlong", insert_block(base, 1, 4, vc2))
save("broken/meta-vorbis-vendor-overlong", insert_block(base, 1, 4, struct.pack("<I", 99) + b"abcd"))
save("broken/meta-vorbis-4-bytes", insert_block(base, 1, 4, b"abcd"))
pic = struct.pack(">II", 3, 9) + b"image/gif" + struct.pack(">I", 0) + struct.pack(">IIII", 1, 1, 8, 0) + struct.pack(">I", 4) + b"GIF8"
save("broken/meta-picture-ok", insert_block(base, 1, 6, pic))
save("broken/meta-picture-data-overlong", insert_block(base, 1, 6, pic[:-8] + struct.pack(">I", 40) + b"GIF8"))
save("broken/meta-picture-mime-huge", insert_block(base, 1, 6, struct.pack(">II", 3, 0xFFFFFFF0) + pic[8:]))
save("broken/meta-picture-short", insert_block(base, 1, 6, pic[:20]))
cue = b"\0" * 128 + b"\0" * 8 + b"\x80" + b"\0" * 258 + b"\x01" + b"\0" * 8 + b"\x01" + b"\0" * 12 + b"\0" + b"\0" * 13 + b"\x01" + b"\0" * 12
save("broken/meta-cuesheet-ok", insert_block(base, 1, 5, cue))
save("broken/meta-cuesheet-short", insert_block(base, 1, 5, cue[:300]))
save("broken/meta-cuesheet-long", insert_block(base, 1, 5, cue + b"\0" * 3))
si_block = bytes(base[8:42])
save("broken/meta-second-streaminfo-same", insert_block(base, 1, 0, si_block))
save("broken/meta-second-streaminfo-stereo", insert_block(base, 1, 0, set_streaminfo(base, ch=2)[8:42]))
save("broken/meta-second-streaminfo-8bit", insert_block(base, 1, 0, set_streaminfo(base, bps=8)[8:42]))
save("broken/meta-second-streaminfo-12bit", insert_block(base, 1, 0, set_streaminfo(base, bps=12)[8:42]))
save("broken/meta-second-streaminfo-total-0", insert_block(base, 1, 0, set_streaminfo(base, total=0)[8:42]))
save("broken/meta-padding-before-streaminfo", insert_block(set_block(base, 0, typ=0), 0, 1, b"\0" * 16))
save("broken/meta-no-streaminfo", set_block(base, 0, typ=1))
save("broken/marker-only-12-bytes", b"fLaC" + b"\x80\0\0\x04" + b"\0" * 4)
save("broken/marker-short", b"fLaC\x80\0\0")

# ID3v2 in front, garbage behind.
for name, pre in {
    "id3-100": id3(100),
    "id3-v4": id3(30, 4),
    "id3-v2": id3(30, 2),
    "id3-v5": id3(30, 5),
    "id3-size-0": id3(0),
    "id3-size-1": id3(1),
    "id3-size-2": id3(2),
    "id3-twice": id3(20) + id3(20),
    "id3-odd-97": id3(97),
}.items():
    save("id3/" + name, pre + base)
save("id3/id3-then-garbage", id3(20) + b"junk" + base)
save("id3/id3-truncated-stream", (id3(50) + base)[:60 + 300])
save("broken/garbage-after-end", base + b"\x12\x34garbage" * 8)
save("broken/sync-after-end", base + b"\xff\xf8\x69\x08\x00\x00")
save("broken/second-stream-after-end", base + base)
save("broken/total-plus-1-garbage-after", set_streaminfo(base, total=t + 1) + b"garbage")
save("broken/total-plus-1-ff-after", set_streaminfo(base, total=t + 1) + b"\xff")
save("broken/garbage-before-first-frame", base[:a0] + b"junk" + base[a0:])
save("broken/ff-before-first-frame", base[:a0] + b"\xff" + base[a0:])

# Frames removed, duplicated, swapped.
save("broken/frame-1-removed", base[:fs[1]] + base[fs[2]:])
save("broken/frame-1-duplicated", base[:fs[2]] + base[fs[1]:fs[2]] + base[fs[2]:])
save("broken/frames-1-2-swapped", base[:fs[1]] + base[fs[2]:fs[3]] + base[fs[1]:fs[2]] + base[fs[3]:])
save("broken/last-frame-removed", base[:fs[-1]])

# CRC-valid frames that libFLAC rejects, and one it takes.
blk = info["minb"]


def overflow(bits):  # FIXED order 1 from 32767 rising: out of 16-bit range
    bits.put(0x12, 8)
    bits.put(32767, 16)
    bits.put(0, 2)
    bits.put(0, 4)
    bits.put(0, 4)
    for _ in range(blk - 1):
        bits.put(0b001, 3)


def reserved_type(bits):
    bits.put(0x04, 8)


def wasted_all(bits):  # 17 wasted bits of 16
    bits.put(0x01, 8)
    bits.put(1, 17)


def constant(bits):
    bits.put(0x00, 8)
    bits.put(1234, 16)


def bad_padding(bits):  # constant subframe, then non-zero padding bits
    bits.put(0x00, 8)
    bits.put(1234, 16)
    bits.put(0, 8)


save("crafted/crc-valid-overflow", replace_frame(base, 1, crafted_frame(base, fs[1], overflow)))
save("crafted/crc-valid-reserved-subframe", replace_frame(base, 1, crafted_frame(base, fs[1], reserved_type)))
save("crafted/crc-valid-wasted-bits", replace_frame(base, 0, crafted_frame(base, fs[0], wasted_all)))
save("crafted/crc-valid-constant", replace_frame(base, 1, crafted_frame(base, fs[1], constant)))
f = bytearray(crafted_frame(base, fs[1], constant))
f[-3] |= 0x01  # a padding bit after the subframe, CRC recomputed
f = f[:-2] + crc16(f[:-2]).to_bytes(2, "big")
save("crafted/crc-valid-padding-bits", replace_frame(base, 1, bytes(f)))

# --- the long files: a seek between 65536-frame blocks --------------------
for src in ("long-burst", "long-silence", "long-burst-seektable-every-half-second", "long-stereo-8bit"):
    d = load(src)
    fl = frames(d)
    li = streaminfo(d)
    bs = li["minb"]
    k = 65536 // bs  # the frame holding frame 65536
    tot = li["total"]
    save(f"long/{src}-total-plus-1", set_streaminfo(d, total=tot + 1))
    save(f"long/{src}-total-65536", set_streaminfo(d, total=65536))
    save(f"long/{src}-total-65537", set_streaminfo(d, total=65537))
    save(f"long/{src}-total-131072", set_streaminfo(d, total=131072))
    save(f"long/{src}-frame-before-65536-removed", d[:fl[k - 2]] + d[fl[k - 1]:])
    save(f"long/{src}-frame-at-65536-removed", d[:fl[k]] + d[fl[k + 1]:])
    save(f"long/{src}-frame-after-65536-removed", d[:fl[k + 1]] + d[fl[k + 2]:])
    save(f"long/{src}-flip-frame-at-65536", flip(d, fl[k] + 9, 0x20))
    save(f"long/{src}-flip-frame-after-65536", flip(d, fl[k + 1] + 9, 0x20))
    save(f"long/{src}-trunc-in-frame-at-65536", d[:fl[k] + 5])
    save(f"long/{src}-trunc-after-frame-at-65536", d[:fl[k + 1]])
    save(f"long/{src}-maxblock-half", set_streaminfo(d, minb=bs // 2, maxb=bs // 2))
    save(f"long/{src}-minblock-changed", set_streaminfo(d, minb=bs - 1))
    save(f"long/{src}-maxframe-0", set_streaminfo(d, minf=0, maxf=0))
    save(f"long/{src}-garbage-after", d + b"\x00\xff\xf8garbage")

# Channels and depth changing mid-stream: frames spliced from another
# encoding of the same tone (same block size, so the numbering runs on).
mono = load("long-burst")
fm = frames(mono)
k = len(fm) // 2


# Channel change: a 2-channel independent header on a frame whose body is
# two copies of a constant subframe.
def two_constant(bits):
    for _ in range(2):
        bits.put(0x00, 8)
        bits.put(7, 16)


p = fm[k]
h = header_len(mono, p)
hdr = bytearray(mono[p:p + h])
hdr[3] = (1 << 4) | (hdr[3] & 0x0F)  # 2 channels, independent
hdr[h - 1] = crc8(hdr[:h - 1])
bits = Bits()
two_constant(bits)
fr = bytes(hdr) + bits.bytes()
fr += crc16(fr).to_bytes(2, "big")
save("long/channels-change-mid-stream", bytes(mono[:p]) + fr + bytes(mono[fm[k + 1]:]))
# Depth change: an 8-bit header on a constant frame.
hdr = bytearray(mono[p:p + h])
hdr[3] = (hdr[3] & 0xF1) | (1 << 1)  # 8 bits per sample
hdr[h - 1] = crc8(hdr[:h - 1])
bits = Bits()
bits.put(0x00, 8)
bits.put(7, 8)
fr = bytes(hdr) + bits.bytes()
fr += crc16(fr).to_bytes(2, "big")
save("long/depth-change-mid-stream", bytes(mono[:p]) + fr + bytes(mono[fm[k + 1]:]))
# Rate change: a 44.1 kHz header code.
hdr = bytearray(mono[p:p + h])
hdr[2] = (hdr[2] & 0xF0) | 9
hdr[h - 1] = crc8(hdr[:h - 1])
fr = bytes(hdr) + mono[p + h:fm[k + 1] - 2]
fr += crc16(fr).to_bytes(2, "big")
save("long/rate-change-mid-stream", bytes(mono[:p]) + fr + bytes(mono[fm[k + 1]:]))
# Block size 65536 (header code 7, 0xFFFF): one constant frame.
hdr = bytearray(b"\xff\xf8\x70\x08\x00\xff\xff")
hdr.append(crc8(hdr))
bits = Bits()
bits.put(0x00, 8)
bits.put(7, 16)
fr = bytes(hdr) + bits.bytes()
fr += crc16(fr).to_bytes(2, "big")
bare = load("16k-mono-bare")
save("crafted/blocksize-65536-frame", set_streaminfo(bytes(bare[:audio_start(bare)]), minb=4096, maxb=4096, total=65536) + fr)

# --- random mutations (SCALE > 1) ------------------------------------------
if scale > 1:
    bases = ["16k-mono", "16k-mono-bare", "16k-stereo", "44k-stereo", "8k-8bit", "96k-24bit", "blocksize-192",
             "seekpoints-many", "picture", "16k-mono-tags", "long-burst", "long-silence",
             "long-burst-seektable-every-half-second", "long-stereo-8bit"]
    for bi, name in enumerate(bases):
        d = load(name)
        a = audio_start(d)
        rng = random.Random(1000 + bi)
        for i in range(5 * scale):
            m = bytearray(d)
            kind = rng.choice(["flip", "flip", "flip-meta", "overwrite", "trunc", "trunc-meta", "delete", "insert", "flips"])
            if kind == "flip":
                p = rng.randrange(a, len(m))
                m[p] ^= 1 << rng.randrange(8)
            elif kind == "flip-meta":
                p = rng.randrange(4, a)
                m[p] ^= 1 << rng.randrange(8)
            elif kind == "overwrite":
                p = rng.randrange(4, len(m))
                m[p] = rng.randrange(256)
            elif kind == "trunc":
                m = m[:rng.randrange(a, len(m))]
            elif kind == "trunc-meta":
                m = m[:rng.randrange(4, a + 1)]
            elif kind == "delete":
                p = rng.randrange(a, len(m) - 1)
                del m[p:p + rng.randrange(1, 64)]
            elif kind == "insert":
                p = rng.randrange(a, len(m))
                m[p:p] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 16)))
            else:
                for _ in range(rng.randrange(2, 6)):
                    p = rng.randrange(4, len(m))
                    m[p] ^= 1 << rng.randrange(8)
            save(f"mut/{name}-{i:04d}-{kind}", m)
PY
