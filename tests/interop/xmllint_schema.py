#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
"""xmllint checks the schema inside the project's WSDL, and the XML our client and mock send.

    xmllint_schema.py --wsdl SOURCE_DIR/wsdl/BrightOfficeAPI.wsdl --cli BUILD/brightoffice-mfa
                      --mock BUILD/brightoffice-mock

1. extracts the two xs:schema elements of the WSDL into tempuri.xsd and mstypes.xsd (with the
   namespace declarations they inherit from wsdl:definitions, and a schemaLocation added to the
   guid schema's import, which has none in the WSDL) and checks that xmllint compiles them;
2. starts brightoffice-mock with --record DIR, runs brightoffice-mfa confirm and send-reset a
   few times (SOAP 1.1 and 1.2, all optional fields or none), takes the ConfirmCustomerUserMFA /
   CustomerUserSendResetPassword element out of the SOAP body of each recorded request and
   validates it against the schema;
3. posts each recorded request to the mock again and validates the <operation>Response
   element of its answer;
4. negative controls: documents that break the schema (a bad guid, unqualified children,
   children out of order, an unknown SuccessCode) must be rejected, so a validation that
   accepts anything cannot pass.
"""

import sys
sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree

import argparse
import http.client
import os
import shutil
import subprocess
import tempfile
import urllib.parse
import xml.dom.minidom as minidom

import interop_lib as L

XS = "http://www.w3.org/2001/XMLSchema"
TNS = "http://tempuri.org/"
MSTYPES = "http://microsoft.com/wsdl/types/"
XMLNS = "http://www.w3.org/2000/xmlns/"


def inherited_namespaces(el):
    """Every xmlns / xmlns:p declaration in scope at el, nearest first."""
    decls = {}
    node = el
    while node is not None and node.nodeType == node.ELEMENT_NODE:
        for i in range(node.attributes.length):
            a = node.attributes.item(i)
            if a.name == "xmlns" or a.name.startswith("xmlns:"):
                decls.setdefault(a.name, a.value)
        node = node.parentNode
    return decls


def standalone(el):
    """el serialized as its own document, with the namespace declarations it inherits."""
    doc = minidom.getDOMImplementation().createDocument(None, None, None)
    copy = doc.importNode(el, True)
    doc.appendChild(copy)
    for name, value in inherited_namespaces(el).items():
        if not copy.hasAttribute(name):
            copy.setAttributeNS(XMLNS, name, value)
    return doc


def xmllint(schema, document_path):
    p = subprocess.run(["xmllint", "--noout", "--schema", schema, document_path],
                       capture_output=True, timeout=60)
    return p.returncode, (p.stdout + p.stderr).decode(errors="replace")


def find(doc, ns, local):
    return [e for e in doc.getElementsByTagNameNS(ns, local)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wsdl", required=True)
    ap.add_argument("--cli", required=True)
    ap.add_argument("--mock", required=True)
    args = ap.parse_args()
    version = subprocess.run(["xmllint", "--version"], capture_output=True).stderr.decode().splitlines()[0]
    report = L.Report("xmllint (%s): the WSDL's schema and the XML on the wire" % version)
    work = tempfile.mkdtemp(prefix="brightoffice-xmllint-")
    try:
        return run(report, args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(report, args, work):
    wsdl = minidom.parse(args.wsdl)
    schemas = find(wsdl, XS, "schema")
    report.check("the WSDL holds two xs:schema elements", len(schemas) == 2, "found %d" % len(schemas))
    by_tns = {s.getAttribute("targetNamespace"): s for s in schemas}
    if not report.check("one schema for http://tempuri.org/ and one for http://microsoft.com/wsdl/types/",
                        set(by_tns) == {TNS, MSTYPES}, repr(sorted(by_tns))):
        return report.finish()
    tempuri_xsd = os.path.join(work, "tempuri.xsd")
    mstypes_xsd = os.path.join(work, "mstypes.xsd")
    t_doc = standalone(by_tns[TNS])
    imports = [i for i in find(t_doc, XS, "import") if i.getAttribute("namespace") == MSTYPES]
    report.check("the tempuri schema imports the guid schema without a schemaLocation (as ASMX writes it)",
                 len(imports) == 1 and not imports[0].hasAttribute("schemaLocation"))
    for i in imports:
        i.setAttribute("schemaLocation", "mstypes.xsd")
    with open(tempuri_xsd, "w", encoding="utf-8") as f:
        f.write(t_doc.toxml())
    with open(mstypes_xsd, "w", encoding="utf-8") as f:
        f.write(standalone(by_tns[MSTYPES]).toxml())

    # The help page's request with values filled in: the schema must compile and accept it.
    sample = os.path.join(work, "help-page-sample.xml")
    with open(sample, "w", encoding="utf-8") as f:
        f.write('<ConfirmCustomerUserMFA xmlns="http://tempuri.org/"><CustomerInfo>'
                '<Id>3f2504e0-4f89-11d3-9a0c-0305e82c3301</Id><Email>jane@example.com</Email>'
                '<Password>p</Password><MFACode>123456</MFACode><TemporaryPassword>t</TemporaryPassword>'
                '<NewPassword>n</NewPassword></CustomerInfo><UserInfo><Username>api-user</Username>'
                '<Password>api-secret</Password></UserInfo></ConfirmCustomerUserMFA>')
    rc, out = xmllint(tempuri_xsd, sample)
    report.check("xmllint compiles the extracted schema and accepts the help page's request", rc == 0, out)
    reset_sample = os.path.join(work, "help-page-sample-reset.xml")
    with open(reset_sample, "w", encoding="utf-8") as f:
        f.write(open(sample, encoding="utf-8").read().replace("ConfirmCustomerUserMFA", "CustomerUserSendResetPassword"))
    rc, out = xmllint(tempuri_xsd, reset_sample)
    report.check("... and the CustomerUserSendResetPassword help page's request", rc == 0, out)

    record = os.path.join(work, "record")
    os.makedirs(record)
    confirm, reset = "ConfirmCustomerUserMFA", "CustomerUserSendResetPassword"
    runs = [
        ("SOAP 1.1, every optional field", confirm, "1.1",
         ["--email", "jane@example.com", "--id", "3F2504E0-4F89-11D3-9A0C-0305E82C3301", "--mfa-code", "123456"],
         {"BRIGHTOFFICE_CUSTOMER_PASSWORD": "old<&>", "BRIGHTOFFICE_TEMPORARY_PASSWORD": "tmp",
          "BRIGHTOFFICE_NEW_PASSWORD": "new"}),
        ("SOAP 1.2, no optional field", confirm, "1.2", ["--email", "jane@example.com"], {}),
        ("SOAP 1.1, empty NewPassword, non-ASCII and markup in the email", confirm, "1.1",
         ["--email", "zo\u00eb&<x>@\u00e9xample.com", "--mfa-code", "654321"], {"BRIGHTOFFICE_NEW_PASSWORD": ""}),
        ("send-reset, SOAP 1.1, every optional field", reset, "1.1",
         ["--email", "jane@example.com", "--id", "3F2504E0-4F89-11D3-9A0C-0305E82C3301"],
         {"BRIGHTOFFICE_CUSTOMER_PASSWORD": "old<&>", "BRIGHTOFFICE_TEMPORARY_PASSWORD": "tmp",
          "BRIGHTOFFICE_NEW_PASSWORD": "new", "BRIGHTOFFICE_MFA_CODE": "123456"}),
        ("send-reset, SOAP 1.2, no optional field", reset, "1.2", ["--email", "zo\u00eb&<x>@\u00e9xample.com"], {}),
    ]
    recorded = {}
    with L.start_mock(args.mock, "--record", record) as mock:
        # All client runs first: the replays below are recorded too.
        for i, (name, op, soap, argv, extra) in enumerate(runs, start=1):
            env = {k: v for k, v in os.environ.items() if not k.startswith("BRIGHTOFFICE_")}
            env.update({"BRIGHTOFFICE_USERNAME": "api-user", "BRIGHTOFFICE_PASSWORD": "api-secret"}, **extra)
            before = set(os.listdir(record))
            command = "confirm" if op == confirm else "send-reset"
            p = subprocess.run([args.cli, command, "--endpoint", mock.endpoint, "--soap", soap, "--json"] + argv,
                               env=env, capture_output=True, timeout=60)
            report.check("%s: brightoffice-mfa %s got an answer (exit 0 or 3)" % (name, command), p.returncode in (0, 3),
                         "exit %d %r %r" % (p.returncode, p.stdout, p.stderr))
            recorded[i] = sorted(set(os.listdir(record)) - before)
        for i, (name, op, soap, argv, extra) in enumerate(runs, start=1):
            if not report.check("%s: the mock recorded one request" % name, len(recorded[i]) == 1, repr(recorded[i])):
                continue
            path = os.path.join(record, recorded[i][0])
            raw = open(path, "rb").read()
            head, sep, body = raw.partition(b"\r\n\r\n")
            if not report.check("%s: the record holds headers and a body" % name, bool(sep and body), repr(raw[:300])):
                continue
            envelope = minidom.parseString(body)
            env_ns = envelope.documentElement.namespaceURI
            want_ns = ("http://schemas.xmlsoap.org/soap/envelope/" if soap == "1.1"
                       else "http://www.w3.org/2003/05/soap-envelope")
            report.check("%s: the request is a SOAP %s envelope" % (name, soap), env_ns == want_ns, env_ns)
            requests_ = find(envelope, TNS, op)
            if not report.check("%s: the SOAP body holds one {http://tempuri.org/}%s" % (name, op),
                                len(requests_) == 1, body.decode(errors="replace")[:1000]):
                continue
            doc_path = os.path.join(work, "request-%d.xml" % i)
            with open(doc_path, "w", encoding="utf-8") as f:
                f.write(standalone(requests_[0]).toxml())
            rc, out = xmllint(tempuri_xsd, doc_path)
            report.check("%s: the request element is valid by the WSDL's schema" % name, rc == 0,
                         out + open(doc_path, encoding="utf-8").read())

            # The mock's answer to the same request, validated too.
            headers = {}
            for line in head.decode("latin-1").split("\r\n")[1:]:
                k, _, v = line.partition(":")
                if k.lower() in ("content-type", "soapaction"):
                    headers[k] = v.strip()
            url = urllib.parse.urlsplit(mock.endpoint)
            conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
            conn.request("POST", url.path, body=body, headers=headers)
            resp = conn.getresponse()
            answer = resp.read()
            conn.close()
            report.check("%s: the mock answers the replayed request with HTTP 200" % name, resp.status == 200,
                         "%d %r" % (resp.status, answer[:500]))
            answers = find(minidom.parseString(answer), TNS, op + "Response")
            if report.check("%s: the answer holds one %sResponse" % (name, op), len(answers) == 1,
                            answer.decode(errors="replace")[:1000]):
                ans_path = os.path.join(work, "response-%d.xml" % i)
                with open(ans_path, "w", encoding="utf-8") as f:
                    f.write(standalone(answers[0]).toxml())
                rc, out = xmllint(tempuri_xsd, ans_path)
                report.check("%s: the mock's answer element is valid by the WSDL's schema" % name, rc == 0, out)

    # Negative controls: each must be rejected.
    good = open(sample, encoding="utf-8").read()
    broken = [
        ("a guid that is not a guid", good.replace("3f2504e0-4f89-11d3-9a0c-0305e82c3301", "not-a-guid")),
        ("an empty Id", good.replace("<Id>3f2504e0-4f89-11d3-9a0c-0305e82c3301</Id>", "<Id/>")),
        ("children in no namespace",
         good.replace('<ConfirmCustomerUserMFA xmlns="http://tempuri.org/">',
                      '<t:ConfirmCustomerUserMFA xmlns:t="http://tempuri.org/">')
             .replace("</ConfirmCustomerUserMFA>", "</t:ConfirmCustomerUserMFA>")),
        ("Email before Id", good.replace("<Id>3f2504e0-4f89-11d3-9a0c-0305e82c3301</Id><Email>jane@example.com</Email>",
                                         "<Email>jane@example.com</Email><Id>3f2504e0-4f89-11d3-9a0c-0305e82c3301</Id>")),
        ("an unknown SuccessCode",
         '<ConfirmCustomerUserMFAResponse xmlns="http://tempuri.org/"><ConfirmCustomerUserMFAResult>'
         '<SuccessCode>MAYBE</SuccessCode><Message>m</Message><ExceptionMessage/><IsSystemError>false</IsSystemError>'
         '</ConfirmCustomerUserMFAResult></ConfirmCustomerUserMFAResponse>'),
        ("a CustomerUserSendResetPassword request with UserInfo before CustomerInfo",
         '<CustomerUserSendResetPassword xmlns="http://tempuri.org/"><UserInfo><Username>u</Username></UserInfo>'
         '<CustomerInfo><Id>3f2504e0-4f89-11d3-9a0c-0305e82c3301</Id></CustomerInfo></CustomerUserSendResetPassword>'),
        ("a CustomerUserSendResetPassword answer with ConfirmCustomerUserMFA's result element",
         '<CustomerUserSendResetPasswordResponse xmlns="http://tempuri.org/"><ConfirmCustomerUserMFAResult>'
         '<SuccessCode>SUCCESS</SuccessCode><IsSystemError>false</IsSystemError>'
         '</ConfirmCustomerUserMFAResult></CustomerUserSendResetPasswordResponse>'),
    ]
    for name, text in broken:
        path = os.path.join(work, "broken.xml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        rc, out = xmllint(tempuri_xsd, path)
        report.check("negative control: %s is rejected" % name, rc != 0 and "fails to validate" in out, out)
    return report.finish()


if __name__ == "__main__":
    L.main_guard(main)
