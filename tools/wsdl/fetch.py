#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
"""Brings a live WSDL home: `make -f Makefile.gsoap fetch WSDL=URL [DEST=dir]`.

    fetch.py --dest DIR [--hosts "h1 h2"] [--max-bytes N] [--max-docs N] [--timeout S] URL

Downloads the WSDL (with curl) as DIR/BrightOfficeAPI.wsdl and, transitively, every document
it imports or includes (wsdl:import location, xs:import / xs:include / xs:redefine
schemaLocation, relative or absolute), each stored beside it under a flat name (ASMX's
`...asmx?schema=NAME` as NAME.xsd, WCF's `?xsd=NAME` / `?wsdl=NAME` as NAME.xsd / NAME.wsdl,
otherwise the last segment of the path) with the references rewritten to those files, so
that wsdl2h (and trim.py, diff.py) can read DIR with no network.

Bounds, each failure naming the document (and which document referred to it):
  --max-bytes   per document (default 16 MiB): the download stops there;
  --max-docs    documents in all, the WSDL included (default 64);
  --hosts       hosts allowed besides the WSDL's own (default none); only http and https,
                no redirects (a 3xx is an error that says where it pointed);
  --timeout     seconds per document (default 60), connecting included.
Nothing is written to DIR unless every document arrived and parsed: the documents are
written to a scratch folder in DIR's parent first and then moved into DIR.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wsdlset as W  # noqa: E402

CURL = os.environ.get("CURL", "curl")
MAIN_NAME = "BrightOfficeAPI.wsdl"


class FetchError(Exception):
    pass


def host_of(url):
    return (urllib.parse.urlsplit(url).hostname or "").lower()


def download(url, max_bytes, timeout, who):
    """The body of url, at most max_bytes, within timeout seconds; FetchError otherwise."""
    what = url if who is None else "%s (referred to by %s)" % (url, who)
    # -w writes the status and where a redirect points to stderr's end; the body streams to
    # stdout, read here in pieces so that a server that sends more than the bound is cut off.
    argv = [CURL, "--silent", "--show-error", "--proto", "=http,https", "--max-redirs", "0",
            "--max-time", str(timeout), "--connect-timeout", str(min(timeout, 30)),
            "--max-filesize", str(max_bytes), "--compressed",
            "--write-out", "%{stderr}\n@@status %{http_code} %{redirect_url}\n",
            "--output", "-", "--", url]
    try:
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    except OSError as e:
        raise FetchError("cannot run %s: %s" % (CURL, e.strerror))
    chunks = []
    size = 0
    over = False
    while True:
        chunk = proc.stdout.read(65536)
        if not chunk:
            break
        size += len(chunk)
        if size > max_bytes:
            over = True
            proc.kill()
            break
        chunks.append(chunk)
    try:
        _, err = proc.communicate(timeout=timeout + 10)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
    err = err.decode("utf-8", errors="replace")
    if over or proc.returncode == 63:
        raise FetchError("%s is larger than FETCH_MAX_BYTES (%d bytes)" % (what, max_bytes))
    status, redirect = 0, ""
    lines = err.strip().splitlines()
    for line in lines:
        if line.startswith("@@status "):
            fields = line.split(" ", 2)
            status = int(fields[1]) if fields[1].isdigit() else 0
            redirect = fields[2].strip() if len(fields) > 2 else ""
    message = " ".join(l for l in lines if not l.startswith("@@status ")).strip()
    if proc.returncode == 28:
        raise FetchError("%s: no complete answer within FETCH_TIMEOUT (%d s)" % (what, timeout))
    if proc.returncode != 0:
        raise FetchError("%s: %s (curl exit %d)" % (what, message or "download failed", proc.returncode))
    if 300 <= status < 400:
        raise FetchError("%s: HTTP %d, a redirect to %s: redirects are not followed, use that URL"
                         % (what, status, redirect or "(no Location)"))
    if status != 200:
        raise FetchError("%s: HTTP %d" % (what, status))
    return b"".join(chunks)


def fetch(url, dest, hosts=(), max_bytes=16 << 20, max_docs=64, timeout=60, log=None):
    """Fetches url and what it imports into dest; returns the file names written."""
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError("fetch needs WSDL=<an http:// or https:// URL>, not %r" % url)
    allowed = {host_of(url)} | {h.lower() for h in hosts}
    names = {}          # absolute URL (no fragment) -> local file name
    docs = []           # (name, tree)
    queue = [(url, MAIN_NAME, None, "wsdl")]
    names[urllib.parse.urldefrag(url)[0]] = MAIN_NAME
    while queue:
        doc_url, name, who, kind = queue.pop(0)
        if len(docs) >= max_docs:
            raise FetchError("%s (referred to by %s) would be document %d: more than FETCH_MAX_DOCS (%d)"
                             % (doc_url, who, len(docs) + 1, max_docs))
        body = download(doc_url, max_bytes, timeout, who)
        tree = W.parse_bytes(body, doc_url if who is None else "%s (referred to by %s)" % (doc_url, who))
        root = tree.getroot()
        if who is None:
            W.require_wsdl_root(root, doc_url)
        if log:
            log("fetch: %s -> %s (%d bytes)" % (doc_url, name, len(body)))
        for el, attr, ref_kind in W.references(root):
            target = urllib.parse.urldefrag(urllib.parse.urljoin(doc_url, el.get(attr).strip()))[0]
            parts = urllib.parse.urlsplit(target)
            if parts.scheme.lower() not in ("http", "https"):
                raise FetchError("%s refers to %s: only http and https documents are fetched" % (doc_url, target))
            if host_of(target) not in allowed:
                raise FetchError("%s refers to %s on host %s, which is not the WSDL's host %s; "
                                 "list it in FETCH_HOSTS to allow it"
                                 % (doc_url, target, host_of(target), host_of(url)))
            if target not in names:
                local = W.unique_name(W.local_name_for_url(target, ref_kind), set(names.values()))
                names[target] = local
                queue.append((target, local, doc_url, ref_kind))
            el.set(attr, names[target])
        docs.append((name, tree))

    # Everything arrived: write into a scratch folder beside dest, then move the files in.
    dest = os.path.abspath(dest)
    parent = os.path.dirname(dest)
    os.makedirs(parent, exist_ok=True)
    scratch = tempfile.mkdtemp(prefix=".fetch-", dir=parent)
    try:
        for name, tree in docs:
            tree.write(os.path.join(scratch, name), xml_declaration=True, encoding="utf-8")
        os.makedirs(dest, exist_ok=True)
        for name, _ in docs:
            os.replace(os.path.join(scratch, name), os.path.join(dest, name))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return [name for name, _ in docs]


def add_bound_arguments(ap):
    ap.add_argument("--hosts", default="", help="hosts allowed besides the WSDL's own, space-separated")
    ap.add_argument("--max-bytes", type=int, default=16 << 20, help="per document (default 16 MiB)")
    ap.add_argument("--max-docs", type=int, default=64, help="documents in all (default 64)")
    ap.add_argument("--timeout", type=int, default=60, help="seconds per document (default 60)")


def bounds(args):
    for name in ("max_bytes", "max_docs", "timeout"):
        if getattr(args, name) <= 0:
            raise FetchError("FETCH_%s must be a positive number" % name.upper())
    return dict(hosts=args.hosts.split(), max_bytes=args.max_bytes, max_docs=args.max_docs, timeout=args.timeout)


def main(argv=None):
    ap = argparse.ArgumentParser(description="Fetch a WSDL and every document it imports, for offline use.")
    ap.add_argument("--dest", required=True)
    add_bound_arguments(ap)
    ap.add_argument("url")
    args = ap.parse_args(argv)
    try:
        written = fetch(args.url, args.dest, log=lambda m: print(m, file=sys.stderr), **bounds(args))
    except (FetchError, W.WsdlError) as e:
        print("fetch: failed: %s" % e, file=sys.stderr)
        return 1
    print("fetch: wrote %s into %s" % (", ".join(written), args.dest))
    return 0


if __name__ == "__main__":
    sys.exit(main())
