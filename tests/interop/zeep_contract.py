#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
"""zeep (Debian's python3-zeep) as an independent SOAP client: every contract row over the
SOAP 1.1 and SOAP 1.2 bindings, for ConfirmCustomerUserMFA and CustomerUserSendResetPassword.

    zeep_contract.py --wsdl SOURCE_DIR/wsdl/BrightOfficeAPI.wsdl --mock BUILD/brightoffice-mock
    zeep_contract.py --wsdl SOURCE_DIR/wsdl/BrightOfficeAPI.wsdl --asmx

zeep loads the project's WSDL and picks the binding by service and port name (BrightOfficeAPI /
BrightOfficeAPISoap or BrightOfficeAPISoap12); the address is the local server's, never the
WSDL's. With --asmx the same cases run against the real ASMX service, first through the
project's WSDL and then through the WSDL the service publishes itself.
"""

import sys
sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree

import argparse
import concurrent.futures
import time

import requests
import zeep
import zeep.exceptions
from zeep.plugins import HistoryPlugin
from zeep.transports import Transport

import interop_lib as L

TNS = "{http://tempuri.org/}"
CRED = {"Username": "api-user", "Password": "api-secret"}
PORTS = (("BrightOfficeAPISoap", "1.1", "text/xml", "Server"),
         ("BrightOfficeAPISoap12", "1.2", "application/soap+xml", "Receiver"))


def confirmed(email, guid=L.NIL_GUID, newpw="no", tmppw="no"):
    return "MFA confirmed for %s (%s) newpw=%s tmppw=%s" % (email, guid, newpw, tmppw)


def sent(email, guid=L.NIL_GUID, newpw="no", tmppw="no"):
    return "Reset password sent to %s (%s) newpw=%s tmppw=%s" % (email, guid, newpw, tmppw)


def customer(email="jane@example.com", mfa="123456", guid=L.NIL_GUID, **extra):
    c = {"Id": guid}
    if email is not None:
        c["Email"] = email
    if mfa is not None:
        c["MFACode"] = mfa
    c.update(extra)
    return c


# (name, call arguments, expected): expected is (SuccessCode, Message) or "fault".
CASES = [
    ("no UserInfo -> LOGINERROR", dict(CustomerInfo=customer()), ("LOGINERROR", "Invalid API credentials")),
    ("empty request element -> LOGINERROR", dict(), ("LOGINERROR", "Invalid API credentials")),
    ("wrong password -> LOGINERROR", dict(CustomerInfo=customer(), UserInfo={"Username": "api-user", "Password": "nope"}),
     ("LOGINERROR", "Invalid API credentials")),
    ("UserInfo without Password -> LOGINERROR", dict(CustomerInfo=customer(), UserInfo={"Username": "api-user"}),
     ("LOGINERROR", "Invalid API credentials")),
    ("no CustomerInfo -> PARAMETERERROR", dict(UserInfo=CRED), ("PARAMETERERROR", "Email is required")),
    ("Email absent -> PARAMETERERROR", dict(CustomerInfo=customer(email=None), UserInfo=CRED),
     ("PARAMETERERROR", "Email is required")),
    ("Email empty -> PARAMETERERROR", dict(CustomerInfo=customer(email=""), UserInfo=CRED),
     ("PARAMETERERROR", "Email is required")),
    ("missing@example.com -> MISSINGRECORD", dict(CustomerInfo=customer("missing@example.com"), UserInfo=CRED),
     ("MISSINGRECORD", "Customer user not found")),
    ("MFACode boom -> SOAP fault", dict(CustomerInfo=customer(mfa="boom"), UserInfo=CRED), "fault"),
    ("after the fault -> SUCCESS", dict(CustomerInfo=customer(), UserInfo=CRED), ("SUCCESS", confirmed("jane@example.com"))),
    ("123456, upper-case Id, NewPassword set -> SUCCESS newpw=yes tmppw=no",
     dict(CustomerInfo=customer(guid=L.GUID.upper(), NewPassword="n3w<&>"), UserInfo=CRED),
     ("SUCCESS", confirmed("jane@example.com", L.GUID, "yes", "no"))),
    ("123456, TemporaryPassword empty, Password set -> SUCCESS newpw=no tmppw=empty",
     dict(CustomerInfo=customer(guid=L.GUID, TemporaryPassword="", Password="old"), UserInfo=CRED),
     ("SUCCESS", confirmed("jane@example.com", L.GUID, "no", "empty"))),
    ("non-ASCII email -> SUCCESS, echoed intact",
     dict(CustomerInfo=customer("zo\u00eb@\u00e9xample.com"), UserInfo=CRED), ("SUCCESS", confirmed("zo\u00eb@\u00e9xample.com"))),
    ("other MFACode -> OTHER", dict(CustomerInfo=customer(mfa="000000"), UserInfo=CRED), ("OTHER", "Invalid MFA code")),
    ("MFACode absent -> OTHER", dict(CustomerInfo=customer(mfa=None), UserInfo=CRED), ("OTHER", "Invalid MFA code")),
]
CONFIRM = "ConfirmCustomerUserMFA"
SEND_RESET = "CustomerUserSendResetPassword"
# CustomerUserSendResetPassword: the same rows up to its own success row (any MFACode).
SEND_RESET_CASES = [
    ("no UserInfo -> LOGINERROR", dict(CustomerInfo=customer()), ("LOGINERROR", "Invalid API credentials")),
    ("wrong password -> LOGINERROR", dict(CustomerInfo=customer(mfa="boom"), UserInfo={"Username": "api-user", "Password": "x"}),
     ("LOGINERROR", "Invalid API credentials")),
    ("no CustomerInfo -> PARAMETERERROR", dict(UserInfo=CRED), ("PARAMETERERROR", "Email is required")),
    ("Email empty -> PARAMETERERROR", dict(CustomerInfo=customer(email=""), UserInfo=CRED),
     ("PARAMETERERROR", "Email is required")),
    ("missing@example.com -> MISSINGRECORD", dict(CustomerInfo=customer("missing@example.com", mfa="boom"), UserInfo=CRED),
     ("MISSINGRECORD", "Customer user not found")),
    ("MFACode boom -> SOAP fault", dict(CustomerInfo=customer(mfa="boom"), UserInfo=CRED), "fault"),
    ("after the fault, MFACode absent -> SUCCESS", dict(CustomerInfo=customer(mfa=None), UserInfo=CRED),
     ("SUCCESS", sent("jane@example.com"))),
    ("any MFACode, upper-case Id, NewPassword set -> SUCCESS newpw=yes tmppw=no",
     dict(CustomerInfo=customer(mfa="000000", guid=L.GUID.upper(), NewPassword="n3w<&>"), UserInfo=CRED),
     ("SUCCESS", sent("jane@example.com", L.GUID, "yes", "no"))),
    ("TemporaryPassword empty -> SUCCESS newpw=no tmppw=empty",
     dict(CustomerInfo=customer(guid=L.GUID, TemporaryPassword=""), UserInfo=CRED),
     ("SUCCESS", sent("jane@example.com", L.GUID, "no", "empty"))),
    ("non-ASCII email -> SUCCESS, echoed intact",
     dict(CustomerInfo=customer("zo\u00eb@\u00e9xample.com"), UserInfo=CRED), ("SUCCESS", sent("zo\u00eb@\u00e9xample.com"))),
]
OPERATIONS = [(CONFIRM, CASES, ("MFACode slow -> SUCCESS after about 5 s",
                                dict(CustomerInfo=customer(mfa="slow", guid=L.GUID), UserInfo=CRED),
                                ("SUCCESS", confirmed("jane@example.com", L.GUID)))),
              (SEND_RESET, SEND_RESET_CASES, ("MFACode slow -> SUCCESS after about 5 s",
                                              dict(CustomerInfo=customer(mfa="slow", guid=L.GUID), UserInfo=CRED),
                                              ("SUCCESS", sent("jane@example.com", L.GUID))))]


def make_service(wsdl, port, endpoint):
    session = requests.Session()
    session.trust_env = False  # loopback only, no proxy, no REQUESTS_CA_BUNDLE games
    history = HistoryPlugin()
    client = zeep.Client(wsdl, transport=Transport(session=session, timeout=30, operation_timeout=30),
                         plugins=[history])
    binding = client.wsdl.services["BrightOfficeAPI"].ports[port].binding
    return client.create_service(binding.name, endpoint), history, binding


def call(service, history, op, kwargs):
    start = time.monotonic()
    try:
        result = getattr(service, op)(**kwargs)
        return dict(result=result, took=time.monotonic() - start, history=history.last_received)
    except zeep.exceptions.Fault as f:
        return dict(fault=f, took=time.monotonic() - start)
    except Exception as e:  # transport or parse error
        return dict(error=e, took=time.monotonic() - start)


def judge(op, expected, r, fault_code):
    if expected == "fault":
        f = r.get("fault")
        if f is None:
            return False, "want a SOAP fault, got %r" % (r,)
        message = f.message or ""
        ok = (message in ("Simulated server failure (MFACode=boom)",
                          L.ASMX_FAULT_PREFIX + "Simulated server failure (MFACode=boom)")
              and str(f.code).split(":")[-1] == fault_code)
        return ok, "want fault code *:%s and 'Simulated server failure (MFACode=boom)', got code %r message %r" % (
            fault_code, f.code, message)
    res = r.get("result")
    if res is None:
        return False, "want %r, got %r" % (expected, r)
    exc_ok = res.ExceptionMessage in (None, "")  # zeep reads <ExceptionMessage/> as None
    raw_ok = False
    received = r.get("history")
    if received is not None:
        env = received["envelope"]
        el = env.find(".//" + TNS + op + "Result/" + TNS + "ExceptionMessage")
        raw_ok = el is not None and not (el.text or "")  # present and empty on the wire, in <op>Result
    ok = (res.SuccessCode == expected[0] and res.Message == expected[1] and exc_ok and raw_ok
          and res.IsSystemError is False)
    return ok, "want %s %r with an empty ExceptionMessage element in %sResult and IsSystemError false; got %r (raw " \
               "ExceptionMessage present and empty: %s)" % (expected[0], expected[1], op, dict(res.__values__), raw_ok)


def run_all(report, wsdl, endpoint, label, results):
    for port, version, ctype, fault_code in PORTS:
        service, history, binding = make_service(wsdl, port, endpoint)
        report.check("%s %s: zeep picked a SOAP %s binding for port %s" % (label, port, version, port),
                     type(binding).__name__ == ("Soap11Binding" if version == "1.1" else "Soap12Binding"),
                     type(binding).__name__)
        with concurrent.futures.ThreadPoolExecutor(max_workers=len(OPERATIONS)) as pool:
            # The slow row of each operation runs in the background while the others run.
            slow = []
            for op, _, slow_case in OPERATIONS:
                slow_service, slow_history, _ = make_service(wsdl, port, endpoint)
                slow.append((op, slow_case, pool.submit(call, slow_service, slow_history, op, slow_case[1])))
            for op, cases, _ in OPERATIONS:
                for name, kwargs, expected in cases:
                    r = call(service, history, op, kwargs)
                    ok, detail = judge(op, expected, r, fault_code)
                    report.check("%s %s %s: %s" % (label, port, op, name), ok, detail)
                    results[(op, port, name)] = r
                    if name.startswith("after the fault"):
                        check_content_type(report, "%s %s %s" % (label, port, op), label, history, ctype)
            for op, slow_case, future in slow:
                r = future.result()
                ok, detail = judge(op, slow_case[2], r, fault_code)
                report.check("%s %s %s: %s" % (label, port, op, slow_case[0]), ok and r["took"] >= 4.5,
                             detail + " after %.2f s" % r["took"])


def check_content_type(report, what, label, history, ctype):
    headers = history.last_received["http_headers"] if history.last_received else {}
    got = headers.get("Content-Type", "")
    report.check("%s: answer Content-Type is %s" % (what, ctype), got.split(";")[0].strip() == ctype, got)
    # ASMX sends no action parameter on a SOAP 1.2 answer (zeep sends one on the request);
    # the mock's gSOAP echoes it: a difference, noted, not a failure.
    if label.startswith("ASMX"):
        report.check("%s: answer Content-Type has no action parameter" % what, "action=" not in got, got)
    elif "action=" in got:
        report.note("%s: the answer's Content-Type carries the request's action parameter (%s); ASMX sends none"
                    % (what, got))


def describe(r):
    if "fault" in r:
        return "fault code %r message %r" % (r["fault"].code, r["fault"].message)
    if "result" in r:
        return repr(dict(r["result"].__values__))
    return repr(r.get("error"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wsdl", required=True, help="the project's WSDL (wsdl/BrightOfficeAPI.wsdl)")
    ap.add_argument("--mock", help="brightoffice-mock binary")
    ap.add_argument("--asmx", action="store_true", help="also against the real ASMX service")
    args = ap.parse_args()
    report = L.Report("zeep %s (python3-zeep) as the client" % zeep.__version__)
    if not args.mock and not args.asmx:
        report.check("a server to test against (--mock and/or --asmx)", False)
        return report.finish()
    results = {}
    if args.mock:
        results["mock"] = {}
        with L.start_mock(args.mock) as mock:
            run_all(report, args.wsdl, mock.endpoint, "mock", results["mock"])
    if args.asmx:
        results["asmx"] = {}
        with L.start_asmx() as asmx:
            run_all(report, args.wsdl, asmx.endpoint, "ASMX (project WSDL)", results["asmx"])
            own = asmx.endpoint + "?WSDL"
            run_all(report, own, asmx.endpoint, "ASMX (its own ?WSDL)", {})
    if "mock" in results and "asmx" in results:
        for key, m in results["mock"].items():
            a = results["asmx"].get(key)
            if a is not None and describe(a) != describe(m):
                report.note("%s %s '%s': ASMX gave %s; mock gave %s" % (key[0], key[1], key[2], describe(a), describe(m)))
    return report.finish()


if __name__ == "__main__":
    L.main_guard(main)
