#!/usr/bin/python3
"""A network printer's raw ports for the lab (scripts/lab.sh campus).

PJL on TCP 9100: answers `@PJL INFO ID` with the quoted model line, as printers do, and
`@PJL INFO STATUS` with "Ready"; LPD on TCP 515: accepts and never answers. Every byte received
on a port is appended, raw and unchanged, to that port's log, so a test can prove what a scanner
sent. Bounded: at most 64 connections, 10 s idle, 1 MiB per connection, 4 KiB per PJL line.

    pjl.py --model "Brother MFC-L2710DW" [--pjl-log F] [--lpd-log F] [--ready F]
"""
import argparse
import os
import selectors
import socket
import time

MAX_CONNS, IDLE_SECONDS, MAX_BYTES, MAX_LINE = 64, 10.0, 1 << 20, 4096
UEL = b"\x1b%-12345X"


def listener(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", port))
    s.listen(64)
    s.setblocking(False)
    return s


def answers(line, model):
    """The reply to one PJL command line, or None."""
    command = line.replace(UEL, b"").strip().upper()
    if command.startswith(b"@PJL INFO ID"):
        return b'@PJL INFO ID\r\n"' + model + b'"\r\n\x0c'
    if command.startswith(b"@PJL INFO STATUS"):
        return b'@PJL INFO STATUS\r\nCODE=10001\r\nDISPLAY="Ready"\r\nONLINE=TRUE\r\n\x0c'
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True, help="the model line INFO ID answers")
    ap.add_argument("--pjl-log", help="serve PJL on 9100, logging every byte here")
    ap.add_argument("--lpd-log", help="listen on 515 (LPD), logging every byte here")
    ap.add_argument("--ready", help="file written once the ports listen")
    args = ap.parse_args()
    model = args.model.encode("utf-8")
    sel = selectors.DefaultSelector()
    for port, kind, log in ((9100, "pjl", args.pjl_log), (515, "lpd", args.lpd_log)):
        if log:
            fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            sel.register(listener(port), selectors.EVENT_READ, ("listen", kind, fd))
    if args.ready:
        with open(args.ready, "w") as f:
            f.write("%d\n" % os.getpid())
    conns = {}  # socket -> [kind, log fd, pending line bytes, bytes seen, deadline]
    while True:
        for key, _ in sel.select(timeout=1.0):
            role, kind, fd = key.data if key.data[0] == "listen" else ("conn", None, None)
            if role == "listen":
                try:
                    conn, _ = key.fileobj.accept()
                except OSError:
                    continue
                if len(conns) >= MAX_CONNS:
                    conn.close()
                    continue
                conn.setblocking(False)
                conns[conn] = [kind, fd, b"", 0, time.monotonic() + IDLE_SECONDS]
                sel.register(conn, selectors.EVENT_READ, ("conn",))
                continue
            conn = key.fileobj
            state = conns[conn]
            try:
                data = conn.recv(65536)
            except (BlockingIOError, InterruptedError):
                continue
            except OSError:
                data = b""
            if data:
                os.write(state[1], data)
                state[3] += len(data)
                state[4] = time.monotonic() + IDLE_SECONDS
                if state[0] == "pjl":
                    state[2] += data
                    while b"\n" in state[2]:
                        line, state[2] = state[2].split(b"\n", 1)
                        reply = answers(line, model)
                        if reply:
                            try:
                                conn.send(reply)
                            except OSError:
                                pass
                    if len(state[2]) > MAX_LINE:
                        state[2] = b""
            if not data or state[3] >= MAX_BYTES:
                sel.unregister(conn)
                conn.close()
                del conns[conn]
        now = time.monotonic()
        for conn in [c for c, s in conns.items() if s[4] < now]:
            sel.unregister(conn)
            conn.close()
            del conns[conn]


if __name__ == "__main__":
    main()
