#!/usr/bin/env python3
"""Run a command on a new pseudo-terminal, as a user's terminal runs it, for tests of interactive programs
(tests/xsnet-repl.test.js). Copies our standard input to the terminal (what the user types) and the terminal's
output to our standard output, byte for byte. Exits with the command's status when it ends; when our standard
input closes, the command gets a hang-up (SIGHUP), as when a terminal window closes.

usage: pty-run.py <command> [args...]
"""
import os
import pty
import select
import signal
import sys


def main():
    pid, master = pty.fork()
    if pid == 0:
        os.execvp(sys.argv[1], sys.argv[1:])
    stdin = sys.stdin.fileno()
    stdout = sys.stdout.fileno()
    readers = [stdin, master]
    while True:
        readable, _, _ = select.select(readers, [], [])
        if stdin in readable:
            data = os.read(stdin, 65536)
            if not data:
                readers.remove(stdin)
                os.kill(pid, signal.SIGHUP)
            else:
                os.write(master, data)
        if master in readable:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the command closed the terminal
                data = b""
            if not data:
                break
            os.write(stdout, data)
    _, status = os.waitpid(pid, 0)
    sys.exit(os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))


if __name__ == "__main__":
    main()
