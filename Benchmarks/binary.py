"""What an operator feels: REPL commands, the prompt, start-up and a long session, through the
release binary, for Benchmarks/run.py.

A command's cost is (a login, then COPIES copies of the command piped in) minus (the login alone),
divided by COPIES: the median of 5 runs of each, interleaved. The prompt's cost is measured on a
pseudo-terminal: Enter on an empty line, until the next prompt is read back.
"""
import os, pty, re, select, signal, statistics, subprocess, threading, time

LOGIN = "login fabio receptivas\nbench-pass\n"
# The commands measured, on the generated history (seed 42, ending 21/09/2026): a day of fabio's
# calls, a month of losses and a day's stats named by their dates (the real clock's today and
# month hold no history), as `admin bench commands` asks the workstation for them in-process.
COMMANDS = [
    ("calls", "calls 22/08/2026"), ("losses_month", "losses 01/08/2026 31/08/2026"), ("stats", "stats 22/08/2026"),
    ("search_maria", "search maria"), ("search_souza_intelbras", "search Souza Intelbras"), ("search_32819500", "search 32819500"),
    ("attendance", "attendance {attendance}"), ("contacts_souza", "contacts souza"), ("status", "status"),
]
# The long session runs on a copy of the store, on a manual clock after the history's (and this
# machine's) time, so that its calls and stamps touch nothing the other measures read.
SESSION_NOW = "2027-06-01 09:00"


def base_args(binary, work, now=None):
    return [binary, "--data-dir", work, "--lang", "en"] + (["--clock", "manual", "--now", now] if now else [])


def piped(binary, work, env, script):
    """Seconds for one piped run, and its standard output; stops on a failed command."""
    start = time.perf_counter()
    p = subprocess.run(base_args(binary, work), input=script, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    if p.returncode != 0:
        raise SystemExit(f"atende failed ({p.returncode}) on {script[:200]!r}: {p.stdout[-500:]} {p.stderr[-500:]}")
    return elapsed, p.stdout


def command_ms(binary, work, env, command, copies=200, runs=5):
    """Milliseconds one REPL command costs through the binary (median of `runs`), and one output."""
    logins, fulls = [], []
    script = LOGIN + (command + "\n") * copies
    out = ""
    for _ in range(runs):
        logins.append(piped(binary, work, env, LOGIN)[0])
        t, out = piped(binary, work, env, script)
        fulls.append(t)
    per = (statistics.median(fulls) - statistics.median(logins)) / copies * 1000
    return max(per, 0.0), statistics.median(logins) * 1000, out


def startup_ms(binary, work, env, runs=5):
    """A login and `status`, to exit: the median of `runs`, in ms."""
    return statistics.median(piped(binary, work, env, LOGIN + "status\n")[0] for _ in range(runs)) * 1000


class Terminal:
    """The binary on a pseudo-terminal, read until a pattern shows."""

    def __init__(self, binary, work, env):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execve(binary, base_args(binary, work), dict(env, TERM="xterm"))
        self.buffer = b""

    def read_until(self, pattern, timeout=30):
        deadline = time.monotonic() + timeout
        rx = re.compile(pattern)
        while True:
            m = rx.search(self.buffer)
            if m:
                self.buffer = self.buffer[m.end():]
                return
            left = deadline - time.monotonic()
            if left <= 0:
                raise SystemExit(f"no {pattern!r} on the terminal; last output {self.buffer[-300:]!r}")
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    self.buffer += os.read(self.fd, 65536)
                except OSError:
                    raise SystemExit(f"the terminal closed; last output {self.buffer[-300:]!r}")

    def type(self, text):
        os.write(self.fd, text.encode())

    def close(self):
        try:
            os.write(self.fd, b"exit\r")
            os.waitpid(self.pid, 0)
        except OSError:
            os.kill(self.pid, signal.SIGKILL)
        os.close(self.fd)


PROMPT = rb"fabio@receptivas[^\n>]*> "


def prompt_ms(binary, work, env, enters=300):
    """Enter on an empty line until the next prompt is read back, on a pseudo-terminal:
    (p50, p99) in ms over `enters` prompts, after a login."""
    t = Terminal(binary, work, env)
    try:
        t.read_until(rb"atende> ")
        t.type("login fabio receptivas\r")
        t.read_until(rb"[Pp]assword: ")
        t.type("bench-pass\r")
        t.read_until(PROMPT)
        for _ in range(20):
            t.type("\r")
            t.read_until(PROMPT)
        times = []
        for _ in range(enters):
            s = time.perf_counter()
            t.type("\r")
            t.read_until(PROMPT)
            times.append((time.perf_counter() - s) * 1000)
    finally:
        t.close()
    times.sort()
    return times[len(times) // 2], times[min(len(times) - 1, int(len(times) * 0.99))]


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def session_memory(binary, work, env, calls=10_000, step=1_000):
    """RSS (MiB) of one piped session at its start (logged in, `calls` and `status` run once) and
    after every `step` of `calls` simulated calls (incoming, answer, 30 s, hangup, qualify, the
    61 s that pass the wrap-up)."""
    p = subprocess.Popen(base_args(binary, work, SESSION_NOW), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True, env=env, bufsize=1)
    headers = threading.Semaphore(0)

    def drain():
        # Read everything, so the session never waits on a full pipe; count `status` headers.
        for line in p.stdout:
            if line.startswith("RECEPTIVAS - "):
                headers.release()

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()

    def settle():
        # `status` prints the agent's header line; once it is read, every earlier line has run.
        p.stdin.write("status\n")
        p.stdin.flush()
        if not headers.acquire(timeout=600):
            raise SystemExit("the session did not answer")

    p.stdin.write(LOGIN + "calls\n")
    settle()
    samples = [rss_kib(p.pid) / 1024]
    for i in range(calls):
        p.stdin.write(f"sim incoming 48{30000000 + i} Suporte\nanswer\nsim advance 30\nhangup\nqualify VENDA\nsim advance 61\n")
        if (i + 1) % step == 0:
            settle()
            samples.append(rss_kib(p.pid) / 1024)
    p.stdin.close()
    p.wait()
    reader.join()
    if p.returncode != 0:
        raise SystemExit(f"the session failed ({p.returncode})")
    return samples
