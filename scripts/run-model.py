#!/usr/bin/env python3
"""run-model.py — run the reference model over many files, leaving out any file it never finishes.

usage: run-model.py HUNG-LIST TIMEOUT NFILES COMMAND...

COMMAND is the model's command line; its last NFILES arguments are the files. The model's output
goes to standard output unchanged. When it prints nothing while it uses TIMEOUT seconds of CPU
time (of wall time where /proc does not tell), the file after the last one it reported is taken
to be one libsndfile never finishes reading (a damaged file can make its seek loop go round
forever): the model is stopped, that file's name is appended to HUNG-LIST, and the model starts
again on the files after it. CPU time, not wall time, so that a busy machine does not make a slow
file look endless. scripts/make-corpus.sh removes those files from the corpus, since the model has
no verdict for them.
"""
import json
import os
import select
import subprocess
import sys
import time

TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_seconds(pid):
    """CPU time the process has used, or wall time since the epoch when /proc cannot tell."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime
    except (OSError, IndexError, ValueError):
        return time.time()


def main():
    hung_list, timeout, nfiles = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
    command = sys.argv[4:]
    base, files = command[:len(command) - nfiles], command[len(command) - nfiles:]
    out = sys.stdout.buffer
    start = 0
    while start < len(files):
        todo = files[start:]
        proc = subprocess.Popen(base + todo, stdout=subprocess.PIPE, env=dict(os.environ, PYTHONUNBUFFERED="1"))
        fd = proc.stdout.fileno()
        done, pending = 0, b""
        since = cpu_seconds(proc.pid)
        while True:
            ready, _, _ = select.select([fd], [], [], 1)
            if not ready:
                if cpu_seconds(proc.pid) - since < timeout:
                    continue
                proc.kill()
                proc.wait()
                with open(hung_list, "a") as f:
                    f.write(todo[done] + "\n")
                print("run-model.py: no verdict for %s after %gs of CPU time: left out" % (todo[done], timeout), file=sys.stderr)
                start += done + 1
                break
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                if proc.wait() != 0:
                    sys.exit("run-model.py: the model failed (exit status %d)" % proc.returncode)
                start = len(files)
                break
            since = cpu_seconds(proc.pid)
            out.write(chunk)
            out.flush()
            lines = (pending + chunk).split(b"\n")
            pending = lines.pop()
            for line in lines:
                # Count the model's own lines: a reader may print to stdout too.
                try:
                    name = json.loads(line)["input"]
                except (ValueError, KeyError, TypeError):
                    continue
                if done < len(todo) and name == todo[done]:
                    done += 1


if __name__ == "__main__":
    main()
