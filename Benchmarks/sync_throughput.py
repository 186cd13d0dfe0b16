#!/usr/bin/env python3
"""Push and first-sync throughput through the real binaries (issue 12, item 11).

fabio imports N contacts into his store (`atende import contacts`: the same rows written locally,
the anchor of this run), then logs in online: the time until his outbox is empty is the push.
luan then logs in on a new workstation: the time until his store holds the N contacts is the
first sync (pull and apply, with its progress bar), and his REPL's peak RSS during it is put beside
an idle REPL's, logged in on its own store.

    swift build -c release --product atende
    python3 Benchmarks/sync_throughput.py --binary .build/release/atende --contacts 100000
"""
import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from server_load import start_server, stop_server  # noqa: E402
from sync_latency import Repl  # noqa: E402


def count(db, sql):
    try:
        c = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return c.execute(sql).fetchone()[0]
        finally:
            c.close()
    except sqlite3.OperationalError:
        return -1


def kib(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def wait_until(predicate, timeout, step=0.05):
    start = time.monotonic()
    while not predicate():
        if time.monotonic() - start > timeout:
            sys.exit("timed out")
        time.sleep(step)
    return time.monotonic() - start


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=".build/release/atende")
    ap.add_argument("--contacts", type=int, default=100000)
    args = ap.parse_args()
    n = args.contacts
    tmp = tempfile.mkdtemp(prefix="atende-sync-throughput-")
    server, port = start_server(args.binary, tmp)
    fabio_dir, luan_dir = os.path.join(tmp, "fabio"), os.path.join(tmp, "luan")
    try:
        first = Repl(args.binary, fabio_dir, port, "fabio")
        first.close()
        csv = os.path.join(tmp, "contacts.csv")
        with open(csv, "w") as f:
            f.write("name;phone\n")
            for i in range(n):
                f.write(f"Cliente {i} Souza;48 3{i % 10}{(i // 10) % 10}{(i // 100) % 10}-{i % 10000:04d}\n")
        start = time.monotonic()
        r = subprocess.run([args.binary, "import", "contacts", csv, "--user", "fabio", "--data-dir", fabio_dir, "--lang", "en"],
                           input="Segredo-123\n", text=True, capture_output=True)
        imported = time.monotonic() - start
        if r.returncode != 0:
            sys.exit(r.stderr)
        fabio_db = os.path.join(fabio_dir, "atende.sqlite")
        queued = count(fabio_db, "SELECT COUNT(*) FROM outbox")

        fabio = Repl(args.binary, fabio_dir, port, "fabio")
        pushed = wait_until(lambda: count(fabio_db, "SELECT COUNT(*) FROM outbox") == 0, 600)

        luan = Repl(args.binary, luan_dir, port, "luan")
        luan_db = os.path.join(luan_dir, "atende.sqlite")
        pid = luan.p.pid
        peak = 0

        def done():
            nonlocal peak
            peak = max(peak, kib(pid, "VmRSS"))
            return count(luan_db, "SELECT COUNT(*) FROM contacts") >= n

        pulled = wait_until(done, 600)
        peak = max(peak, kib(pid, "VmHWM"))
        fabio.close()
        luan.close()
        # The anchor for memory: an idle REPL logged in on its own store (no server).
        idle = subprocess.Popen([args.binary, "--data-dir", os.path.join(tmp, "idle"), "--lang", "en", "--keep-going"],
                                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
        idle.stdin.write("login fabio receptivas\nSegredo-123\nSegredo-123\n")
        idle.stdin.flush()
        time.sleep(3)
        idle_rss = kib(idle.pid, "VmHWM")
        idle.stdin.write("exit\n")
        idle.stdin.flush()
        idle.wait(10)
    finally:
        stop_server(server)
    print(json.dumps({
        "contacts": n, "queued_operations": queued,
        "anchor_import_s": round(imported, 2), "anchor_import_rows_per_s": round(n / imported),
        "push_s": round(pushed, 2), "push_ops_per_s": round(queued / pushed),
        "first_sync_s": round(pulled, 2), "first_sync_ops_per_s": round(n / pulled),
        "first_sync_peak_rss_mib": round(peak / 1024, 1), "idle_repl_peak_rss_mib": round(idle_rss / 1024, 1),
    }, indent=2))


if __name__ == "__main__":
    main()
