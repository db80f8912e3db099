#!/usr/bin/python3
"""Write golden.jsonl: base64 texts and what Python's base64.b64decode answers.

Run from anywhere with the interpreter whose behaviour is the reference
(the model's /usr/bin/python3):

    /usr/bin/python3 internal/pybase64/testdata/make-golden.py

Each line is {"in": text, "bytes": answer[, "text": answer]}: "in" is the
text as a JSON string whose code points 0-255 are its bytes; "bytes" is
b64decode(bytes) and "text" is b64decode(str), written only when it differs.
An answer is {"out": hex} or {"exc": class, "msg": message}.
The cases are deterministic (fixed seed): exhaustive short texts, encodings
of random bytes with padding, junk and truncation mutations, random texts,
and hand-picked edges.
"""
import base64
import binascii
import itertools
import json
import os
import random
import sys

STD = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
JUNK = [b"\n", b"\r\n", b" ", b"\t", b"-", b"_", b".", b"!", b"@", b"\x00",
        b"\x7f", b"\x80", b"\xc3\xa9", b"\xff", b"==", b"="]


def answer(call):
    try:
        return {"out": call().hex()}
    except (binascii.Error, ValueError) as e:
        cls = type(e)
        name = cls.__qualname__ if cls.__module__ == "builtins" else cls.__module__ + "." + cls.__qualname__
        return {"exc": name, "msg": str(e)}


def cases():
    rnd = random.Random(0x5EED64)
    # Every text of up to 4 characters over a small alphabet that has data
    # characters, padding, whitespace, a URL-safe character and a high byte.
    small = [b"A", b"w", b"=", b"\n", b"_", b"\xc3"]
    for n in range(5):
        for t in itertools.product(small, repeat=n):
            yield b"".join(t)
    # Hand-picked edges.
    yield from [
        b"=", b"==", b"===", b"====", b"A", b"A=", b"A==", b"A===", b"AA", b"AA=", b"AA==",
        b"AA===", b"AAA", b"AAA=", b"AAA==", b"AAAA", b"AAAA=", b"AAAA====", b"AA==AA==",
        b"aGk=aGk=", b"aGk=\naGk=", b"AAA=A", b"AB=C=", b"ab=c=", b"a=b=c=d=", b"QQ=Q=",
        b"=QQ==", b"Q=Q==", b"QQ=", b"QQ==junk", b"QUJD", b"QUJD\n", b"QUJDRA==", b"QUJDRA=",
        b"QUJDRA", b"QUJDRE", b"QUJDREU=", b"QUJDREU", b"QUJDREUx", b" Q U J D ", b"QU\r\nJD",
        b"-_-_", b"+/+/", b"////", b"++++", b"\x00QUJD", b"QUJD\x00", b"\xffQUJD", b"QUJD\x80",
        b"A" * 401, b"A" * 402, b"A" * 403, b"A" * 404, b"A" * 4001,
        b"data:audio/wav;base64,UklGRg==", b"UklGRiQAAABXQVZF", b"UklGRiQAAABXQVZF\n" * 3,
    ]
    # Encodings of random bytes, as they are and mutated.
    for _ in range(1500):
        raw = bytes(rnd.getrandbits(8) for _ in range(rnd.randrange(0, 40)))
        enc = base64.b64encode(raw)
        k = rnd.randrange(12)
        if k == 0:
            pass
        elif k == 1:  # padding dropped or shortened
            enc = enc.rstrip(b"=")[: len(enc.rstrip(b"=")) + rnd.randrange(2)]
        elif k == 2:  # '=' inserted somewhere
            i = rnd.randrange(len(enc) + 1)
            enc = enc[:i] + b"=" * rnd.randrange(1, 4) + enc[i:]
        elif k == 3:  # a character deleted
            if enc:
                i = rnd.randrange(len(enc))
                enc = enc[:i] + enc[i + 1:]
        elif k == 4:  # junk inserted
            for _ in range(rnd.randrange(1, 5)):
                i = rnd.randrange(len(enc) + 1)
                enc = enc[:i] + rnd.choice(JUNK) + enc[i:]
        elif k == 5:  # data after padding
            enc = enc + base64.b64encode(bytes(rnd.getrandbits(8) for _ in range(rnd.randrange(1, 6))))
        elif k == 6:  # excess padding
            enc = enc + b"=" * rnd.randrange(1, 5)
        elif k == 7:  # line-wrapped
            w = rnd.choice([4, 8, 76])
            enc = b"\n".join(enc[i:i + w] for i in range(0, len(enc), w))
        elif k == 8:  # URL-safe alphabet
            enc = base64.urlsafe_b64encode(raw)
        elif k == 9:  # truncated
            enc = enc[: rnd.randrange(len(enc) + 1)]
        elif k == 10:  # a character appended
            enc = enc + bytes([rnd.choice(STD + b"=")])
        else:  # two encodings joined
            enc = enc + base64.b64encode(bytes(rnd.getrandbits(8) for _ in range(rnd.randrange(0, 8))))
        yield enc
    # Random texts over a weighted alphabet.
    weighted = list(STD) * 2 + [ord("=")] * 12 + list(b"\n\r \t-_.\x00\x80\xff")
    for _ in range(800):
        yield bytes(rnd.choice(weighted) for _ in range(rnd.randrange(5, 60)))


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden.jsonl")
    seen = set()
    lines = []
    for text in cases():
        if text in seen:
            continue
        seen.add(text)
        rec = {"in": text.decode("latin-1"), "bytes": answer(lambda: base64.b64decode(text))}
        as_str = answer(lambda: base64.b64decode(text.decode("latin-1")))
        if as_str != rec["bytes"]:
            rec["text"] = as_str
        lines.append(json.dumps(rec, separators=(",", ":")))
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"{out}: {len(lines)} cases (Python {sys.version.split()[0]})")


if __name__ == "__main__":
    main()
