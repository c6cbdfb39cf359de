#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
"""Regeneration for real: bindings generated from the WSDL that a real ASMX service publishes.

    regenerate.py --repo SOURCE_DIR [--cmake cmake] [--cxx c++] [--jobs N] [--keep DIR]

1. starts the ASMX service (tests/interop/asmx/start.sh) and saves its ?WSDL: the same
   operation and element names as wsdl/BrightOfficeAPI.wsdl, but type names of its own
   (CustomerUserDetails, ApiUser, ApiResult, ResultCode instead of CustomerInfo, UserInfo,
   EnquiryResult, SuccessCode), as a live WSDL may have;
2. make -f Makefile.gsoap -C SOURCE_DIR WSDL=<that file> OUT=<scratch>/generated;
3. configures a scratch CMake build of SOURCE_DIR with -DBRIGHTOFFICE_GENERATED_DIR and
   -DBRIGHTOFFICE_WSDL pointing there, and builds only brightoffice-mfa;
4. runs every contract case (cli_contract.py) with that brightoffice-mfa against the service.
No file of SOURCE_DIR is changed (generated/ and wsdl/ are checked with git status when
SOURCE_DIR is a git work tree).
"""

import sys
sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree

import argparse
import os
import shutil
import subprocess
import tempfile
import time

import cli_contract
import interop_lib as L


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
    if not os.path.isdir(os.path.join(repo, ".git")) or shutil.which("git") is None:
        return None
    # Only what Makefile.gsoap writes by default: the committed bindings and the WSDL folder.
    p = subprocess.run(["git", "-C", repo, "status", "--porcelain", "--", "generated", "wsdl", "Makefile.gsoap"],
                       capture_output=True, timeout=60)
    return p.stdout if p.returncode == 0 else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repo", required=True)
    ap.add_argument("--cmake", default="cmake")
    ap.add_argument("--cxx")
    ap.add_argument("--jobs", default=str(os.cpu_count() or 2))
    ap.add_argument("--keep", help="use and keep this scratch folder instead of a temporary one")
    args = ap.parse_args()
    repo = os.path.abspath(args.repo)
    report = L.Report("regenerated bindings from the real ASMX service's WSDL")
    scratch = args.keep or tempfile.mkdtemp(prefix="brightoffice-regen-")
    if args.keep:
        shutil.rmtree(scratch, ignore_errors=True)
        os.makedirs(scratch)
    before = git_status(repo)
    try:
        with L.start_asmx() as asmx:
            wsdl = os.path.join(scratch, "asmx", "BrightOfficeAPI.wsdl")
            os.makedirs(os.path.dirname(wsdl))
            body = L.fetch_wsdl(asmx.endpoint)
            with open(wsdl, "wb") as f:
                f.write(body)
            text = body.decode("utf-8")
            report.check("the ASMX WSDL names its own types (CustomerUserDetails, ApiUser, ApiResult, ResultCode)",
                         all('name="%s"' % t in text for t in ("CustomerUserDetails", "ApiUser", "ApiResult", "ResultCode"))
                         and 'name="EnquiryResult"' not in text, text[:3000])
            report.check("the ASMX WSDL has exactly the two SOAP bindings",
                         text.count("<wsdl:binding ") == 2 and 'name="BrightOfficeAPISoap"' in text
                         and 'name="BrightOfficeAPISoap12"' in text, text[-3000:])

            gen = os.path.join(scratch, "generated")
            ok, _ = run(report, "make -f Makefile.gsoap WSDL=<ASMX WSDL> OUT=<scratch>/generated",
                        ["make", "--no-print-directory", "-f", os.path.join(repo, "Makefile.gsoap"), "-C", repo,
                         "WSDL=" + wsdl, "OUT=" + gen])
            if ok:
                header = open(os.path.join(gen, "brightoffice_api.h"), encoding="utf-8", errors="replace").read()
                report.check("the regenerated bindings come from the ASMX WSDL (they declare tempuri__ApiResult)",
                             "tempuri__ApiResult" in header and "tempuri__EnquiryResult" not in header,
                             "brightoffice_api.h does not look generated from the ASMX WSDL")
                build = os.path.join(scratch, "build")
                configure = [args.cmake, "-S", repo, "-B", build, "-DCMAKE_BUILD_TYPE=Debug",
                             "-DBRIGHTOFFICE_BUILD_TESTS=OFF",
                             "-DBRIGHTOFFICE_GENERATED_DIR=" + gen, "-DBRIGHTOFFICE_WSDL=" + wsdl]
                if args.cxx:
                    configure.append("-DCMAKE_CXX_COMPILER=" + args.cxx)
                ok, _ = run(report, "configure a scratch build on the regenerated bindings", configure)
                if ok:
                    ok, _ = run(report, "build brightoffice-mfa on the regenerated bindings (no hand-written file changed)",
                                [args.cmake, "--build", build, "--target", "brightoffice-mfa", "-j", args.jobs],
                                timeout=900)
                if ok:
                    cli = os.path.join(build, "brightoffice-mfa")
                    cli_contract.run_cases(report, cli, asmx.endpoint, "regenerated brightoffice-mfa vs ASMX")
        after = git_status(repo)
        if before is not None:
            report.check("generated/, wsdl/ and Makefile.gsoap of the source tree unchanged by the test (git status)", before == after,
                         "git status before:\n%s\nafter:\n%s" % (before.decode(), (after or b"").decode()))
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)
    return report.finish()


if __name__ == "__main__":
    L.main_guard(main)
