#!/usr/bin/python3
"""A projector's PJLink class 1 control port (TCP 4352) for the lab (scripts/lab.sh campus).

Greets "PJLINK 0" (no authentication) and answers the class 1 queries (NAME, INF1 maker, INF2
model, INFO, CLSS, POWR, INPT, AVMT, ERST, LAMP, INST); any other command gets ERR1, a set
command ERR2 (read-only). Every byte received is appended, raw, to --log. Bounded: at most 16
connections, 30 s idle, 64 KiB per connection, 136 bytes per command (the PJLink maximum).

    pjlink.py --name "EB-2250U Room 101" --maker EPSON --model EB-2250U [--log F] [--ready F]
"""
import argparse
import os
import selectors
import socket
import time

MAX_CONNS, IDLE_SECONDS, MAX_BYTES, MAX_LINE = 16, 30.0, 1 << 16, 136


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--name", required=True)
    ap.add_argument("--maker", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--log")
    ap.add_argument("--ready")
    args = ap.parse_args()
    values = {
        "NAME": args.name, "INF1": args.maker, "INF2": args.model, "INFO": "Lamp 1234h",
        "CLSS": "1", "POWR": "1", "INPT": "31", "AVMT": "30", "ERST": "000000",
        "LAMP": "1234 1", "INST": "11 12 31 32 41 51",
    }
    log = os.open(args.log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644) if args.log else None
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("0.0.0.0", 4352))
    srv.listen(16)
    srv.setblocking(False)
    sel = selectors.DefaultSelector()
    sel.register(srv, selectors.EVENT_READ)
    if args.ready:
        with open(args.ready, "w") as f:
            f.write("%d\n" % os.getpid())
    conns = {}  # socket -> [pending bytes, bytes seen, deadline]

    def close(conn):
        sel.unregister(conn)
        conn.close()
        del conns[conn]

    def reply(line):
        text = line.decode("ascii", "replace").strip()
        if len(text) < 7 or text[0] != "%" or text[1] != "1":
            return ("%s%s=ERR1\r" % (text[:2], text[2:6])) if text.startswith("%") else None
        command, param = text[2:6].upper(), text[7:]
        if command not in values:
            return "%%1%s=ERR1\r" % command
        if param != "?":
            return "%%1%s=ERR2\r" % command
        return "%%1%s=%s\r" % (command, values[command])

    while True:
        for key, _ in sel.select(timeout=1.0):
            if key.fileobj is srv:
                try:
                    conn, _ = srv.accept()
                except OSError:
                    continue
                if len(conns) >= MAX_CONNS:
                    conn.close()
                    continue
                conn.setblocking(False)
                try:
                    conn.send(b"PJLINK 0\r")
                except OSError:
                    conn.close()
                    continue
                conns[conn] = [b"", 0, time.monotonic() + IDLE_SECONDS]
                sel.register(conn, selectors.EVENT_READ)
                continue
            conn = key.fileobj
            state = conns[conn]
            try:
                data = conn.recv(4096)
            except (BlockingIOError, InterruptedError):
                continue
            except OSError:
                data = b""
            if data:
                if log is not None:
                    os.write(log, data)
                state[1] += len(data)
                state[2] = time.monotonic() + IDLE_SECONDS
                state[0] += data
                while b"\r" in state[0]:
                    line, state[0] = state[0].split(b"\r", 1)
                    answer = reply(line)
                    if answer:
                        try:
                            conn.send(answer.encode("ascii", "replace"))
                        except OSError:
                            pass
                if len(state[0]) > MAX_LINE:
                    state[0] = b""
            if not data or state[1] >= MAX_BYTES:
                close(conn)
        now = time.monotonic()
        for conn in [c for c, s in conns.items() if s[2] < now]:
            close(conn)


if __name__ == "__main__":
    main()
