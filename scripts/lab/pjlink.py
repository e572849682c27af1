#!/usr/bin/python3
"""A projector's PJLink class 1 control port (TCP 4352) for the lab (scripts/lab.sh campus).

Greets "PJLINK 0" (no authentication) and answers the class 1 queries (NAME, INF1 maker, INF2
model, INFO, CLSS, POWR, INPT, AVMT, ERST, LAMP, INST); any other command gets ERR1, a set
command ERR2 (read-only). Every byte received is appended, raw, to --log. Bounded: at most 16
connections, 30 s idle, 64 KiB per connection, 136 bytes per command (the PJLink maximum).

    pjlink.py --name "EB-2250U Room 101" --maker EPSON --model EB-2250U [--log F] [--ready F]
"""
import argparse

from lineserver import Port, serve


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

    def reply(line):
        text = line.decode("ascii", "replace").strip()
        if len(text) < 7 or text[0] != "%" or text[1] != "1":
            answer = ("%s%s=ERR1\r" % (text[:2], text[2:6])) if text.startswith("%") else None
        else:
            command, param = text[2:6].upper(), text[7:]
            if command not in values:
                answer = "%%1%s=ERR1\r" % command
            elif param != "?":
                answer = "%%1%s=ERR2\r" % command
            else:
                answer = "%%1%s=%s\r" % (command, values[command])
        return answer.encode("ascii", "replace") if answer else None

    port = Port(4352, args.log, greeting=b"PJLINK 0\r", separator=b"\r", reply=reply)
    serve([port], ready=args.ready, max_conns=16, idle=30.0, max_bytes=1 << 16, max_line=136)


if __name__ == "__main__":
    main()
