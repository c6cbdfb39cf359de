#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
"""Starts the real ASMX service, runs a command against it, stops the service.

    with_asmx.py -- COMMAND ARGS...      ({endpoint} in ARGS is replaced by the service's URL)

Exits with the command's status (1 when the service cannot start).
"""

import sys
sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree

import subprocess

import interop_lib as L


def main():
    argv = sys.argv[1:]
    if argv[:1] == ["--"]:
        argv = argv[1:]
    if not argv:
        L.log("usage: with_asmx.py -- COMMAND ARGS... ({endpoint} is replaced)")
        return 2
    with L.start_asmx() as asmx:
        cmd = [a.replace("{endpoint}", asmx.endpoint) for a in argv]
        L.log("$ " + " ".join(cmd))
        return subprocess.run(cmd, stdin=subprocess.DEVNULL, timeout=600).returncode


if __name__ == "__main__":
    L.main_guard(main)
