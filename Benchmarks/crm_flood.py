#!/usr/bin/env python3
"""A CRM client's event latency while another CRM connection floods the workstation (issue 10, item 12).

Usage: Benchmarks/crm_flood.py [--bin PATH] [--rings N] [--flood-mb M]
Runs `atende --transfer "tcp 0"` on a fresh data folder, connects a good CRM client and measures,
N times, from typing `sim incoming …` to the good client reading its ringing frame (1;…): first
with no flood (the anchor), then while another connection sends M MB of 0x02 (STX), again and
again on the same connection, until the N rings are measured.
Prints one JSON object: p50/p99 of both phases, the bytes flooded and how much standard error grew.
"""
import argparse, json, os, select, socket, subprocess, sys, tempfile, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, max(0, int(len(s) * p + 0.999999) - 1))]


class Frames:
    """Frames from one socket, STX … ETX."""

    def __init__(self, sock):
        self.sock, self.pending = sock, b""

    def next(self, timeout=10):
        deadline = time.perf_counter() + timeout
        while True:
            start = self.pending.find(b"\x02")
            end = self.pending.find(b"\x03", start + 1) if start >= 0 else -1
            if start >= 0 and end > start:
                frame, self.pending = self.pending[start + 1:end].decode(), self.pending[end + 1:]
                return frame
            left = deadline - time.perf_counter()
            if left <= 0 or not select.select([self.sock], [], [], left)[0]:
                sys.exit(f"no frame within {timeout} s")
            chunk = self.sock.recv(65536)
            if not chunk:
                sys.exit("connection closed")
            self.pending += chunk


def main():
    ap = argparse.ArgumentParser()
    release = os.path.join(ROOT, ".build", "release", "atende")
    ap.add_argument("--bin", default=release if os.path.exists(release) else os.path.join(ROOT, ".build", "debug", "atende"))
    ap.add_argument("--rings", type=int, default=200)
    ap.add_argument("--flood-mb", type=int, default=1)
    a = ap.parse_args()
    data = tempfile.mkdtemp(prefix="atende-crm-flood-")
    err_path = os.path.join(data, "stderr.txt")
    err = open(err_path, "wb")
    p = subprocess.Popen([a.bin, "--data-dir", data, "--lang", "en", "--clock", "manual", "--now", "2026-10-11 09:00",
                          "--keep-going", "--transfer", "tcp 0"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err,
                         env=dict(os.environ, LANG="C"))
    out = []
    threading.Thread(target=lambda: [out.append(line.decode()) for line in p.stdout], daemon=True).start()

    def type_(line):
        p.stdin.write((line + "\n").encode())
        p.stdin.flush()

    def wait_out(text, timeout=10):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for line in list(out):
                if text in line:
                    return line
            time.sleep(0.01)
        sys.exit(f"no {text!r} on standard output")

    for line in ["login fabio receptivas", "bench-pass", "bench-pass", "status"]:
        type_(line)
    port = int(wait_out("Screen transfer: tcp 127.0.0.1:").split("127.0.0.1:")[1].split()[0])
    good = socket.create_connection(("127.0.0.1", port))
    good.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    frames = Frames(good)

    def rings(n, base):
        times = []
        for i in range(n):
            s = time.perf_counter()
            type_(f"sim incoming 48328{base + i:05d} Suporte")
            frame = frames.next()
            times.append((time.perf_counter() - s) * 1000)
            assert frame.startswith("1;"), frame
            type_("")  # answer: 3
            assert frames.next().startswith("3;")
            type_("hangup")  # 5
            assert frames.next() == "5"
            type_("qualify INFO")
        return times

    rings(10, 0)  # warm-up
    anchor = rings(a.rings, 100)
    err.flush()
    before = os.path.getsize(err_path)
    flooding, flooded = [True], [0]

    def flood():
        # One connection, M MB of STX at a time, again and again until the rings are measured.
        blob = b"\x02" * (a.flood_mb * 1_000_000)
        f = socket.create_connection(("127.0.0.1", port))
        while flooding[0]:
            f.sendall(blob)
            flooded[0] += len(blob)
        f.close()

    t = threading.Thread(target=flood, daemon=True)
    t.start()
    while flooded[0] == 0:
        time.sleep(0.001)
    under = rings(a.rings, 1000)
    flooding[0] = False
    t.join()
    time.sleep(1.5)  # the last summary lines (one a second per peer) are written
    after = os.path.getsize(err_path)
    type_("logout --force")
    p.stdin.close()
    p.wait(timeout=30)
    print(json.dumps({
        "binary": os.path.relpath(a.bin, ROOT), "rings": a.rings,
        "anchor_no_flood": {"p50_ms": round(pct(anchor, 0.5), 2), "p99_ms": round(pct(anchor, 0.99), 2)},
        "under_flood": {"p50_ms": round(pct(under, 0.5), 2), "p99_ms": round(pct(under, 0.99), 2)},
        "flooded_bytes": flooded[0], "stderr_growth_bytes": after - before,
    }, indent=1))


if __name__ == "__main__":
    main()
