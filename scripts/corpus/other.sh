#!/usr/bin/env bash
# other.sh OUTDIR SCALE — the other containers' part of the differential corpus.
#
# AIFF/AIFF-C and 8SVX/16SV, AU, CAF, VOC, the rarer formats libsndfile opens
# (PAF, NIST, IRCAM, MAT4, MAT5, PVF, XI, HTK, SDS, AVR, WVE, MPC2K), the ones
# it recognises and refuses (DWD, TXW, REX2) and the containers it does not
# know (MP4/M4A/3GP/MOV, WebM/Matroska, AMR, ASF/WMA). Files come from sox,
# ffmpeg and libsndfile itself (python3-soundfile); copies are hand-edited
# into broken ones (truncations at header boundaries, bad sizes, zero channels
# and rates, unknown codecs), and random bytes behind each signature stand in
# for foreign data that starts like one of these formats.
#
# Deterministic: sox -R -D, ffmpeg -bitexact, fixed seeds, and the timestamps
# libsndfile writes (AIFF PEAK, MAT5 text header) are blanked.
#
# SCALE 1 makes the small committed set. SCALE > 1 adds, in mut/, random
# mutations of every base file (byte flips, size fields set to awkward
# values, truncations) and SCALE times more random-bytes files.
#
# libsndfile prints to stdout from inside some readers (SDS packets with bad
# headers, ALAC packet tables), and some damaged inputs make it crash or loop;
# the reference model cannot judge those, so files on which the model does
# not answer with exactly one JSON line are left out.
#
# Needs: sox, ffmpeg (aac, libopus, wmav2, alac), /usr/bin/python3 with
# python3-soundfile and numpy.
set -euo pipefail

out=${1:?usage: other.sh OUTDIR SCALE}
scale=${2:-1}
here=$(cd "$(dirname "$0")" && pwd)
oracle=${AUDIOPREFLIGHT_ORACLE:-$here/../reference/decide.py}
mkdir -p "$out"
out=$(cd "$out" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# --- files made by sox and ffmpeg -------------------------------------------
s() { sox -R -D -n "$@" 2>/dev/null; }
s -r 16000 -c 1 -b 16 "$out/aiff-sox-16k-mono-s16.aiff" synth 0.1 sine 440
s -r 8000 -c 2 -b 8 "$out/aiff-sox-8k-stereo-s8.aiff" synth 0.05 sine 440
s -r 22050 -c 1 -b 24 "$out/aiff-sox-22k-s24.aiff" synth 0.03 sine 440
s -r 44100 -c 2 -b 32 "$out/aiff-sox-44k-stereo-s32.aiff" synth 0.01 sine 440
s -r 16000 -c 1 -e floating-point -b 32 "$out/aifc-sox-16k-fl32.aifc" synth 0.05 sine 440
s -r 8000 -c 1 -b 8 "$out/svx-sox-8k.8svx" synth 0.1 sine 440
s -r 16000 -c 1 -b 16 "$out/au-sox-16k-mono-s16.au" synth 0.1 sine 440
s -r 8000 -c 1 -e u-law "$out/au-sox-8k-ulaw.au" synth 0.1 sine 440
s -r 8000 -c 2 -e a-law "$out/au-sox-8k-stereo-alaw.au" synth 0.05 sine 440
s -r 16000 -c 1 -e floating-point -b 32 "$out/au-sox-16k-float.au" synth 0.05 sine 440
s -r 11025 -c 1 -b 8 "$out/au-sox-11k-s8.au" synth 0.1 sine 440
s -r 16000 -c 1 -b 16 "$out/caf-sox-16k-s16.caf" synth 0.05 sine 440
s -r 8000 -c 1 -b 8 "$out/voc-sox-8k-u8.voc" synth 0.1 sine 440
s -r 16000 -c 1 -b 16 "$out/voc-sox-16k-s16.voc" synth 0.1 sine 440
s -r 22050 -c 2 -b 16 "$out/voc-sox-22k-stereo-s16.voc" synth 0.03 sine 440
s -r 16000 -c 1 -b 16 "$out/paf-sox-16k-be.paf" synth 0.05 sine 440
s -r 16000 -c 1 -b 16 "$out/paf-sox-16k-le.fap" synth 0.05 sine 440
s -r 16000 -c 1 -b 16 "$out/nist-sox-16k.sph" synth 0.1 sine 440
s -r 16000 -c 1 -b 16 "$out/ircam-sox-16k.sf" synth 0.05 sine 440
s -r 16000 -c 1 -b 16 "$out/mat4-sox-16k.mat4" synth 0.05 sine 440
s -r 16000 -c 1 -b 16 "$out/mat5-sox-16k.mat5" synth 0.05 sine 440
s -r 16000 -c 1 -b 16 "$out/pvf-sox-16k.pvf" synth 0.1 sine 440
s -r 16000 -c 1 -b 16 "$out/xi-sox-16k.xi" synth 0.05 sine 440
s -r 16000 -c 1 -b 16 "$out/htk-sox-16k.htk" synth 0.1 sine 440
s -r 16000 -c 1 -b 16 "$out/avr-sox-16k.avr" synth 0.05 sine 440
s -r 16000 -c 1 -b 16 "$out/sds-sox-16k.sds" synth 0.05 sine 440
s -r 8000 -c 1 "$out/wve-sox-8k.wve" synth 0.1 sine 440

f() { ffmpeg -hide_banner -loglevel error -nostdin -f lavfi -i "$1" "${@:3}" -bitexact -y "$out/$2"; }
sine16="sine=frequency=440:sample_rate=16000:duration=0.1"
f "$sine16" aifc-ffmpeg-16k-sowt.aifc -c:a pcm_s16le -f aiff
f "$sine16" aifc-ffmpeg-16k-ima4.aifc -c:a adpcm_ima_qt -f aiff
f "$sine16" aifc-ffmpeg-16k-ulaw.aifc -c:a pcm_mulaw -f aiff
f "$sine16" aifc-ffmpeg-16k-alaw.aifc -c:a pcm_alaw -f aiff
f "sine=frequency=440:sample_rate=16000:duration=0.02" aifc-ffmpeg-16k-fl64.aifc -c:a pcm_f64be -f aiff
f "$sine16" au-ffmpeg-16k-s16.au -c:a pcm_s16be
f "$sine16" caf-ffmpeg-16k-s16le.caf -c:a pcm_s16le
f "$sine16" caf-ffmpeg-16k-s16be.caf -c:a pcm_s16be
f "$sine16" caf-ffmpeg-16k-f32le.caf -c:a pcm_f32le
f "$sine16" caf-ffmpeg-16k-ulaw.caf -c:a pcm_mulaw
f "$sine16" caf-ffmpeg-16k-alaw.caf -c:a pcm_alaw
f "sine=frequency=440:sample_rate=16000:duration=0.3" caf-ffmpeg-16k-alac.caf -c:a alac
f "$sine16" voc-ffmpeg-16k-u8.voc -c:a pcm_u8
f "sine=frequency=440:sample_rate=16000:duration=0.3" m4a-ffmpeg-16k-aac.m4a -c:a aac -b:a 32k
f "sine=frequency=440:sample_rate=16000:duration=0.3" m4a-ffmpeg-16k-alac.m4a -c:a alac
f "sine=frequency=440:sample_rate=16000:duration=0.3" 3gp-ffmpeg-16k-aac.3gp -c:a aac -b:a 32k
f "sine=frequency=440:sample_rate=16000:duration=0.3" mov-ffmpeg-16k-aac.mov -c:a aac -b:a 32k
f "sine=frequency=440:sample_rate=48000:duration=0.3" webm-ffmpeg-opus.webm -c:a libopus -b:a 24k
f "sine=frequency=440:sample_rate=48000:duration=0.3" mkv-ffmpeg-opus.mkv -c:a libopus -b:a 24k
f "sine=frequency=440:sample_rate=16000:duration=0.3" wma-ffmpeg-16k-wmav2.wma -c:a wmav2 -b:a 32k
ffmpeg -hide_banner -loglevel error -nostdin -f lavfi -i "$sine16" -c:a pcm_s16le -f caf -bitexact pipe: > "$out/caf-ffmpeg-streamed-size-minus1.caf"

# --- files made by libsndfile, hand-made and broken ones, random bytes -------
/usr/bin/python3 - "$out" "$scale" <<'PY'
import os
import random
import struct
import sys

import numpy as np
import soundfile as sf

out, scale = sys.argv[1], int(sys.argv[2])


def put(name, data):
    with open(os.path.join(out, name), "wb") as fh:
        fh.write(bytes(data))


def get(name):
    with open(os.path.join(out, name), "rb") as fh:
        return bytearray(fh.read())


def blank_timestamps(b):
    """Zero what libsndfile stamps with the time of writing."""
    i = b.find(b"PEAK")
    if b[:4] == b"FORM" and i > 0:
        b[i + 12:i + 16] = bytes(4)  # PEAK timestamp
    if b[:19] == b"MATLAB 5.0 MAT-file":
        text = b"MATLAB 5.0 MAT-file, written by libsndfile-1.2.0, created: Thu Jan  1 00:00:00 1970\0"
        b[:124] = text.ljust(124, b" ")
    return b


for name in sorted(os.listdir(out)):  # what sox wrote through libsndfile
    put(name, blank_timestamps(get(name)))

x = (np.sin(np.arange(1600) * 2 * np.pi * 440 / 16000) * 0.5).astype("float32")
stereo = np.stack([x[:800], x[800:]], axis=1)
made = [
    ("aiff", "PCM_16", x, 16000), ("aiff", "PCM_U8", x, 16000), ("aiff", "FLOAT", x[:400], 16000),
    ("aiff", "DOUBLE", x[:200], 16000), ("aiff", "GSM610", x, 8000), ("aiff", "IMA_ADPCM", stereo, 16000),
    ("aiff", "DWVW_12", x, 16000), ("aiff", "DWVW_16", x, 16000), ("aiff", "DWVW_24", x[:800], 16000),
    ("svx", "PCM_16", x, 16000),
    ("au", "G721_32", x, 8000), ("au", "G723_24", x, 8000), ("au", "G723_40", x, 8000),
    ("au", "DOUBLE", x[:200], 16000), ("au", "PCM_24", x[:400], 16000), ("au", "PCM_32", stereo[:200], 16000),
    ("caf", "ALAC_16", x, 16000), ("caf", "ALAC_20", x[:800], 16000), ("caf", "ALAC_24", stereo, 44100),
    ("caf", "ALAC_32", x[:800], 16000), ("caf", "PCM_24", x[:400], 16000), ("caf", "PCM_S8", x, 16000),
    ("caf", "DOUBLE", x[:200], 16000), ("caf", "ULAW", x, 8000),
    ("voc", "PCM_16", x, 16000), ("voc", "ULAW", x, 8000), ("voc", "ALAW", stereo, 8000), ("voc", "PCM_U8", x, 16000),
    ("paf", "PCM_24", x, 16000), ("paf", "PCM_S8", stereo, 16000),
    ("nist", "PCM_24", x[:400], 16000), ("nist", "ULAW", x, 8000), ("nist", "ALAW", stereo, 8000), ("nist", "PCM_S8", x, 16000),
    ("ircam", "FLOAT", x[:400], 16000), ("ircam", "PCM_32", stereo[:200], 16000), ("ircam", "ULAW", x, 8000), ("ircam", "ALAW", x, 8000),
    ("mat4", "DOUBLE", x[:200], 16000), ("mat4", "FLOAT", stereo[:200], 16000), ("mat4", "PCM_32", x[:400], 16000),
    ("mat5", "PCM_U8", x, 16000), ("mat5", "DOUBLE", x[:200], 16000), ("mat5", "PCM_16", stereo, 16000),
    ("pvf", "PCM_S8", x, 16000), ("pvf", "PCM_32", x[:400], 16000),
    ("xi", "DPCM_8", x, 16000), ("xi", "DPCM_16", x, 16000),
    ("htk", "PCM_16", x, 16000), ("sds", "PCM_24", x[:800], 16000), ("sds", "PCM_S8", x, 16000),
    ("avr", "PCM_U8", x, 16000), ("avr", "PCM_S8", stereo, 16000),
    ("wve", "ALAW", x, 8000), ("mpc2k", "PCM_16", x, 16000), ("mpc2k", "PCM_16", stereo, 44100),
]
seen = set()
for fmt, sub, data, rate in made:
    ch = 1 if data.ndim == 1 else 2
    name = "%s-sf-%s-%dk%s.%s" % (fmt, sub.lower().replace("_", ""), rate // 1000, "-stereo" if ch == 2 else "", fmt)
    if name in seen:
        continue
    seen.add(name)
    path = os.path.join(out, name)
    try:
        sf.write(path, data, rate, subtype=sub, format=fmt.upper())
    except Exception:
        pass  # libsndfile wrote what it could (DWVW-12 has no encoder)
    if os.path.exists(path):
        put(name, blank_timestamps(get(name)))

be32 = lambda v: struct.pack(">I", v & 0xFFFFFFFF)
le32 = lambda v: struct.pack("<I", v & 0xFFFFFFFF)
be16 = lambda v: struct.pack(">H", v & 0xFFFF)
le16 = lambda v: struct.pack("<H", v & 0xFFFF)
pcm = bytes(bytearray((i * 37) & 0xFF for i in range(3200)))


def ext80(rate):
    """An 80-bit extended float, as AIFF's COMM stores the sample rate."""
    if rate == 0:
        return bytes(10)
    e = rate.bit_length() - 1
    return be16(16383 + e) + struct.pack(">Q", rate << (63 - e))


def chunk(tag, body, pad=True):
    b = tag + be32(len(body)) + body
    return b + (b"\0" if pad and len(body) % 2 else b"")


def aiff(chunks, ftype=b"AIFF", size=None):
    body = ftype + b"".join(chunks)
    return b"FORM" + be32(len(body) if size is None else size) + body


def comm(ch=1, frames=1600, bits=16, rate=16000, enc=None, name=b""):
    b = be16(ch) + be32(frames) + be16(bits) + ext80(rate)
    if enc is not None:
        b += enc + bytes([len(name)]) + name + (b"" if len(name) % 2 else b"\0")
    return chunk(b"COMM", b)


def ssnd(data, offset=0, size=None):
    body = be32(offset) + be32(0) + data
    return b"SSND" + be32(len(body) if size is None else size) + body


fver = chunk(b"FVER", be32(0xA2805140))
a16 = aiff([comm(), ssnd(pcm)])
put("aiff-hand-16k-mono.aiff", a16)
put("aifc-hand-mp3.aifc", aiff([fver, comm(enc=b".mp3", name=b"MPEG Layer 3"), ssnd(pcm[:417])], b"AIFC"))
put("aifc-hand-unknown-codec.aifc", aiff([fver, comm(enc=b"QDM2", name=b"QDesign"), ssnd(pcm)], b"AIFC"))
put("aifc-hand-no-fver-twos.aifc", aiff([comm(enc=b"twos", name=b""), ssnd(pcm)], b"AIFC"))
put("aifc-hand-raw-u8.aifc", aiff([fver, comm(bits=8, enc=b"raw ", name=b""), ssnd(pcm[:1600])], b"AIFC"))
put("aifc-hand-in24-16bit.aifc", aiff([fver, comm(bits=16, enc=b"in24", name=b""), ssnd(pcm)], b"AIFC"))
put("aifc-hand-comm22.aifc", aiff([fver, chunk(b"COMM", be16(1) + be32(1600) + be16(16) + ext80(16000) + b"sowt"), ssnd(pcm)], b"AIFC"))
put("aifc-hand-comm20-no-encoding.aifc", aiff([fver, chunk(b"COMM", be16(1) + be32(1600) + be16(16) + ext80(16000) + b"\0\0"), ssnd(pcm)], b"AIFC"))
put("aiff-hand-ssnd-before-comm.aiff", aiff([ssnd(pcm), comm()]))
put("aiff-hand-no-ssnd.aiff", aiff([comm()]))
put("aiff-hand-no-comm.aiff", aiff([ssnd(pcm)]))
put("aiff-hand-channels-0.aiff", aiff([comm(ch=0), ssnd(pcm)]))
put("aiff-hand-channels-2000.aiff", aiff([comm(ch=2000), ssnd(pcm)]))
put("aiff-hand-rate-0.aiff", aiff([comm(rate=0), ssnd(pcm)]))
put("aiff-hand-rate-tiny.aiff", aiff([chunk(b"COMM", be16(1) + be32(1600) + be16(16) + b"\x3f\xfe" + bytes(8)), ssnd(pcm)]))
put("aiff-hand-rate-huge.aiff", aiff([chunk(b"COMM", be16(1) + be32(1600) + be16(16) + b"\x40\x40" + bytes(8)), ssnd(pcm)]))
put("aiff-hand-bits-0.aiff", aiff([comm(bits=0), ssnd(pcm)]))
put("aiff-hand-bits-12.aiff", aiff([comm(bits=12), ssnd(pcm)]))
put("aiff-hand-bits-40.aiff", aiff([comm(bits=40), ssnd(pcm)]))
put("aiff-hand-frames-wrong.aiff", aiff([comm(frames=99999), ssnd(pcm)]))
put("aiff-hand-ssnd-size-huge.aiff", aiff([comm(), ssnd(pcm, size=0x7FFFFFF0)]))
put("aiff-hand-ssnd-size-small.aiff", aiff([comm(), ssnd(pcm, size=808)]) + chunk(b"ANNO", b"trailing"))
put("aiff-hand-ssnd-offset-huge.aiff", aiff([comm(), ssnd(pcm, offset=5000)]))
put("aiff-hand-ssnd-offset-16.aiff", aiff([comm(), ssnd(pcm, offset=16)]))
put("aiff-hand-form-size-0.aiff", aiff([comm(), ssnd(pcm)], size=0))
put("aiff-hand-odd-chunk-pad.aiff", aiff([chunk(b"NAME", b"odd"), chunk(b"AUTH", b"x"), comm(), ssnd(pcm)]))
put("aiff-hand-text-chunks.aiff", aiff([chunk(b"(c) ", b"2024"), chunk(b"ANNO", b"note"), chunk(b"APPL", b"m3gahello"),
                                        chunk(b"COMT", be16(1) + be32(0) + be16(0) + be16(4) + b"test"), comm(), ssnd(pcm)]))
put("aiff-hand-mark-inst.aiff", aiff([comm(), chunk(b"MARK", be16(1) + be16(1) + be32(100) + b"\x04loop\0"),
                                      chunk(b"INST", bytes(8) + be16(1) + be16(1) + be16(1) + bytes(6)), ssnd(pcm)]))
put("aiff-hand-peak-before-comm.aiff", aiff([chunk(b"PEAK", be32(1) + be32(0) + bytes(8)), comm(), ssnd(pcm)]))
put("aiff-hand-peak-bad-size.aiff", aiff([comm(), chunk(b"PEAK", be32(1) + be32(0) + bytes(12)), ssnd(pcm)]))
put("aiff-hand-chan-unknown-layout.aiff", aiff([comm(), chunk(b"CHAN", be32(0x12340001) + bytes(16)), ssnd(pcm)]))
put("aiff-hand-chan-mono-layout.aiff", aiff([comm(), chunk(b"CHAN", be32(100 << 16 | 1) + bytes(16)), ssnd(pcm)]))
put("aiff-hand-garbage-resync.aiff", aiff([comm(), b"\x01\x02\x03", ssnd(pcm)]))
put("aiff-hand-unknown-chunk.aiff", aiff([chunk(b"JUNK", bytes(100)), comm(), ssnd(pcm)]))
put("aiff-hand-two-form.aiff", a16 + a16)
put("aiff-hand-big-text.aiff", aiff([chunk(b"ANNO", b"a" * 8200), comm(), ssnd(pcm)]))
put("aiff-hand-stereo-odd-data.aiff", aiff([comm(ch=2), ssnd(pcm[:1001])]))
for cut in (8, 11, 12, 20, 30, 38, 46, 50, 54, 55, 1000):
    put("aiff-trunc-%d.aiff" % cut, a16[:cut])
put("form-hand-other-type.iff", b"FORM" + be32(100) + b"ILBM" + bytes(100))
put("form-hand-8-bytes.aiff", b"FORM" + be32(4))
put("form-hand-12-bytes.aiff", b"FORM" + be32(4) + b"AIFF")
vhdr = chunk(b"VHDR", be32(1600) + be32(0) + be32(0) + be16(16000) + b"\x01\x00" + be32(0x10000))
put("svx-hand-8svx.8svx", b"FORM" + be32(4 + len(vhdr) + 8 + 1600) + b"8SVX" + vhdr + chunk(b"BODY", pcm[:1600]))
put("svx-hand-compressed.8svx", b"FORM" + be32(4 + len(vhdr) + 8 + 1600) + b"8SVX" + vhdr[:-5] + b"\x01" + vhdr[-4:] + chunk(b"BODY", pcm[:1600]))
put("svx-hand-no-body.8svx", b"FORM" + be32(4 + len(vhdr)) + b"8SVX" + vhdr)
put("svx-hand-chan6.16sv", b"FORM" + be32(0) + b"16SV" + vhdr + chunk(b"CHAN", be32(6)) + chunk(b"BODY", pcm))

# AU
def au(off=24, size=None, enc=3, rate=16000, ch=1, big=True, body=pcm):
    fmt = ">4sIIIII" if big else "<4sIIIII"
    hdr = struct.pack(fmt, b".snd" if big else b"dns.", off & 0xFFFFFFFF,
                      (len(body) if size is None else size) & 0xFFFFFFFF, enc, rate & 0xFFFFFFFF, ch & 0xFFFFFFFF)
    return hdr + bytes(max(0, off - 24)) + body


put("au-hand-le-dns.au", au(big=False))
put("au-hand-size-minus1-streamed.au", au(size=0xFFFFFFFF))
put("au-hand-size-past-end.au", au(size=10000))
put("au-hand-size-short.au", au(size=1000))
put("au-hand-size-overflow.au", au(size=0x7FFFFFF0))
put("au-hand-offset-0.au", au(off=0))
put("au-hand-offset-past-end.au", au(off=100000, body=b"")[:24])
put("au-hand-offset-negative.au", au(off=-8))
put("au-hand-offset-64-annotation.au", au(off=64))
put("au-hand-next-encoding.au", au(enc=19))
put("au-hand-g722.au", au(enc=24))
put("au-hand-encoding-99.au", au(enc=99))
put("au-hand-channels-0.au", au(ch=0))
put("au-hand-channels-negative.au", au(ch=-1))
put("au-hand-rate-0.au", au(rate=0))
put("au-hand-g721-stereo.au", au(enc=23, ch=2, rate=8000))
put("au-hand-header-only.au", au(body=b"", size=0))
for cut in (12, 16, 23):
    put("au-trunc-%d.au" % cut, au()[:cut])

# CAF
def caf(chunks):
    return b"caff" + be16(1) + be16(0) + b"".join(chunks)


def cchunk(tag, body, size=None):
    return tag + struct.pack(">q", len(body) if size is None else size) + body


def desc(rate=16000.0, fid=b"lpcm", flags=2, bpp=2, fpp=1, ch=1, bits=16):
    return cchunk(b"desc", struct.pack(">d", rate) + fid + struct.pack(">IIIII", flags, bpp, fpp, ch, bits))


def cdata(body, size=None):
    return cchunk(b"data", be32(0) + body, None if size is None else size)


c16 = caf([desc(), cdata(pcm)])
put("caf-hand-16k-s16le.caf", c16)
put("caf-hand-aac.caf", caf([desc(fid=b"aac ", flags=0, bpp=0, fpp=1024, bits=0), cdata(pcm)]))
put("caf-hand-ima4.caf", caf([desc(fid=b"ima4", flags=0, bpp=34, fpp=64, bits=0), cdata(pcm)]))
put("caf-hand-mp3.caf", caf([desc(fid=b".mp3", flags=0, bpp=0, fpp=1152, bits=0), cdata(pcm)]))
put("caf-hand-lpcm-12bit.caf", caf([desc(bits=12), cdata(pcm)]))
put("caf-hand-lpcm-bpp-mismatch.caf", caf([desc(bpp=4), cdata(pcm)]))
put("caf-hand-no-data.caf", caf([desc(), cchunk(b"free", bytes(16))]))
put("caf-hand-desc-small.caf", b"caff" + be16(1) + be16(0) + cchunk(b"desc", bytes(24)) + cdata(pcm))
put("caf-hand-channels-0.caf", caf([desc(ch=0, bpp=0), cdata(pcm)]))
put("caf-hand-channels-2000.caf", caf([desc(ch=2000, bpp=4000), cdata(pcm)]))
put("caf-hand-rate-0.caf", caf([desc(rate=0.0), cdata(pcm)]))
put("caf-hand-rate-15999.6.caf", caf([desc(rate=15999.6), cdata(pcm)]))
put("caf-hand-rate-nan.caf", caf([desc(rate=float("nan")), cdata(pcm)]))
put("caf-hand-data-size-past-end.caf", caf([desc(), cdata(pcm, size=100000)]))
put("caf-hand-data-size-minus1.caf", caf([desc(), cdata(pcm, size=-1)]))
put("caf-hand-data-then-chunk.caf", caf([desc(), cdata(pcm), cchunk(b"info", be32(1) + b"title\0t\0")]))
put("caf-hand-chunks-before-data.caf", caf([desc(), cchunk(b"chan", be32(100 << 16 | 1) + bytes(8)),
                                            cchunk(b"info", be32(1) + b"artist\0me\0"), cchunk(b"free", bytes(7)), cdata(pcm)]))
put("caf-hand-peak-bad.caf", caf([desc(), cchunk(b"peak", bytes(10)), cdata(pcm)]))
put("caf-hand-pakt-short.caf", caf([desc(), cchunk(b"pakt", bytes(8)), cdata(pcm)]))
put("caf-hand-info-short.caf", caf([desc(), cchunk(b"info", bytes(2)), cdata(pcm)]))
put("caf-hand-stereo-float.caf", caf([desc(flags=3, bpp=8, ch=2, bits=32), cdata(pcm)]))
for cut in (12, 20, 44, 56, 60, 68, 1000):
    put("caf-trunc-%d.caf" % cut, c16[:cut])
alac = get("caf-sf-alac16-16k.caf")
k = alac.find(b"kuki")
put("caf-hand-alac-no-kuki.caf", alac[:k] + b"kukx" + alac[k + 4:])
p = alac.find(b"pakt")
put("caf-hand-alac-no-pakt.caf", alac[:p] + b"pakx" + alac[p + 4:])
put("caf-hand-alac-fpp-5000.caf", alac[:0x28] + be32(5000) + alac[0x2C:])
put("caf-hand-alac-flags-0.caf", alac[:0x20] + be32(0) + alac[0x24:])
d = alac.find(b"data")
put("caf-hand-alac-truncated.caf", alac[:d + 40])

# VOC
def voc(blocks, version=0x010A):
    return b"Creative Voice File\x1a" + le16(26) + le16(version) + le16((~version + 0x1234) & 0xFFFF) + b"".join(blocks) + b"\0"


def vblock(t, body):
    return bytes([t]) + le32(len(body))[:3] + body


put("voc-hand-type1-8k.voc", voc([vblock(1, bytes([256 - 125, 0]) + pcm[:800])]))
put("voc-hand-type1-v120.voc", voc([vblock(1, bytes([256 - 125, 0]) + pcm[:800])], 0x0114))
put("voc-hand-bad-version.voc", voc([vblock(1, bytes([256 - 125, 0]) + pcm[:800])], 0x0200))
put("voc-hand-text-then-sound.voc", voc([vblock(5, b"hello\0"), vblock(1, bytes([256 - 125, 0]) + pcm[:800])]))
put("voc-hand-two-segments.voc", voc([vblock(1, bytes([256 - 125, 0]) + pcm[:400]), vblock(1, bytes([256 - 125, 0]) + pcm[:400])]))
put("voc-hand-silence-first.voc", voc([vblock(3, le16(100) + b"\x83"), vblock(1, bytes([256 - 125, 0]) + pcm[:800])]))
put("voc-hand-type8-stereo.voc", voc([vblock(8, le16(65536 - 256000000 // (2 * 22050)) + b"\x00\x01"), vblock(1, b"\x00\x00" + pcm[:800])]))
put("voc-hand-type8-no-sound.voc", voc([vblock(8, le16(60000) + b"\x00\x00"), vblock(3, le16(100) + b"\x83")]))
t9 = lambda rate, bits, ch, enc, body: vblock(9, le32(rate) + bytes([bits, ch]) + le16(enc) + bytes(4) + body)
put("voc-hand-type9-16k-s16.voc", voc([t9(16000, 16, 1, 4, pcm)]))
put("voc-hand-type9-enc0-16bit.voc", voc([t9(16000, 16, 1, 0, pcm)]))
put("voc-hand-type9-adpcm.voc", voc([t9(16000, 4, 1, 1, pcm)]))
put("voc-hand-type9-channels-0.voc", voc([t9(16000, 16, 0, 4, pcm)]))
put("voc-hand-type9-rate-0.voc", voc([t9(0, 16, 1, 4, pcm)]))
v9 = bytearray(voc([t9(16000, 16, 1, 4, pcm)]))
v9[27:30] = le32(99999)[:3]
put("voc-hand-type9-size-past-end.voc", v9)
put("voc-hand-terminator-only.voc", voc([]))
put("voc-hand-type1-truncated.voc", voc([vblock(1, bytes([256 - 125, 0]) + pcm[:800])])[:500])
put("voc-trunc-20.voc", voc([])[:20])

# The rarer formats: damaged headers and near misses.
put("htk-hand-header-only.htk", be32(0) + be32(625) + be32(0x20000))
put("htk-hand-period-0.htk", be32(800) + be32(0) + be32(0x20000) + pcm[:1600])
put("htk-hand-period-huge.htk", be32(800) + be32(20000000) + be32(0x20000) + pcm[:1600])
put("htk-hand-length-off-by-2.htk", be32(800) + be32(625) + be32(0x20000) + pcm[:1602])
put("htk-hand-parameter-kind.htk", be32(800) + be32(625) + be32(0x20006) + pcm[:1600])
put("mpc2k-hand-12-bytes.mpc2k", b"\x01\x04" + bytes(10))
put("mpc2k-hand-header-only.mpc2k", b"\x01\x04" + b"name".ljust(17) + bytes(19) + le16(16000) + le16(0))
put("mpc2k-hand-rate-0.mpc2k", b"\x01\x04" + b"name".ljust(17) + bytes(19) + le16(0) + le16(0) + pcm[:800])
nist = lambda head, body=pcm: head.encode().ljust(1024, b" ") + body
put("nist-hand-16k.nist", nist("NIST_1A\n   1024\nsample_count -i 1600\nsample_n_bytes -i 2\nchannel_count -i 1\n"
                               "sample_byte_format -s2 01\nsample_rate -i 16000\nsample_coding -s3 pcm\nend_head\n"))
put("nist-hand-be.nist", nist("NIST_1A\n   1024\nsample_n_bytes -i 2\nchannel_count -i 1\nsample_byte_format -s2 10\nsample_rate -i 8000\nend_head\n"))
put("nist-hand-crlf.nist", nist("NIST_1A\r\n   1024\r\nsample_n_bytes -i 2\r\nchannel_count -i 1\r\nsample_rate -i 8000\r\nend_head\r\n"))
put("nist-hand-shorten.nist", nist("NIST_1A\n   1024\nsample_n_bytes -i 2\nchannel_count -i 1\nsample_rate -i 8000\nsample_coding -s26 pcm,embedded-shorten-v2.00\nend_head\n"))
put("nist-hand-not-interleaved.nist", nist("NIST_1A\n   1024\nsample_n_bytes -i 2\nchannel_count -i 2\nsample_rate -i 8000\nchannels_interleaved -s5 FALSE\nend_head\n"))
put("nist-hand-bytes-disagree.nist", nist("NIST_1A\n   1024\nsample_n_bytes -i 2\nchannel_count -i 1\nsample_byte_format -s4 0123\nsample_rate -i 8000\nend_head\n"))
put("nist-hand-no-rate.nist", nist("NIST_1A\n   1024\nsample_n_bytes -i 2\nchannel_count -i 1\nend_head\n"))
put("nist-hand-header-512.nist", nist("NIST_1A\n   512\nsample_n_bytes -i 2\nchannel_count -i 1\nsample_rate -i 16000\nend_head\n"))
put("nist-hand-short-file.nist", b"NIST_1A\n   1024\nsample_rate -i 16000\nend_head\n")
put("nist-hand-ulaw.nist", nist("NIST_1A\n   1024\nchannel_count -i 1\nsample_rate -i 8000\nsample_coding -s4 ulaw\nend_head\n"))
paf = lambda fmt, ch=1, rate=16000, version=0, body=pcm: (b" paf" + be32(version) + be32(0) + be32(rate) + be32(fmt) + be32(ch) + be32(0)).ljust(2048, b"\0") + body
put("paf-hand-16bit.paf", paf(0))
put("paf-hand-24bit-one-block.paf", paf(1, body=pcm[:32]))
put("paf-hand-24bit-stereo-odd.paf", paf(1, ch=2, body=pcm[:96]))
put("paf-hand-version-1.paf", paf(0, version=1))
put("paf-hand-format-7.paf", paf(7))
put("paf-hand-channels-0.paf", paf(0, ch=0))
put("paf-hand-short.paf", paf(0)[:2000])
ircam = lambda magic, rate, ch, enc, le=True, body=pcm: (magic + (struct.pack("<fII", rate, ch, enc) if le else struct.pack(">fII", rate, ch, enc))).ljust(1024, b"\0") + body
put("ircam-hand-le-16bit.sf", ircam(b"\x64\xa3\x01\x00", 16000.0, 1, 2))
put("ircam-hand-be-16bit.sf", ircam(b"\x64\xa3\x02\x00", 16000.0, 1, 2, le=False))
put("ircam-hand-rate-denormal.sf", ircam(b"\x00\x03\xa3\x64", 1e-40, 1, 2))
put("ircam-hand-unknown-encoding.sf", ircam(b"\x64\xa3\x03\x00", 16000.0, 1, 3))
put("ircam-hand-header-only.sf", ircam(b"\x64\xa3\x03\x00", 16000.0, 1, 2, body=b""))
put("pvf-hand-bad-line.pvf", b"PVF1\nmono 16000 16\n" + pcm)
put("pvf-hand-24bit.pvf", b"PVF1\n1 16000 24\n" + pcm)
put("pvf-hand-no-newline.pvf", b"PVF1\n1 16000 16")
put("avr-hand-12bit.avr", (b"2BIT" + b"name\0\0\0\0" + be16(0) + be16(12) + be16(0xFFFF)).ljust(128, b"\0") + pcm)
put("wve-hand-bad-fourth-marker.wve", (b"ALawSoundFile**X").ljust(32, b"\0") + pcm)
m5 = get("mat5-sf-pcm16-16k-stereo.mat5")
put("mat5-hand-first-matrix-not-1x1.mat", m5[:128] + m5[128 + 72:])  # the 72-byte samplerate matrix cut out
put("xi-hand-three-samples.xi", get("xi-sf-dpcm16-16k.xi")[:0x128] + le16(3) + get("xi-sf-dpcm16-16k.xi")[0x12A:])
put("dwd-hand-signature.dwd", b"DiamondWare Digitized\n\0\x1a" + bytes(100))
put("txw-hand-signature.txw", b"LM8953\0\0" + bytes(100))
put("rex2-hand-signature.rx2", b"CAT " + be32(100) + b"REX2" + bytes(100))
sds = get("sds-sf-pcms8-16k.sds")
put("sds-hand-packets-cut.sds", sds[:21 + 127 * 3])
put("sds-hand-length-short.sds", sds[:10] + b"\x10\x00\x00" + sds[13:])
put("amr-hand-nb.amr", b"#!AMR\n" + (b"\x3c" + bytes(31)) * 10)
put("amr-hand-wb.awb", b"#!AMR-WB\n" + (b"\x44" + bytes(60)) * 10)
put("amr-hand-magic-only.amr", b"#!AMR\n")
put("m4a-hand-ftyp-only.m4a", be32(20) + b"ftypM4A " + be32(0) + b"M4A ")
put("webm-hand-ebml-header.webm", bytes.fromhex("1a45dfa39f4286810142f7810142f2810442f381084282847765626d42878104428581021853806701"))
put("wma-hand-guid-only.wma", bytes.fromhex("3026b2758e66cf11a6d900aa0062ce6c") + bytes(14))

# Behind ID3v2 tags: libsndfile reads AIFF and AU there (with its own
# notion of offsets), and refuses the other formats.
def id3(n):
    s = n - 10
    return b"ID3\x03\x00\x00" + bytes([(s >> 21) & 0x7F, (s >> 14) & 0x7F, (s >> 7) & 0x7F, s & 0x7F]) + bytes(s)


for tag, base, cut in [(110, "aiff-sox-16k-mono-s16.aiff", None), (1000, "aiff-sox-16k-mono-s16.aiff", 2000),
                       (64, "aifc-ffmpeg-16k-ima4.aifc", None), (333, "aiff-sf-dwvw16-16k.aiff", None),
                       (110, "au-sox-16k-mono-s16.au", 2000), (64, "au-hand-size-minus1-streamed.au", None),
                       (64, "au-sf-g72132-8k.au", None), (64, "caf-sox-16k-s16.caf", None), (64, "voc-sox-8k-u8.voc", None)]:
    d = get(base)[:cut]
    put("id3-%d-then-%s" % (tag, base), id3(tag) + d)
put("id3-twice-then-aiff-sox-16k-mono-s16.aiff", id3(64) + id3(40) + get("aiff-sox-16k-mono-s16.aiff"))

# Random bytes, alone and behind each signature.
signatures = [b"", b"FORM\0\0\0\x20AIFF", b"FORM\0\0\0\x20AIFC", b"FORM\0\0\0\x208SVX", b".snd", b"dns.", b" paf\0\0\0\0",
              b"fap ", b"NIST_1A\n   1024\n", b"Creative Voice File\x1a", b"\x64\xa3\x02\x00", b"\x00\x02\xa3\x64",
              b"\0\0\x03\xe8\0\0\0\x01\0\0\0\x01", b"\0\0\0\0\x01\0\0\0\x01\0\0\0", b"MATLAB 5.0 MAT-file",
              b"PVF1\n", b"Extended Instrument: ", b"caff\0\x01\0\0desc", b"ALawSoundFile**\0", b"\x01\x04",
              b"2BIT", b"\xf0\x7e\x00\x01", b"#!AMR\n", b"\x1a\x45\xdf\xa3", b"\0\0\0\x18ftypmp42"]
rnd = random.Random(20240517)
count = 2 * scale
for i, sig in enumerate(signatures):
    for j in range(count):
        size = rnd.choice([12, 13, 40, 300, 2100, 5000])
        body = bytes(rnd.randrange(256) for _ in range(max(0, size - len(sig))))
        tag = sig[:4].hex() if sig else "none"
        put("random-%02d-%s-%d.bin" % (i, tag, j), sig + body)
for j in range(count):
    n = rnd.randrange(1, 3000)
    body = bytes(rnd.randrange(256) for _ in range(2 * n))
    put("random-htk-length-%d.bin" % j, be32(n) + be32(625) + be32(0x20000) + body[:2 * n])
put("random-12-bytes-htk.bin", be32(0) + be32(625) + be32(0x20000))
put("random-11-bytes.bin", b".snd\0\0\0\x18\0\0\0")

# Many random mutations of every base file (SCALE > 1 only).
if scale > 1:
    os.makedirs(os.path.join(out, "mut"), exist_ok=True)
    bases = sorted(n for n in os.listdir(out) if os.path.isfile(os.path.join(out, n)) and not n.startswith("random-"))
    for name in bases:
        data = get(name)
        if len(data) < 2:
            continue
        base = name.rsplit(".", 1)[0]
        for i in range(scale):
            r = random.Random("%s/%d" % (name, i))
            b = bytearray(data)
            kind = r.randrange(4)
            if kind == 0:
                for _ in range(r.randint(1, 4)):
                    b[r.randrange(min(len(b), 160))] = r.randrange(256)
            elif kind == 1:
                b = b[:r.randrange(len(b))]
            elif kind == 2:
                at = r.randrange(min(len(b), 96)) & ~3
                v = r.choice([0, 1, 2, 0xFFFFFFFF, 0x7FFFFFFF, 0x80000000, r.randrange(1 << 32), r.randrange(4096)])
                b[at:at + 4] = be32(v) if r.random() < 0.5 else le32(v)
            else:
                for _ in range(r.randint(1, 8)):
                    b[r.randrange(len(b))] ^= 1 << r.randrange(8)
            put(os.path.join("mut", "%s-m%03d" % (base, i)), b)
PY

# --- leave out what the reference model cannot judge ------------------------
/usr/bin/python3 - "$out" "$oracle" <<'PY'
import json
import os
import subprocess
import sys

out, oracle = sys.argv[1], sys.argv[2]
files = sorted(os.path.relpath(os.path.join(d, n), out) for d, _, ns in os.walk(out) for n in ns)


def answered(batch):
    """True when the model answers every file of batch with one JSON line."""
    try:
        p = subprocess.run(["/usr/bin/python3", oracle, "--"] + batch, cwd=out, capture_output=True, timeout=60 + len(batch))
    except subprocess.TimeoutExpired:
        return False
    lines = p.stdout.decode("utf-8", "replace").splitlines()
    if p.returncode != 0 or len(lines) != len(batch):
        return False
    try:
        return [json.loads(l)["input"] for l in lines] == batch
    except (ValueError, KeyError):
        return False


def sift(batch):
    if not batch or answered(batch):
        return
    if len(batch) == 1:
        os.remove(os.path.join(out, batch[0]))
        print("other.sh: left out %s (the reference model does not answer for it)" % batch[0], file=sys.stderr)
        return
    half = len(batch) // 2
    sift(batch[:half])
    sift(batch[half:])


for i in range(0, len(files), 400):
    sift(files[i:i + 400])
PY
