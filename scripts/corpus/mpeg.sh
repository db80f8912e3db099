#!/usr/bin/env bash
# mpeg.sh OUTDIR SCALE — MPEG audio (MP3, MP2, MP1) and ADTS AAC for the differential corpus.
#
# SCALE=1 makes the small committed set: ffmpeg/libmp3lame and sox MP3s (8, 16, 22.05, 44.1 kHz,
# mono/stereo, CBR/VBR, with and without Xing/Info, ID3v2.2/2.3/2.4 tags with padding and a
# picture, ID3v1, APE), MP2, hand-made MP1 and free-format frames, ADTS AAC, and hand-broken
# files: junk after an ID3 tag, junk between frames (under and over 1024 bytes), truncations,
# streams that switch rate or channel count, Xing counts that disagree with the frames, Ogg and
# FLAC behind ID3 tags, odd ID3 flags and sizes, frame sync in random bytes.
# SCALE>1 adds SCALE×40 mutants (byte flips, truncations, inserted and deleted runs; fixed seeds).
# Needs ffmpeg, sox, flac, oggenc, /usr/bin/python3.
set -euo pipefail

out=$1
scale=${2:-1}
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
py=/usr/bin/python3

ff() { ffmpeg -nostdin -hide_banner -loglevel error -y "$@"; }

# speech-like source: a tone sweep with a little noise, deterministic
src() { # rate channels seconds out.wav
  sox -R -D -n -r "$1" -c "$2" -b 16 "$4" synth "$3" sine 200-2400 synth "$3" pinknoise amod 0.3 0.7 gain -3
}
src 44100 1 0.5 "$tmp/s44m.wav"
src 44100 2 0.5 "$tmp/s44s.wav"
src 22050 1 0.5 "$tmp/s22m.wav"
src 22050 2 0.5 "$tmp/s22s.wav"
src 16000 1 0.6 "$tmp/s16m.wav"
src 16000 2 0.5 "$tmp/s16s.wav"
src 8000 1 0.6 "$tmp/s8m.wav"
src 48000 2 0.4 "$tmp/s48s.wav"

lame() { # in.wav out.mp3 [ffmpeg options...]
  local in=$1 o=$2
  shift 2
  ff -i "$in" -map_metadata -1 -c:a libmp3lame "$@" -bitexact "$o"
}

# --- ffmpeg/libmp3lame: ID3v2.4 tag (default) + Info/Xing + LAME extension
lame "$tmp/s44m.wav" "$out/ff-cbr64-44k-mono.mp3" -b:a 64k
lame "$tmp/s44s.wav" "$out/ff-cbr128-44k-stereo.mp3" -b:a 128k
lame "$tmp/s22m.wav" "$out/ff-vbr-22k-mono.mp3" -q:a 5
lame "$tmp/s22s.wav" "$out/ff-cbr32-22k-stereo.mp3" -b:a 32k
lame "$tmp/s16m.wav" "$out/ff-cbr24-16k-mono.mp3" -b:a 24k
lame "$tmp/s16m.wav" "$out/ff-vbr-16k-mono.mp3" -q:a 7
lame "$tmp/s16s.wav" "$out/ff-vbr-16k-stereo.mp3" -q:a 4
lame "$tmp/s8m.wav" "$out/ff-cbr16-8k-mono-mpeg25.mp3" -b:a 16k
lame "$tmp/s48s.wav" "$out/ff-abr-48k-stereo.mp3" -b:a 96k -abr 1
# without Xing/Info: the length is an estimate
lame "$tmp/s44m.wav" "$out/ff-noxing-cbr64-44k-mono.mp3" -b:a 64k -write_xing 0
lame "$tmp/s16m.wav" "$out/ff-noxing-vbr-16k-mono.mp3" -q:a 6 -write_xing 0
lame "$tmp/s22s.wav" "$out/ff-noxing-vbr-22k-stereo.mp3" -q:a 3 -write_xing 0
# tags: ID3v2.3 with text, none at all, ID3v1, a picture
lame "$tmp/s16m.wav" "$out/ff-id3v23.mp3" -b:a 32k -id3v2_version 3 -metadata title="Speech test" -metadata artist="audiopreflight"
lame "$tmp/s16m.wav" "$out/ff-noid3.mp3" -b:a 32k -id3v2_version 0
lame "$tmp/s16m.wav" "$out/ff-id3v1.mp3" -b:a 32k -write_id3v1 1 -metadata title="with v1"
lame "$tmp/s16m.wav" "$out/ff-noxing-id3v1.mp3" -b:a 32k -write_xing 0 -write_id3v1 1 -metadata title="v1"
ff -f lavfi -i "color=c=red:s=32x32:d=1" -frames:v 1 -bitexact "$tmp/cover.png"
ff -i "$tmp/s16m.wav" -i "$tmp/cover.png" -map 0:a -map 1:v -map_metadata -1 -c:a libmp3lame -b:a 32k \
  -c:v copy -id3v2_version 3 -metadata:s:v title="cover" -metadata:s:v comment="Cover (front)" -bitexact "$out/ff-id3v23-apic.mp3"

# five-second files for the benchmarks (and checked like the rest)
src 44100 2 5 "$tmp/b44s.wav"
src 16000 1 5 "$tmp/b16m.wav"
lame "$tmp/b44s.wav" "$out/bench-5s-44k-stereo-id3.mp3" -b:a 64k -id3v2_version 3 -metadata title="Five seconds" -metadata artist="audiopreflight"
lame "$tmp/b16m.wav" "$out/bench-5s-16k-mono.mp3" -b:a 24k

# --- sox (libmp3lame through sox: no tags, no Xing)
sox -R -D "$tmp/s44m.wav" -C 64 "$out/sox-cbr64-44k-mono.mp3"
sox -R -D "$tmp/s22s.wav" -C 48 "$out/sox-cbr48-22k-stereo.mp3"
sox -R -D "$tmp/s16m.wav" -C 32 "$out/sox-cbr32-16k-mono.mp3"
sox -R -D "$tmp/s16m.wav" -C -4.2 "$out/sox-vbr-16k-mono.mp3"

# --- MP2
ff -i "$tmp/s44m.wav" -map_metadata -1 -c:a mp2 -b:a 64k -bitexact -f mp2 "$out/ff-mp2-44k-mono.mp2"
ff -i "$tmp/s16m.wav" -map_metadata -1 -c:a mp2 -b:a 32k -bitexact -f mp2 "$out/ff-mp2-16k-mono.mp2"
ff -i "$tmp/s48s.wav" -map_metadata -1 -c:a mp2 -b:a 128k -bitexact -f mp2 "$out/ff-mp2-48k-stereo.mp2"

# --- ADTS AAC: recognised, never opened
ff -i "$tmp/s16m.wav" -map_metadata -1 -c:a aac -b:a 24k -bitexact -f adts "$out/ff-adts-16k-mono.aac"
ff -i "$tmp/s44s.wav" -map_metadata -1 -c:a aac -b:a 64k -bitexact -f adts "$out/ff-adts-44k-stereo.aac"

# --- containers to put behind ID3 tags
sox -R -D "$tmp/s16m.wav" -r 16000 -b 16 "$tmp/c.wav" trim 0 0.2
flac -s -f --no-padding -o "$tmp/c.flac" "$tmp/c.wav"
sox -R -D "$tmp/c.wav" "$tmp/c.aiff"
sox -R -D "$tmp/c.wav" "$tmp/c.au"
oggenc -Q -s 7 -o "$tmp/c.ogg" "$tmp/c.wav"

# --- byte surgery and hand-made frames
OUT=$out TMP=$tmp SCALE=$scale "$py" - <<'PY'
import os, random, struct
out, tmp, scale = os.environ["OUT"], os.environ["TMP"], int(os.environ["SCALE"])
def rd(p): return open(p, "rb").read()
def wr(name, data): open(os.path.join(out, name), "wb").write(bytes(data))

def ss(n):  # synchsafe
    return bytes([(n >> 21) & 0x7f, (n >> 14) & 0x7f, (n >> 7) & 0x7f, n & 0x7f])
def id3(ver=3, flags=0, pad=200, body=None, size=None):
    if body is None:
        t = b"\x00Speech test"
        body = (b"TIT2" + struct.pack(">I", len(t)) + b"\x00\x00" + t) if ver >= 3 else (b"TT2" + struct.pack(">I", len(t))[1:] + t)
    data = body + b"\x00" * pad
    return b"ID3" + bytes([ver, 0, flags]) + ss(len(data) if size is None else size) + data
def strip_id3(d):  # the audio after an ffmpeg ID3v2 tag
    if d[:3] == b"ID3":
        n = ((d[6] & 0x7f) << 21) | ((d[7] & 0x7f) << 14) | ((d[8] & 0x7f) << 7) | (d[9] & 0x7f)
        return d[10 + n:]
    return d

BITRATES = {(1, 3): [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
            (1, 2): [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
            (1, 1): [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448]}
def frames(d):  # offsets and sizes of the MPEG-1/2 frames of a clean stream
    out, i = [], 0
    while i + 4 <= len(d) and d[i] == 0xff and d[i + 1] & 0xe0 == 0xe0:
        b1, b2 = d[i + 1], d[i + 2]
        ver = (b1 >> 3) & 3; lay = 4 - ((b1 >> 1) & 3); bri = b2 >> 4; sri = (b2 >> 2) & 3; pad = (b2 >> 1) & 1
        lsf = 0 if ver == 3 else 1
        rate = [[44100, 48000, 32000], [22050, 24000, 16000]][lsf][sri] if ver != 0 else [11025, 12000, 8000][sri]
        br = (BITRATES[(1, lay)] if lsf == 0 else ([0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256] if lay == 1 else [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160]))[bri]
        if lay == 1: size = (br * 12000 // rate + pad) * 4
        elif lay == 2: size = br * 144000 // rate + pad
        else: size = br * 144000 // (rate << lsf) + pad
        out.append((i, size)); i += size
    return out

rng = random.Random(20240611)
base = strip_id3(rd(os.path.join(out, "ff-noxing-cbr64-44k-mono.mp3")))
fr = frames(base)
cut = fr[len(fr) // 2][0]
xbase = rd(os.path.join(out, "ff-cbr64-44k-mono.mp3"))
xaud = strip_id3(xbase)
xfr = frames(xaud)
vbr = rd(os.path.join(out, "ff-vbr-16k-mono.mp3"))

# junk between frames: under and over the 1024-byte resync limit; zeros cannot hold a false sync
wr("junk-zeros-500-between-frames.mp3", base[:cut] + b"\x00" * 500 + base[cut:])
wr("junk-zeros-1019-between-frames.mp3", base[:cut] + b"\x00" * 1019 + base[cut:])
wr("junk-zeros-1020-between-frames.mp3", base[:cut] + b"\x00" * 1020 + base[cut:])
wr("junk-zeros-2000-between-frames.mp3", base[:cut] + b"\x00" * 2000 + base[cut:])
wr("junk-random-700-between-frames.mp3", base[:cut] + bytes(rng.getrandbits(8) for _ in range(700)) + base[cut:])
wr("junk-random-3000-between-frames.mp3", base[:cut] + bytes(rng.getrandbits(8) for _ in range(3000)) + base[cut:])
wr("junk-zeros-2000-at-end.mp3", base + b"\x00" * 2000)
wr("junk-text-after-xing-stream.mp3", xbase + b"trailing text that is not audio " * 50)
s22 = strip_id3(rd(os.path.join(out, "ff-noxing-vbr-22k-stereo.mp3")))
# longer than one 65536-frame read block: the block an error falls in is lost
long = rd(os.path.join(out, "bench-5s-16k-mono.mp3"))
laud = strip_id3(long)
lfr = frames(laud)
at = lfr[126][0]  # 125 audio frames of 576 after the Info frame: 72000 samples in
lhead = long[:len(long) - len(laud)]
wr("long-junk-zeros-2000-after-first-block.mp3", lhead + laud[:at] + b"\x00" * 2000 + laud[at:])
wr("long-junk-zeros-700-after-first-block.mp3", lhead + laud[:at] + b"\x00" * 700 + laud[at:])
at1 = lfr[60][0]
wr("long-junk-zeros-2000-in-first-block.mp3", lhead + laud[:at1] + b"\x00" * 2000 + laud[at1:])
wr("long-rate-switch-after-first-block.mp3", lhead + laud[:at] + s22)
wr("long-trunc-mid-frame.mp3", lhead + laud[:at + 30])
# junk in front: libsndfile wants the frame sync at byte 0 (or right after the ID3 tag)
wr("junk-before-first-frame.mp3", b"\x00" * 100 + base)
wr("id3-then-junk-then-frames.mp3", id3() + b"\x00" * 64 + base)
# truncations
wr("trunc-mid-frame.mp3", base[:cut + 50])
wr("trunc-at-frame-boundary.mp3", base[:cut])
wr("trunc-one-frame.mp3", base[:fr[0][1]])
wr("trunc-one-frame-and-a-half.mp3", base[:fr[0][1] + fr[1][1] // 2])
wr("trunc-two-frames.mp3", base[:fr[0][1] + fr[1][1]])
wr("trunc-header-only.mp3", base[:12])
wr("trunc-11-bytes.mp3", base[:11])
wr("trunc-xing-vbr-half.mp3", vbr[:len(vbr) // 2])
wr("trunc-xing-only.mp3", xbase[:len(xbase) - len(xaud) + xfr[0][1]])
wr("trunc-xing-and-one-frame.mp3", xbase[:len(xbase) - len(xaud) + xfr[0][1] + xfr[1][1]])
v1 = b"TAG" + b"title".ljust(30, b"\x00") + b"\x00" * 94 + b"\x0c"
wr("trunc-mid-frame-then-id3v1.mp3", base[:cut + 50] + v1)
wr("id3v1-after-frames.mp3", base + v1)
ape = b"APETAGEX" + struct.pack("<IIII", 2000, 32 + 20, 1, 0) + b"\x00" * 8
apeitem = struct.pack("<II", 5, 0) + b"Title\x00" + b"Hello"
wr("ape-tag-at-end.mp3", base + ape[:8] + struct.pack("<IIII", 2000, 32 + len(apeitem), 1, 0xa0000000) + b"\x00" * 8 + apeitem + ape[:8] + struct.pack("<IIII", 2000, 32 + len(apeitem), 1, 0x80000000) + b"\x00" * 8)
wr("ape-bad-in-stream.mp3", base[:cut] + b"APETAGEX" + b"\x01" * 24 + base[cut:])
wr("id3v2-in-stream.mp3", base[:cut] + id3(ver=4, pad=50) + base[cut:])
wr("id3v1-in-stream.mp3", base[:cut] + v1 + base[cut:])
# streams that change: rate, channel count; Xing counts that disagree with the frames
s16 = strip_id3(rd(os.path.join(out, "ff-noxing-vbr-16k-mono.mp3")))
wr("switch-rate-44k-then-22k.mp3", base + s22)
wr("switch-mpeg1-then-mpeg2.mp3", base + s16)
s44s = strip_id3(rd(os.path.join(out, "ff-cbr128-44k-stereo.mp3")))
wr("switch-mono-then-stereo.mp3", base + s44s[frames(s44s)[0][1]:])
wr("xing-then-more-frames.mp3", xbase + base)
def info_at(d):  # offset of the Xing/Info tag in the frame at the start of d
    mono, lsf = (d[3] >> 6) == 3, ((d[1] >> 3) & 3) != 3
    return 4 + (17 if mono else 32) if not lsf else 4 + (9 if mono else 17)
head = len(xbase) - len(xaud)
off = head + info_at(xaud) + 8  # frames field of the Info header
big = bytearray(xbase)
assert big[off - 8:off - 4] in (b"Info", b"Xing"), big[off - 8:off - 4]
big[off:off + 4] = struct.pack(">I", 1000000)
wr("xing-count-huge.mp3", big)
big[off:off + 4] = struct.pack(">I", 1)
wr("xing-count-one.mp3", big)
big[off:off + 4] = struct.pack(">I", 0)
wr("xing-count-zero.mp3", big)
lame_off = off + 4 + 4 + 100 + 4  # frames, bytes, toc, quality
d = bytearray(xbase); d[lame_off + 21:lame_off + 24] = b"\xff\xff\xff"; d[off:off + 4] = struct.pack(">I", 1)
wr("xing-one-frame-huge-delay.mp3", d)
d = bytearray(xbase); d[lame_off + 21:lame_off + 24] = b"\xff\xf0\x00"
wr("xing-huge-delay.mp3", d)
d = bytearray(xbase); d[lame_off] = 0
wr("xing-without-lame.mp3", d)
# ID3 variants in front of an MP3
wr("id3v22.mp3", id3(ver=2) + base)
wr("id3v23-unsync-flag.mp3", id3(ver=3, flags=0x80) + base)
wr("id3v24-footer-flag.mp3", id3(ver=4, flags=0x10, pad=50) + b"3DI\x04\x00\x10" + ss(len(id3(ver=4, pad=50)) - 10) + base)
wr("id3v24-extended-header.mp3", id3(ver=4, flags=0x40, body=ss(6) + b"\x01\x00" + b"TIT2" + ss(3) + b"\x00\x00\x00ab") + base)
wr("id3v23-unknown-flags.mp3", id3(ver=3, flags=0x0f) + base)
wr("id3v25.mp3", id3(ver=5) + base)
wr("id3v21.mp3", id3(ver=1) + base)
t = bytearray(id3(ver=3)); t[9] |= 0x80
wr("id3-size-not-synchsafe.mp3", t + base)
wr("id3-twice.mp3", id3(ver=3) + id3(ver=4, pad=30) + base)
wr("id3-size-past-end.mp3", id3(ver=3, size=100000) + base[:2000])
wr("id3-size-to-end.mp3", id3(ver=3, size=len(id3(ver=3)) - 10 + len(base)) + base)
wr("id3-only.mp3", id3(ver=3, pad=2000))
wr("id3-big-padding.mp3", id3(ver=3, pad=70000) + base)
# libsndfile seeks over a second tag too big for its header cache from the input's start:
# detection lands inside that tag (nothing there; frames planted there are found)
t2 = id3(ver=4, pad=60000)
wr("id3-second-tag-over-cache.mp3", id3(pad=100) + t2 + base)
t1 = id3(pad=5000)
planted = bytearray(t2); p = len(t2) - len(t1); planted[p:p + 3000] = base[:3000]
assert len(planted) == len(t2)
wr("id3-second-tag-over-cache-planted.mp3", t1 + planted + base)
wr("id3-then-adts.aac", id3(ver=4) + rd(os.path.join(out, "ff-adts-16k-mono.aac")))
# Other containers behind ID3 tags: the ones that do not open whatever is registered. Every format
# behind tags, opening or not, is the id3 family's (scripts/corpus/id3.sh).
for ext in ("flac", "ogg"):
    c = rd(os.path.join(tmp, "c." + ext))
    if ext == "ogg":
        wr("id3-then-%s.%s" % (ext, ext), id3() + c)
    wr("id3-twice-then-%s.%s" % (ext, ext), id3() + id3(ver=4, pad=10) + c)
# frame sync in random bytes
r = bytearray(rng.getrandbits(8) for _ in range(6000)); r[:4] = b"\xff\xfb\x90\x44"
wr("sync-then-random.mp3", r)
r = bytearray(rng.getrandbits(8) for _ in range(3000)); r[:4] = b"\xff\xf3\x44\xc4"
wr("sync-mpeg2-then-random.mp3", r)
wr("random-bytes.bin", bytes(rng.getrandbits(8) for _ in range(5000)))
# hand-made frames: layer I, free format layer III, CRC-protected layer III
def synth(header, size, n, fill=0):
    fr = header + bytes([fill]) * (size - 4)
    return fr * n
wr("layer1-44k-mono.mp1", synth(bytes([0xff, 0xff, 0x40, 0xc0]), (128 * 12000 // 44100) * 4, 40))  # 128k
wr("layer1-32k-stereo-pad.mp1", synth(bytes([0xff, 0xff, 0x9a, 0x00]), (256 * 12000 // 32000 + 1) * 4, 30))
wr("freeformat-layer3-44k.mp3", synth(bytes([0xff, 0xfb, 0x00, 0xc0]), 500, 30))
wr("freeformat-layer2-48k.mp2", synth(bytes([0xff, 0xfd, 0x04, 0x00]), 700, 20))
wr("crc-layer3-44k.mp3", synth(bytes([0xff, 0xfa, 0x90, 0xc0]), 128 * 144000 // 44100, 30))
wr("version-reserved-then-valid.mp3", synth(bytes([0xff, 0xeb, 0x90, 0xc0]), 300, 3) + base)
wr("layer3-tiny-frames.mp3", synth(bytes([0xff, 0xfb, 0x10, 0xc0]), 32 * 144000 // 44100, 60))

# --- mutants (SCALE>1 only): flips, truncations, inserted and deleted runs
if scale > 1:
    bases = [n for n in sorted(os.listdir(out)) if n.startswith(("ff-", "sox-")) and n.endswith((".mp3", ".mp2"))]
    for i in range(scale * 40):
        rnd = random.Random(1000 + i)
        name = bases[rnd.randrange(len(bases))]
        d = bytearray(rd(os.path.join(out, name)))
        kind = rnd.randrange(5)
        if kind == 0:
            for _ in range(rnd.randint(1, 8)):
                p = rnd.randrange(len(d)); d[p] ^= 1 << rnd.randrange(8)
        elif kind == 1:
            d = d[:rnd.randrange(1, len(d))]
        elif kind == 2:
            p = rnd.randrange(len(d)); n = rnd.choice([10, 200, 1000, 1100, 3000])
            junk = bytes(rnd.getrandbits(8) for _ in range(n)) if rnd.random() < 0.5 else bytes(n)
            d = d[:p] + junk + d[p:]
        elif kind == 3:
            p = rnd.randrange(len(d)); d = d[:p] + d[p + rnd.randint(1, 600):]
        else:
            for _ in range(rnd.randint(1, 4)):
                p = rnd.randrange(len(d)); d[p] = 0xff
                if p + 1 < len(d): d[p + 1] = rnd.choice([0xfb, 0xf3, 0xe3, 0xfd, 0xff])
        wr("mut-%05d-%s" % (i, name), d)
PY
