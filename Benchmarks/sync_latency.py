#!/usr/bin/env python3
"""How long a change written on one workstation takes to show on another, both online (issue 12,
item 11: "visible on another within 100 ms p99"), through the real binaries: a real server and two
real REPLs. fabio types `chat luan MESSAGE`; the time runs until luan's REPL prints the message
(the server applies fabio's push, tells luan's session, luan's workstation pulls and prints).

The anchor, measured in the same run: a local command round trip in the same REPL (`notes`, which
touches no network), so the figure can be read against what the REPL itself costs here.

    swift build -c release --product atende
    python3 Benchmarks/sync_latency.py --binary .build/release/atende --messages 200
"""
import argparse
import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
from server_load import start_server, stop_server, summary  # noqa: E402


class Repl:
    def __init__(self, binary, data_dir, port, agent):
        self.lines = queue.Queue()
        self.p = subprocess.Popen(
            [binary, "--data-dir", data_dir, "--lang", "en", "--server", f"127.0.0.1:{port}", "--transfer", "off",
             "--keep-going"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, bufsize=1)
        threading.Thread(target=self._read, daemon=True).start()
        self.type(f"login {agent} receptivas")
        self.type("Segredo-123")
        self.type("Segredo-123")
        self.wait_for("Welcome,", 30)

    def _read(self):
        for line in self.p.stdout:
            self.lines.put((time.monotonic(), line))

    def type(self, line):
        self.p.stdin.write(line + "\n")
        self.p.stdin.flush()

    def wait_for(self, text, timeout=10):
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                sys.exit(f"timed out waiting for {text!r}")
            at, line = self.lines.get(timeout=left)
            if text in line:
                return at

    def close(self):
        self.type("exit --force")
        try:
            self.p.wait(10)
        except subprocess.TimeoutExpired:
            self.p.kill()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=".build/release/atende")
    ap.add_argument("--messages", type=int, default=200)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="atende-sync-latency-")
    server, port = start_server(args.binary, tmp)
    try:
        fabio = Repl(args.binary, os.path.join(tmp, "fabio"), port, "fabio")
        luan = Repl(args.binary, os.path.join(tmp, "luan"), port, "luan")
        time.sleep(1)  # let the logins' own sync settle before measuring
        shown, local = [], []
        for i in range(args.messages):
            start = time.monotonic()
            fabio.type(f"chat luan medida-{i}")
            at = luan.wait_for(f"Chat from fabio: medida-{i}")
            shown.append((at - start) * 1000)
            start = time.monotonic()
            fabio.type("notes")
            at = fabio.wait_for("No notes.")
            local.append((at - start) * 1000)
        fabio.close()
        luan.close()
    finally:
        stop_server(server)
    print(json.dumps({"messages": args.messages, "shown_on_the_other": summary(shown), "anchor_local_command": summary(local)},
                     indent=2))


if __name__ == "__main__":
    main()
