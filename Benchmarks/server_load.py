#!/usr/bin/env python3
"""Load generator and benchmark for `atende server` (issue 11, item 8).

Usage: Benchmarks/server_load.py [--agents N] [--seated K] [--rate CALLS_PER_S] [--seconds S]
                                 [--queues Q] [--talk SECONDS] [--offerers C] [--bin PATH]
                                 [--frozen-monitor]

Prepares a fresh server data dir whose registry has N agents spread over Q groups (one queue
each) and Q services, with a session (bearer token) opened beforehand for each agent, so that N
logins do not cost N × 210,000 PBKDF2 rounds; starts the server; the admin logs in over HTTP;
every agent opens its switch WebSocket and logs in at its extension (with --seated K, only the
first K do); a monitor (`?audience=everything`) follows the floor; C admin connections offer
calls (`incoming`) at the rate, round robin over the services; agents answer each ring at once
and hang up after `--talk` seconds; an agent left in wrap-up ends it. Reports, as one JSON object:
- routing: `incoming` sent → the `ringing` event read by the agent's connection, for calls that
  rang in the batch that queued them (the client's own latency is in it); calls that waited in
  a queue are counted apart;
- `incoming` sent → its reply;
- monitor: an agent's `answer` sent → the monitor reads that agent's `agentChanged` (talking);
- anchor: a `ping` → `pong` round trip on the same server, idle, same run;
- the server's peak RSS (VmHWM) and RSS at the end.
With `--frozen-monitor`, a second monitor connects with a tiny receive buffer and never reads;
the report then gives that connection's socket queues at the end.
Runs on demand only (not part of `swift test`); needs only Python 3's standard library.
"""
import argparse, asyncio, base64, hashlib, json, os, shutil, signal, socket, sqlite3, subprocess, sys, time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wsclient import WebSocket

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PASSWORD = "bench-senha"
ADMIN = "intelbras"


def pct(values, p):
    if not values:
        return None
    s = sorted(values)
    return round(s[min(len(s) - 1, max(0, int(len(s) * p + 0.999999) - 1))], 3)


def summary(ms):
    return {"n": len(ms), "p50_ms": pct(ms, 0.50), "p99_ms": pct(ms, 0.99), "max_ms": round(max(ms), 3) if ms else None}


def start_server(binary, data_dir):
    out = open(os.path.join(data_dir, "server.out"), "w+")
    err = open(os.path.join(data_dir, "server.err"), "w")
    p = subprocess.Popen([binary, "server", "--port", "0", "--data-dir", data_dir, "--log-level", "warning"],
                         stdout=out, stderr=err)
    for _ in range(600):
        out.seek(0)
        line = out.read()
        if "listening on" in line:
            port = int(line.split("listening on ")[1].split(" ")[0].rsplit(":", 1)[1])
            return p, port
        if p.poll() is not None:
            sys.exit(f"server exited: {open(err.name).read()}")
        time.sleep(0.05)
    sys.exit("server did not start")


def stop_server(p):
    p.send_signal(signal.SIGTERM)
    try:
        p.wait(30)
    except subprocess.TimeoutExpired:
        p.kill()


def prepare(binary, data_dir, agents, queues):
    """A data dir whose registry (version 2) has `agents` agents over `queues` groups and services."""
    shutil.rmtree(data_dir, ignore_errors=True)
    os.makedirs(data_dir)
    p, _ = start_server(binary, data_dir)  # seeds version 1 from Config/registry.json, migrates
    stop_server(p)
    db = sqlite3.connect(os.path.join(data_dir, "server.sqlite"))
    doc = json.loads(db.execute("SELECT document FROM registry_versions ORDER BY version DESC LIMIT 1").fetchone()[0])
    admin = next(a for a in doc["agents"] if a["nickname"] == ADMIN)
    groups = [{"name": f"q{g:02d}", "title": f"Fila {g:02d}"} for g in range(queues)]
    admin["groups"] = [g["name"] for g in groups]
    doc["groups"] = groups
    doc["services"] = [{"number": f"4000{g:04d}", "name": f"S{g:02d}", "group": f"q{g:02d}"} for g in range(queues)]
    doc["agents"] = [admin] + [{
        "nickname": f"ag{i:05d}", "name": f"Agente {i}", "email": f"ag{i}@example.com", "extension": str(10000 + i),
        "groups": [f"q{i % queues:02d}"], "sector": "Bench", "role": "agent", "permissions": []} for i in range(agents)]
    now = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
    db.execute("INSERT INTO registry_versions (version, document, changed_at, changed_by) VALUES (2, ?, ?, 'benchmark')",
               (json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":")), now))
    # Sessions opened beforehand, as a login would (the token's SHA-256, role, expiry): N logins
    # over HTTP would cost N slow PBKDF2 hashes (210,000 rounds, the least swift-crypto allows),
    # which is the login's cost, not the switch's. The admin logs in over HTTP.
    expires = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(time.time() + 12 * 3600))
    tokens = {}
    for a in doc["agents"][1:]:
        token = base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("=")
        tokens[a["nickname"]] = token
        db.execute("INSERT INTO sessions (token_hash, agent, role, issued_at, expires_at) VALUES (?, ?, 'agent', ?, ?)",
                   (hashlib.sha256(token.encode()).digest(), a["nickname"], now, expires))
    doc["tokens"] = tokens
    db.commit()
    db.close()
    return doc


def login(port, agent):
    r = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/login",
                               data=json.dumps({"agent": agent, "password": PASSWORD}).encode(),
                               headers={"Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(r, timeout=60))["token"]


def rss(pid):
    out = {}
    for line in open(f"/proc/{pid}/status"):
        if line.startswith(("VmHWM", "VmRSS")):
            k, v = line.split(":")
            out[k] = round(int(v.split()[0]) / 1024, 1)
    return out


class Bench:
    def __init__(self, port, talk):
        self.port, self.talk = port, talk
        self.offered = {}        # phone -> perf_counter when `incoming` was sent
        self.routing = []        # ms, offer -> ring at the agent (no queue wait)
        self.queued_ring = []    # ms, offer -> ring for calls that waited in queue
        self.answer_sent = {}    # extension -> perf_counter of the `answer` send
        self.monitor_ms = []     # ms, answer sent -> monitor sees the agent talking
        self.ids = 0
        self.refusals = 0
        self.measuring = False

    def next_id(self):
        self.ids += 1
        return self.ids

    async def agent(self, ext, token, ready, seated=True):
        ws = await WebSocket.connect("127.0.0.1", self.port, "/api/v1/switch", {"Authorization": "Bearer " + token})
        await ws.recv()  # welcome
        if seated:
            ws.send_json({"request": {"id": self.next_id(), "_1": {"login": {"extension": ext, "paused": None}}}})
        ready.set_result(None) if not ready.done() else None
        key = f'"agent":"{ext}"'
        while True:
            msg = await ws.recv()
            if msg is None:
                return
            if '"refusal"' in msg:
                self.refusals += 1
            if '"ringing":{' in msg and key in msg:
                now = time.perf_counter()
                events = json.loads(msg)["batch"]["_0"]["events"]
                for ev in events:
                    call = ev.get("ringing", {}).get("_0")
                    if call and call.get("agent") == ext:
                        t0 = self.offered.pop(call["phone"], None)
                        if t0 is not None and self.measuring:
                            # Routed at once: it entered the queue in the same batch that rang it.
                            at_once = any(e.get("queued", {}).get("_0", {}).get("id") == call["id"] for e in events)
                            (self.routing if at_once else self.queued_ring).append((now - t0) * 1000)
                        self.answer_sent[ext] = time.perf_counter()
                        ws.send_json({"request": {"id": self.next_id(), "_1": {"answer": {"extension": ext}}}})
                        asyncio.get_running_loop().call_later(self.talk, self.hangup, ws, ext)
            if '"wrapUp":true' in msg and f'"extension":"{ext}"' in msg:
                ws.send_json({"request": {"id": self.next_id(), "_1": {"wrapUp": {"extension": ext, "on": False}}}})

    def hangup(self, ws, ext):
        ws.send_json({"request": {"id": self.next_id(), "_1": {"hangup": {"extension": ext}}}})

    async def monitor(self, token):
        ws = await WebSocket.connect("127.0.0.1", self.port, "/api/v1/switch?audience=everything",
                                     {"Authorization": "Bearer " + token})
        await ws.recv()
        while True:
            msg = await ws.recv()
            if msg is None:
                return
            if '"state":"talking"' not in msg:
                continue
            now = time.perf_counter()
            for ev in json.loads(msg)["batch"]["_0"]["events"]:
                line = ev.get("agentChanged", {}).get("_0")
                if line and line.get("state") == "talking":
                    t0 = self.answer_sent.pop(line["extension"], None)
                    if t0 is not None and self.measuring:
                        self.monitor_ms.append((now - t0) * 1000)


async def frozen_monitor(port, token):
    """A monitor that never reads, with a small receive buffer so the server's writes back up."""
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect(("127.0.0.1", port))
    s.sendall((f"GET /api/v1/switch?audience=everything HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
               f"Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
               f"Authorization: Bearer {token}\r\n\r\n").encode())
    return s  # kept open, never read


async def ping_rtt(port, token, n=200):
    ws = await WebSocket.connect("127.0.0.1", port, "/api/v1/switch", {"Authorization": "Bearer " + token})
    await ws.recv()
    out = []
    for i in range(n):
        t0 = time.perf_counter()
        ws.send_json({"ping": {"_0": i}})
        while '"pong"' not in (await ws.recv()):
            pass
        out.append((time.perf_counter() - t0) * 1000)
    await ws.close()
    return out


async def run(args, port, pid, doc):
    bench = Bench(port, args.talk)
    agents = doc["agents"][1:]
    loop = asyncio.get_running_loop()
    t = time.perf_counter()
    tokens = [doc["tokens"][a["nickname"]] for a in agents]
    admin_token = login(port, ADMIN)
    logins_s = time.perf_counter() - t
    anchor = await ping_rtt(port, admin_token)
    t = time.perf_counter()
    tasks = []
    for batch in range(0, len(agents), 100):
        readies = []
        for a, tok in zip(agents[batch:batch + 100], tokens[batch:batch + 100]):
            f = loop.create_future()
            readies.append(f)
            seated = args.seated is None or int(a["extension"]) - 10000 < args.seated
            tasks.append(asyncio.create_task(bench.agent(a["extension"], tok, f, seated)))
        await asyncio.gather(*readies)
    tasks.append(asyncio.create_task(bench.monitor(admin_token)))
    connect_s = time.perf_counter() - t
    frozen = await frozen_monitor(port, admin_token) if args.frozen_monitor else None
    await asyncio.sleep(2)
    rss_idle = rss(pid)
    # The network's calls come in on several admin connections, as on several trunks: one
    # connection's requests are carried out one after the other.
    replies = {}  # request id -> perf_counter sent
    incoming_ms = []

    async def offerer():
        ws = await WebSocket.connect("127.0.0.1", port, "/api/v1/switch", {"Authorization": "Bearer " + admin_token})
        await ws.recv()
        return ws

    async def drain(ws):
        while (msg := await ws.recv()) is not None:
            if msg.startswith('{"reply"'):
                t0 = replies.pop(json.loads(msg)["reply"]["id"], None)
                if t0 is not None and bench.measuring:
                    incoming_ms.append((time.perf_counter() - t0) * 1000)
    offerers = [await offerer() for _ in range(args.offerers)]
    tasks += [asyncio.create_task(drain(ws)) for ws in offerers]
    services = [s["name"] for s in doc["services"]]
    bench.measuring = True
    start = time.perf_counter()
    sent = 0
    while (elapsed := time.perf_counter() - start) < args.seconds:
        due = int(elapsed * args.rate) + 1
        while sent < due:
            phone = f"48{sent:09d}"
            bench.offered[phone] = time.perf_counter()
            rid = bench.next_id()
            replies[rid] = time.perf_counter()
            offerers[sent % len(offerers)].send_json({"request": {"id": rid, "_1": {"incoming": {"phone": phone, "service": services[sent % len(services)]}}}})
            sent += 1
        await asyncio.sleep(0.002)
    offered_s = time.perf_counter() - start
    await asyncio.sleep(args.talk + 2)
    bench.measuring = False
    result = {
        "agents": len(agents), "seated": args.seated if args.seated is not None else len(agents), "queues": len(services), "rate_per_s": args.rate, "seconds": args.seconds,
        "talk_s": args.talk, "frozen_monitor": bool(args.frozen_monitor),
        "offered": sent, "achieved_rate_per_s": round(sent / offered_s, 1), "rang_at_once": len(bench.routing), "rang_after_queue": len(bench.queued_ring),
        "not_rung": len(bench.offered), "refusals": bench.refusals,
        "admin_login_s": round(logins_s, 2), "connect_s": round(connect_s, 2),
        "routing": summary(bench.routing), "offer_to_ring_after_queue": summary(bench.queued_ring), "monitor": summary(bench.monitor_ms), "incoming_reply": summary(incoming_ms),
        "anchor_ping_rtt": summary(anchor),
        "rss_idle_mib": rss_idle, "rss_end_mib": rss(pid),
    }
    if frozen:
        # How much of the floor is stuck on the way to the frozen monitor: its socket's queues
        # (client's Recv-Q, server's Send-Q); the rest waits in the server's per-client buffer.
        lport = frozen.getsockname()[1]
        ss = subprocess.run(["ss", "-tnH", f"( sport = :{lport} or dport = :{lport} )"], capture_output=True, text=True).stdout
        result["frozen_socket_queues"] = [" ".join(line.split()[1:3]) for line in ss.splitlines()]
        frozen.close()
    for t in tasks:
        t.cancel()
    return result


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--agents", type=int, default=200)
    ap.add_argument("--queues", type=int, default=50)
    ap.add_argument("--rate", type=float, default=50)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--talk", type=float, default=2.0)
    ap.add_argument("--offerers", type=int, default=4, help="admin connections the calls come in on")
    ap.add_argument("--seated", type=int, help="only this many of the sessions log in at their extension (default: all)")
    ap.add_argument("--frozen-monitor", action="store_true")
    ap.add_argument("--bin", default=os.path.join(ROOT, ".build", "release", "atende"))
    ap.add_argument("--data-dir", default="/tmp/atende-server-bench")
    args = ap.parse_args()
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 65536), hard))
    # A `timeout` or Ctrl-C ends the run through `finally`, which stops the server.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped"))
    doc = prepare(args.bin, args.data_dir, args.agents, args.queues)
    p, port = start_server(args.bin, args.data_dir)
    try:
        result = asyncio.run(run(args, port, p.pid, doc))
    finally:
        stop_server(p)
    result["load_average"] = os.getloadavg()
    result["binary"] = os.path.relpath(args.bin, ROOT)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
