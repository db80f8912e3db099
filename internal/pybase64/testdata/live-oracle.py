#!/usr/bin/python3
"""Answer base64.b64decode for texts given one per line as hex on stdin.

Used by the pybase64 fuzz target to compare with Python live. Each answer is
one JSON line: {"bytes": answer, "text": answer}, an answer being
{"out": hex} or {"exc": class, "msg": message} (as in make-golden.py).
"""
import base64
import binascii
import json
import sys


def answer(call):
    try:
        return {"out": call().hex()}
    except (binascii.Error, ValueError) as e:
        cls = type(e)
        name = cls.__qualname__ if cls.__module__ == "builtins" else cls.__module__ + "." + cls.__qualname__
        return {"exc": name, "msg": str(e)}


for line in sys.stdin:
    text = bytes.fromhex(line.strip())
    rec = {"bytes": answer(lambda: base64.b64decode(text)),
           "text": answer(lambda: base64.b64decode(text.decode("latin-1")))}
    sys.stdout.write(json.dumps(rec) + "\n")
    sys.stdout.flush()
