#!/usr/bin/python3
"""A network printer's raw ports for the lab (scripts/lab.sh campus).

PJL on TCP 9100: answers `@PJL INFO ID` with the quoted model line, as printers do, and
`@PJL INFO STATUS` with "Ready"; LPD on TCP 515: accepts and never answers. Every byte received
on a port is appended, raw and unchanged, to that port's log, so a test can prove what a scanner
sent. Bounded: at most 64 connections, 10 s idle, 1 MiB per connection, 4 KiB per PJL line.

    pjl.py --model "Brother MFC-L2710DW" [--pjl-log F] [--lpd-log F] [--ready F]
"""
import argparse

from lineserver import Port, serve

UEL = b"\x1b%-12345X"


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
    ports = []
    if args.pjl_log:
        ports.append(Port(9100, args.pjl_log, separator=b"\n", reply=lambda line: answers(line, model)))
    if args.lpd_log:
        ports.append(Port(515, args.lpd_log))  # accepts, logs, never answers
    serve(ports, ready=args.ready, max_conns=64, idle=10.0, max_bytes=1 << 20, max_line=4096)


if __name__ == "__main__":
    main()
