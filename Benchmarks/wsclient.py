"""A minimal RFC 6455 WebSocket client over asyncio streams (text frames, client masking).

Only what the server benchmark needs, so it runs on a stock Python 3 with no package installed.
"""
import asyncio, base64, json, os, struct


class WebSocket:
    def __init__(self, reader, writer):
        self.reader, self.writer = reader, writer

    @classmethod
    async def connect(cls, host, port, path, headers=None, limit=1 << 24):
        reader, writer = await asyncio.open_connection(host, port, limit=limit)
        key = base64.b64encode(os.urandom(16)).decode()
        lines = [f"GET {path} HTTP/1.1", f"Host: {host}:{port}", "Upgrade: websocket", "Connection: Upgrade",
                 f"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
        status = await reader.readline()
        if b" 101 " not in status:
            rest = await reader.read(4096)
            writer.close()
            raise ConnectionError(f"upgrade refused: {status!r} {rest[:300]!r}")
        while (await reader.readline()) not in (b"\r\n", b""):
            pass
        return cls(reader, writer)

    def send_text(self, text):
        payload = text.encode()
        n = len(payload)
        head = bytearray([0x81])
        if n < 126:
            head.append(0x80 | n)
        elif n < 65536:
            head.append(0x80 | 126); head += struct.pack("!H", n)
        else:
            head.append(0x80 | 127); head += struct.pack("!Q", n)
        mask = os.urandom(4)
        head += mask
        # Masking by int XOR is much faster than a byte loop in Python.
        m = int.from_bytes((mask * (n // 4 + 1))[:n], "big") if n else 0
        body = (int.from_bytes(payload, "big") ^ m).to_bytes(n, "big") if n else b""
        self.writer.write(bytes(head) + body)

    def send_json(self, obj):
        self.send_text(json.dumps(obj, separators=(",", ":")))

    async def recv(self):
        """The next text message (str), or None when the connection closes.

        Frames are parsed from a buffer filled by large reads, so a burst of small messages
        costs one read, not three awaits each."""
        buf = self.__dict__.setdefault("_buf", bytearray())
        parts = []
        while True:
            frame = self._frame(buf)
            if frame is None:
                try:
                    chunk = await self.reader.read(1 << 16)
                except ConnectionError:
                    return None
                if not chunk:
                    return None
                buf += chunk
                continue
            b0, data = frame
            op = b0 & 0x0F
            if op == 0x8:
                return None
            if op == 0x9:  # ping: answer pong
                self._control(0xA, data)
                continue
            if op == 0xA:
                continue
            parts.append(data)
            if b0 & 0x80:
                return b"".join(parts).decode()

    @staticmethod
    def _frame(buf):
        """(first byte, payload) of the frame at the start of `buf`, taken out of it; None if incomplete."""
        if len(buf) < 2:
            return None
        b0, b1 = buf[0], buf[1]
        n, at = b1 & 0x7F, 2
        if n == 126:
            if len(buf) < 4:
                return None
            n, at = struct.unpack_from("!H", buf, 2)[0], 4
        elif n == 127:
            if len(buf) < 10:
                return None
            n, at = struct.unpack_from("!Q", buf, 2)[0], 10
        mask = None
        if b1 & 0x80:
            if len(buf) < at + 4:
                return None
            mask, at = bytes(buf[at:at + 4]), at + 4
        if len(buf) < at + n:
            return None
        data = bytes(buf[at:at + n])
        del buf[:at + n]
        if mask:
            data = bytes(c ^ mask[i % 4] for i, c in enumerate(data))
        return b0, data

    def _control(self, op, data):
        mask = os.urandom(4)
        self.writer.write(bytes([0x80 | op, 0x80 | len(data)]) + mask + bytes(c ^ mask[i % 4] for i, c in enumerate(data)))

    async def close(self):
        try:
            self._control(0x8, struct.pack("!H", 1000))
            await self.writer.drain()
            self.writer.close()
        except Exception:
            pass
