#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
"""`make -f Makefile.gsoap diff`: a table of WSDL edits, each expected additive or breaking.

    wsdl_diff_test.py --repo SOURCE_DIR

Each row edits a copy of wsdl/BrightOfficeAPI.wsdl with lxml (and, for a few rows, the pinned
copy as well, e.g. to give the response an enumeration other than SuccessCode), runs
`make -f Makefile.gsoap diff WSDL=<edited> PINNED=<pinned copy>` and checks make's exit status
(0 unchanged or additive only, 1 breaking, 2 could not compare) and that the report names the
change. Also: a WSDL that states the same structure differently (a base type and an
extension, the guid schema and the result type in imported and included documents) must
compare as unchanged, a URL is fetched first, and OPERATIONS selects what is compared.
"""

import sys
sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree

import argparse
import copy
import http.server
import os
import shutil
import tempfile
import threading

from lxml import etree

import interop_lib as L
from interop_lib import NS, S, one

BOTH = " ".join(L.facade_operations())  # the pinned WSDL's two operations


def ctype(name):
    return "//s:complexType[@name='%s']" % name


def el(type_name, element):
    return ctype(type_name) + "//s:element[@name='%s']" % element


def add_element(type_name, after, name, type_, min_occurs="0"):
    def edit(r):
        ref = one(r, el(type_name, after))
        new = etree.Element(S + "element", minOccurs=min_occurs, maxOccurs="1", name=name, type=type_)
        ref.addnext(new)
    return edit


def set_attr(path, attr, value):
    def edit(r):
        one(r, path).set(attr, value)
    return edit


def remove(path):
    def edit(r):
        n = one(r, path)
        n.getparent().remove(n)
    return edit


def remove_all(path):
    def edit(r):
        for n in r.xpath(path, namespaces=NS):
            n.getparent().remove(n)
    return edit


def add_enum(type_name, value):
    def edit(r):
        restriction = one(r, "//s:simpleType[@name='%s']/s:restriction" % type_name)
        etree.SubElement(restriction, S + "enumeration", value=value)
    return edit


def rename_type(old, new):
    def edit(r):
        one(r, "//s:*[@name='%s'][self::s:complexType or self::s:simpleType]" % old).set("name", new)
        for n in r.xpath("//s:element[@type='tns:%s']" % old, namespaces=NS):
            n.set("type", "tns:" + new)
    return edit


def swap_first_two(type_name):
    def edit(r):
        seq = one(r, ctype(type_name) + "/s:sequence")
        a, b = seq[0], seq[1]
        seq.remove(b)
        a.addprevious(b)
    return edit


def with_stage_enum(r):
    """The pinned and the new copy: EnquiryResult gains Stage, an enumeration other than SuccessCode."""
    schema = one(r, "//s:schema[@targetNamespace='http://tempuri.org/']")
    st = etree.SubElement(schema, S + "simpleType", name="Stage")
    res = etree.SubElement(st, S + "restriction", base="s:string")
    for v in ("OPEN", "CLOSED"):
        etree.SubElement(res, S + "enumeration", value=v)
    add_element("EnquiryResult", "IsSystemError", "Stage", "tns:Stage", "1")(r)


def with_channel_enum(r):
    """The pinned and the new copy: CustomerInfo gains Channel, an enumeration in the request."""
    schema = one(r, "//s:schema[@targetNamespace='http://tempuri.org/']")
    st = etree.SubElement(schema, S + "simpleType", name="Channel")
    res = etree.SubElement(st, S + "restriction", base="s:string")
    for v in ("EMAIL", "SMS"):
        etree.SubElement(res, S + "enumeration", value=v)
    add_element("CustomerInfo", "NewPassword", "Channel", "tns:Channel", "1")(r)


def new_namespace(r):
    """The tempuri schema moves to another namespace; the messages follow it."""
    schema = one(r, "//s:schema[@targetNamespace='http://tempuri.org/']")
    schema.set("targetNamespace", "http://tempuri.org/v2/")
    text = etree.tostring(r).decode()
    text = text.replace('xmlns:tns="http://tempuri.org/"', 'xmlns:tns="http://tempuri.org/" xmlns:v2="http://tempuri.org/v2/"', 1)
    new = etree.fromstring(text)
    for n in new.xpath("//s:schema[@targetNamespace='http://tempuri.org/v2/']//s:element[starts-with(@type, 'tns:')]",
                       namespaces=NS):
        n.set("type", "v2:" + n.get("type")[4:])
    for n in new.xpath("//wsdl:part", namespaces=NS):
        n.set("element", "v2:" + n.get("element").split(":")[1])
    return new  # replaces the copy


def new_operation(r):
    """CustomerUserDelete in the portType and both bindings, on the messages of another."""
    for path in ("//wsdl:portType/wsdl:operation[@name='ConfirmCustomerUserMFA']",
                 "//wsdl:binding[@name='BrightOfficeAPISoap']/wsdl:operation[@name='ConfirmCustomerUserMFA']",
                 "//wsdl:binding[@name='BrightOfficeAPISoap12']/wsdl:operation[@name='ConfirmCustomerUserMFA']"):
        op = one(r, path)
        dup = copy.deepcopy(op)
        dup.set("name", "CustomerUserDelete")
        for action in dup.xpath(".//@soapAction/..", namespaces=NS):
            action.set("soapAction", "http://tempuri.org/CustomerUserDelete")
        op.addnext(dup)


def in_turn(*edits):
    """Edits applied one after the other (none of them replaces the copy)."""
    def edit(r):
        for e in edits:
            e(r)
    return edit


def extension_layout(r):
    """The same structure written differently: CustomerInfo as an extension of a base type."""
    schema = one(r, "//s:schema[@targetNamespace='http://tempuri.org/']")
    ci = one(r, ctype("CustomerInfo"))
    seq = ci.find(S + "sequence")
    base = etree.SubElement(schema, S + "complexType", name="PersonBase")
    bseq = etree.SubElement(base, S + "sequence")
    for child in list(seq)[:2]:
        bseq.append(child)
    ci.remove(seq)
    cc = etree.SubElement(ci, S + "complexContent")
    ext = etree.SubElement(cc, S + "extension", base="tns:PersonBase")
    ext.append(seq)


# (name, edit of the new copy, edit of both copies first, OPERATIONS, expected exit, text the report must hold
#  [, text the report must not hold])
ROWS = [
    ("the same WSDL", None, None, BOTH, 0, "diff: unchanged"),
    ("request: new optional element", add_element("CustomerInfo", "Email", "Phone", "s:string"), None, BOTH, 0,
     "CustomerInfo/Phone: new optional element"),
    ("request: new required element", add_element("CustomerInfo", "Email", "Phone", "s:string", "1"), None, BOTH, 1,
     "CustomerInfo/Phone: new required element"),
    ("request: element removed", remove(el("CustomerInfo", "MFACode")), None, BOTH, 1, "CustomerInfo/MFACode: removed"),
    ("request: element renamed", set_attr(el("UserInfo", "Username"), "name", "UserName"), None, BOTH, 1,
     "UserInfo/Username: renamed to UserName"),
    ("request: element now required", set_attr(el("CustomerInfo", "Email"), "minOccurs", "1"), None, BOTH, 1,
     "CustomerInfo/Email: now required"),
    ("request: element now optional", set_attr(el("CustomerInfo", "Id"), "minOccurs", "0"), None, BOTH, 0,
     "CustomerInfo/Id: minOccurs 1 -> 0"),
    ("request: element now a list", set_attr(el("CustomerInfo", "Email"), "maxOccurs", "unbounded"), None, BOTH, 1,
     "CustomerInfo/Email: now a list"),
    ("request: another simple type", set_attr(el("CustomerInfo", "Email"), "type", "s:int"), None, BOTH, 1,
     "simple type changed from {http://www.w3.org/2001/XMLSchema}string to {http://www.w3.org/2001/XMLSchema}int"),
    ("request: guid pattern changed", set_attr("//s:simpleType[@name='guid']//s:pattern", "value", "[0-9a-f]{32}"),
     None, BOTH, 1, "CustomerInfo/Id: restriction changed: pattern"),
    ("request: enumeration value added", add_enum("Channel", "POST"), with_channel_enum, BOTH, 0,
     "CustomerInfo/Channel: new enumeration value POST"),
    ("request: enumeration value removed", remove("//s:simpleType[@name='Channel']//s:enumeration[@value='SMS']"),
     with_channel_enum, BOTH, 1, "CustomerInfo/Channel: enumeration value SMS removed"),
    ("response: new element", add_element("EnquiryResult", "Message", "ReferenceNumber", "s:string"), None, BOTH, 0,
     "ConfirmCustomerUserMFAResult/ReferenceNumber: new element"),
    ("response: new required element", add_element("EnquiryResult", "Message", "Count", "s:int", "1"), None, BOTH, 0,
     "ConfirmCustomerUserMFAResult/Count: new element"),
    ("response: element removed", remove(el("EnquiryResult", "ExceptionMessage")), None, BOTH, 1,
     "ConfirmCustomerUserMFAResult/ExceptionMessage: removed"),
    ("response: element may now be absent", set_attr(el("EnquiryResult", "IsSystemError"), "minOccurs", "0"), None,
     BOTH, 1, "IsSystemError: may now be absent"),
    ("response: new SuccessCode value", add_enum("SuccessCode", "LOCKED"), None, BOTH, 0,
     "SuccessCode: new SuccessCode value LOCKED"),
    ("response: new value of another enumeration", add_enum("Stage", "PENDING"), with_stage_enum, BOTH, 1,
     "Stage: new enumeration value PENDING"),
    ("response: enumeration value removed", remove("//s:simpleType[@name='Stage']//s:enumeration[@value='CLOSED']"),
     with_stage_enum, BOTH, 0, "Stage: enumeration value CLOSED removed"),
    ("response: another simple type", set_attr(el("EnquiryResult", "IsSystemError"), "type", "s:string"), None, BOTH,
     1, "IsSystemError: simple type changed"),
    ("response: a simple element becomes complex", set_attr(el("EnquiryResult", "Message"), "type", "tns:UserInfo"),
     None, BOTH, 1, "Message: type changed from simple"),
    ("elements reordered (reported, not breaking)", swap_first_two("CustomerInfo"), None, BOTH, 0,
     "elements reordered: Id Email Password MFACode TemporaryPassword NewPassword -> Email Id"),
    ("complex type renamed (not breaking)", rename_type("CustomerInfo", "CustomerUserDetails"), None, BOTH, 0,
     "type CustomerInfo renamed to CustomerUserDetails"),
    ("enumeration type renamed (not breaking)", rename_type("SuccessCode", "ResultCode"), None, BOTH, 0,
     "type SuccessCode renamed to ResultCode"),
    ("the same structure through a base type (complexContent extension)", extension_layout, None, BOTH, 0,
     "diff: unchanged"),
    ("SOAPAction changed in the SOAP 1.2 binding",
     set_attr("//wsdl:binding[@name='BrightOfficeAPISoap12']/wsdl:operation[@name='CustomerUserSendResetPassword']"
              "/soap12:operation", "soapAction", "http://tempuri.org/SendReset"), None, BOTH, 1,
     "SOAP 1.2 binding: SOAPAction changed from 'http://tempuri.org/CustomerUserSendResetPassword' to "
     "'http://tempuri.org/SendReset'"),
    ("style changed to rpc", set_attr("//wsdl:binding[@name='BrightOfficeAPISoap']/wsdl:operation"
                                      "[@name='ConfirmCustomerUserMFA']/soap:operation", "style", "rpc"),
     None, BOTH, 1, "SOAP 1.1 binding: style changed from 'document' to 'rpc'"),
    ("the SOAP 1.2 binding gone", remove_all("//wsdl:binding[@name='BrightOfficeAPISoap12'] | "
                                             "//wsdl:port[@name='BrightOfficeAPISoap12']"),
     None, BOTH, 1, "no SOAP 1.2 binding has the operation any more"),
    ("namespace changed", new_namespace, None, BOTH, 1,
     "namespace of element ConfirmCustomerUserMFA changed from http://tempuri.org/ to http://tempuri.org/v2/"),
    ("elementFormDefault unqualified (children lose the namespace)",
     set_attr("//s:schema[@targetNamespace='http://tempuri.org/']", "elementFormDefault", "unqualified"), None, BOTH, 1,
     "ConfirmCustomerUserMFA/CustomerInfo: namespace changed from 'http://tempuri.org/' to ''"),
    ("operation gone", remove_all("//wsdl:operation[@name='CustomerUserSendResetPassword']"), None, BOTH, 1,
     "CustomerUserSendResetPassword: BREAKING\n  breaking  CustomerUserSendResetPassword: the operation is gone"),
    ("an operation outside OPERATIONS gone: not compared",
     remove_all("//wsdl:operation[@name='CustomerUserSendResetPassword']"), None, "ConfirmCustomerUserMFA", 0,
     "diff: unchanged"),
    ("a new operation outside OPERATIONS: not reported", new_operation, None, BOTH, 0, "diff: unchanged",
     "new operation"),
    ("a new operation with OPERATIONS=all: reported, not compared, the verdict unchanged", new_operation, None, "all",
     0, "CustomerUserDelete: new operation (not compared)\ndiff: unchanged (0 breaking, 0 additive changes)"),
    ("a new operation with OPERATIONS=all beside a breaking change: the verdict is the compared operations'",
     in_turn(new_operation, add_element("CustomerInfo", "Email", "Phone", "s:string", "1")), None,
     "all", 1, "CustomerUserDelete: new operation (not compared)\ndiff: breaking (2 breaking, 0 additive changes)"),
    ("OPERATIONS names an operation the pinned WSDL lacks", None, None, "ConfirmCustomerUserMFA NoSuchOperation", 2,
     "could not compare: operation NoSuchOperation not in the pinned WSDL"),
]


def make_diff(repo, new, pinned, operations, extra=()):
    return L.run_makefile_gsoap(repo, "diff", "WSDL=" + new, "PINNED=" + pinned, "OPERATIONS=" + operations, *extra,
                                timeout=120)


def write(tree_root, path):
    etree.ElementTree(tree_root).write(path, xml_declaration=True, encoding="utf-8")


def split_layout(work, pinned_tree):
    """The pinned WSDL's structure spread over documents: the guid schema imported through an
    ASMX-style ?schema= reference (stored as mstypes.xsd, as fetch does), EnquiryResult and
    SuccessCode in an included document."""
    r = copy.deepcopy(pinned_tree)
    guid_schema = one(r, "//s:schema[@targetNamespace='http://microsoft.com/wsdl/types/']")
    guid_schema.getparent().remove(guid_schema)
    xsd = etree.Element(S + "schema", nsmap={"s": NS["s"]}, elementFormDefault="qualified",
                        targetNamespace="http://microsoft.com/wsdl/types/")
    for child in list(guid_schema):
        xsd.append(child)
    write(xsd, os.path.join(work, "mstypes.xsd"))
    one(r, "//s:import[@namespace='http://microsoft.com/wsdl/types/']").set(
        "schemaLocation", "http://www.example.invalid/Webservices/BrightOfficeAPI.asmx?schema=mstypes")
    inc = etree.Element(S + "schema", nsmap={"s": NS["s"], "tns": "http://tempuri.org/"},
                        elementFormDefault="qualified", targetNamespace="http://tempuri.org/")
    for path in (ctype("EnquiryResult"), "//s:simpleType[@name='SuccessCode']"):
        n = one(r, path)
        n.getparent().remove(n)
        inc.append(n)
    os.makedirs(os.path.join(work, "parts"), exist_ok=True)
    write(inc, os.path.join(work, "parts", "results.xsd"))
    imp = one(r, "//s:import[@namespace='http://microsoft.com/wsdl/types/']")
    imp.addnext(etree.Element(S + "include", schemaLocation="parts/results.xsd"))
    path = os.path.join(work, "split.wsdl")
    write(r, path)
    return path


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repo", required=True)
    args = ap.parse_args()
    repo = os.path.abspath(args.repo)
    report = L.Report("make -f Makefile.gsoap diff: a table of WSDL edits")
    work = tempfile.mkdtemp(prefix="brightoffice-diff-test-")
    try:
        source = etree.parse(os.path.join(repo, "wsdl", "BrightOfficeAPI.wsdl")).getroot()
        for i, (name, edit, both, operations, want, text, *absent) in enumerate(ROWS):
            pinned = copy.deepcopy(source)
            if both:
                both(pinned)
            new = copy.deepcopy(pinned)
            if edit:
                replaced = edit(new)
                if replaced is not None:
                    new = replaced
            pinned_path = os.path.join(work, "pinned-%02d.wsdl" % i)
            new_path = os.path.join(work, "new-%02d.wsdl" % i)
            write(pinned, pinned_path)
            write(new, new_path)
            rc, out, err = make_diff(repo, new_path, pinned_path, operations)
            report.check("%s: exit %d, the report says %r%s" % (
                             name, want, text.split("\n")[-1], "".join(" and not %r" % a for a in absent)),
                         rc == want and text in out and not any(a in out for a in absent),
                         "exit %d; stdout:\n%s\nstderr:\n%s" % (rc, out, err))

        # The same structure spread over an import (?schema= as fetch stores it) and an include.
        pinned_path = os.path.join(repo, "wsdl", "BrightOfficeAPI.wsdl")
        split = split_layout(work, source)
        rc, out, err = make_diff(repo, split, pinned_path, BOTH)
        report.check("the same structure across an imported and an included document: exit 0, unchanged",
                     rc == 0 and "diff: unchanged" in out, "exit %d; %s %s" % (rc, out, err))
        rc, out, err = make_diff(repo, pinned_path, split, BOTH)
        report.check("... and the other way round (the split WSDL pinned): exit 0, unchanged",
                     rc == 0 and "diff: unchanged" in out, "exit %d; %s %s" % (rc, out, err))
        os.rename(os.path.join(work, "mstypes.xsd"), os.path.join(work, "mstypes.xsd.away"))
        rc, out, err = make_diff(repo, split, pinned_path, BOTH)
        report.check("an imported document that is not there: exit 2, naming it",
                     rc == 2 and "mstypes.xsd" in out and "could not compare" in out, "exit %d; %s %s" % (rc, out, err))

        # Could not compare.
        rc, out, err = make_diff(repo, os.path.join(work, "nothing-here.wsdl"), pinned_path, BOTH)
        report.check("a new WSDL that does not exist: exit 2", rc == 2 and "could not compare" in out,
                     "exit %d; %s %s" % (rc, out, err))
        bad = os.path.join(work, "bad.wsdl")
        with open(bad, "w") as f:
            f.write("<wsdl:definitions xmlns:wsdl='http://schemas.xmlsoap.org/wsdl/'><unclosed>")
        rc, out, err = make_diff(repo, bad, pinned_path, BOTH)
        report.check("a new WSDL that is not XML: exit 2", rc == 2 and "not well-formed" in out,
                     "exit %d; %s %s" % (rc, out, err))
        rc, out, err = make_diff(repo, pinned_path, bad, BOTH)
        report.check("a pinned WSDL that is not XML: exit 2", rc == 2 and "the pinned WSDL" in out,
                     "exit %d; %s %s" % (rc, out, err))

        # A URL is fetched first; the default OPERATIONS and PINNED are the repository's.
        served = os.path.join(work, "served")
        os.makedirs(served)
        r = copy.deepcopy(source)
        add_element("EnquiryResult", "Message", "ReferenceNumber", "s:string")(r)
        write(r, os.path.join(served, "additive.wsdl"))
        r = copy.deepcopy(source)
        remove(el("UserInfo", "Password"))(r)
        write(r, os.path.join(served, "breaking.wsdl"))
        handler = lambda *a, **k: Quiet(*a, directory=served, **k)  # noqa: E731
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = "http://127.0.0.1:%d/" % server.server_address[1]
        try:
            for name, want, text in (("additive.wsdl", 0, "ReferenceNumber: new element"),
                                     ("breaking.wsdl", 1, "UserInfo/Password: removed"),
                                     ("missing.wsdl", 2, "HTTP 404")):
                rc, out, err = L.run_makefile_gsoap(repo, "diff", "WSDL=" + base + name, timeout=120)
                report.check("a URL (%s), default PINNED and OPERATIONS: exit %d, %r" % (name, want, text),
                             rc == want and text in out and "wsdl/BrightOfficeAPI.wsdl (pinned)" in out,
                             "exit %d; %s %s" % (rc, out, err))
        finally:
            server.shutdown()
            server.server_close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return report.finish()


if __name__ == "__main__":
    L.main_guard(main)
