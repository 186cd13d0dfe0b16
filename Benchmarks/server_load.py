#!/usr/bin/env python3
"""Load generator and benchmark for `atende server` (issue 11, item 8).

Usage: Benchmarks/server_load.py [--agents N] [--seated K] [--rate CALLS_PER_S] [--seconds S]
                                 [--queues Q] [--talk SECONDS] [--offerers C] [--bin PATH]
                                 [--frozen-monitor] [--waiting N] [--workers W] [--session-buffer N]

Prepares a fresh server data dir whose registry has N agents spread over Q groups (one queue
each) and Q services, with a session (bearer token) opened beforehand for each agent, so that N
logins do not cost N × 210,000 PBKDF2 rounds; starts the server; the admin logs in over HTTP;
the agents are shared among W worker processes; every agent opens its switch WebSocket and logs
in at its extension (with --seated K, only the first K do); a monitor (`?audience=everything`) follows the floor; C admin connections offer
calls (`incoming`) at the rate, round robin over the services; agents answer each ring at once
and hang up after `--talk` seconds; an agent left in wrap-up ends it. Reports, as one JSON object:
- free → next ring: an agent's `hangup` sent → the next waiting caller's `ringing` read there;
- with --waiting N, the oldest callers give up whenever more than N wait;
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
import argparse, asyncio, base64, bisect, hashlib, json, multiprocessing, os, resource, shutil, signal, socket, sqlite3, subprocess, sys, time
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


def start_server(binary, data_dir, extra=()):
    out = open(os.path.join(data_dir, "server.out"), "w+")
    err = open(os.path.join(data_dir, "server.err"), "w")
    p = subprocess.Popen([binary, "server", "--port", "0", "--data-dir", data_dir, "--log-level", "warning", *extra],
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


now = time.monotonic  # CLOCK_MONOTONIC: one clock for the worker processes and the main one


async def agents_worker(port, agents, talk, ready, stop, out):
    """One worker process's share of the agents: each connects, logs in at its extension, answers
    every ring at once and hangs up after `talk` seconds. Sends back, as lists of tuples:
    rings (phone, read at, rang in the batch that queued it), free-to-ring (hangup sent → the next
    queued call's ring read, when the switch rang it in the hangup's own batch) and answers
    (extension, sent at)."""
    rings, free_to_ring, answers, refusals = [], [], [], [0]
    hangup_sent = {}

    async def agent(ext, token, seated):
        ws = await WebSocket.connect("127.0.0.1", port, "/api/v1/switch", {"Authorization": "Bearer " + token})
        await ws.recv()  # welcome
        if seated:
            ws.send_json({"request": {"id": 1, "_1": {"login": {"extension": ext, "paused": None}}}})
        key = f'"agent":"{ext}"'
        first = True
        while True:
            msg = await ws.recv()
            if msg is None:
                return
            if first and msg.startswith('{"reply"'):
                first = False
                seated_ok.append(ext)
            if '"refusal"' in msg:
                refusals[0] += 1
            if '"ringing":{' in msg and key in msg:
                t = now()
                events = json.loads(msg)["batch"]["_0"]["events"]
                for ev in events:
                    call = ev.get("ringing", {}).get("_0")
                    if not call or call.get("agent") != ext:
                        continue
                    at_once = any(e.get("queued", {}).get("_0", {}).get("id") == call["id"] for e in events)
                    rings.append((call.get("phone"), t, at_once))
                    t_h = hangup_sent.pop(ext, None)
                    if t_h is not None and any("ended" in e for e in events):
                        free_to_ring.append((t - t_h) * 1000)
                    answers.append((ext, now()))
                    ws.send_json({"request": {"id": 2, "_1": {"answer": {"extension": ext}}}})
                    asyncio.get_running_loop().call_later(talk, hangup, ws, ext)

    def hangup(ws, ext):
        hangup_sent[ext] = now()
        ws.send_json({"request": {"id": 3, "_1": {"hangup": {"extension": ext}}}})

    seated_ok = []
    tasks = []
    for i in range(0, len(agents), 50):
        tasks += [asyncio.create_task(agent(ext, tok, seated)) for ext, tok, seated in agents[i:i + 50]]
        await asyncio.sleep(0.05)
    want = sum(1 for a in agents if a[2])
    while len(seated_ok) < want:
        await asyncio.sleep(0.05)
    ready.put(len(tasks))
    while not stop.is_set():
        await asyncio.sleep(0.1)
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    out.put({"rings": rings, "free_to_ring": free_to_ring, "answers": answers, "refusals": refusals[0],
             "cpu_s": cpu.ru_utime + cpu.ru_stime})
    for t in tasks:
        t.cancel()


def worker_main(port, agents, talk, ready, stop, out):
    asyncio.run(agents_worker(port, agents, talk, ready, stop, out))


class Floor:
    """The main process's monitor (`?audience=everything`): agents seen talking, callers waiting."""
    def __init__(self):
        self.talking = []     # (extension, read at)
        self.waiting = {}     # group -> callers waiting
        self.peak_waiting = 0

    @property
    def total_waiting(self):
        return sum(self.waiting.values())

    async def follow(self, port, token):
        ws = await WebSocket.connect("127.0.0.1", port, "/api/v1/switch?audience=everything",
                                     {"Authorization": "Bearer " + token})
        await ws.recv()
        while True:
            msg = await ws.recv()
            if msg is None:
                return
            talking, queues = '"state":"talking"' in msg, '"queueChanged"' in msg
            if not (talking or queues):
                continue
            t = now()
            for ev in json.loads(msg)["batch"]["_0"]["events"]:
                line = ev.get("agentChanged", {}).get("_0")
                if line and line.get("state") == "talking":
                    self.talking.append((line["extension"], t))
                q = ev.get("queueChanged", {}).get("_0")
                if q:
                    self.waiting[q["group"]] = q["waiting"]
            self.peak_waiting = max(self.peak_waiting, self.total_waiting)


def monitor_latencies(answers, talking):
    """For each `answer` sent, the first time the monitor read that agent talking after it (ms)."""
    seen = {}
    for ext, t in talking:
        seen.setdefault(ext, []).append(t)
    out = []
    for ext, t in answers:
        ts = seen.get(ext, [])
        i = bisect.bisect_left(ts, t)
        if i < len(ts):
            out.append((ts[i] - t) * 1000)
    return out


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


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def run(args, port, pid, doc, workers, ready, stop, results):
    loop = asyncio.get_running_loop()
    admin_token = login(port, ADMIN)
    anchor = await ping_rtt(port, admin_token)
    floor = Floor()
    tasks = [asyncio.create_task(floor.follow(port, admin_token))]
    t = now()
    for w in workers:
        w.start()
    connected = 0
    for _ in workers:
        connected += await loop.run_in_executor(None, ready.get)
    connect_s = now() - t
    frozen = await frozen_monitor(port, admin_token) if args.frozen_monitor else None
    await asyncio.sleep(2)
    rss_idle = rss(pid)
    # The network's calls come in on several admin connections, as on several trunks.
    replies = {}  # request id -> sent at
    incoming_ms = []

    async def offerer():
        ws = await WebSocket.connect("127.0.0.1", port, "/api/v1/switch?audience=nothing", {"Authorization": "Bearer " + admin_token})
        await ws.recv()
        return ws

    abandoning = set()  # abandon requests not yet answered

    async def drain(ws):
        while (msg := await ws.recv()) is not None:
            if msg.startswith('{"reply"'):
                rid = json.loads(msg)["reply"]["id"]
                abandoning.discard(rid)
                t0 = replies.pop(rid, None)
                if t0 is not None:
                    incoming_ms.append((now() - t0) * 1000)
    offerers = [await offerer() for _ in range(args.offerers)]
    tasks += [asyncio.create_task(drain(ws)) for ws in offerers]
    services = [s["name"] for s in doc["services"]]
    offered = {}  # phone -> sent at
    ids = 0
    sent = abandoned = 0
    waiting_samples = []
    cpu0, start = cpu_seconds(pid), now()
    next_sample = start
    while (elapsed := now() - start) < args.seconds:
        due = int(elapsed * args.rate) + 1
        while sent < due:
            phone = f"48{sent:09d}"
            ids += 1
            offered[phone] = replies[ids] = now()
            offerers[sent % len(offerers)].send_json({"request": {"id": ids, "_1": {"incoming": {"phone": phone, "service": services[sent % len(services)]}}}})
            sent += 1
        # Callers beyond the target give up, oldest first: the queues stay at about --waiting.
        # (The monitor's count lags: abandons already asked for and not answered are counted off.)
        excess = floor.total_waiting - len(abandoning) - args.waiting if args.waiting else 0
        for _ in range(min(max(0, excess), 50)):
            ids += 1
            abandoning.add(ids)
            offerers[abandoned % len(offerers)].send_json({"request": {"id": ids, "_1": {"abandonOldest": {}}}})
            abandoned += 1
        if now() >= next_sample:
            waiting_samples.append(floor.total_waiting)
            next_sample += 1
        await asyncio.sleep(0.002)
    offered_s = now() - start
    server_cpu = cpu_seconds(pid) - cpu0
    await asyncio.sleep(args.talk + 2)
    stop.set()
    parts = [await loop.run_in_executor(None, results.get) for _ in workers]
    rss_end = rss(pid)
    rings = [r for p in parts for r in p["rings"]]
    routing = [(t - offered[ph]) * 1000 for ph, t, at_once in rings if at_once and ph in offered]
    after_queue = [(t - offered[ph]) * 1000 for ph, t, at_once in rings if not at_once and ph in offered]
    rung = {ph for ph, _, _ in rings}
    answers = [a for p in parts for a in p["answers"]]
    settled = waiting_samples[len(waiting_samples) // 5:] or [0]
    result = {
        "agents": len(doc["agents"]) - 1, "seated": args.seated if args.seated is not None else len(doc["agents"]) - 1,
        "workers": len(workers), "queues": len(services), "rate_per_s": args.rate, "seconds": args.seconds,
        "talk_s": args.talk, "target_waiting": args.waiting, "frozen_monitor": bool(args.frozen_monitor),
        "offered": sent, "achieved_rate_per_s": round(sent / offered_s, 1), "abandon_requests": abandoned,
        "rang_at_once": len(routing), "rang_after_queue": len(after_queue),
        "not_rung": sum(1 for ph in offered if ph not in rung), "refusals": sum(p["refusals"] for p in parts),
        "waiting_after_first_fifth": {"min": min(settled), "median": sorted(settled)[len(settled) // 2], "max": max(settled)},
        "peak_waiting": floor.peak_waiting, "connect_s": round(connect_s, 2),
        "routing": summary(routing), "free_to_next_ring": summary([x for p in parts for x in p["free_to_ring"]]),
        "offer_to_ring_after_queue": summary(after_queue), "monitor": summary(monitor_latencies(answers, floor.talking)),
        "incoming_reply": summary(incoming_ms), "anchor_ping_rtt": summary(anchor),
        "server_cpu_s_per_s": round(server_cpu / offered_s, 2), "clients_cpu_s": round(sum(p["cpu_s"] for p in parts), 1),
        "rss_idle_mib": rss_idle, "rss_end_mib": rss_end,
    }
    if frozen:
        # The frozen monitor: its socket's queues, and whether the server closed it (FIN seen).
        lport = frozen.getsockname()[1]
        ss = subprocess.run(["ss", "-tanH", f"( sport = :{lport} or dport = :{lport} )"], capture_output=True, text=True).stdout
        result["frozen_socket"] = [" ".join(line.split()[:3]) for line in ss.splitlines()]
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
    ap.add_argument("--waiting", type=int, default=0, help="keep about this many callers waiting: beyond it the oldest give up")
    ap.add_argument("--workers", type=int, default=2, help="processes the agents' sessions are shared among")
    ap.add_argument("--frozen-monitor", action="store_true")
    ap.add_argument("--session-buffer", type=int, default=10_000, help="the server's --session-buffer")
    ap.add_argument("--bin", default=os.path.join(ROOT, ".build", "release", "atende"))
    ap.add_argument("--data-dir", default="/tmp/atende-server-bench")
    args = ap.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 65536), hard))
    # A `timeout` or Ctrl-C ends the run through `finally`, which stops the server.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped"))
    doc = prepare(args.bin, args.data_dir, args.agents, args.queues)
    p, port = start_server(args.bin, args.data_dir, ["--session-buffer", str(args.session_buffer)])
    ctx = multiprocessing.get_context("fork")
    ready, results, stop = ctx.Queue(), ctx.Queue(), ctx.Event()
    shares = [[] for _ in range(args.workers)]
    for i, a in enumerate(doc["agents"][1:]):
        seated = args.seated is None or i < args.seated
        shares[i % args.workers].append((a["extension"], doc["tokens"][a["nickname"]], seated))
    workers = [ctx.Process(target=worker_main, args=(port, share, args.talk, ready, stop, results), daemon=True)
               for share in shares if share]
    try:
        result = asyncio.run(run(args, port, p.pid, doc, workers, ready, stop, results))
    finally:
        stop_server(p)
    result["load_average"] = os.getloadavg()
    result["binary"] = os.path.relpath(args.bin, ROOT)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
