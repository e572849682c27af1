"""The lab's small TCP responders share this loop (scripts/lab/pjl.py, pjlink.py): listen on
some ports, append every byte received to that port's log (raw, unchanged: a test proves from
it what a scanner sent), split what arrives into lines and send each line's reply. Bounded:
connections, idle time, bytes per connection and line length all have limits.
"""
import os
import selectors
import socket
import time


class Port:
    """One listening port: its log (a file path or None), an optional greeting sent on connect,
    the line separator (None: never answer, only log) and reply(line) -> bytes or None."""

    def __init__(self, number, log=None, greeting=None, separator=None, reply=None):
        self.number, self.greeting, self.separator, self.reply = number, greeting, separator, reply
        self.log = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644) if log else None


def serve(ports, ready=None, max_conns=64, idle=10.0, max_bytes=1 << 20, max_line=4096):
    sel = selectors.DefaultSelector()
    for port in ports:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("0.0.0.0", port.number))
        s.listen(64)
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ, port)
    if ready:
        with open(ready, "w") as f:
            f.write("%d\n" % os.getpid())
    conns = {}  # socket -> [port, pending line bytes, bytes seen, deadline]

    def close(conn):
        sel.unregister(conn)
        conn.close()
        del conns[conn]

    def send(conn, data):
        try:
            conn.send(data)
            return True
        except OSError:
            return False

    while True:
        for key, _ in sel.select(timeout=1.0):
            if key.fileobj not in conns:  # a listening socket
                try:
                    conn, _ = key.fileobj.accept()
                except OSError:
                    continue
                port = key.data
                if len(conns) >= max_conns or (port.greeting and not send(conn, port.greeting)):
                    conn.close()
                    continue
                conn.setblocking(False)
                conns[conn] = [port, b"", 0, time.monotonic() + idle]
                sel.register(conn, selectors.EVENT_READ, None)
                continue
            conn = key.fileobj
            state = conns[conn]
            port = state[0]
            try:
                data = conn.recv(65536)
            except (BlockingIOError, InterruptedError):
                continue
            except OSError:
                data = b""
            if data:
                if port.log is not None:
                    os.write(port.log, data)
                state[2] += len(data)
                state[3] = time.monotonic() + idle
                if port.separator:
                    state[1] += data
                    while port.separator in state[1]:
                        line, state[1] = state[1].split(port.separator, 1)
                        answer = port.reply(line)
                        if answer:
                            send(conn, answer)
                    if len(state[1]) > max_line:
                        state[1] = b""
            if not data or state[2] >= max_bytes:
                close(conn)
        now = time.monotonic()
        for conn in [c for c, s in conns.items() if s[3] < now]:
            close(conn)
