#!/usr/bin/python3
"""Open TCP ports for the lab's bulk namespaces (scripts/lab.sh many): listens on 0.0.0.0 on
each PORT with a large backlog, so every address of the namespace shows them open to a SYN or
connect scan; accepted connections are closed at once, nothing is read or sent.

    listen.py [--ready FILE] PORT...
"""
import argparse
import os
import selectors
import socket


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ready")
    ap.add_argument("ports", nargs="+", type=int)
    args = ap.parse_args()
    sel = selectors.DefaultSelector()
    for port in args.ports:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("0.0.0.0", port))
        s.listen(4096)
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ)
    if args.ready:
        with open(args.ready, "w") as f:
            f.write("%d\n" % os.getpid())
    while True:
        for key, _ in sel.select():
            for _ in range(256):  # drain a bounded batch per wakeup
                try:
                    conn, _ = key.fileobj.accept()
                except OSError:
                    break
                conn.close()


if __name__ == "__main__":
    main()
