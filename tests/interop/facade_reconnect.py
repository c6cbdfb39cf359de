#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
"""Runs interop-facade-reconnect (facade_reconnect.cc) against the real ASMX service, and
against brightoffice-mock too when --mock is given.

    facade_reconnect.py --program BUILD/tests/interop/interop-facade-reconnect [--mock BUILD/brightoffice-mock]
"""

import sys
sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree

import argparse
import subprocess

import interop_lib as L


def start(program, endpoint):
    return subprocess.Popen([program, endpoint], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


def finish(proc, label, endpoint):
    try:
        out, err = proc.communicate(timeout=240)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    out = out.decode(errors="replace")
    L.log("-- %s (%s):" % (label, endpoint))
    for line in out.splitlines():
        L.log("   " + line)
    if err:
        L.log("   stderr: " + err.decode(errors="replace")[-2000:])
    return proc.returncode, out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--program", required=True)
    ap.add_argument("--mock")
    args = ap.parse_args()
    report = L.Report("one brightoffice::Client across faults, timeouts, connection closes and threads")
    # Both servers at once: the program spends most of its time waiting (timeouts, idle close).
    with L.start_asmx() as asmx:
        runs = [("the ASMX service", asmx.endpoint, start(args.program, asmx.endpoint))]
        mock = L.start_mock(args.mock) if args.mock else None
        try:
            if mock:
                runs.append(("brightoffice-mock", mock.endpoint, start(args.program, mock.endpoint)))
            for label, endpoint, proc in runs:
                rc, out = finish(proc, label, endpoint)
                report.check("facade program against %s: all its cases pass (exit 0, no FAIL line)" % label,
                             rc == 0 and "FAIL" not in out and " passed, 0 failed" in out, "exit %s" % rc)
        finally:
            for _, _, proc in runs:
                if proc.poll() is None:
                    proc.kill()
            if mock:
                mock.stop()
    return report.finish()


if __name__ == "__main__":
    L.main_guard(main)
