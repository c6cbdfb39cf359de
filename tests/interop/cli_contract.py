#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
"""brightoffice-mfa against the real ASMX service: every row of the test contract, SOAP 1.1 and 1.2,
for both operations (`confirm`: ConfirmCustomerUserMFA, `send-reset`: CustomerUserSendResetPassword).

    cli_contract.py --cli BUILD/brightoffice-mfa [--mock BUILD/brightoffice-mock]

Starts the ASMX service (tests/interop/asmx/start.sh) on a free port, runs every case over both
SOAP versions and checks exit status and the --json output. With --mock, runs the same cases
against brightoffice-mock too (the same checks apply) and prints a NOTE for every output that
differs between the two servers. Also imported by regenerate.py, which runs the same cases
with a brightoffice-mfa built from bindings regenerated from the ASMX service's own WSDL.
"""

import sys
sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree

import argparse
import concurrent.futures
import json
import os
import subprocess
import time

import interop_lib as L

BASE_ENV_DROP = ("BRIGHTOFFICE_USERNAME", "BRIGHTOFFICE_PASSWORD", "BRIGHTOFFICE_NEW_PASSWORD",
                 "BRIGHTOFFICE_TEMPORARY_PASSWORD", "BRIGHTOFFICE_CUSTOMER_PASSWORD",
                 "BRIGHTOFFICE_MFA_CODE", "BRIGHTOFFICE_ENDPOINT")


def confirmed(email, guid=L.NIL_GUID, newpw="no", tmppw="no"):
    return "MFA confirmed for %s (%s) newpw=%s tmppw=%s" % (email, guid, newpw, tmppw)


def sent(email, guid=L.NIL_GUID, newpw="no", tmppw="no"):
    return "Reset password sent to %s (%s) newpw=%s tmppw=%s" % (email, guid, newpw, tmppw)


# Each case: the CLI's arguments and environment, and what the contract says comes back.
# exit 0/3 with code+message: a delivered result; "fault": the boom row; "timeout": slow + --timeout 1.
CASES = [
    dict(name="wrong API password -> LOGINERROR", email="jane@example.com", mfa="123456",
         env={"BRIGHTOFFICE_PASSWORD": "wrong"}, exit=3, code="LOGINERROR", message="Invalid API credentials"),
    dict(name="wrong API user -> LOGINERROR", email="jane@example.com", mfa="123456",
         env={"BRIGHTOFFICE_USERNAME": "someone-else"}, exit=3, code="LOGINERROR", message="Invalid API credentials"),
    dict(name="credentials are checked before the email (row order)", email="", mfa="boom",
         env={"BRIGHTOFFICE_PASSWORD": "wrong"}, exit=3, code="LOGINERROR", message="Invalid API credentials"),
    dict(name="empty email -> PARAMETERERROR", email="", mfa="123456",
         exit=3, code="PARAMETERERROR", message="Email is required"),
    dict(name="missing@example.com -> MISSINGRECORD", email="missing@example.com", mfa="123456",
         exit=3, code="MISSINGRECORD", message="Customer user not found"),
    dict(name="MISSINGRECORD comes before the boom row (row order)", email="missing@example.com", mfa="boom",
         exit=3, code="MISSINGRECORD", message="Customer user not found"),
    dict(name="MFACode boom -> SOAP fault, HTTP 500, exit 4", email="jane@example.com", mfa="boom", fault=True),
    dict(name="a new process after the fault works", email="jane@example.com", mfa="123456", id=L.GUID,
         exit=0, code="SUCCESS", message=confirmed("jane@example.com", L.GUID)),
    dict(name="123456 without --id -> SUCCESS with the nil guid", email="jane@example.com", mfa="123456",
         exit=0, code="SUCCESS", message=confirmed("jane@example.com")),
    dict(name="upper-case braced --id -> SUCCESS, id lower-case hyphenated",
         email="jane@example.com", mfa="123456", id="{3F2504E0-4F89-11D3-9A0C-0305E82C3301}",
         exit=0, code="SUCCESS", message=confirmed("jane@example.com", L.GUID)),
    dict(name="NewPassword set, TemporaryPassword empty -> newpw=yes tmppw=empty", email="jane@example.com",
         mfa="123456", id=L.GUID, env={"BRIGHTOFFICE_NEW_PASSWORD": "N3w-pass<&>", "BRIGHTOFFICE_TEMPORARY_PASSWORD": ""},
         exit=0, code="SUCCESS", message=confirmed("jane@example.com", L.GUID, "yes", "empty")),
    dict(name="NewPassword empty, TemporaryPassword and customer Password set -> newpw=empty tmppw=yes",
         email="jane@example.com", mfa="123456", id=L.GUID,
         env={"BRIGHTOFFICE_NEW_PASSWORD": "", "BRIGHTOFFICE_TEMPORARY_PASSWORD": "tmp-1",
              "BRIGHTOFFICE_CUSTOMER_PASSWORD": "old-1"},
         exit=0, code="SUCCESS", message=confirmed("jane@example.com", L.GUID, "empty", "yes")),
    dict(name="MFA code from BRIGHTOFFICE_MFA_CODE -> SUCCESS", email="jane@example.com", mfa=None,
         env={"BRIGHTOFFICE_MFA_CODE": "123456"}, exit=0, code="SUCCESS", message=confirmed("jane@example.com")),
    dict(name="no MFA code at all -> OTHER", email="jane@example.com", mfa=None,
         exit=3, code="OTHER", message="Invalid MFA code"),
    dict(name="other MFA code -> OTHER", email="jane@example.com", mfa="654321",
         exit=3, code="OTHER", message="Invalid MFA code"),
    dict(name="email with XML markup characters crosses intact", email="o'brien&<co>@example.com", mfa="123456",
         exit=0, code="SUCCESS", message=confirmed("o'brien&<co>@example.com")),
    dict(name="non-ASCII email (UTF-8) crosses intact", email="zo\u00eb.\u00e5ngstr\u00f6m@\u00e9xample.com",
         mfa="123456", exit=0, code="SUCCESS", message=confirmed("zo\u00eb.\u00e5ngstr\u00f6m@\u00e9xample.com")),
]
# `brightoffice-mfa send-reset` (CustomerUserSendResetPassword): the same rows, its own success
# row; its MFACode comes only from BRIGHTOFFICE_MFA_CODE (there is no --mfa-code).
SEND_RESET = "send-reset: "
CASES += [
    dict(command="send-reset", name=SEND_RESET + "wrong API password -> LOGINERROR", email="jane@example.com",
         env={"BRIGHTOFFICE_PASSWORD": "wrong"}, exit=3, code="LOGINERROR", message="Invalid API credentials"),
    dict(command="send-reset", name=SEND_RESET + "credentials are checked before the email (row order)", email="",
         env={"BRIGHTOFFICE_USERNAME": "someone-else", "BRIGHTOFFICE_MFA_CODE": "boom"},
         exit=3, code="LOGINERROR", message="Invalid API credentials"),
    dict(command="send-reset", name=SEND_RESET + "empty email -> PARAMETERERROR", email="",
         exit=3, code="PARAMETERERROR", message="Email is required"),
    dict(command="send-reset", name=SEND_RESET + "missing@example.com -> MISSINGRECORD", email="missing@example.com",
         env={"BRIGHTOFFICE_MFA_CODE": "boom"}, exit=3, code="MISSINGRECORD", message="Customer user not found"),
    dict(command="send-reset", name=SEND_RESET + "MFACode boom (from the environment) -> SOAP fault, HTTP 500, exit 4",
         email="jane@example.com", env={"BRIGHTOFFICE_MFA_CODE": "boom"}, fault=True),
    dict(command="send-reset", name=SEND_RESET + "no MFA code -> SUCCESS with the nil guid", email="jane@example.com",
         exit=0, code="SUCCESS", message=sent("jane@example.com")),
    dict(command="send-reset", name=SEND_RESET + "any MFA code -> SUCCESS", email="jane@example.com", id=L.GUID,
         env={"BRIGHTOFFICE_MFA_CODE": "654321"}, exit=0, code="SUCCESS", message=sent("jane@example.com", L.GUID)),
    dict(command="send-reset", name=SEND_RESET + "upper-case braced --id -> SUCCESS, id lower-case hyphenated",
         email="jane@example.com", id="{3F2504E0-4F89-11D3-9A0C-0305E82C3301}",
         exit=0, code="SUCCESS", message=sent("jane@example.com", L.GUID)),
    dict(command="send-reset", name=SEND_RESET + "NewPassword set, TemporaryPassword empty -> newpw=yes tmppw=empty",
         email="jane@example.com", id=L.GUID,
         env={"BRIGHTOFFICE_NEW_PASSWORD": "N3w-pass<&>", "BRIGHTOFFICE_TEMPORARY_PASSWORD": ""},
         exit=0, code="SUCCESS", message=sent("jane@example.com", L.GUID, "yes", "empty")),
    dict(command="send-reset", name=SEND_RESET + "NewPassword empty, TemporaryPassword set -> newpw=empty tmppw=yes",
         email="jane@example.com", env={"BRIGHTOFFICE_NEW_PASSWORD": "", "BRIGHTOFFICE_TEMPORARY_PASSWORD": "tmp-1",
                                        "BRIGHTOFFICE_CUSTOMER_PASSWORD": "old-1"},
         exit=0, code="SUCCESS", message=sent("jane@example.com", L.NIL_GUID, "empty", "yes")),
    dict(command="send-reset", name=SEND_RESET + "email with XML markup and non-ASCII characters crosses intact",
         email="zo\u00eb.o'brien&<co>@\u00e9xample.com", exit=0, code="SUCCESS",
         message=sent("zo\u00eb.o'brien&<co>@\u00e9xample.com")),
]
SLOW_CASES = [
    dict(name="MFACode slow with --timeout 1 -> timeout, exit 4, back in < 2 s", email="jane@example.com",
         mfa="slow", timeout="1", timeout_case=True),
    dict(name="MFACode slow -> SUCCESS after about 5 s", email="jane@example.com", mfa="slow", id=L.GUID,
         exit=0, code="SUCCESS", message=confirmed("jane@example.com", L.GUID), min_seconds=4.5),
    dict(command="send-reset", name=SEND_RESET + "MFACode slow with --timeout 1 -> timeout, exit 4, back in < 2 s",
         email="jane@example.com", env={"BRIGHTOFFICE_MFA_CODE": "slow"}, timeout="1", timeout_case=True),
    dict(command="send-reset", name=SEND_RESET + "MFACode slow -> SUCCESS after about 5 s", email="jane@example.com",
         id=L.GUID, env={"BRIGHTOFFICE_MFA_CODE": "slow"}, exit=0, code="SUCCESS",
         message=sent("jane@example.com", L.GUID), min_seconds=4.5),
]


def run_cli(cli, endpoint, soap, case):
    argv = [cli, case.get("command", "confirm"), "--endpoint", endpoint, "--email", case["email"], "--soap", soap,
            "--json"]
    if case.get("id"):
        argv += ["--id", case["id"]]
    if case.get("mfa") is not None:
        argv += ["--mfa-code", case["mfa"]]
    if case.get("timeout"):
        argv += ["--timeout", case["timeout"]]
    env = {k: v for k, v in os.environ.items() if k not in BASE_ENV_DROP}
    env["BRIGHTOFFICE_USERNAME"] = "api-user"
    env["BRIGHTOFFICE_PASSWORD"] = "api-secret"
    env.update(case.get("env", {}))
    start = time.monotonic()
    p = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
    took = time.monotonic() - start
    out = p.stdout.decode("utf-8", errors="replace")
    err = p.stderr.decode("utf-8", errors="replace")
    lines = out.splitlines()
    try:
        obj = json.loads(lines[0]) if len(lines) == 1 else None
    except ValueError:
        obj = None
    return dict(rc=p.returncode, obj=obj, stdout=out, stderr=err, took=took)


def judge(case, soap, r):
    """Returns (ok, detail) for one run of a case."""
    obj = r["obj"]
    what = "exit %d after %.2f s, stdout %r, stderr %r" % (r["rc"], r["took"], r["stdout"][:600], r["stderr"][:300])
    if obj is None:
        return False, "stdout is not exactly one JSON line: " + what
    if case.get("fault"):
        e = obj.get("error") or {}
        fs = obj.get("faultString") or ""
        want_code = "Server" if soap == "1.1" else "Receiver"
        ok = (r["rc"] == 4 and e.get("kind") == "soap_fault" and obj.get("httpStatus") == 500
              and "Simulated server failure (MFACode=***)" in fs
              and "boom" not in r["stdout"] and "boom" not in r["stderr"]
              and str(obj.get("faultCode", "")).split(":")[-1] == want_code)
        return ok, "want exit 4, soap_fault, httpStatus 500, faultCode *:%s, faultString with " \
                   "'Simulated server failure (MFACode=***)' and no 'boom' anywhere; got %s" % (want_code, what)
    if case.get("timeout_case"):
        e = obj.get("error") or {}
        ok = r["rc"] == 4 and e.get("kind") == "timeout" and r["took"] < 2.0
        return ok, "want exit 4, kind timeout, < 2 s; got " + what
    ok = (r["rc"] == case["exit"] and obj.get("successCode") == case["code"] and obj.get("message") == case["message"]
          and obj.get("exceptionMessage") == "" and obj.get("isSystemError") is False
          and r["took"] >= case.get("min_seconds", 0))
    return ok, "want exit %d, %s %r, exceptionMessage '', isSystemError false%s; got %s" % (
        case["exit"], case["code"], case["message"],
        (", after >= %.1f s" % case["min_seconds"]) if "min_seconds" in case else "", what)


def run_cases(report, cli, endpoint, label):
    """Runs every case over SOAP 1.1 and 1.2 against one endpoint; returns {(soap, name): result}."""
    results = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        # The slow rows run in the background while the others run one after the other.
        slow = {(soap, c["name"]): (c, pool.submit(run_cli, cli, endpoint, soap, c))
                for soap in ("1.1", "1.2") for c in SLOW_CASES}
        for soap in ("1.1", "1.2"):
            for c in CASES:
                r = run_cli(cli, endpoint, soap, c)
                ok, detail = judge(c, soap, r)
                report.check("%s SOAP %s: %s" % (label, soap, c["name"]), ok, detail)
                results[(soap, c["name"])] = r
        for (soap, name), (c, fut) in slow.items():
            r = fut.result()
            ok, detail = judge(c, soap, r)
            report.check("%s SOAP %s: %s" % (label, soap, name), ok, detail)
            results[(soap, name)] = r
    return results


def compare(report, asmx, mock):
    """NOTEs for every case whose CLI output differs between the ASMX service and the mock."""
    for key in asmx:
        a, m = asmx[key], mock.get(key)
        if m is None:
            continue
        if a["obj"] != m["obj"] or a["rc"] != m["rc"]:
            report.note("SOAP %s '%s': ASMX gave exit %d %s; mock gave exit %d %s"
                        % (key[0], key[1], a["rc"], json.dumps(a["obj"], ensure_ascii=False),
                           m["rc"], json.dumps(m["obj"], ensure_ascii=False)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--mock")
    args = ap.parse_args()
    report = L.Report("brightoffice-mfa against the real ASMX service (Mono System.Web.Services)")
    with L.start_asmx() as asmx:
        asmx_results = run_cases(report, args.cli, asmx.endpoint, "ASMX")
    if args.mock:
        with L.start_mock(args.mock) as mock:
            mock_results = run_cases(report, args.cli, mock.endpoint, "mock")
        compare(report, asmx_results, mock_results)
    return report.finish()


if __name__ == "__main__":
    L.main_guard(main)
