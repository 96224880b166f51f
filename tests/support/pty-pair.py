#!/usr/bin/env python3
"""Two pseudo-terminals joined back to back, like a null-modem cable (what `socat pty,raw,echo=0
pty,raw,echo=0` makes), for the flash tests (tests/support/rom-double.js openPtyPair).

Prints the two terminal paths, one per line, then copies every byte written to one terminal to the other,
until it is killed or its standard input closes (so it ends with the test process that started it). Both
terminals start raw (no echo, no line editing, no character translation); a program that opens one may change
its settings (speed, ...) as on a serial port. This process keeps both terminals open, so a side that closes
and reopens its terminal never hangs the pair up.
"""
import os
import pty
import select
import sys
import tty

CHUNK = 65536
HIGH_WATER = 1 << 20  # bytes queued for one side before we stop reading the other


def main():
    pairs = [pty.openpty() for _ in range(2)]
    for _, slave in pairs:
        tty.setraw(slave)
    masters = [master for master, _ in pairs]
    for m in masters:
        os.set_blocking(m, False)
    sys.stdout.write("".join(os.ttyname(slave) + "\n" for _, slave in pairs))
    sys.stdout.flush()
    pending = [bytearray(), bytearray()]  # bytes to write to masters[i]
    stdin = sys.stdin.fileno()
    while True:
        readers = [stdin] + [masters[i] for i in range(2) if len(pending[1 - i]) < HIGH_WATER]
        writers = [masters[i] for i in range(2) if pending[i]]
        readable, writable, _ = select.select(readers, writers, [])
        if stdin in readable and not os.read(stdin, CHUNK):
            return
        for i in range(2):
            if masters[i] in readable:
                try:
                    pending[1 - i] += os.read(masters[i], CHUNK)
                except (BlockingIOError, InterruptedError):
                    pass
            if masters[i] in writable:
                try:
                    del pending[i][:os.write(masters[i], pending[i])]
                except (BlockingIOError, InterruptedError):
                    pass


if __name__ == "__main__":
    main()
