#!/usr/bin/env python3
"""`atende admin export` through the real binaries (issue 12, item 9; RP-6).

A server holds N attendances (each with a qualification, as workstations push them); an admin
exports them all to CSV through the real client and server (login included), best of 3. The anchor
of the same run is `sqlite3 -csv` of the same rows from the same file — the same json_extract
fields, the latest qualification and the mismatch count, in the same order through the same
index — written to a file: the store's cost without the HTTP, the paging and the encoder. Peak RSS
is the client's and the server's.

    swift build -c release --product atende
    python3 Benchmarks/admin_export.py --binary .build/release/atende --attendances 200000
"""
import argparse
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from server_load import start_server, stop_server  # noqa: E402

STARTED = ("COALESCE(json_extract(record, '$.fields.answeredAt'), json_extract(record, '$.fields.ringingAt'), "
           "json_extract(record, '$.fields.queuedAt'), json_extract(record, '$.fields.endedAt'))")
FIELDS = ["callID", "type", "service", "phone", "contactName", "agent", "group", "extension"]
TIMES = ["queuedAt", "ringingAt", "answeredAt", "endedAt", "talkSeconds", "waitSeconds", "holdSeconds"]
ANCHOR = f"""
SELECT entity_id, {', '.join(f"json_extract(record, '$.fields.{f}')" for f in FIELDS)},
  {', '.join(f"datetime(json_extract(record, '$.fields.{t}'), 'unixepoch')" for t in TIMES[:4])},
  {', '.join(f"json_extract(record, '$.fields.{t}')" for t in TIMES[4:])},
  json_extract(record, '$.fields.endedBy'), json_extract(record, '$.fields.transferTarget'),
  COALESCE((SELECT json_extract(q.record, '$.fields.code') FROM sync_records q
     WHERE q.entity = 'qualification' AND json_extract(q.record, '$.fields.attendanceID') = +a.entity_id
     ORDER BY json_extract(q.record, '$.fields.createdAt') DESC, q.entity_id DESC LIMIT 1), json_extract(record, '$.fields.qualification')),
  (SELECT COUNT(*) FROM sync_conflicts c WHERE c.entity = 'attendance' AND c.entity_id = a.entity_id AND c.reason = 'mismatch')
FROM sync_records a WHERE entity = 'attendance' AND {STARTED} BETWEEN 0 AND 253402300799
ORDER BY {STARTED}, entity_id;
"""


def seed(db_path, n):
    db = sqlite3.connect(db_path)
    db.executescript(f"""
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n})
    INSERT INTO sync_records (entity, entity_id, owner, record)
    SELECT 'attendance', printf('%08X-0000-8000-8000-%012X', i, i), 'fabio', json_object('entity', 'attendance',
      'id', printf('%08X-0000-8000-8000-%012X', i, i), 'fields', json_object('callID', printf('%08X-1000-8000-8000-%012X', i, i),
      'type', 'inbound', 'service', 'Suporte', 'phone', '48328' || (19500 + i % 1000), 'contactName', 'Maria Souza',
      'agent', CASE i % 3 WHEN 0 THEN 'fabio' WHEN 1 THEN 'luan' ELSE 'intelbras' END, 'group', 'receptivas',
      'extension', '2050', 'queuedAt', 1764000000 + i * 30, 'answeredAt', 1764000000 + i * 30 + 7,
      'endedAt', 1764000000 + i * 30 + 187, 'talkSeconds', 180, 'waitSeconds', 7, 'holdSeconds', 0, 'endedBy', 'agent'),
      'stamps', json_object(), 'origins', json_object(), 'bases', json_object())
    FROM n;
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n})
    INSERT INTO sync_records (entity, entity_id, owner, record)
    SELECT 'qualification', printf('%08X-2000-8000-8000-%012X', i, i), 'fabio', json_object('entity', 'qualification',
      'id', printf('%08X-2000-8000-8000-%012X', i, i), 'fields', json_object('attendanceID', printf('%08X-0000-8000-8000-%012X', i, i),
      'code', 'SUPORTE', 'agent', 'fabio', 'createdAt', 1764000000 + i * 30 + 200))
    FROM n;
    """)
    db.commit()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def children_peak():
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=".build/release/atende")
    ap.add_argument("--attendances", type=int, default=200000)
    args = ap.parse_args()
    n = args.attendances
    work = tempfile.mkdtemp(prefix="atende-admin-export-")
    server_dir = os.path.join(work, "server")
    os.makedirs(server_dir)
    p, _ = start_server(args.binary, server_dir)  # migrates the new store
    stop_server(p)
    seed(os.path.join(server_dir, "server.sqlite"), n)
    p, port = start_server(args.binary, server_dir)
    out = os.path.join(work, "history.csv")
    command = [args.binary, "admin", "export", "--server", f"127.0.0.1:{port}", "--user", "intelbras", "--lang", "en", "--out", out]
    ours, theirs = [], []
    try:
        for _ in range(3):
            start = time.perf_counter()
            r = subprocess.run(command, input="Segredo-123\n", capture_output=True, text=True)
            ours.append(time.perf_counter() - start)
            if r.returncode != 0:
                sys.exit(f"export failed: {r.stderr}")
            start = time.perf_counter()
            with open(os.path.join(work, "anchor.csv"), "w") as f:
                subprocess.run(["sqlite3", "-csv", "-header", os.path.join(server_dir, "server.sqlite"), ANCHOR], stdout=f, check=True)
            theirs.append(time.perf_counter() - start)
        client_peak = children_peak()
        rows = sum(1 for _ in open(out, newline="")) - 1
        with open(f"/proc/{p.pid}/status") as f:
            server_peak = next(int(line.split()[1]) for line in f if line.startswith("VmHWM:")) / 1024
    finally:
        stop_server(p)
    result = {
        "attendances": n, "rows": rows, "seconds": round(min(ours), 2), "rows_per_second": round(rows / min(ours)),
        "anchor_seconds": round(min(theirs), 2), "ratio": round(min(ours) / min(theirs), 2),
        "peak_mib_client_or_anchor": round(client_peak, 1), "server_peak_mib": round(server_peak, 1),
        "file_mib": round(os.path.getsize(out) / 1048576, 1),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
