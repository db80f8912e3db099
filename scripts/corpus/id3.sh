#!/usr/bin/env bash
# id3.sh OUTDIR SCALE — every container behind ID3v2 tags, for the differential corpus.
#
# libsndfile skips ID3v2 tags in front of any format and sniffs again after them (probe/id3.go
# says how, rule by rule); what it then does depends on the format. This family puts tiny files
# of every container the server opens (WAV, WAVE_FORMAT_EXTENSIBLE, RIFX, RF64, W64, FLAC,
# Ogg-Opus, Ogg-Vorbis, MP3, MP2, AIFF, AIFF-C, AU, CAF, VOC, NIST) and a few it only detects
# (M4A, WebM, ADTS AAC) behind one tag and behind two, and the formats libsndfile reads behind a
# tag (WAV family, AIFF, AU, FLAC, MPEG) behind every kind of tag: versions 2 to 5, sizes 0, 1
# and 2 (libsndfile resumes at byte 12 after a tag of size 0 or 1), the footer flag with and
# without a footer, the unsynchronisation and extended-header flags, size bytes with their top
# bit set, junk between tag and audio, a tag reaching or passing the end of the input, tags
# leaving 11 and 12 bytes, tags over 50 KiB (seeked over from the input's start) and tags that
# fill libsndfile's 64 KiB header cache.
#
# SCALE 1 makes the small committed set. SCALE > 1 adds, in mut/, SCALE x 40 files made of random
# tags (versions, flags, sizes, junk, footers, truncations; fixed seeds) in front of random files
# of the committed corpus and of this family's bases, and leaves out the few on which the
# reference model does not answer (libsndfile prints from inside some readers).
#
# Deterministic: sox -R -D, ffmpeg -bitexact, opusenc --serial, oggenc -s, fixed seeds.
# Needs: sox, ffmpeg (libmp3lame, mp2, aac, libopus), flac, opusenc, oggenc, /usr/bin/python3.
set -euo pipefail

out=${1:?usage: id3.sh OUTDIR SCALE}
scale=${2:-1}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
oracle=${AUDIOPREFLIGHT_ORACLE:-$here/../reference/decide.py}
mkdir -p "$out"
out=$(cd "$out" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ff() { ffmpeg -nostdin -hide_banner -loglevel error -y "$@"; }
s() { sox -R -D "$@" 2>/dev/null; }

# --- the bases: 50 ms of a 16 kHz mono sweep in every container ---------------------------
b=$tmp/base
mkdir -p "$b"
s -n -r 16000 -c 1 -b 16 "$tmp/src.wav" synth 0.05 sine 300-2000 gain -3
s "$tmp/src.wav" "$b/wav.wav"
s "$tmp/src.wav" -b 24 "$b/wavex.wav"         # sox writes WAVE_FORMAT_EXTENSIBLE above 16 bits
s "$tmp/src.wav" -B "$b/rifx.wav"
ff -i "$tmp/src.wav" -map_metadata -1 -c:a pcm_s16le -rf64 always -bitexact "$b/rf64.wav"
s "$tmp/src.wav" -t w64 "$b/w64.w64"
flac -s -f --no-padding -o "$b/flac.flac" "$tmp/src.wav"
opusenc --quiet --serial 1 --bitrate 16 "$tmp/src.wav" "$b/opus.opus"
oggenc -Q -s 1 -q 0 -o "$b/vorbis.ogg" "$tmp/src.wav"
ff -i "$tmp/src.wav" -map_metadata -1 -c:a libmp3lame -b:a 24k -id3v2_version 0 -bitexact "$b/mp3.mp3"
ff -i "$tmp/src.wav" -map_metadata -1 -c:a mp2 -b:a 32k -bitexact -f mp2 "$b/mp2.mp2"
s "$tmp/src.wav" "$b/aiff.aiff"
s "$tmp/src.wav" -t aifc "$b/aifc.aifc"
s "$tmp/src.wav" "$b/au.au"
s "$tmp/src.wav" "$b/caf.caf"
s "$tmp/src.wav" -r 8000 -b 8 "$b/voc.voc"
s "$tmp/src.wav" -t nist "$b/nist.nist"
ff -i "$tmp/src.wav" -map_metadata -1 -c:a aac -b:a 16k -bitexact -f mp4 "$b/m4a.m4a"
ff -i "$tmp/src.wav" -map_metadata -1 -c:a libopus -b:a 16k -bitexact -f webm "$b/webm.webm"
ff -i "$tmp/src.wav" -map_metadata -1 -c:a aac -b:a 16k -bitexact -f adts "$b/adts.aac"

# --- the committed set --------------------------------------------------------------------
OUT=$out BASE=$b /usr/bin/python3 - <<'PY'
import os
import struct

out, base = os.environ["OUT"], os.environ["BASE"]
bases = {os.path.splitext(n)[0]: (os.path.splitext(n)[1], open(os.path.join(base, n), "rb").read())
         for n in sorted(os.listdir(base))}


def put(name, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(bytes(data))


def synchsafe(n):
    return bytes([(n >> 21) & 0x7f, (n >> 14) & 0x7f, (n >> 7) & 0x7f, n & 0x7f])


def frames(ver):
    """A title and an artist frame, as a tagger writes them for major version ver."""
    out = b""
    for fid3, fid2, text in ((b"TIT2", b"TT2", b"Speech test"), (b"TPE1", b"TP1", b"audiopreflight")):
        body = b"\x00" + text
        if ver == 2:
            out += fid2 + struct.pack(">I", len(body))[1:] + body
        else:
            size = synchsafe(len(body)) if ver == 4 else struct.pack(">I", len(body))
            out += fid3 + size + b"\x00\x00" + body
    return out


def tag(ver=3, flags=0, body=None, pad=16, size=None):
    """An ID3v2 tag: header, body (frames and padding unless given), size field as given or true."""
    if body is None:
        body = frames(ver) + b"\x00" * pad
    return b"ID3" + bytes([ver, 0, flags]) + synchsafe(len(body) if size is None else size) + body


def empty(n, ver=3):
    """A tag of n bytes of zeros after its header."""
    return tag(ver=ver, body=b"\x00" * n)


# Every base behind one tag and behind two; the ones libsndfile reads behind a tag (and a few
# that it refuses) also behind a tag of size 0 with 2 bytes of junk after it (where libsndfile
# looks) and right after it (where it does not), and with junk between tag and audio.
embeddable = ["wav", "wavex", "rifx", "aiff", "aifc", "au", "flac", "mp3", "mp2"]
for name, (ext, data) in bases.items():
    put("%s-v3%s" % (name, ext), tag(3) + data)
    put("%s-v3-v4%s" % (name, ext), tag(3) + tag(4, pad=40) + data)
    put("%s-size0-junk2%s" % (name, ext), empty(0) + b"\xaa\x55" + data)
    put("%s-junk16%s" % (name, ext), tag(3) + b"\x00" * 16 + data)
    if name not in embeddable:
        continue
    put("%s-v2%s" % (name, ext), tag(2) + data)
    put("%s-v4%s" % (name, ext), tag(4) + data)
    put("%s-v5%s" % (name, ext), tag(5) + data)
    put("%s-size0%s" % (name, ext), empty(0) + data)
    put("%s-size1-junk1%s" % (name, ext), empty(1) + b"\xaa" + data)
    put("%s-size2%s" % (name, ext), empty(2) + data)
    # the footer flag: libsndfile does not skip the 10 footer bytes
    t = tag(4, flags=0x10)
    put("%s-footer%s" % (name, ext), t + b"3DI" + t[3:10] + data)
    put("%s-footer-flag-only%s" % (name, ext), t + data)
    put("%s-unsync%s" % (name, ext), tag(3, flags=0x80, body=frames(3) + b"\xff\x00\xe0" + b"\x00" * 8) + data)
    put("%s-junk1%s" % (name, ext), tag(3) + b"\x00" + data)

# the rest on a few bases
for name in ("wav", "au", "flac", "mp3"):
    ext, data = bases[name]
    v4ext = synchsafe(6) + b"\x01\x00"  # version 4 extended header: size 6, one flag byte, no flags
    put("%s-extended-header%s" % (name, ext), tag(4, flags=0x40, body=v4ext + frames(4) + b"\x00" * 8) + data)
    t = bytearray(tag(3))
    t[9] |= 0x80  # size bytes are 7 bits each; libsndfile masks the top bit off
    put("%s-size-top-bit%s" % (name, ext), t + data)
    put("%s-size1-twice-junk%s" % (name, ext), empty(1) + b"\xaa" + empty(1) + b"\xaa" + data)
    put("%s-size0-then-tag-at-10%s" % (name, ext), empty(0) + tag(4) + data)
    put("%s-size0-junk2-then-tag%s" % (name, ext), empty(0) + b"\xaa\x55" + tag(4) + data)
    put("%s-three-tags%s" % (name, ext), tag(2) + tag(3) + tag(4) + data)
    # the end of the input: a tag reaching it, passing it, leaving 11, 12 and 13 bytes
    put("%s-tag-to-end%s" % (name, ext), tag(3, body=data))
    put("%s-tag-past-end%s" % (name, ext), tag(3, size=len(data) + 100, body=data))
    put("%s-tag-leaves-11%s" % (name, ext), tag(3, size=len(data) - 11, body=data))
    put("%s-tag-leaves-12%s" % (name, ext), tag(3) + data[:12])
    put("%s-tag-leaves-13%s" % (name, ext), tag(3) + data[:13])
    put("%s-second-tag-to-end%s" % (name, ext), tag(3) + tag(4, body=data))
    put("%s-two-tags-leave-11%s" % (name, ext), tag(3) + tag(4) + data[:11])

# Tags over 50 KiB: libsndfile seeks over them from the input's start. For the first tag that is
# the place after it; for a second one it lands inside that tag, where a file planted at that
# offset is found. (WAV and AIFF behind a tag that big have their data clamped away.)
big = 52000
for name in ("wav", "au", "flac", "mp3"):
    ext, data = bases[name]
    put("%s-big-tag%s" % (name, ext), empty(big) + data)
ext, data = bases["au"]
first = tag(3)
second = b"ID3\x04\x00\x00" + synchsafe(big)
put("au-second-big-tag-planted%s" % ext, first + second + b"\x00" * (10 + big - len(first) - len(second)) + data)
# libsndfile's header cache holds at most 100 KiB. A first tag of 25601 bytes grows it to 51202;
# a second that ends 11 to 16 bytes before its end leaves no room for the clear after the seek,
# which needs the cache to double, and detection stops; one byte less and it goes on.
for l2 in (51185, 51186):
    put("au-cache-full-%d%s" % (l2, ext), empty(25601 - 10) + empty(l2 - 10, ver=4) + data)
PY

# --- the large set: random tags in front of random files -----------------------------------
if [ "$scale" -gt 1 ]; then
  OUT=$out BASE=$b CORPUS=$repo/testdata/corpus SCALE=$scale /usr/bin/python3 - <<'PY'
import os
import random

out, base, corpus, scale = os.environ["OUT"], os.environ["BASE"], os.environ["CORPUS"], int(os.environ["SCALE"])
rng = random.Random(20250611)
pool = [os.path.join(base, n) for n in sorted(os.listdir(base))]
for fam in ("wav", "flac", "ogg", "mpeg", "other", "check"):
    d = os.path.join(corpus, fam)
    if not os.path.isdir(d):
        continue
    for root, _, names in sorted(os.walk(d)):
        for n in sorted(names):
            if n.startswith("expected-") or n.endswith(".b64") or n == "model-flags" or n.startswith("README"):
                continue
            p = os.path.join(root, n)
            if os.path.getsize(p) <= 256 << 10:
                pool.append(p)
os.makedirs(os.path.join(out, "mut"), exist_ok=True)


def synchsafe(n):
    return bytes([(n >> 21) & 0x7f, (n >> 14) & 0x7f, (n >> 7) & 0x7f, n & 0x7f])


def size_of(rest, big_ok):
    """A tag body size: mostly small, sometimes 0 to 2, near the cache's limits, or the end."""
    x = rng.random()
    if x < 0.15:
        return rng.randint(0, 2)
    if x < 0.7:
        return rng.randint(3, 300)
    if x < 0.85:
        return rng.randint(300, 5000)
    if x < 0.95 and big_ok:
        return rng.choice([25591, 51175, 51176, 51180, 51990, 52000, 65510, 65526, 70000]) + rng.randint(-8, 8)
    return max(0, rest + rng.randint(-14, 2))


# Mostly tags that libsndfile skips, so that most inputs reach a format; now and then a tag it
# does not know, a footer, junk, a size field with its top bit set, a cut.
for i in range(scale * 40):
    src = rng.choice(pool)
    data = open(src, "rb").read()
    big_ok = rng.random() < 0.1
    b = bytearray()
    for k in range(rng.choice([1, 1, 1, 1, 2, 2, 3])):
        ver = rng.choice([2, 3, 3, 4, 4]) if rng.random() < 0.92 else rng.choice([0, 1, 5, 0x33, 0xff])
        flags = rng.choice([0, 0, 0, 0, 0x80, 0x40, 0x10, rng.randrange(256)])
        n = size_of(len(data), big_ok)
        body = bytes(rng.getrandbits(8) for _ in range(min(n, 64))) + b"\x00" * max(0, n - 64)
        if rng.random() < 0.3:
            body = b"\x00" * n
        field = bytearray(synchsafe(n))
        if rng.random() < 0.03:
            field[rng.randrange(4)] |= 0x80
        b += b"ID3" + bytes([ver, 0, flags]) + field + body
        if flags & 0x10 and rng.random() < 0.3:
            b += b"3DI" + bytes([ver, 0, flags]) + field
        if n < 2 and rng.random() < 0.7:
            b += bytes(rng.getrandbits(8) for _ in range(2 - n))  # where libsndfile resumes
        elif rng.random() < 0.08:
            b += bytes(rng.getrandbits(8) for _ in range(rng.choice([1, 2, 3, 16])))
    b += data
    if rng.random() < 0.05:
        b = b[:rng.randint(1, len(b))]
    stem = os.path.splitext(os.path.basename(src))[0]
    with open(os.path.join(out, "mut", "%04d-%s%s" % (i, stem, os.path.splitext(src)[1])), "wb") as f:
        f.write(b)
PY

  # leave out what the reference model cannot judge (libsndfile prints from some readers)
  /usr/bin/python3 - "$out/mut" "$oracle" <<'PY'
import json
import os
import subprocess
import sys

d, oracle = sys.argv[1], sys.argv[2]


def answers(batch):
    try:
        p = subprocess.run(["/usr/bin/python3", oracle, "--"] + batch, cwd=d, capture_output=True, timeout=60 + len(batch))
    except subprocess.TimeoutExpired:
        return False
    lines = p.stdout.decode("utf-8", "replace").splitlines()
    try:
        return p.returncode == 0 and [json.loads(l)["input"] for l in lines] == batch
    except (ValueError, KeyError):
        return False


def keep(batch):
    if not batch or answers(batch):
        return
    if len(batch) == 1:
        os.remove(os.path.join(d, batch[0]))
        print("id3.sh: left out mut/%s (the reference model does not answer for it)" % batch[0], file=sys.stderr)
        return
    keep(batch[:len(batch) // 2])
    keep(batch[len(batch) // 2:])


names = sorted(os.listdir(d))
for i in range(0, len(names), 400):
    keep(names[i:i + 400])
PY
fi
