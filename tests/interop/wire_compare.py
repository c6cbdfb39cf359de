#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
"""The same raw HTTP requests to the real ASMX service and to brightoffice-mock, side by side.

    wire_compare.py --mock BUILD/brightoffice-mock

Each probe is a request a client might send (the help pages' samples of ConfirmCustomerUserMFA
and CustomerUserSendResetPassword, and the edge cases of service-facts.md "How an ASMX server
treats requests"). For every probe:
  - the ASMX service's answer is checked against what service-facts.md says ASMX does
    (a FAIL means the stand-in ASMX host does not behave like ASMX, or the facts are wrong);
  - the mock's answer is compared with the ASMX service's after normalizing what may differ
    (namespace prefixes, the "Server was unable to process request. ---> " prefix that ASMX
    adds to fault strings): answers that agree on status, media type, the kind of body
    (result, fault, empty) and its content PASS; wire details that differ (headers, fault
    string prefixes, detail elements) are printed as NOTE lines; a mock answer that disagrees
    on the semantics a client acts on (status class, result code and message, fault or not)
    is a FAIL, except for the probes listed in KNOWN_MOCK_DIFFERENCES (NOTE lines; see
    tests/interop/README.md).
"""

import sys
sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree

import argparse
import concurrent.futures
import http.client
import re
import socket
import time
import urllib.parse
import xml.dom.minidom as minidom

import interop_lib as L

S11 = "http://schemas.xmlsoap.org/soap/envelope/"
S12 = "http://www.w3.org/2003/05/soap-envelope"
ACTION = '"http://tempuri.org/ConfirmCustomerUserMFA"'
RESET_ACTION = '"http://tempuri.org/CustomerUserSendResetPassword"'
CONFIRM = "ConfirmCustomerUserMFA"
RESET = "CustomerUserSendResetPassword"
CT11 = "text/xml; charset=utf-8"
CT12 = "application/soap+xml; charset=utf-8"


def env(ns, inner):
    return ('<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:soap="%s"><soap:Body>%s</soap:Body></soap:Envelope>'
            % (ns, inner)).encode("utf-8")


def request(customer, user='<UserInfo><Username>api-user</Username><Password>api-secret</Password></UserInfo>',
            xmlns=' xmlns="http://tempuri.org/"', op=CONFIRM):
    return "<%s%s>%s%s</%s>" % (op, xmlns, customer, user, op)


def cust(id_="3f2504e0-4f89-11d3-9a0c-0305e82c3301", email="jane@example.com", mfa="123456", extra=""):
    parts = ""
    if id_ is not None:
        parts += "<Id>%s</Id>" % id_
    if email is not None:
        parts += "<Email>%s</Email>" % email
    if mfa is not None:
        parts += "<MFACode>%s</MFACode>" % mfa
    return "<CustomerInfo>%s%s</CustomerInfo>" % (parts, extra)


OK_MSG = "MFA confirmed for jane@example.com (3f2504e0-4f89-11d3-9a0c-0305e82c3301) newpw=no tmppw=no"
NIL_MSG = "MFA confirmed for jane@example.com (00000000-0000-0000-0000-000000000000) newpw=no tmppw=no"
# customer-user-send-reset-password.md: the help page's sample with every element filled in.
RESET_SAMPLE = request("<CustomerInfo><Id>3f2504e0-4f89-11d3-9a0c-0305e82c3301</Id><Email>jane@example.com</Email>"
                       "<Password>old</Password><MFACode>654321</MFACode><TemporaryPassword>tmp</TemporaryPassword>"
                       "<NewPassword>new</NewPassword></CustomerInfo>", op=RESET)
RESET_MSG = "Reset password sent to jane@example.com (3f2504e0-4f89-11d3-9a0c-0305e82c3301) newpw=yes tmppw=yes"
RESET_NIL_MSG = "Reset password sent to jane@example.com (00000000-0000-0000-0000-000000000000) newpw=no tmppw=no"
RESET_RESULT = RESET + "Result"

# (name, headers, body, what ASMX does by service-facts.md)
# expectation: ("result", code, message) | ("fault", "Server"/"Client"/..., substring) | ("empty", status)
PROBES = [
    ("SOAP 1.1 help-page request", {"Content-Type": CT11, "SOAPAction": ACTION}, env(S11, request(cust())),
     (200, "text/xml", ("result", "SUCCESS", OK_MSG))),
    ("SOAP 1.2 help-page request", {"Content-Type": CT12}, env(S12, request(cust())),
     (200, "application/soap+xml", ("result", "SUCCESS", OK_MSG))),
    ("SOAP 1.2 request with action= in Content-Type", {"Content-Type": CT12 + "; action=" + ACTION},
     env(S12, request(cust())), (200, "application/soap+xml", ("result", "SUCCESS", OK_MSG))),
    ("SOAP 1.1 envelope sent as application/soap+xml", {"Content-Type": CT12}, env(S11, request(cust())),
     (415, None, ("empty",))),
    ("SOAP 1.1 with an empty SOAPAction", {"Content-Type": CT11, "SOAPAction": '""'}, env(S11, request(cust())),
     (500, "text/xml", ("fault", "Client", None))),
    ("SOAP 1.1 with an unknown SOAPAction", {"Content-Type": CT11, "SOAPAction": '"http://tempuri.org/NoSuchOperation"'},
     env(S11, request(cust())), (500, "text/xml", ("fault", "Client", None))),
    ("SOAP 1.1 without a SOAPAction header (routed by the body element)", {"Content-Type": CT11},
     env(S11, request(cust())), (200, "text/xml", ("result", "SUCCESS", OK_MSG))),
    ("children without the tempuri namespace -> parameters arrive as null -> LOGINERROR",
     {"Content-Type": CT11, "SOAPAction": ACTION},
     env(S11, '<ConfirmCustomerUserMFA xmlns="http://tempuri.org/"><CustomerInfo xmlns=""><Email>jane@example.com</Email>'
              '</CustomerInfo><UserInfo xmlns=""><Username>api-user</Username><Password>api-secret</Password></UserInfo>'
              '</ConfirmCustomerUserMFA>'),
     (200, "text/xml", ("result", "LOGINERROR", "Invalid API credentials"))),
    ("empty <Id/> -> fault 'Unrecognized Guid format'", {"Content-Type": CT11, "SOAPAction": ACTION},
     env(S11, request(cust(id_=""))), (500, "text/xml", ("fault", "Client", "Unrecognized Guid format"))),
    ("Id that is not a guid -> soap:Client fault", {"Content-Type": CT11, "SOAPAction": ACTION},
     env(S11, request(cust(id_="not-a-guid"))), (500, "text/xml", ("fault", "Client", None))),
    ("Id in braces, upper case -> accepted", {"Content-Type": CT11, "SOAPAction": ACTION},
     env(S11, request(cust(id_="{3F2504E0-4F89-11D3-9A0C-0305E82C3301}"))), (200, "text/xml", ("result", "SUCCESS", OK_MSG))),
    ("Id without hyphens -> accepted", {"Content-Type": CT11, "SOAPAction": ACTION},
     env(S11, request(cust(id_="3f2504e04f8911d39a0c0305e82c3301"))), (200, "text/xml", ("result", "SUCCESS", OK_MSG))),
    ("Id absent -> nil guid", {"Content-Type": CT11, "SOAPAction": ACTION},
     env(S11, request(cust(id_=None))), (200, "text/xml", ("result", "SUCCESS", NIL_MSG))),
    ("unknown elements are ignored", {"Content-Type": CT11, "SOAPAction": ACTION},
     env(S11, request(cust(extra="<Shoe>size 9</Shoe>") + "<Extra><X/></Extra>")),
     (200, "text/xml", ("result", "SUCCESS", OK_MSG))),
    ("element order is free (Email before Id, UserInfo first)", {"Content-Type": CT11, "SOAPAction": ACTION},
     env(S11, '<ConfirmCustomerUserMFA xmlns="http://tempuri.org/"><UserInfo><Password>api-secret</Password>'
              '<Username>api-user</Username></UserInfo><CustomerInfo><MFACode>123456</MFACode><Email>jane@example.com</Email>'
              '<Id>3f2504e0-4f89-11d3-9a0c-0305e82c3301</Id></CustomerInfo></ConfirmCustomerUserMFA>'),
     (200, "text/xml", ("result", "SUCCESS", OK_MSG))),
    ("malformed XML -> HTTP 400, empty body", {"Content-Type": CT11, "SOAPAction": ACTION},
     b'<?xml version="1.0"?><soap:Envelope xmlns:soap="' + S11.encode() + b'"><soap:Body><Confirm',
     (400, None, ("empty",))),
    ("mismatched end tag -> HTTP 400, empty body", {"Content-Type": CT11, "SOAPAction": ACTION},
     b'<?xml version="1.0"?><soap:Envelope xmlns:soap="' + S11.encode() + b'"><soap:Body></soap:Envelop>',
     (400, None, ("empty",))),
    ("body that is not XML -> HTTP 400, empty body", {"Content-Type": CT11, "SOAPAction": ACTION}, b"garbage",
     (400, None, ("empty",))),
    ("empty body -> HTTP 400, empty body", {"Content-Type": CT11, "SOAPAction": ACTION}, b"", (400, None, ("empty",))),
    ("MFACode boom, SOAP 1.1 -> soap:Server fault", {"Content-Type": CT11, "SOAPAction": ACTION},
     env(S11, request(cust(mfa="boom"))),
     (500, "text/xml", ("fault", "Server", "Simulated server failure (MFACode=boom)"))),
    ("MFACode boom, SOAP 1.2 -> soap:Receiver fault", {"Content-Type": CT12}, env(S12, request(cust(mfa="boom"))),
     (500, "application/soap+xml", ("fault", "Receiver", "Simulated server failure (MFACode=boom)"))),
    ("chunked request body", {"Content-Type": CT11, "SOAPAction": ACTION, "Transfer-Encoding": "chunked"},
     env(S11, request(cust())), (200, "text/xml", ("result", "SUCCESS", OK_MSG))),
    # CustomerUserSendResetPassword (customer-user-send-reset-password.md).
    ("CustomerUserSendResetPassword: SOAP 1.1 help-page request", {"Content-Type": CT11, "SOAPAction": RESET_ACTION},
     env(S11, RESET_SAMPLE), (200, "text/xml", ("result", "SUCCESS", RESET_MSG, RESET_RESULT))),
    ("CustomerUserSendResetPassword: SOAP 1.2 help-page request", {"Content-Type": CT12}, env(S12, RESET_SAMPLE),
     (200, "application/soap+xml", ("result", "SUCCESS", RESET_MSG, RESET_RESULT))),
    ("CustomerUserSendResetPassword: SOAP 1.2 with action= in Content-Type",
     {"Content-Type": CT12 + "; action=" + RESET_ACTION}, env(S12, RESET_SAMPLE),
     (200, "application/soap+xml", ("result", "SUCCESS", RESET_MSG, RESET_RESULT))),
    ("CustomerUserSendResetPassword: SOAP 1.1 without a SOAPAction header (routed by the body element)",
     {"Content-Type": CT11}, env(S11, RESET_SAMPLE), (200, "text/xml", ("result", "SUCCESS", RESET_MSG, RESET_RESULT))),
    ("CustomerUserSendResetPassword: SOAP 1.1 with an unknown SOAPAction",
     {"Content-Type": CT11, "SOAPAction": '"http://tempuri.org/SendResetPassword"'}, env(S11, RESET_SAMPLE),
     (500, "text/xml", ("fault", "Client", None))),
    ("CustomerUserSendResetPassword: Id and MFACode absent -> nil guid, SUCCESS",
     {"Content-Type": CT11, "SOAPAction": RESET_ACTION}, env(S11, request(cust(id_=None, mfa=None), op=RESET)),
     (200, "text/xml", ("result", "SUCCESS", RESET_NIL_MSG, RESET_RESULT))),
    ("CustomerUserSendResetPassword: wrong API password -> LOGINERROR", {"Content-Type": CT11, "SOAPAction": RESET_ACTION},
     env(S11, request(cust(), user="<UserInfo><Username>api-user</Username><Password>no</Password></UserInfo>", op=RESET)),
     (200, "text/xml", ("result", "LOGINERROR", "Invalid API credentials", RESET_RESULT))),
    ("CustomerUserSendResetPassword: empty <Id/> -> fault 'Unrecognized Guid format'",
     {"Content-Type": CT11, "SOAPAction": RESET_ACTION}, env(S11, request(cust(id_=""), op=RESET)),
     (500, "text/xml", ("fault", "Client", "Unrecognized Guid format"))),
    ("CustomerUserSendResetPassword: MFACode boom, SOAP 1.1 -> soap:Server fault",
     {"Content-Type": CT11, "SOAPAction": RESET_ACTION}, env(S11, request(cust(mfa="boom"), op=RESET)),
     (500, "text/xml", ("fault", "Server", "Simulated server failure (MFACode=boom)"))),
    ("CustomerUserSendResetPassword: MFACode boom, SOAP 1.2 -> soap:Receiver fault", {"Content-Type": CT12},
     env(S12, request(cust(mfa="boom"), op=RESET)),
     (500, "application/soap+xml", ("fault", "Receiver", "Simulated server failure (MFACode=boom)"))),
]


# Probes whose fault strings come from the ASP.NET runtime rather than from the service, where
# Mono's words differ from .NET's: Mono's System.Web.Services leaves the placeholders of the
# SOAPAction message unformatted ("... HTTP Header {0}: {1}."), where .NET (and the mock) say
# "... HTTP Header SOAPAction: <value>.". Only the fault code is compared for these.
RUNTIME_FAULT_TEXT = {
    "SOAP 1.1 with an empty SOAPAction",
    "SOAP 1.1 with an unknown SOAPAction",
    "CustomerUserSendResetPassword: SOAP 1.1 with an unknown SOAPAction",
    # Mono: "... ---> Guid should contain 32 digits with 4 dashes (...)"; .NET and the mock:
    # "Unrecognized Guid format."
    "Id that is not a guid -> soap:Client fault",
}

# Where brightoffice-mock is known to answer differently from ASMX (and from service-facts.md).
# These are reported as NOTE lines, not failures, until the mock is changed; a difference on any
# other probe is a FAIL, and a known difference that disappears is reported so that it can be
# taken off this list.
KNOWN_MOCK_DIFFERENCES = {
    "malformed XML -> HTTP 400, empty body":
        "ASMX reads the whole document first and answers 400 with an empty body; gSOAP parses as it goes, so "
        "the mock (which answers 400 when the parser hits the end of the body) answers a truncated document "
        "whose first element names no operation with a 500 'Method not implemented' fault",
    "mismatched end tag -> HTTP 400, empty body":
        "ASMX answers 400 with an empty body; gSOAP dispatches on the first element before it sees the "
        "mismatched end tag, so the mock answers 500 'Method not implemented'",
}


def text_of(el):
    return "".join(n.data for n in el.childNodes if n.nodeType in (n.TEXT_NODE, n.CDATA_SECTION_NODE))


def child(el, local):
    for n in el.childNodes:
        if n.nodeType == n.ELEMENT_NODE and n.localName == local:
            return n
    return None


def send(endpoint, headers, body):
    url = urllib.parse.urlsplit(endpoint)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    if headers.get("Transfer-Encoding") == "chunked":
        h = dict(headers)
        conn.putrequest("POST", url.path)
        for k, v in h.items():
            conn.putheader(k, v)
        conn.endheaders()
        half = len(body) // 2
        for piece in (body[:half], body[half:]):
            conn.send(b"%x\r\n%s\r\n" % (len(piece), piece))
        conn.send(b"0\r\n\r\n")
    else:
        conn.request("POST", url.path, body=body, headers=headers)
    resp = conn.getresponse()
    data = resp.read()
    # Does the server close the connection after this answer?
    closed = resp.will_close
    if not closed:
        try:
            conn.sock.settimeout(0.3)
            closed = conn.sock.recv(1) == b""
        except socket.timeout:
            closed = False
        except OSError:
            closed = True
    conn.close()
    return dict(status=resp.status, headers={k.lower(): v for k, v in resp.getheaders()}, body=data, closed=closed)


def timed_send(endpoint, headers, body):
    start = time.monotonic()
    try:
        r = interpret(send(endpoint, headers, body))
    except (http.client.HTTPException, OSError) as e:
        r = dict(status=0, media=None, kind=("no HTTP answer", repr(e)), action=False, content_length=False,
                 closed=True, ctype="", headers={})
    r["took"] = time.monotonic() - start
    return r


def interpret(r):
    """The answer reduced to what a client acts on."""
    ctype = r["headers"].get("content-type", "")
    media = ctype.split(";")[0].strip() or None
    body = r["body"]
    if not body.strip():
        kind = ("empty",)
    else:
        try:
            doc = minidom.parseString(body)
        except Exception:
            kind = ("not XML", body[:200])
        else:
            faults = [e for ns in (S11, S12) for e in doc.getElementsByTagNameNS(ns, "Fault")]
            results = (doc.getElementsByTagNameNS("http://tempuri.org/", CONFIRM + "Result")
                       or doc.getElementsByTagNameNS("http://tempuri.org/", RESET_RESULT))
            if faults:
                f = faults[0]
                if f.namespaceURI == S11:
                    code = text_of(child(f, "faultcode")) if child(f, "faultcode") else ""
                    reason = text_of(child(f, "faultstring")) if child(f, "faultstring") else ""
                    detail = child(f, "detail") is not None
                else:
                    c = child(f, "Code")
                    code = text_of(child(c, "Value")) if c is not None and child(c, "Value") else ""
                    rs = child(f, "Reason")
                    reason = text_of(child(rs, "Text")) if rs is not None and child(rs, "Text") else ""
                    detail = child(f, "Detail") is not None
                kind = ("fault", code.split(":")[-1], reason, detail, code)
            elif results:
                res = results[0]
                vals = []
                for name in ("SuccessCode", "Message", "ExceptionMessage", "IsSystemError"):
                    e = child(res, name)
                    vals.append(None if e is None else text_of(e))
                kind = ("result",) + tuple(vals) + (res.localName,)
            else:
                kind = ("other XML", body[:200])
    return dict(status=r["status"], media=media, kind=kind, action="action=" in ctype,
                content_length="content-length" in r["headers"] and "transfer-encoding" not in r["headers"],
                closed=r["closed"], ctype=ctype, headers=r["headers"])


def meets(expect, a):
    status, media, kind = expect
    if a["status"] != status:
        return False
    if media is not None and a["media"] != media:
        return False
    k = a["kind"]
    if kind[0] == "empty":
        return k[0] == "empty"
    if kind[0] == "result":
        result_element = kind[3] if len(kind) > 3 else CONFIRM + "Result"
        return (k[0] == "result" and k[1] == kind[1] and k[2] == kind[2] and k[3] == "" and k[4] == "false"
                and k[5] == result_element)
    if kind[0] == "fault":
        return (k[0] == "fault" and re.fullmatch(kind[1], k[1]) is not None
                and (kind[2] is None or kind[2] in k[2]))
    return False


def strip_prefix(reason):
    return reason[len(L.ASMX_FAULT_PREFIX):] if reason.startswith(L.ASMX_FAULT_PREFIX) else reason


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mock", required=True)
    args = ap.parse_args()
    report = L.Report("the same raw requests to the real ASMX service and to brightoffice-mock")
    with L.start_asmx() as asmx, L.start_mock(args.mock) as mock:
        # All probes at once (each on its own connection): some take the mock 15 s.
        with concurrent.futures.ThreadPoolExecutor(max_workers=2 * len(PROBES)) as pool:
            futures = [(pool.submit(timed_send, asmx.endpoint, h, b), pool.submit(timed_send, mock.endpoint, h, b))
                       for _, h, b, _ in PROBES]
            answers = [(fa.result(), fm.result()) for fa, fm in futures]
        for (name, headers, body, expect), (a, m) in zip(PROBES, answers):
            report.check("ASMX: %s: answered within 5 s" % name, a["took"] < 5, "%.1f s" % a["took"])
            if m["took"] > 5:
                report.note("%s: the mock took %.1f s (ASMX %.1f s)" % (name, m["took"], a["took"]))
            report.check("ASMX: %s" % name, meets(expect, a),
                         "want %r; got HTTP %d %s %r" % (expect, a["status"], a["ctype"], a["kind"]))
            # General wire facts for every ASMX answer.
            report.check("ASMX: %s: Content-Length, no chunking" % name, a["content_length"], repr(a["headers"]))
            if a["status"] in (400, 500):
                report.check("ASMX: %s: connection closed after HTTP %d" % (name, a["status"]), a["closed"], repr(a["headers"]))
            if a["media"] == "application/soap+xml":
                report.check("ASMX: %s: no action parameter on the SOAP 1.2 answer" % name, not a["action"], a["ctype"])

            # The mock compared with ASMX.
            ak, mk = a["kind"], m["kind"]
            same_semantics = (a["status"] == m["status"] and a["media"] == m["media"] and ak[0] == mk[0]
                              and (ak[0] != "result" or ak == mk)
                              and (ak[0] != "fault" or (ak[1] == mk[1] and (
                                  name in RUNTIME_FAULT_TEXT or strip_prefix(mk[2]) in strip_prefix(ak[2])))))
            seen = "ASMX: HTTP %d %s %r; mock: HTTP %d %s %r" % (a["status"], a["ctype"], ak, m["status"], m["ctype"], mk)
            if name in KNOWN_MOCK_DIFFERENCES:
                if same_semantics:
                    report.note("%s: the mock now agrees with ASMX; take this probe off KNOWN_MOCK_DIFFERENCES" % name)
                else:
                    report.note("MOCK DIFFERS (known): %s: %s. %s" % (name, KNOWN_MOCK_DIFFERENCES[name], seen))
            else:
                report.check("mock agrees with ASMX: %s" % name, same_semantics, seen)
            diffs = []
            if ak[0] == "fault" and mk[0] == "fault":
                if ak[2] != mk[2]:
                    diffs.append("fault string: ASMX %r, mock %r" % (ak[2], mk[2]))
                if ak[3] != mk[3]:
                    diffs.append("fault detail element: ASMX %s, mock %s" % ("present (empty)" if ak[3] else "absent",
                                                                             "present" if mk[3] else "absent"))
            if a["action"] != m["action"]:
                diffs.append("Content-Type: ASMX %r, mock %r" % (a["ctype"], m["ctype"]))
            if a["closed"] != m["closed"]:
                diffs.append("connection after the answer: ASMX %s, mock %s" % ("closed" if a["closed"] else "kept open",
                                                                                 "closed" if m["closed"] else "kept open"))
            if a["content_length"] != m["content_length"]:
                diffs.append("Content-Length: ASMX %s, mock %s" % (a["content_length"], m["content_length"]))
            for d in diffs:
                report.note("%s: %s" % (name, d))
    return report.finish()


if __name__ == "__main__":
    L.main_guard(main)
