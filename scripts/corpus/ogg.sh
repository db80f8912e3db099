#!/usr/bin/env bash
# ogg.sh — the Ogg part of the differential corpus (run by scripts/make-corpus.sh).
#
# usage: scripts/corpus/ogg.sh OUTDIR [SCALE]
#   SCALE 1 (default): the small committed set — Ogg-Opus at every input rate class, mono and
#         stereo, opusenc and ffmpeg; Ogg-Vorbis; FLAC-in-Ogg; Speex; and hand-broken files
#         (bad checksums, truncations, missing end-of-stream flags, sequence gaps, header edits,
#         invalid Opus packets, garbage between pages, several logical streams).
#         Also 48 seeded Ogg-Vorbis stream edits under OUTDIR/vmut/ (see below).
#   SCALE > 1: also SCALE*90 random mutations of nine base files, with fixed seeds, under
#         OUTDIR/mut/: byte flips, truncations, cut, repeated and inserted ranges, and edits that
#         keep the checksums valid (a page's header or body changed and re-checksummed, pages
#         dropped, duplicated or swapped), which reach the header and packet checks;
#         and SCALE*400 Ogg-Vorbis stream edits under OUTDIR/vmut/: one to three of page
#         deletion, duplication, reordering, merging and splitting, granule positions, sequence
#         numbers and flags changed, the identification header's block sizes and the setup
#         header's mode block flags changed, audio packets' mode bits changed or emptied, checksum
#         breaks and truncations — over seven oggenc bases (8 to 48 kHz, mono and stereo, both
#         block-size pairs), each also re-paged into small pages and into pages that split
#         packets, so that the granule positions are exercised page by page.
# Deterministic: sox -R -D, opusenc --serial, oggenc -s, flac --serial-number, ffmpeg -bitexact,
# Speex serial numbers rewritten, seeded random edits.
# Needs: sox, opus-tools, vorbis-tools, flac, ffmpeg, speex (speexenc; skipped if missing), python3.
set -euo pipefail

out=${1:?usage: ogg.sh OUTDIR [SCALE]}
scale=${2:-1}
py=/usr/bin/python3
[ -x "$py" ] || py=python3
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ---- sources: 16-bit PCM, a sweep with a tremolo (something an encoder has to work on) ----------
src() { # rate channels seconds -> path
  local f="$tmp/src-$1-$2-$3.wav"
  [ -f "$f" ] || sox -R -D -n -r "$1" -c "$2" -b 16 "$f" synth "$3" sine 200-2000 sine 330 tremolo 6 40 vol 0.4
  echo "$f"
}
opus() { # name serial rate channels seconds [opusenc options...]
  local name=$1 serial=$2 rate=$3 ch=$4 dur=$5
  shift 5
  opusenc --quiet --serial "$serial" "$@" "$(src "$rate" "$ch" "$dur")" "$out/$name"
}

# ---- Ogg-Opus: the input rate decides the rate the server sees --------------------------------
s=100
for r in 8000 11025 12000 15000 16000 17000 22050 24000 44100 48000; do
  opus "opus-rate$r-mono.opus" $((s++)) "$r" 1 0.3 --bitrate 16
done
opus opus-16k-stereo.opus 120 16000 2 0.3 --bitrate 24
opus opus-48k-stereo.opus 121 48000 2 0.3 --bitrate 32
opus opus-16k-frame2.5.opus 122 16000 1 0.2 --framesize 2.5 --bitrate 32
opus opus-16k-frame60.opus 123 16000 1 0.5 --framesize 60 --bitrate 12
opus opus-16k-hardcbr.opus 124 16000 1 0.3 --hard-cbr --bitrate 12
opus opus-16k-0.02s.opus 125 16000 1 0.02
# several pages (one every 100 ms), and a file longer than one 65536-frame read block
opus opus-16k-pages.opus 126 16000 1 1 --bitrate 12 --max-delay 100
opus opus-16k-5s.opus 127 16000 1 5 --bitrate 6 --max-delay 500
opus opus-16k-5s-24k.opus 130 16000 1 5 --bitrate 24
opus opus-8k-9s.opus 128 8000 1 9 --bitrate 6 --max-delay 1000
opus opus-48k-hibr.opus 129 48000 2 0.4 --bitrate 160 --max-delay 100
# ffmpeg's libopus muxing: a 44.1 kHz source is resampled and the header says 48000
ffmpeg -v error -bitexact -i "$(src 44100 1 0.3)" -c:a libopus -b:a 24k -fflags +bitexact \
  -flags:a +bitexact -y "$out/opus-ffmpeg-44k.opus"
ffmpeg -v error -bitexact -i "$(src 16000 1 0.3)" -c:a libopus -b:a 16k -fflags +bitexact \
  -flags:a +bitexact -y "$out/opus-ffmpeg-16k.opus"

# ---- other codecs -------------------------------------------------------------------------------
oggenc -Q -s 200 -q 0 -o "$out/vorbis-16k-mono.ogg" "$(src 16000 1 0.5)"
oggenc -Q -s 201 -q 0 -o "$out/vorbis-44k-stereo.ogg" "$(src 44100 2 0.3)"
oggenc -Q -s 202 -q -1 -o "$out/vorbis-8k-5s.ogg" "$(src 8000 1 9)"
oggenc -Q -s 203 -q 0 -o "$out/vorbis-16k-0.02s.ogg" "$(src 16000 1 0.02)"
oggenc -Q -s 204 -q -1 -o "$out/vorbis-16k-12s.ogg" "$(src 16000 1 12)"
# bases of the Vorbis stream edits (not kept): rates 8 to 48 kHz, block sizes 1024/1024 and 512/1024
# at 16 kHz, 256/2048 at 44.1 kHz
mkdir -p "$tmp/vbase"
for spec in "v16m 16000 1 2.36 0" "v16m-q3 16000 1 2.36 3" "v16m-6s 16000 1 6 -1" "v44s 44100 2 1.5 0" \
            "v8m 8000 1 3 0" "v22m 22050 1 2 2" "v48m 48000 1 1 4"; do
  set -- $spec
  oggenc -Q -s 77 -q "$5" -o "$tmp/vbase/$1.ogg" "$(src "$2" "$3" "$4")"
done
flac -s --ogg --serial-number=300 -o "$out/flac-16k.oga" "$(src 16000 1 0.3)"
if command -v speexenc >/dev/null; then
  speexenc --quiet -w "$(src 16000 1 0.3)" "$tmp/speex-16k.spx"
  speexenc --quiet -n "$(src 8000 1 0.3)" "$tmp/speex-8k.spx"
fi

# ---- hand-broken files, and the mutation set ---------------------------------------------------
"$py" - "$out" "$tmp" "$scale" <<'PYEOF'
import os, random, struct, sys

out, tmp, scale = sys.argv[1], sys.argv[2], int(sys.argv[3])

def crc_table():
    t = []
    for i in range(256):
        r = i << 24
        for _ in range(8):
            r = ((r << 1) ^ 0x04C11DB7) & 0xFFFFFFFF if r & 0x80000000 else (r << 1) & 0xFFFFFFFF
        t.append(r)
    return t
T = crc_table()

def crc(b):
    c = 0
    for x in b:
        c = ((c << 8) & 0xFFFFFFFF) ^ T[((c >> 24) ^ x) & 0xFF]
    return c

class Page:
    def __init__(self, flags, gp, serial, seq, segs, body, ver=0):
        self.flags, self.gp, self.serial, self.seq, self.segs, self.body, self.ver = flags, gp, serial, seq, list(segs), body, ver
    def copy(self, **kw):
        p = Page(self.flags, self.gp, self.serial, self.seq, self.segs, self.body, self.ver)
        for k, v in kw.items():
            setattr(p, k, v)
        return p
    def serialized(self):
        """the page's bytes: as read, when it was not edited (copies are edits), else rebuilt with a
        valid checksum, or a broken one when badcrc is set"""
        raw = getattr(self, "raw", None)
        if raw is None:
            raw = self.raw = self.bytes(0x1 if getattr(self, "badcrc", False) else None)
        return raw
    def bytes(self, crcval=None):
        h = bytearray(b"OggS" + bytes([self.ver, self.flags]) + struct.pack("<qII", self.gp, self.serial & 0xFFFFFFFF, self.seq & 0xFFFFFFFF)
                      + b"\0\0\0\0" + bytes([len(self.segs)]) + bytes(self.segs))
        b = h + self.body
        b[22:26] = struct.pack("<I", crc(b) if crcval is None else crcval)
        return bytes(b)
    def packets(self):
        """complete packets on the page, and the unfinished tail"""
        out, cur, i = [], b"", 0
        for s in self.segs:
            cur += self.body[i:i + s]
            i += s
            if s < 255:
                out.append(cur)
                cur = b""
        return out, cur

def parse(d):
    ps, o = [], 0
    while o + 27 <= len(d) and d[o:o + 4] == b"OggS":
        n = d[o + 26]
        segs = list(d[o + 27:o + 27 + n])
        bl = sum(segs)
        gp, serial, seq = struct.unpack("<qII", d[o + 6:o + 22])
        ps.append(Page(d[o + 5], gp, serial, seq, segs, bytes(d[o + 27 + n:o + 27 + n + bl]), d[o + 4]))
        ps[-1].raw = bytes(d[o:o + 27 + n + bl])
        o += 27 + n + bl
    return ps

def join(ps):
    return b"".join(p.bytes() for p in ps)

def lace(packets, last_continues=False):
    segs, body = [], b""
    for i, p in enumerate(packets):
        n = len(p)
        segs += [255] * (n // 255)
        if not (last_continues and i == len(packets) - 1):
            segs.append(n % 255)
        body += p
    return segs, body

def with_packets(p, packets):
    segs, body = lace(packets)
    return p.copy(segs=segs, body=body)

def load(name):
    with open(os.path.join(out, name), "rb") as f:
        return f.read()

def save(name, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)

def opus_head(version=1, channels=1, preskip=312, rate=16000, gain=0, family=0, table=b""):
    return b"OpusHead" + struct.pack("<BBHiHB", version, channels, preskip, rate, gain & 0xFFFF, family) + table

def set_head(ps, head):
    return [ps[0].copy(segs=lace([head])[0], body=head)] + ps[1:]

def renumber(ps):
    return [p.copy(seq=i) for i, p in enumerate(ps)]

def shift_gp(ps, delta):
    return [p if p.gp == -1 or i < 2 else p.copy(gp=p.gp + delta) for i, p in enumerate(ps)]

def opus_samples(x):
    """samples at 48 kHz in an Opus packet, from its TOC byte (RFC 6716 §3.1)"""
    if not x:
        return 0
    toc = x[0]
    if toc & 0x80:
        spf = (48000 << ((toc >> 3) & 3)) // 400
    elif toc & 0x60 == 0x60:
        spf = 960 if toc & 8 else 480
    else:
        k = (toc >> 3) & 3
        spf = 2880 if k == 3 else (48000 << k) // 100
    c = toc & 3
    count = 1 if c == 0 else 2 if c in (1, 2) else (x[1] & 0x3F if len(x) > 1 else 0)
    return spf * count

def repage(ps, per_page):
    """The same Opus packets laid out in pages of at most per_page segments, so that packets span
    pages; each page's granule position is recomputed from the packets that end on it."""
    head, rest = ps[:2], ps[2:]
    packets = [x for p in rest for x in p.packets()[0]]
    gp = 0  # granule position before the first packet
    segs_all = []  # (segment bytes, granule after the packet or None)
    for x in packets:
        gp += opus_samples(x)
        n = len(x)
        for k in range(n // 255):
            segs_all.append((x[k * 255:(k + 1) * 255], None))
        segs_all.append((x[(n // 255) * 255:], gp))
    pages, cont = [], False
    for start in range(0, len(segs_all), per_page):
        chunk = segs_all[start:start + per_page]
        ends = [g for _, g in chunk if g is not None]
        pages.append(Page(1 if cont else 0, ends[-1] if ends else -1, ps[0].serial, 2 + len(pages),
                          [len(b) for b, _ in chunk], b"".join(b for b, _ in chunk)))
        cont = chunk[-1][1] is None
    pages[-1].flags |= 4
    pages[-1].gp = rest[-1].gp
    return head + pages

# ---- Opus -----------------------------------------------------------------------------------------
base = parse(load("opus-16k-pages.opus"))      # 16 kHz mono, 1 s, ~11 pages
long5 = parse(load("opus-16k-5s.opus"))        # 16 kHz mono, 5 s: two read blocks
n = len(base)

def put(name, ps):
    save(name, join(ps))

# checksums
for k, label in [(0, "head"), (1, "tags"), (2, "firstaudio"), (n // 2, "middle"), (n - 1, "last")]:
    save(f"broken-crc-{label}.opus", b"".join(p.bytes(0xDEADBEEF if i == k else None) for i, p in enumerate(base)))
for k in range(2, len(long5)):
    save(f"broken-5s-crc{k}.opus", b"".join(p.bytes(0x12345678 if i == k else None) for i, p in enumerate(long5)))
save("broken-crc-allaudio.opus", b"".join(p.bytes(0x1 if i >= 2 else None) for i, p in enumerate(base)))
save("broken-crc-allbutlast.opus", b"".join(p.bytes(0x1 if 2 <= i < n - 1 else None) for i, p in enumerate(base)))

# sequence gaps, duplicates, reordering
put("broken-drop-tags.opus", [p for i, p in enumerate(base) if i != 1])
put("broken-drop-tags-renumbered.opus", renumber([p for i, p in enumerate(base) if i != 1]))
put("broken-drop-firstaudio.opus", [p for i, p in enumerate(base) if i != 2])
put("broken-drop-middle.opus", [p for i, p in enumerate(base) if i != n // 2])
put("broken-drop-last.opus", base[:-1])
put("broken-drop-middle-renumbered.opus", renumber([p for i, p in enumerate(base) if i != n // 2]))
put("broken-dup-middle.opus", base[:n // 2 + 1] + base[n // 2:])
put("broken-swap-middle.opus", base[:n // 2] + [base[n // 2 + 1], base[n // 2]] + base[n // 2 + 2:])
for k in (3, 5, 7, 9):
    if k < len(long5):
        put(f"broken-5s-drop{k}.opus", [p for i, p in enumerate(long5) if i != k])

# end of stream
noeos = [p.copy() for p in base]; noeos[-1].flags &= ~4
put("broken-noeos.opus", noeos)
l5 = [p.copy() for p in long5]; l5[-1].flags &= ~4
put("broken-5s-noeos.opus", l5)
# no end-of-stream flag, but a last granule that trims nothing: tolerated
exact = [p.copy() for p in base]
pk, _ = exact[-1].packets()
exact[-1].flags &= ~4
exact[-1].gp = exact[-2].gp + 320 * 3 * len(pk)
put("broken-noeos-exactgp.opus", exact)
eosmid = [p.copy() for p in base]; eosmid[n // 2].flags |= 4
put("broken-eos-middle.opus", eosmid)
bosmid = [p.copy() for p in base]; bosmid[n // 2].flags |= 2
put("broken-bos-middle.opus", bosmid)
ver = [p.copy() for p in base]; ver[n // 2].ver = 1
put("broken-version-middle.opus", ver)
ver0 = [p.copy() for p in base]; ver0[0].ver = 1
put("broken-version-head.opus", ver0)

# truncations
d = load("opus-16k-pages.opus")
offs, o = [], 0
for p in base:
    offs.append(o)
    o += len(p.bytes())
last = offs[-1]
for cut, label in [(last + 1, "lastpage-1"), (last + 26, "lastpage-26"), (last + 27, "lastpage-27"), (len(d) - 1, "end-1"),
                   (last, "pageboundary"), (offs[2], "headersonly"), (offs[1] + 20, "intags"), (30, "inhead"), (12, "12bytes"), (11, "11bytes"),
                   (offs[n // 2] + 100, "middle")]:
    save(f"broken-trunc-{label}.opus", d[:cut])
save("broken-trunc-5s-middle.opus", load("opus-16k-5s.opus")[:len(join(long5[:6])) + 50])

# junk
save("broken-junk-end.opus", d + b"trailing junk without a capital o")
save("broken-junk-end-O.opus", d + b"xxOggSxx")
save("broken-junk-end-page.opus", d + base[-1].bytes(0x1))
save("broken-garbage-between.opus", join(base[:n // 2]) + b"garbage!" * 40 + join(base[n // 2:]))
save("broken-garbage-O-between.opus", join(base[:n // 2]) + b"OggSOggOOO" * 5 + join(base[n // 2:]))
save("broken-garbage-after-head.opus", join(base[:1]) + b"\0" * 300 + join(base[1:]))
save("broken-garbage-before-head-short.opus", b"OggS" + b"\0" * 100 + d)
save("broken-garbage-before-head-long.opus", b"OggS" + b"\0" * 4100 + d)
# a page header whose lengths run past the end of the file hides what follows
big = base[n // 2].copy(segs=[255] * 255, body=b"\0" * 255 * 255)
save("broken-hugepage-middle.opus", join(base[:n // 2]) + big.bytes()[:600] + join(base[n // 2:]))

# OpusHead edits
for label, head in [
    ("version0", opus_head(version=0)), ("version2", opus_head(version=2)), ("version15", opus_head(version=15)),
    ("channels0", opus_head(channels=0)), ("channels2", opus_head(channels=2)), ("channels3", opus_head(channels=3)),
    ("rate0", opus_head(rate=0)), ("rate-neg", opus_head(rate=-1)), ("rate8001", opus_head(rate=8001)),
    ("rate16001", opus_head(rate=16001)), ("rate96000", opus_head(rate=96000)), ("rate15999", opus_head(rate=15999)),
    ("preskip0", opus_head(preskip=0)), ("preskip-huge", opus_head(preskip=65535)), ("gain", opus_head(gain=-2560)),
    ("family1-mono", opus_head(family=1, table=bytes([1, 0, 0]))),
    ("family1-9ch", opus_head(family=1, channels=9, table=bytes([1, 0] + [0] * 9))),
    ("family255-2ch", opus_head(family=255, channels=2, table=bytes([1, 0, 0, 0]))),
    ("family2-mono", opus_head(family=2, table=bytes([1, 0, 0]))),
    ("family1-streams0", opus_head(family=1, table=bytes([0, 0, 0]))),
    ("family1-badmap", opus_head(family=1, table=bytes([1, 0, 1]))),
    ("family1-muted", opus_head(family=1, table=bytes([1, 0, 255]))),
    ("family1-short", opus_head(family=1, channels=2, table=bytes([1, 0, 0]))),
    ("extra-byte", opus_head() + b"\0"), ("short", opus_head()[:18]),
]:
    put(f"broken-head-{label}.opus", set_head(base, head))
# two packets on the OpusHead page
two = with_packets(base[0], [opus_head(), b"OpusTags"])
put("broken-head-twopackets.opus", [two] + base[1:])

# OpusTags edits
tags, _ = base[1].packets()
t = tags[0]
for label, pkt in [
    ("vendor-long", t[:8] + struct.pack("<I", len(t)) + t[12:]),
    ("count-huge", t[:8] + struct.pack("<I", 0) + struct.pack("<I", 1000)),
    ("short", b"OpusTags\0\0\0\0\0\0\0"), ("minimal", b"OpusTags" + b"\0" * 8),
    ("wrongmagic", b"OpusTagz" + t[8:]), ("empty", b""),
]:
    put(f"broken-tags-{label}.opus", [base[0], with_packets(base[1], [pkt])] + base[2:])
# the tags packet split over two pages, and tags followed by audio on its page
tsplit = [base[0], base[1].copy(segs=[255, 255], body=(t + b"\0" * 600)[:510]),
          Page(1, 0, base[1].serial, 2, lace([(t + b"\0" * 600)[510:]])[0], (t + b"\0" * 600)[510:])]
put("broken-tags-spanning.opus", tsplit + [p.copy(seq=p.seq + 1) for p in base[2:]])
put("broken-tags-missing.opus", renumber([base[0]] + base[2:]))

# audio edits: invalid packets per RFC 6716 §3, concealment of empty packets
def edit_packet(ps, page, idx, fn):
    ps = [p.copy() for p in ps]
    pk, _ = ps[page].packets()
    pk[idx] = fn(pk[idx])
    ps[page] = with_packets(ps[page], pk)
    return ps
mid = n // 2
for label, fn in [
    ("code3-count0", lambda x: bytes([x[0] | 3, 0x00]) + x[2:]),
    ("code3-too-long", lambda x: bytes([x[0] | 3, 0x3F]) + x[2:]),
    ("code3-padding-overrun", lambda x: bytes([x[0] | 3, 0x41, 0xFF, 0xFF]) + x[4:]),
    ("code3-cbr-uneven", lambda x: bytes([x[0] | 3, 0x03]) + x[2:] + (b"\0" if (len(x) - 2) % 3 == 0 else b"")),
    ("code1-odd", lambda x: bytes([(x[0] & ~3) | 1]) + x[1:] + (b"\0" if (len(x) - 1) % 2 == 0 else b"")),
    ("code2-bad-size", lambda x: bytes([(x[0] & ~3) | 2, 251]) + x[2:20]),
    ("code0-oversize", lambda x: x + b"\0" * 1300),
    ("code3-valid-padding", lambda x: bytes([x[0] | 3, 0x41, 0x02]) + x[1:] + b"\0\0"),
    ("empty", lambda x: b""),
    ("toc-only", lambda x: x[:1]),
]:
    put(f"broken-packet-{label}.opus", edit_packet(base, mid, 1, fn))
inserted = [p.copy() for p in base]
inserted[mid] = with_packets(inserted[mid], inserted[mid].packets()[0][:1] + [b""] + inserted[mid].packets()[0][1:])
put("broken-packet-inserted-empty.opus", inserted)
put("broken-packet-firstaudio-code3-count0.opus", edit_packet(base, 2, 0, lambda x: bytes([x[0] | 3, 0]) + x[2:]))
put("broken-packet-last-empty.opus", edit_packet(base, n - 1, 0, lambda x: b""))
put("broken-packet-firstaudio-allempty.opus", [base[0], base[1], with_packets(base[2], [b""] * len(base[2].packets()[0]))] + base[3:])

# granule positions
put("broken-gp-offset.opus", shift_gp(base, 48000))
put("broken-gp-firstpage-small.opus", [p.copy(gp=10) if i == 2 else p for i, p in enumerate(base)])
put("broken-gp-last-small.opus", [p.copy(gp=100) if i == n - 1 else p for i, p in enumerate(base)])
put("broken-gp-last-minus1.opus", [p.copy(gp=-1) if i == n - 1 else p for i, p in enumerate(base)])
put("broken-gp-last-huge.opus", [p.copy(gp=1 << 40) if i == n - 1 else p for i, p in enumerate(base)])
put("broken-gp-middle-backwards.opus", [p.copy(gp=1000) if i == mid else p for i, p in enumerate(base)])
# zero audio packets
put("broken-noaudio-eos-on-tags.opus", [base[0], base[1].copy(flags=4)])
put("broken-noaudio-empty-eos-page.opus", base[:2] + [Page(4, 0, base[0].serial, 2, [], b"")])
put("broken-noaudio-empty-pages.opus", base[:2] + [Page(0, -1, base[0].serial, 2, [], b""), Page(4, 0, base[0].serial, 3, [], b"")])

# packets spanning pages, with damage
sp = repage(parse(load("opus-48k-hibr.opus")), 5)
put("opus-48k-spanning.opus", sp)
save("broken-spanning-crc.opus", b"".join(p.bytes(0x1 if i == len(sp) // 2 else None) for i, p in enumerate(sp)))
put("broken-spanning-drop.opus", [p for i, p in enumerate(sp) if i != len(sp) // 2])
put("broken-spanning-drop-renumbered.opus", renumber([p for i, p in enumerate(sp) if i != len(sp) // 2]))

# a hole before a page that only ends a continued packet: libsndfile decodes a stale packet slot
save("broken-spanning-crc-beforelast.opus", b"".join(p.bytes(0x1 if i == len(sp) - 2 else None) for i, p in enumerate(sp)))
# a page that grows over the next page's header (lacing value raised, checksum made valid again) and
# is out of sequence: after the seek that follows the read, libsndfile checks the end-of-stream
# flag through a page pointer that the seek's reads have overwritten
grown = bytearray(join(base))
o4 = sum(len(p.bytes()) for p in base[:4])
grown[o4 + 5] |= 16
grown[o4 + 18] = 36
grown[o4 + 27 + 2] += 128
ln = 27 + grown[o4 + 26] + sum(grown[o4 + 27:o4 + 27 + grown[o4 + 26]])
pg = bytearray(grown[o4:o4 + ln]); pg[22:26] = b"\0\0\0\0"
grown[o4 + 22:o4 + 26] = struct.pack("<I", crc(bytes(pg)))
save("broken-page-grown-over-next.opus", bytes(grown))

# several logical streams
other = parse(load("opus-rate48000-mono.opus"))
vorb = parse(load("vorbis-16k-mono.ogg"))
put("multi-chained-opus-opus.opus", base + other)
put("multi-chained-opus-vorbis.opus", base + vorb)
put("multi-chained-vorbis-opus.ogg", vorb + base)
def interleave(a, b):
    head = [a[0], b[0]]
    ra, rb, outp = a[1:], b[1:], []
    while ra or rb:
        if ra:
            outp.append(ra.pop(0))
        if rb:
            outp.append(rb.pop(0))
    return head + outp
put("multi-interleaved-opus-vorbis.opus", interleave(base, vorb))
put("multi-interleaved-vorbis-opus.ogg", interleave(vorb, base))
put("multi-interleaved-opus-opus.opus", interleave(base, other))
put("multi-opus-then-other-tail.opus", base[:-1] + other[:2] + [base[-1]] + other[2:])
samesn = [p.copy(serial=base[0].serial) for p in other]
put("multi-chained-same-serial.opus", base + samesn)

# ---- Vorbis ---------------------------------------------------------------------------------------
v = parse(load("vorbis-16k-12s.ogg"))
nv = len(v)
for k, label in [(1, "comment"), (min(2, nv - 1), "setup"), (nv // 2, "middle"), (nv - 1, "last")]:
    save(f"broken-vorbis-crc-{label}.ogg", b"".join(p.bytes(0x1 if i == k else None) for i, p in enumerate(v)))
put("broken-vorbis-drop-middle.ogg", [p for i, p in enumerate(v) if i != nv // 2])
put("broken-vorbis-drop-middle-renumbered.ogg", renumber([p for i, p in enumerate(v) if i != nv // 2]))
vn = [p.copy() for p in v]; vn[-1].flags &= ~4
put("broken-vorbis-noeos.ogg", vn)
dv = load("vorbis-16k-12s.ogg")
save("broken-vorbis-trunc-last.ogg", dv[:-10])
save("broken-vorbis-trunc-headers.ogg", dv[:len(join(v[:2]))])
save("broken-vorbis-junk-end.ogg", dv + b"junk")
put("broken-vorbis-gp-offset.ogg", [p if p.gp in (-1, 0) else p.copy(gp=p.gp + 8000) for p in v])
# the last page belongs to another stream: libsndfile measures the data length to it and refuses
put("broken-vorbis-last-foreign-serial.ogg", v[:-1] + [v[-1].copy(serial=999)])
v44 = parse(load("vorbis-44k-stereo.ogg"))
put("broken-vorbis-audio-foreign-serial.ogg", v44[:2] + [p.copy(serial=999) for p in v44[2:]])
vi = parse(load("vorbis-16k-mono.ogg"))
ident, _ = vi[0].packets()
for label, fn in [("rate0", lambda x: x[:12] + b"\0\0\0\0" + x[16:]), ("channels0", lambda x: x[:11] + b"\0" + x[12:]),
                  ("version1", lambda x: x[:7] + b"\1\0\0\0" + x[11:]), ("noframing", lambda x: x[:-1] + b"\0")]:
    put(f"broken-vorbis-ident-{label}.ogg", [with_packets(vi[0], [fn(ident[0])])] + vi[1:])
# block sizes raised in the identification header: the first audio page's granule position is then
# less than the samples its blocks give. libsndfile records that error while opening and forgets it
# (every read starts by clearing it), so the stream still decodes, from granule position 0.
vid = v[0].packets()[0][0]
for bs in (0xBB, 0xCC):
    vbs = [with_packets(v[0], [vid[:28] + bytes([bs]) + vid[29:]])] + v[1:]
    put(f"broken-vorbis-bs{bs:02x}.ogg", vbs)
    put(f"broken-vorbis-bs{bs:02x}-drop-firstaudio.ogg", [p for i, p in enumerate(vbs) if i != 2])
    put(f"broken-vorbis-bs{bs:02x}-drop-middle.ogg", [p for i, p in enumerate(vbs) if i != nv // 2])

# ---- Speex: fixed serial numbers ------------------------------------------------------------------
for name, serial in (("speex-16k.spx", 400), ("speex-8k.spx", 401)):
    pth = os.path.join(tmp, name)
    if os.path.exists(pth):
        with open(pth, "rb") as f:
            save(name, join([p.copy(serial=serial) for p in parse(f.read())]))

# ---- mutations ------------------------------------------------------------------------------------
def page_spans(d):
    """(offset, length) of each page as it is laid out in d"""
    spans, o = [], 0
    while o + 27 <= len(d) and d[o:o + 4] == b"OggS":
        n = d[o + 26]
        ln = 27 + n + sum(d[o + 27:o + 27 + n])
        spans.append((o, ln))
        o += ln
    return spans

def refresh_crc(d, off):
    """recompute the checksum of the page at off, with the lengths its header now gives"""
    if off + 27 > len(d):
        return
    n = d[off + 26]
    if off + 27 + n > len(d):
        return
    ln = 27 + n + sum(d[off + 27:off + 27 + n])
    if off + ln > len(d):
        return
    pg = bytearray(d[off:off + ln])
    pg[22:26] = b"\0\0\0\0"
    d[off + 22:off + 26] = struct.pack("<I", crc(bytes(pg)))

if scale > 1:
    os.makedirs(os.path.join(out, "mut"), exist_ok=True)
    bases = ["opus-16k-pages.opus", "opus-16k-5s.opus", "opus-48k-spanning.opus", "opus-48k-stereo.opus",
             "opus-8k-9s.opus", "multi-interleaved-opus-vorbis.opus", "vorbis-16k-mono.ogg", "vorbis-16k-12s.ogg",
             "vorbis-44k-stereo.ogg"]
    ops = ["flip", "trunc", "cut", "repeat", "insert", "zero", "pageflip", "pageflip", "pageflip", "pagehead",
           "pagedrop", "pagedup", "pageswap"]
    for bi, bname in enumerate(bases):
        data = load(bname)
        spans = page_spans(data)
        for k in range(scale * 10):
            rng = random.Random(1000003 * bi + k)
            d = bytearray(data)
            op = ops[k % len(ops)]
            if op == "flip":
                for _ in range(rng.randint(1, 4)):
                    i = rng.randrange(len(d))
                    d[i] ^= 1 << rng.randrange(8)
            elif op == "trunc":
                d = d[:rng.randrange(12, len(d))]
            elif op == "cut":
                i = rng.randrange(len(d)); j = min(len(d), i + rng.randint(1, 3000))
                del d[i:j]
            elif op == "repeat":
                i = rng.randrange(len(d)); j = min(len(d), i + rng.randint(1, 3000))
                d[j:j] = d[i:j]
            elif op == "insert":
                i = rng.randrange(len(d))
                d[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))
            elif op == "zero":
                i = rng.randrange(len(d)); j = min(len(d), i + rng.randint(1, 200))
                d[i:j] = bytes(j - i)
            elif op in ("pageflip", "pagehead"):
                # damage a page's header or body, then give it a valid checksum again
                off, ln = spans[rng.randrange(len(spans))]
                head = [4, 5, 5, 6, 7, 13, 14, 18, 19, 26] + list(range(27, 27 + d[off + 26]))
                for _ in range(rng.randint(1, 3)):
                    if op == "pagehead":
                        i = off + rng.choice(head)
                    else:
                        i = off + 27 + rng.randrange(ln - 27)
                    d[i] ^= 1 << rng.randrange(8)
                refresh_crc(d, off)
            elif op == "pagedrop":
                off, ln = spans[rng.randrange(1, len(spans))]
                del d[off:off + ln]
            elif op == "pagedup":
                off, ln = spans[rng.randrange(len(spans))]
                d[off:off] = d[off:off + ln]
            else:
                a = rng.randrange(1, len(spans) - 1)
                (o1, l1), (o2, l2) = spans[a], spans[a + 1]
                d[o1:o2 + l2] = d[o2:o2 + l2] + d[o1:o1 + l1]
            if bytes(d[:4]) != b"OggS":
                d[:4] = b"OggS"
            save(os.path.join("mut", f"{os.path.splitext(bname)[0]}-{op}-{k:04d}{os.path.splitext(bname)[1]}"), bytes(d))
# ---- Ogg-Vorbis stream edits ----------------------------------------------------------------------
def bitget(b, pos, n):
    v = 0
    for i in range(n):
        k = pos + i
        if (k >> 3) < len(b):
            v |= ((b[k >> 3] >> (k & 7)) & 1) << i
    return v

def vorbis_modes(setup):
    """The bit offsets and block flags of the setup header's modes, found backwards from its framing bit."""
    set_bits = [8 * i + j for i, x in enumerate(setup) for j in range(8) if x >> j & 1]
    if not set_bits:
        return None
    end = set_bits[-1]
    for m in range(1, 65):
        start = end - 41 * m
        if start < 6:
            break
        if bitget(setup, start - 6, 6) != m - 1:
            continue
        if all(bitget(setup, start + 41 * i + 1, 32) == 0 for i in range(m)):
            return [start + 41 * i for i in range(m)], [bitget(setup, start + 41 * i, 1) for i in range(m)]
    return None

def ilog(v):
    return v.bit_length()

class VorbisBase:
    """A Vorbis file's pages, packets and the block size of every audio packet."""
    def __init__(self, data):
        self.pages = parse(data)
        heads = []
        for p in self.pages:
            pk, _ = p.packets()
            heads += pk
            if len(heads) >= 3:
                break
        self.ident, self.comment, self.setup = heads[0], heads[1], heads[2]
        bs = self.ident[28]
        self.bs = (1 << (bs & 15), 1 << (bs >> 4))
        self.modes = vorbis_modes(self.setup)

    def blocksize(self, pkt):
        if not pkt or pkt[0] & 1 or not self.modes:
            return None
        offs, flags = self.modes
        mode = bitget(pkt, 1, ilog(len(flags) - 1))
        return self.bs[flags[mode]] if mode < len(flags) else None

def audio_packets(ps):
    """the packets after the three headers, in order (complete ones only)"""
    out, cur, n = [], b"", 0
    for p in ps:
        i = 0
        for s in p.segs:
            cur += p.body[i:i + s]
            i += s
            if s < 255:
                n += 1
                if n > 3:
                    out.append(cur)
                cur = b""
    return out

def vorbis_repage(vb, per_page, by_segments=False):
    """The stream laid out again: headers as they were, audio in pages of per_page packets (or lacing
    segments, so that packets span pages), each page's granule position computed from the block
    sizes, the last one keeping the original (trimmed) end."""
    ps = vb.pages
    nhead = 0
    cnt = 0
    for i, p in enumerate(ps):
        cnt += len(p.packets()[0])
        if cnt >= 3:
            nhead = i + 1
            break
    if cnt != 3:
        return None
    pkts = audio_packets(ps)
    gps, gp, last = [], 0, None
    for x in pkts:
        b = vb.blocksize(x)
        if b is None:
            return None
        if last is not None:
            gp += (last + b) // 4
        last = b
        gps.append(gp)
    end = ps[-1].gp
    if gp < end:
        return None
    serial = ps[0].serial
    units = []  # (bytes, granule or None when the packet goes on)
    for x, g in zip(pkts, gps):
        n = len(x)
        for k in range(n // 255):
            units.append((x[k * 255:(k + 1) * 255], None))
        units.append((x[(n // 255) * 255:], g))
    pages, cont = [], False
    if by_segments:
        chunks = [units[i:i + per_page] for i in range(0, len(units), per_page)]
    else:
        chunks, cur, k = [], [], 0
        for u in units:
            cur.append(u)
            if u[1] is not None:
                k += 1
                if k == per_page:
                    chunks.append(cur); cur, k = [], 0
        if cur:
            chunks.append(cur)
    for ch in chunks:
        ends = [g for _, g in ch if g is not None]
        pages.append(Page(1 if cont else 0, ends[-1] if ends else -1, serial, nhead + len(pages),
                          [len(b) for b, _ in ch], b"".join(b for b, _ in ch)))
        cont = ch[-1][1] is None
    pages[-1].flags |= 4
    pages[-1].gp = end
    return ps[:nhead] + pages

def set_bits(b, pos, n, val):
    b = bytearray(b)
    for i in range(n):
        k = pos + i
        if val >> i & 1:
            b[k >> 3] |= 1 << (k & 7)
        else:
            b[k >> 3] &= ~(1 << (k & 7)) & 0xFF
    return bytes(b)

def replace_packet(ps, index, new):
    """the stream with its index-th complete packet (0 = identification header) replaced; only
    pages whose packets all end on them are edited"""
    n = 0
    for i, p in enumerate(ps):
        pk, tail = p.packets()
        if p.flags & 1 or tail:
            n += len(pk)
            continue
        if index < n + len(pk):
            pk = list(pk)
            pk[index - n] = new
            return ps[:i] + [with_packets(p, pk)] + ps[i + 1:]
        n += len(pk)
    return ps

def vorbis_mutate(vb, ps, rng):
    """one random edit of a Vorbis stream, with valid checksums; returns (pages, label)"""
    ps = list(ps)
    if len(ps) < 2:
        return ps, "short"
    nhead = next(i for i, p in enumerate(ps) if p.gp != 0 or i >= 3) if len(ps) > 3 else 2
    audio = list(range(nhead, len(ps))) or [len(ps) - 1]
    op = rng.choice(["drop", "drop", "dup", "swap", "move", "gp", "gp", "gp", "eos", "bos", "identbs", "identbs",
                     "modeflag", "packetmode", "seq", "renumber", "merge", "split", "cont", "crc", "trunc",
                     "emptypacket"])
    if op == "drop":
        k = rng.choice(audio if rng.random() < 0.8 else range(1, len(ps)))
        del ps[k]
    elif op == "dup":
        k = rng.randrange(len(ps))
        ps.insert(k, ps[k])
    elif op == "swap":
        if len(audio) >= 2:
            k = rng.choice(audio[:-1])
            ps[k], ps[k + 1] = ps[k + 1], ps[k]
    elif op == "move":
        k = rng.choice(audio)
        p = ps.pop(k)
        ps.insert(rng.randrange(1, len(ps) + 1), p)
    elif op == "gp":
        k = rng.choice(audio)
        g = ps[k].gp
        choices = [-1, 0, g - rng.randint(1, 64), g - rng.randint(64, 4096), g + rng.randint(1, 4096), g // 2, g * 2,
                   rng.randrange(1 << 33), ps[k - 1].gp, (1 << 63) - 1, -2,
                   g - (1 << 63) - rng.randrange(1 << 16), g - rng.randrange(1 << 48)]
        g = rng.choice(choices)
        ps[k] = ps[k].copy(gp=(g + (1 << 63)) % (1 << 64) - (1 << 63))
    elif op == "eos":
        k = rng.choice(audio)
        ps[k] = ps[k].copy(flags=ps[k].flags ^ 4)
    elif op == "bos":
        k = rng.randrange(1, len(ps))
        ps[k] = ps[k].copy(flags=ps[k].flags | 2)
    elif op == "identbs":
        lo, hi = vb.ident[28] & 15, vb.ident[28] >> 4
        r = rng.random()
        if r < 0.6:
            lo, hi = rng.randint(6, 13), rng.randint(6, 13)
        elif r < 0.8:
            lo, hi = lo + rng.choice([-2, -1, 1, 2]), hi + rng.choice([-2, -1, 0, 1, 2])
        else:
            lo, hi = rng.randrange(16), rng.randrange(16)
        ident = vb.ident[:28] + bytes([(lo & 15) | (hi & 15) << 4]) + vb.ident[29:]
        ps = replace_packet(ps, 0, ident)
    elif op == "modeflag":
        if vb.modes:
            offs, _ = vb.modes
            setup = vb.setup
            for _ in range(rng.randint(1, len(offs))):
                o = rng.choice(offs)
                setup = set_bits(setup, o, 1, bitget(setup, o, 1) ^ 1)
            ps = replace_packet(ps, 2, setup)
    elif op == "packetmode":
        k = rng.choice(audio)
        pk, tail = ps[k].packets()
        if pk and not tail and not ps[k].flags & 1:
            pk = list(pk)
            for _ in range(rng.randint(1, 3)):
                i = rng.randrange(len(pk))
                if pk[i]:
                    pk[i] = bytes([pk[i][0] ^ (1 << rng.randrange(4))]) + pk[i][1:]
            ps[k] = with_packets(ps[k], pk)
    elif op == "emptypacket":
        k = rng.choice(audio)
        pk, tail = ps[k].packets()
        if pk and not tail and not ps[k].flags & 1:
            pk = list(pk)
            i = rng.randrange(len(pk))
            pk[i] = rng.choice([b"", pk[i][:1], pk[i][:2]])
            ps[k] = with_packets(ps[k], pk)
    elif op == "seq":
        k = rng.choice(audio)
        ps[k] = ps[k].copy(seq=(ps[k].seq + rng.choice([-2, -1, 1, 2, 1000])) & 0xFFFFFFFF)
    elif op == "renumber":
        ps = renumber(ps)
    elif op == "merge":
        if len(audio) >= 2:
            k = rng.choice(audio[:-1])
            a, b = ps[k], ps[k + 1]
            if len(a.segs) + len(b.segs) <= 255:
                ps[k:k + 2] = [a.copy(segs=a.segs + b.segs, body=a.body + b.body, gp=b.gp, flags=(a.flags & 1) | (b.flags & 4))]
    elif op == "split":
        k = rng.choice(audio)
        p = ps[k]
        if len(p.segs) >= 2:
            m = rng.randrange(1, len(p.segs))
            cut = sum(p.segs[:m])
            first_ends = any(s < 255 for s in p.segs[:m])
            a = p.copy(segs=p.segs[:m], body=p.body[:cut], flags=p.flags & 1, gp=p.gp if rng.random() < 0.3 else (ps[k - 1].gp if first_ends else -1))
            b = p.copy(segs=p.segs[m:], body=p.body[cut:], flags=(p.flags & 4) | (1 if p.segs[m - 1] == 255 else 0), seq=p.seq + 1)
            ps[k:k + 1] = [a, b]
    elif op == "cont":
        k = rng.choice(audio)
        ps[k] = ps[k].copy(flags=ps[k].flags ^ 1)
    elif op == "crc":
        k = rng.choice(audio)
        ps[k] = ps[k].copy(badcrc=True)
    elif op == "trunc":
        ps = ps[:rng.randint(max(1, nhead), len(ps))]
    return ps, op


def samples_through(vb, pages):
    """what libvorbis counts (sample_count) once the last packet of pages is in"""
    n, last = -1, None
    for x in audio_packets(pages):
        b = vb.blocksize(x)
        if b is None:
            continue
        n = 0 if last is None else n + (last + b) // 4
        last = b
    return n

# The first granule position the decoder meets, near -2^63: sample_count - granulepos wraps, and the
# compiled libvorbis lets the wrapped value through (its test for a negative one is optimised away);
# the low 32 bits trim the end (end-of-stream page) or the start (otherwise) by up to a block.
for name in ("vorbis-16k-mono.ogg", "vorbis-8k-5s.ogg"):
    data = load(name)
    vbw, pw = VorbisBase(data), parse(data)
    n = samples_through(vbw, pw[:3])
    stem = os.path.splitext(name)[0]
    for r in (100, 300, 1 << 40 | 100):
        g = n - r - (1 << 63) if r < 1 << 32 else n - r
        label = f"broken-{stem}-gpwrap-{r & 0xffff}{'' if r < 1 << 32 else '-large'}"
        put(label + ".ogg", pw[:2] + [pw[2].copy(gp=g)] + pw[3:])
        if pw[2].flags & 4:
            put(label + "-noeos.ogg", pw[:2] + [pw[2].copy(gp=g, flags=pw[2].flags & ~4)] + pw[3:])

def vorbis_variants(path):
    """a Vorbis base as oggenc wrote it and re-paged four ways, with its header state"""
    with open(path, "rb") as f:
        data = f.read()
    vb = VorbisBase(data)
    name = os.path.splitext(os.path.basename(path))[0]
    out = [(name, vb, parse(data))]
    for per, by_segments in ((3, False), (8, False), (20, True), (7, True)):
        r = vorbis_repage(vb, per, by_segments)
        if r is None:
            sys.exit(f"ogg.sh: cannot re-page {path}: its setup header's modes were not found")
        out.append((f"{name}-p{per}{'s' if by_segments else ''}", vb, r))
    return out

vbase = os.path.join(tmp, "vbase")
variants = [v for b in sorted(os.listdir(vbase)) for v in vorbis_variants(os.path.join(vbase, b))]
os.makedirs(os.path.join(out, "vmut"), exist_ok=True)
for k in range(48 if scale == 1 else scale * 400):
    rng = random.Random(2000003 * 7 + k)
    name, vb, ps = variants[k % len(variants)]
    labels = []
    for _ in range(rng.choice([1, 1, 2, 2, 3])):
        ps, op = vorbis_mutate(vb, ps, rng)
        labels.append(op)
    d = b"".join(p.serialized() for p in ps)
    if rng.random() < 0.05:
        d = d[:rng.randrange(len(d) // 2, len(d))]
        labels.append("cut")
    save(os.path.join("vmut", f"{name}-{'+'.join(labels)}-{k:05d}.ogg"), d)
PYEOF
