#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
"""`make -f Makefile.gsoap fetch` and OPERATIONS, against a WSDL spread over documents.

    wsdl_tools_test.py --repo SOURCE_DIR

A loopback HTTP server (Python's http.server) serves wsdl/BrightOfficeAPI.wsdl's content
spread over six documents, plus a third operation (ListThings) whose types live in a
namespace of their own:
  /svc/Api.asmx?WSDL          the bindings and the service (as WCF lays a WSDL out); it
                              imports (wsdl:import, an absolute URL) ...
  /svc/Api.asmx?wsdl=wsdl0    ... the messages, the portType and the tempuri schema, which
                              imports the guid schema (xs:import, an absolute URL in ASMX's
                              ?schema=mstypes form) and things.xsd (relative), and includes
                              parts/results.xsd;
  /svc/Api.asmx?schema=mstypes  the guid schema;
  /svc/parts/results.xsd      EnquiryResult; includes ../common/codes.xsd (SuccessCode);
  /svc/things.xsd             urn:things, used only by ListThings; it imports
                              /svc/Api.asmx?schema=mstypes again (fetched once).
Checks: fetch stores all of them with every reference rewritten; with the server stopped, the
default OPERATIONS regenerate bindings byte-identical to generated/ (the same structure), and
the documents of ListThings are left out; OPERATIONS=all keeps ListThings; an unknown
operation is an error naming it; diff finds nothing changed; each fetch bound (size, number,
host, timeout) and each failure (404, redirect, not XML, scheme) fails naming the document,
and leaves DEST as it was.
"""

import sys
sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree

import argparse
import copy
import glob
import http.server
import os
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.parse

from lxml import etree

import interop_lib as L
from interop_lib import NS, S, W, one, text


def split_documents(pinned, base):
    """{path?query: bytes}: the pinned WSDL spread over documents, plus ListThings."""
    docs = {}
    r = copy.deepcopy(pinned)
    tempuri = one(r, "//s:schema[@targetNamespace='http://tempuri.org/']")
    guid = one(r, "//s:schema[@targetNamespace='http://microsoft.com/wsdl/types/']")
    guid.getparent().remove(guid)
    mst = etree.Element(S + "schema", nsmap={"s": NS["s"]}, elementFormDefault="qualified",
                        targetNamespace="http://microsoft.com/wsdl/types/")
    mst[:] = list(guid)
    docs["/svc/Api.asmx?schema=mstypes"] = text(mst)
    imp = one(tempuri, "s:import")
    imp.set("schemaLocation", base + "/svc/Api.asmx?schema=mstypes")

    codes = etree.Element(S + "schema", nsmap={"s": NS["s"]}, elementFormDefault="qualified",
                          targetNamespace="http://tempuri.org/")
    sc = one(tempuri, "s:simpleType[@name='SuccessCode']")
    tempuri.remove(sc)
    codes.append(sc)
    docs["/svc/common/codes.xsd"] = text(codes)
    results = etree.Element(S + "schema", nsmap={"s": NS["s"], "tns": "http://tempuri.org/"},
                            elementFormDefault="qualified", targetNamespace="http://tempuri.org/")
    etree.SubElement(results, S + "include", schemaLocation="../common/codes.xsd")
    er = one(tempuri, "s:complexType[@name='EnquiryResult']")
    tempuri.remove(er)
    results.append(er)
    docs["/svc/parts/results.xsd"] = text(results)
    imp.addnext(etree.Element(S + "include", schemaLocation="parts/results.xsd"))

    # ListThings: types in urn:things (things.xsd), which nothing else uses.
    things = etree.Element(S + "schema", nsmap={"s": NS["s"], "th": "urn:things", "g": "http://microsoft.com/wsdl/types/"},
                           elementFormDefault="qualified", targetNamespace="urn:things")
    etree.SubElement(things, S + "import", namespace="http://microsoft.com/wsdl/types/",
                     schemaLocation=base + "/svc/Api.asmx?schema=mstypes")
    thing = etree.SubElement(things, S + "complexType", name="Thing")
    seq = etree.SubElement(thing, S + "sequence")
    etree.SubElement(seq, S + "element", minOccurs="1", maxOccurs="1", name="Key", type="g:guid")
    etree.SubElement(seq, S + "element", minOccurs="0", maxOccurs="unbounded", name="Label", type="s:string")
    docs["/svc/things.xsd"] = text(things)
    tempuri.insert(tempuri.index(imp) + 1, etree.Element(S + "import", namespace="urn:things", schemaLocation="things.xsd"))
    tns = "http://tempuri.org/"
    for name, body in (("ListThings", None), ("ListThingsResponse", "th:Thing")):
        e = etree.SubElement(tempuri, S + "element", name=name, nsmap={"th": "urn:things"})
        seq = etree.SubElement(etree.SubElement(e, S + "complexType"), S + "sequence")
        if body:
            etree.SubElement(seq, S + "element", minOccurs="0", maxOccurs="unbounded", name="Thing", type=body)
    last_message = r.findall(W + "message")[-1]
    for suffix, element in (("SoapOut", "ListThingsResponse"), ("SoapIn", "ListThings")):
        m = etree.Element(W + "message", name="ListThings" + suffix)
        etree.SubElement(m, W + "part", name="parameters", element="tns:" + element)
        last_message.addnext(m)
    pt = r.find(W + "portType")
    op = etree.SubElement(pt, W + "operation", name="ListThings")
    etree.SubElement(op, W + "input", message="tns:ListThingsSoapIn")
    etree.SubElement(op, W + "output", message="tns:ListThingsSoapOut")

    # As WCF publishes a WSDL: the bindings and the service in the WSDL, the types, messages
    # and portType in a WSDL it imports (?wsdl=wsdl0).
    main = etree.Element(W + "definitions", nsmap=r.nsmap, targetNamespace=tns)
    main.append(etree.Element(W + "import", namespace=tns, location=base + "/svc/Api.asmx?wsdl=wsdl0"))
    for b in r.findall(W + "binding"):
        dup = copy.deepcopy(b.find(W + "operation"))
        dup.set("name", "ListThings")
        for a in dup.xpath(".//*[@soapAction]"):
            a.set("soapAction", "http://tempuri.org/ListThings")
        b.append(dup)
        r.remove(b)
        main.append(b)
    service = r.find(W + "service")
    r.remove(service)
    main.append(service)
    docs["/svc/Api.asmx?WSDL"] = text(main)
    docs["/svc/Api.asmx?wsdl=wsdl0"] = text(r)
    return docs


class Handler(http.server.BaseHTTPRequestHandler):
    docs = {}
    hits = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        Handler.hits.append(self.path)
        parts = urllib.parse.urlsplit(self.path)
        if parts.path == "/slow.xsd":
            time.sleep(5)
        if parts.path == "/endless.xsd":
            self.send_response(200)
            self.send_header("Content-Type", "text/xml")
            self.end_headers()
            try:
                self.wfile.write(b"<s:schema xmlns:s='http://www.w3.org/2001/XMLSchema'>")
                for _ in range(100000):
                    self.wfile.write(b"<!-- " + b"x" * 4096 + b" -->")
            except OSError:
                pass
            return
        if parts.path == "/moved.xsd":
            self.send_response(301)
            self.send_header("Location", "/svc/things.xsd")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = Handler.docs.get(self.path)
        if body is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/xml; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def with_import(docs, path, location):
    """At path, a copy of the WSDL of the types (wsdl0), whose tempuri schema imports one more document."""
    root = etree.fromstring(docs["/svc/Api.asmx?wsdl=wsdl0"])
    tempuri = one(root, "//s:schema[@targetNamespace='http://tempuri.org/']")
    tempuri.insert(0, etree.Element(S + "import", namespace="urn:extra", schemaLocation=location))
    docs[path] = text(root)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repo", required=True)
    args = ap.parse_args()
    repo = os.path.abspath(args.repo)
    facade = L.facade_operations(repo)  # the pinned WSDL's operations; the served WSDL adds ListThings
    report = L.Report("make -f Makefile.gsoap fetch and OPERATIONS on a WSDL spread over documents")
    work = tempfile.mkdtemp(prefix="brightoffice-fetch-test-")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    port = server.server_address[1]
    base = "http://127.0.0.1:%d" % port
    pinned = etree.parse(os.path.join(repo, "wsdl", "BrightOfficeAPI.wsdl")).getroot()
    Handler.docs = split_documents(pinned, base)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    stopped = False
    try:
        url = base + "/svc/Api.asmx?WSDL"
        dest = os.path.join(work, "live")
        rc, out, err = L.run_makefile_gsoap(repo, "fetch", "WSDL=" + url, "DEST=" + dest)
        names = sorted(os.path.basename(p) for p in glob.glob(os.path.join(dest, "*")))
        want = ["BrightOfficeAPI.wsdl", "codes.xsd", "mstypes.xsd", "results.xsd", "things.xsd", "wsdl0.wsdl"]
        report.check("fetch stores the WSDL and the five documents it imports or includes, flat", rc == 0 and names == want,
                     "exit %d, files %s; %s %s" % (rc, names, out, err))
        report.check("fetch downloads each document once (mstypes is imported twice)",
                     sorted(Handler.hits) == sorted(set(Handler.hits)) and len(Handler.hits) == 6, repr(Handler.hits))
        locations = []
        for n in names:
            doc = etree.parse(os.path.join(dest, n)).getroot()
            locations += doc.xpath("//s:import/@schemaLocation | //s:include/@schemaLocation | //wsdl:import/@location",
                                   namespaces=NS)
        report.check("every reference names a stored file, none a URL",
                     len(locations) == 6 and all(l in names for l in locations), repr(locations))

        # Offline from here on.
        server.shutdown()
        server.server_close()
        stopped = True
        gen = os.path.join(work, "gen")
        rc, out, err = L.run_makefile_gsoap(repo, "WSDL=" + os.path.join(dest, "BrightOfficeAPI.wsdl"), "OUT=" + gen)
        kept_line = "%d of %d operations: %s" % (len(facade), len(facade) + 1, " ".join(facade))
        report.check("offline regeneration with the default OPERATIONS: kept " + kept_line.split(":")[0],
                     rc == 0 and kept_line in out,
                     "exit %d %s %s" % (rc, out, err))
        p = subprocess.run(["diff", "-r", os.path.join(repo, "generated"), gen], capture_output=True)
        report.check("... bindings byte-identical to generated/ (the same structure, spread over documents)",
                     p.returncode == 0, p.stdout.decode(errors="replace")[:3000])
        trimmed = os.path.join(work, "trimmed")
        p = subprocess.run(["/usr/bin/python3", os.path.join(repo, "tools", "wsdl", "trim.py"), "--operations",
                            " ".join(facade), "--out", trimmed,
                            os.path.join(dest, "BrightOfficeAPI.wsdl")], capture_output=True)
        kept = sorted(os.listdir(trimmed)) if os.path.isdir(trimmed) else []
        body = open(os.path.join(trimmed, "BrightOfficeAPI.wsdl"), encoding="utf-8").read() if kept else ""
        report.check("trim leaves out things.xsd, its import and ListThings; keeps the rest",
                     p.returncode == 0 and kept == ["BrightOfficeAPI.wsdl", "codes.xsd", "mstypes.xsd", "results.xsd",
                                                    "wsdl0.wsdl"]
                     and "urn:things" not in body and "ListThings" not in body,
                     "exit %d %r %s" % (p.returncode, kept, p.stderr.decode()))
        gen_all = os.path.join(work, "gen-all")
        rc, out, err = L.run_makefile_gsoap(repo, "WSDL=" + os.path.join(dest, "BrightOfficeAPI.wsdl"), "OUT=" + gen_all,
                                            "OPERATIONS=all")
        header = ""
        if rc == 0:
            header = open(os.path.join(gen_all, "brightoffice_gsoapBrightOfficeAPISoapProxy.h"), encoding="utf-8").read()
        report.check("OPERATIONS=all keeps ListThings (offline too)",
                     rc == 0 and "3 of 3 operations" in out and "ListThings(" in header, "exit %d %s %s" % (rc, out, err))
        rc, out, err = L.run_makefile_gsoap(repo, "WSDL=" + os.path.join(dest, "BrightOfficeAPI.wsdl"),
                                            "OUT=" + os.path.join(work, "x"), "OPERATIONS=%s ListThing" % facade[0])
        report.check("an operation that is not in the WSDL is an error naming it",
                     rc != 0 and "operation ListThing is not in the WSDL" in err and "did you mean ListThings" in err
                     and not os.path.exists(os.path.join(work, "x")), "exit %d %s %s" % (rc, out, err))
        rc, out, err = L.run_makefile_gsoap(repo, "diff", "WSDL=" + os.path.join(dest, "BrightOfficeAPI.wsdl"))
        report.check("diff of the fetched WSDL against the pinned one: exit 0, unchanged",
                     rc == 0 and "diff: unchanged" in out, "exit %d %s %s" % (rc, out, err))

        # The bounds and failures, each against a fresh server.
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        port = server.server_address[1]
        base = "http://127.0.0.1:%d" % port
        Handler.docs = split_documents(pinned, base)
        Handler.hits = []
        threading.Thread(target=server.serve_forever, daemon=True).start()
        stopped = False
        url = base + "/svc/Api.asmx?WSDL"
        docs = Handler.docs
        with_import(docs, "/svc/other-host.wsdl", "http://localhost:%d/svc/things.xsd" % port)
        with_import(docs, "/svc/slow.wsdl", "/slow.xsd")
        with_import(docs, "/svc/endless.wsdl", "/endless.xsd")
        with_import(docs, "/svc/redirect.wsdl", "/moved.xsd")
        with_import(docs, "/svc/missing.wsdl", "gone.xsd")
        with_import(docs, "/svc/file.wsdl", "file:///etc/passwd")
        docs["/svc/notxml.xsd"] = b"this is not XML"
        with_import(docs, "/svc/notxml.wsdl", "notxml.xsd")
        guard = os.path.join(work, "guard")
        os.makedirs(guard)
        with open(os.path.join(guard, "BrightOfficeAPI.wsdl"), "w") as f:
            f.write("the pinned copy of an earlier fetch")
        cases = [
            ("a document larger than FETCH_MAX_BYTES", url, ["FETCH_MAX_BYTES=2000"], 30,
             [url, "larger than FETCH_MAX_BYTES (2000 bytes)"]),
            ("an endless document stops at FETCH_MAX_BYTES", base + "/svc/endless.wsdl", ["FETCH_MAX_BYTES=100000"], 20,
             [base + "/endless.xsd", "referred to by " + base + "/svc/endless.wsdl", "larger than FETCH_MAX_BYTES"]),
            ("more documents than FETCH_MAX_DOCS", url, ["FETCH_MAX_DOCS=3"], 30, ["more than FETCH_MAX_DOCS (3)"]),
            ("a document on another host", base + "/svc/other-host.wsdl", [], 30,
             ["http://localhost:%d/svc/things.xsd" % port, "host localhost", "FETCH_HOSTS"]),
            ("a document slower than FETCH_TIMEOUT", base + "/svc/slow.wsdl", ["FETCH_TIMEOUT=1"], 4,
             [base + "/slow.xsd", "within FETCH_TIMEOUT (1 s)"]),
            ("a redirect", base + "/svc/redirect.wsdl", [], 30, [base + "/moved.xsd", "HTTP 301", "not followed"]),
            ("a document that is not there", base + "/svc/missing.wsdl", [], 30,
             [base + "/svc/gone.xsd (referred to by " + base + "/svc/missing.wsdl): HTTP 404"]),
            ("a document that is not XML", base + "/svc/notxml.wsdl", [], 30, [base + "/svc/notxml.xsd", "not well-formed"]),
            ("a file: reference", base + "/svc/file.wsdl", [], 30, ["file:///etc/passwd", "only http and https"]),
            ("a WSDL that is a file, not a URL", os.path.join(repo, "wsdl", "BrightOfficeAPI.wsdl"), [], 30,
             ["fetch needs WSDL=<an http:// or https:// URL>"]),
        ]
        for name, u, extra, max_seconds, needles in cases:
            start = time.monotonic()
            rc, out, err = L.run_makefile_gsoap(repo, "fetch", "WSDL=" + u, "DEST=" + guard, *extra)
            took = time.monotonic() - start
            kept = open(os.path.join(guard, "BrightOfficeAPI.wsdl")).read() == "the pinned copy of an earlier fetch"
            report.check("%s: fails in < %d s naming it, DEST unchanged" % (name, max_seconds),
                         rc != 0 and all(n in err for n in needles) and took < max_seconds and kept
                         and sorted(os.listdir(guard)) == ["BrightOfficeAPI.wsdl"],
                         "exit %d after %.1f s, DEST kept: %s, want %r in stderr: %s %s" % (rc, took, kept, needles, out, err))
        rc, out, err = L.run_makefile_gsoap(repo, "fetch", "WSDL=" + base + "/svc/other-host.wsdl",
                                            "DEST=" + os.path.join(work, "hosts"), "FETCH_HOSTS=example.invalid localhost")
        report.check("... that host listed in FETCH_HOSTS: fetched", rc == 0 and
                     os.path.exists(os.path.join(work, "hosts", "things.xsd")), "exit %d %s %s" % (rc, out, err))
        rc, out, err = L.run_makefile_gsoap(repo, "WSDL=" + url, "OUT=" + os.path.join(work, "gen-url"))
        p = subprocess.run(["diff", "-r", os.path.join(repo, "generated"), os.path.join(work, "gen-url")], capture_output=True)
        report.check("make -f Makefile.gsoap WSDL=<URL> fetches it (and its imports) first",
                     rc == 0 and p.returncode == 0, "exit %d %s %s %s" % (rc, out, err, p.stdout[:2000]))
    finally:
        if not stopped:
            server.shutdown()
            server.server_close()
        shutil.rmtree(work, ignore_errors=True)
    return report.finish()


if __name__ == "__main__":
    L.main_guard(main)
