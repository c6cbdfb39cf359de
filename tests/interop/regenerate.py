#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
"""Regeneration for real: bindings generated from WSDLs that real ASMX services publish.

    regenerate.py --repo SOURCE_DIR [--cmake cmake] [--cxx c++] [--jobs N] [--keep DIR]

The two-operation service (asmx/BrightOfficeAPI.cs):
 1. starts it and brings its ?WSDL home with `make -f Makefile.gsoap fetch`: the same operation
    and element names as wsdl/BrightOfficeAPI.wsdl, but type names of its own
    (CustomerUserDetails, ApiUser, ApiResult, ResultCode), as a live WSDL may have;
 2. make -f Makefile.gsoap WSDL=<it> OUT=<scratch>/gen-small;
 3. builds brightoffice-mfa in a scratch CMake build on those bindings
    (-DBRIGHTOFFICE_GENERATED_DIR, -DBRIGHTOFFICE_WSDL) and runs every contract case of both
    operations (cli_contract.py) with it against the service.
The large service (asmx/large_service.py: 265 operations, a typed DataSet behind ?schema=):
 4. starts it, `make -f Makefile.gsoap fetch` stores its WSDL and the DataSet's schema, and
    stops it: everything after this runs offline;
 5. regenerates from the stored WSDL with the default OPERATIONS (wsdl/operations.txt) and
    compares the result with step 2's byte for byte, each WSDL's own service address set
    aside: the trimmed large WSDL and the WSDL that only ever had the two operations give
    the same bindings;
 6. builds brightoffice-mfa on those bindings too; both builds send the same calls to one
    brightoffice-mock --record, and the recorded requests are compared byte for byte;
 7. restarts the large service and runs every contract case of both operations against it
    with the build of step 6.
No file of SOURCE_DIR is changed (generated/ and wsdl/ are checked with git status when
SOURCE_DIR is a git work tree). The untrimmed large bindings are never compiled here (they
take minutes and over a gigabyte of memory; see README "Regenerating the bindings").
"""

import sys
sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree

import argparse
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.parse

from lxml import etree

import cli_contract
import interop_lib as L
from interop_lib import NS


def run(report, name, argv, cwd=None, timeout=600):
    L.log("$ " + " ".join(argv))
    start = time.monotonic()
    p = subprocess.run(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=timeout)
    out = p.stdout.decode(errors="replace")
    ok = report.check("%s (%.0f s)" % (name, time.monotonic() - start), p.returncode == 0,
                      "exit %d; output (last 6000 characters):\n%s" % (p.returncode, out[-6000:]))
    return ok, out


def git_status(repo):
    if not os.path.isdir(os.path.join(repo, ".git")) and not os.path.isfile(os.path.join(repo, ".git")):
        return None
    if shutil.which("git") is None:
        return None
    # Only what Makefile.gsoap writes by default: the committed bindings and the WSDL folder.
    p = subprocess.run(["git", "-C", repo, "status", "--porcelain", "--", "generated", "wsdl", "Makefile.gsoap"],
                       capture_output=True, timeout=60)
    return p.stdout if p.returncode == 0 else None


def build_cli(report, args, repo, gen, wsdl, build, label):
    """A scratch CMake build of brightoffice-mfa on the bindings in gen; its path, or None."""
    configure = [args.cmake, "-S", repo, "-B", build, "-DCMAKE_BUILD_TYPE=Debug", "-DBRIGHTOFFICE_BUILD_TESTS=OFF",
                 "-DBRIGHTOFFICE_BUILD_BENCH=OFF", "-DBRIGHTOFFICE_BUILD_EXAMPLES=OFF", "-DBRIGHTOFFICE_BUILD_DOCS=OFF",
                 "-DBRIGHTOFFICE_GENERATED_DIR=" + gen, "-DBRIGHTOFFICE_WSDL=" + wsdl]
    if args.cxx:
        configure.append("-DCMAKE_CXX_COMPILER=" + args.cxx)
    ok, _ = run(report, "configure a scratch build on the bindings from %s" % label, configure)
    if ok:
        ok, _ = run(report, "build brightoffice-mfa on the bindings from %s (no hand-written file changed)" % label,
                    [args.cmake, "--build", build, "--target", "brightoffice-mfa", "-j", args.jobs], timeout=900)
    return os.path.join(build, "brightoffice-mfa") if ok else None


def read_wsdl(wsdl_path):
    """The WSDL's root element (lxml; no DTD, no entities, no network)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.parse(wsdl_path, parser).getroot()


def service_address(wsdl_path):
    """The location of the WSDL's first SOAP 1.1 address, or None."""
    hits = read_wsdl(wsdl_path).xpath("//wsdl:port/soap:address/@location", namespaces=NS)
    return str(hits[0]) if hits else None


def compare_generated(report, a_dir, a_address, b_dir, b_address):
    """generated/ folders a and b byte for byte, each one's service address set aside."""
    names_a = sorted(os.path.relpath(p, a_dir) for p in glob.glob(os.path.join(a_dir, "**"), recursive=True)
                     if os.path.isfile(p))
    names_b = sorted(os.path.relpath(p, b_dir) for p in glob.glob(os.path.join(b_dir, "**"), recursive=True)
                     if os.path.isfile(p))
    if not report.check("the trimmed large WSDL and the two-operation WSDL give the same files (%d)" % len(names_a),
                        names_a == names_b and len(names_a) >= 10, "%r\n%r" % (names_a, names_b)):
        return
    differing, address_lines = [], 0
    for name in names_a:
        a = open(os.path.join(a_dir, name), "rb").read()
        b = open(os.path.join(b_dir, name), "rb").read()
        if a != b:
            address_lines += sum(1 for x, y in zip(a.split(b"\n"), b.split(b"\n")) if x != y)
        if a.replace(a_address.encode(), b"<address>") != b.replace(b_address.encode(), b"<address>"):
            differing.append(name)
    total = sum(os.path.getsize(os.path.join(a_dir, n)) for n in names_a)
    report.check("... byte for byte (%d bytes), but for the service address each WSDL names (%d lines)"
                 % (total, address_lines), not differing and address_lines > 0,
                 "these differ beyond the address: %s (diff -r %s %s)" % (differing, a_dir, b_dir))


# The calls both builds make to one recording mock: (command, arguments, environment).
RECORDED_CALLS = [
    ("confirm", ["--soap", "1.1", "--email", "jane@example.com", "--id", L.GUID, "--mfa-code", "123456"],
     {"BRIGHTOFFICE_CUSTOMER_PASSWORD": "old<&>", "BRIGHTOFFICE_TEMPORARY_PASSWORD": "",
      "BRIGHTOFFICE_NEW_PASSWORD": "n\u00e9w"}),
    ("confirm", ["--soap", "1.2", "--email", "zo\u00eb&<x>@\u00e9xample.com"], {}),
    ("send-reset", ["--soap", "1.1", "--email", "jane@example.com", "--id", L.GUID.upper()],
     {"BRIGHTOFFICE_MFA_CODE": "123456", "BRIGHTOFFICE_TEMPORARY_PASSWORD": "tmp"}),
    ("send-reset", ["--soap", "1.2", "--email", "o'brien@example.com"], {"BRIGHTOFFICE_NEW_PASSWORD": ""}),
]


def record_requests(report, mock_binary, clis):
    """{label: [request bytes]}: each CLI makes RECORDED_CALLS against one brightoffice-mock --record."""
    record = tempfile.mkdtemp(prefix="brightoffice-record-")
    out = {}
    try:
        with L.start_mock(mock_binary, "--record", record) as mock:
            for label, cli in clis:
                out[label] = []
                for command, argv, extra in RECORDED_CALLS:
                    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIGHTOFFICE_")}
                    env.update({"BRIGHTOFFICE_USERNAME": "api-user", "BRIGHTOFFICE_PASSWORD": "api-secret"}, **extra)
                    before = set(os.listdir(record))
                    p = subprocess.run([cli, command, "--endpoint", mock.endpoint, "--json"] + argv, env=env,
                                       capture_output=True, timeout=60, stdin=subprocess.DEVNULL)
                    new = sorted(set(os.listdir(record)) - before)
                    if report.check("%s: %s %s reached the recording mock" % (label, command, " ".join(argv[:2])),
                                    len(new) == 1, "exit %d %r %r; recorded %r" % (p.returncode, p.stdout, p.stderr, new)):
                        out[label].append(open(os.path.join(record, new[0]), "rb").read())
                    else:
                        out[label].append(None)
    finally:
        shutil.rmtree(record, ignore_errors=True)
    return out


def refuses_connections(endpoint):
    url = urllib.parse.urlsplit(endpoint)
    try:
        socket.create_connection((url.hostname, url.port), timeout=2).close()
        return False
    except OSError:
        return True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repo", required=True)
    ap.add_argument("--mock", required=True, help="brightoffice-mock of the main build (records the requests)")
    ap.add_argument("--cmake", default="cmake")
    ap.add_argument("--cxx")
    ap.add_argument("--jobs", default=str(os.cpu_count() or 2))
    ap.add_argument("--keep", help="use and keep this scratch folder instead of a temporary one")
    args = ap.parse_args()
    repo = os.path.abspath(args.repo)
    facade = L.facade_operations(repo)
    kept = "%d of %%d operations: %s" % (len(facade), " ".join(facade))  # trim's line, % the WSDL's count
    report = L.Report("regenerated bindings from the WSDLs of real ASMX services (2 and 265 operations)")
    scratch = args.keep or tempfile.mkdtemp(prefix="brightoffice-regen-")
    if args.keep:
        shutil.rmtree(scratch, ignore_errors=True)
        os.makedirs(scratch)
    before = git_status(repo)
    try:
        # --- the two-operation service --------------------------------------------------------
        small = os.path.join(scratch, "small")
        gen_small = os.path.join(scratch, "gen-small")
        cli_small = None
        with L.start_asmx() as asmx:
            ok, _ = run(report, "make -f Makefile.gsoap fetch WSDL=<ASMX ?WSDL> DEST=<scratch>/small",
                        L.makefile_gsoap(repo, "fetch", "WSDL=" + asmx.endpoint + "?WSDL", "DEST=" + small))
            wsdl = os.path.join(small, "BrightOfficeAPI.wsdl")
            text = open(wsdl, encoding="utf-8").read() if ok else ""
            root = read_wsdl(wsdl) if ok else etree.Element("none")
            names = set(root.xpath("//@name"))
            report.check("the ASMX WSDL names its own types (CustomerUserDetails, ApiUser, ApiResult, ResultCode)",
                         all(t in names for t in ("CustomerUserDetails", "ApiUser", "ApiResult", "ResultCode"))
                         and "EnquiryResult" not in names, text[:3000])
            bindings = [b.get("name") for b in root.xpath("//wsdl:binding", namespaces=NS)]
            operations = [o.get("name") for o in root.xpath("//wsdl:operation", namespaces=NS)]
            report.check("the ASMX WSDL has exactly the two SOAP bindings and both customer-user operations",
                         sorted(bindings) == ["BrightOfficeAPISoap", "BrightOfficeAPISoap12"]
                         and operations.count("CustomerUserSendResetPassword") == 3
                         and len(operations) == 6, text[-3000:])
            ok, out = run(report, "make -f Makefile.gsoap WSDL=<ASMX WSDL> OUT=<scratch>/gen-small",
                          L.makefile_gsoap(repo, "WSDL=" + wsdl, "OUT=" + gen_small))
            if ok:
                report.check("... keeps both operations of the WSDL", (kept % 2) in out, out)
                header = open(os.path.join(gen_small, "brightoffice_api.h"), encoding="utf-8", errors="replace").read()
                report.check("the regenerated bindings come from the ASMX WSDL (they declare tempuri__ApiResult)",
                             "tempuri__ApiResult" in header and "tempuri__EnquiryResult" not in header,
                             "brightoffice_api.h does not look generated from the ASMX WSDL")
                cli_small = build_cli(report, args, repo, gen_small, wsdl, os.path.join(scratch, "build-small"),
                                      "the two-operation WSDL")
                if cli_small:
                    cli_contract.run_cases(report, cli_small, asmx.endpoint,
                                           "regenerated brightoffice-mfa (two-operation WSDL) vs ASMX")

        # --- the large service ----------------------------------------------------------------
        large_cs = os.path.join(scratch, "BrightOfficeLarge.cs")
        ok, _ = run(report, "asmx/large_service.py writes the large service", L.write_large_service_argv(large_cs))
        live = os.path.join(scratch, "live")
        with L.start_large_asmx(large_cs) as large:
            large_endpoint = large.endpoint
            ok, _ = run(report, "make -f Makefile.gsoap fetch WSDL=<large ASMX ?WSDL> DEST=<scratch>/live",
                        L.makefile_gsoap(repo, "fetch", "WSDL=" + large.endpoint + "?WSDL", "DEST=" + live))
        report.check("the large service is stopped: what follows is offline", refuses_connections(large_endpoint),
                     large_endpoint)
        live_wsdl = os.path.join(live, "BrightOfficeAPI.wsdl")
        files = sorted(os.listdir(live)) if os.path.isdir(live) else []
        text = open(live_wsdl, encoding="utf-8").read() if os.path.exists(live_wsdl) else ""
        p = subprocess.run(["/usr/bin/python3", os.path.join(repo, "tools", "wsdl", "trim.py"), "--list", live_wsdl],
                           capture_output=True)
        ops = p.stdout.decode().split()
        report.check("fetch stored the WSDL (%d operations, %d bytes) and the DataSet schema ASMX publishes at "
                     "?schema=CaseDataSet" % (len(ops), len(text)),
                     files == ["BrightOfficeAPI.wsdl", "CaseDataSet.xsd"] and len(ops) >= 252
                     and 'schemaLocation="CaseDataSet.xsd"' in text and "?schema=" not in text,
                     "files %r, %d operations" % (files, len(ops)))
        gen_large = os.path.join(scratch, "gen-large")
        ok, out = run(report, "offline: make -f Makefile.gsoap WSDL=<scratch>/live/BrightOfficeAPI.wsdl "
                              "OUT=<scratch>/gen-large (default OPERATIONS)",
                      L.makefile_gsoap(repo, "WSDL=" + live_wsdl, "OUT=" + gen_large))
        if ok:
            report.check("... keeps the facade's two operations of %d" % len(ops), (kept % len(ops)) in out, out)
            if os.path.isdir(gen_small):
                compare_generated(report, gen_large, service_address(live_wsdl), gen_small,
                                  service_address(os.path.join(small, "BrightOfficeAPI.wsdl")))
            # The mock of this build serves the trimmed WSDL.
            trimmed = os.path.join(scratch, "trimmed")
            run(report, "trim.py writes the trimmed WSDL for the build's mock",
                ["/usr/bin/python3", os.path.join(repo, "tools", "wsdl", "trim.py"), "--operations",
                 " ".join(facade), "--out", trimmed, live_wsdl])
            cli_large = build_cli(report, args, repo, gen_large, os.path.join(trimmed, "BrightOfficeAPI.wsdl"),
                                  os.path.join(scratch, "build-large"), "the trimmed large WSDL")
            if cli_large and cli_small:
                recorded = record_requests(report, args.mock, [("two-operation build", cli_small),
                                                                ("trimmed large build", cli_large)])
                for i, (command, argv, _) in enumerate(RECORDED_CALLS):
                    a = recorded["trimmed large build"][i]
                    b = recorded["two-operation build"][i]
                    report.check("%s %s: both builds send the same request, byte for byte" % (command, " ".join(argv[:2])),
                                 a is not None and a == b,
                                 "trimmed large build:\n%r\ntwo-operation build:\n%r" % (a, b))
            if cli_large:
                with L.start_large_asmx(large_cs) as large:
                    cli_contract.run_cases(report, cli_large, large.endpoint,
                                           "regenerated brightoffice-mfa (trimmed large WSDL) vs the large service")
        after = git_status(repo)
        if before is not None:
            report.check("generated/, wsdl/ and Makefile.gsoap of the source tree unchanged by the test (git status)",
                         before == after,
                         "git status before:\n%s\nafter:\n%s" % (before.decode(), (after or b"").decode()))
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)
    return report.finish()


if __name__ == "__main__":
    L.main_guard(main)
