# SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
"""Shared helpers of the interop test drivers (Debian's /usr/bin/python3, standard library only).

Starts and stops the servers the drivers talk to (brightoffice-mock, the real ASMX service on
Mono), always on 127.0.0.1 and free ports, and keeps the per-case PASS/FAIL lines and the
closing "N passed, N failed" line. For the tests of Makefile.gsoap and its WSDL tools: the
command line of `make -f Makefile.gsoap`, the facade's operations (wsdl/operations.txt), and
the namespaces, one() and text() of their lxml edits (python3-lxml, imported only by text()).
"""

import os
import re
import select
import signal
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.path.dirname(os.path.dirname(HERE))
ASMX_START = os.path.join(HERE, "asmx", "start.sh")
READY = re.compile(r"^listening on (http://127\.0\.0\.1:\d+/Webservices/BrightOfficeAPI\.asmx)\s*$")

# Loopback only, never through a proxy.
for _name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
    os.environ.pop(_name, None)
os.environ["no_proxy"] = os.environ["NO_PROXY"] = "127.0.0.1,localhost"

NIL_GUID = "00000000-0000-0000-0000-000000000000"
GUID = "3f2504e0-4f89-11d3-9a0c-0305e82c3301"
ASMX_FAULT_PREFIX = "Server was unable to process request. ---> "


def log(*parts):
    print(*parts, flush=True)


# --- Makefile.gsoap and its WSDL tools ---------------------------------------------------------------
def makefile_gsoap(repo, *args):
    """The command line of `make -f Makefile.gsoap ARGS` in repo (-s: make's own lines left out)."""
    return ["make", "--no-print-directory", "-s", "-C", repo, "-f", "Makefile.gsoap"] + list(args)


def run_makefile_gsoap(repo, *args, timeout=300):
    """(exit status, stdout, stderr) of `make -f Makefile.gsoap ARGS` in repo."""
    p = subprocess.run(makefile_gsoap(repo, *args), stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout)
    return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")


def facade_operations(repo=SOURCE_DIR):
    """The operations the facade uses, as Makefile.gsoap reads its default OPERATIONS from
    repo's wsdl/operations.txt: the lines that begin with a letter or _ (blank lines and #
    comments left out)."""
    with open(os.path.join(repo, "wsdl", "operations.txt"), encoding="utf-8") as f:
        return [name for line in f if re.match(r"[A-Za-z_]", line) for name in line.split()]


# XPath prefixes of a WSDL, and the {namespace} prefixes of XML Schema and WSDL tags (lxml).
NS = {"wsdl": "http://schemas.xmlsoap.org/wsdl/", "s": "http://www.w3.org/2001/XMLSchema",
      "soap": "http://schemas.xmlsoap.org/wsdl/soap/", "soap12": "http://schemas.xmlsoap.org/wsdl/soap12/"}
S = "{http://www.w3.org/2001/XMLSchema}"
W = "{http://schemas.xmlsoap.org/wsdl/}"


def one(root, path):
    """The one node that path (XPath, prefixes of NS) matches under root; AssertionError otherwise."""
    hits = root.xpath(path, namespaces=NS)
    if len(hits) != 1:
        raise AssertionError("%s matched %d nodes" % (path, len(hits)))
    return hits[0]


def text(root):
    """root as a UTF-8 document with an XML declaration."""
    from lxml import etree
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


class Report:
    """PASS/FAIL lines, one per case, and the closing count."""

    def __init__(self, title):
        self.title = title
        self.passed = 0
        self.failed = 0
        self.notes = []
        log("== " + title)

    def check(self, name, ok, detail=""):
        if ok:
            self.passed += 1
            log("PASS " + name)
        else:
            self.failed += 1
            log("FAIL " + name + (": " + detail if detail else ""))
        return ok

    def note(self, text):
        """A behaviour worth knowing that is not a failure (e.g. a difference between stacks)."""
        self.notes.append(text)
        log("NOTE " + text)

    def finish(self):
        log("%d passed, %d failed" % (self.passed, self.failed))
        if self.passed == 0 and self.failed == 0:
            log("FAIL no case ran")
            return 1
        return 0 if self.failed == 0 else 1


def _die_with_parent():
    """In the child before exec: get SIGTERM when the driver dies, even by SIGKILL (e.g. a
    ctest timeout), so that no server outlives its test."""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except Exception:
        pass


class Server:
    """A server process started in its own process group; stop() kills the whole group."""

    def __init__(self, argv, name, ready_timeout, cwd=None, env=None):
        self.name = name
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     stdin=subprocess.DEVNULL, cwd=cwd, env=env,
                                     start_new_session=True, preexec_fn=_die_with_parent)
        self.endpoint = None
        self.stderr_text = b""
        deadline = time.monotonic() + ready_timeout
        buf = b""
        streams = [self.proc.stdout, self.proc.stderr]
        while self.endpoint is None:
            left = deadline - time.monotonic()
            if left <= 0:
                self.stop()
                raise RuntimeError("%s did not print its ready line within %d s; stderr:\n%s"
                                   % (name, ready_timeout, self.stderr_text.decode(errors="replace")[-4000:]))
            ready, _, _ = select.select(streams, [], [], min(left, 0.5))
            for s in ready:
                chunk = os.read(s.fileno(), 65536)
                if s is self.proc.stderr:
                    if chunk:
                        self.stderr_text += chunk
                    else:
                        streams = [x for x in streams if x is not s]
                    continue
                if not chunk:
                    self.proc.wait(timeout=10)
                    try:
                        self.stderr_text += self.proc.stderr.read()
                    except Exception:
                        pass
                    self.stop()
                    raise RuntimeError("%s exited (status %s) before it was ready; stderr:\n%s"
                                       % (name, self.proc.returncode,
                                          self.stderr_text.decode(errors="replace")[-4000:]))
                buf += chunk
                for line in buf.decode(errors="replace").splitlines():
                    m = READY.match(line)
                    if m:
                        self.endpoint = m.group(1)
                        break
        # The ready line says it accepts connections; make sure it answers too.
        wait_for_wsdl(self.endpoint, 60)
        log("started %s at %s (pid %d)" % (name, self.endpoint, self.proc.pid))

    def stop(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait(timeout=15)
        else:
            # The group may still hold children of a shell that has exited.
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        for s in (self.proc.stdout, self.proc.stderr):
            try:
                s.close()
            except Exception:
                pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
        return False


def wait_for_wsdl(endpoint, timeout):
    deadline = time.monotonic() + timeout
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    last = None
    while time.monotonic() < deadline:
        try:
            with opener.open(endpoint + "?WSDL", timeout=10) as r:
                body = r.read()
                if r.status == 200 and b"ConfirmCustomerUserMFA" in body:
                    return body
                last = "HTTP %d" % r.status
        except Exception as e:  # not up yet
            last = repr(e)
        time.sleep(0.2)
    raise RuntimeError("%s?WSDL did not answer within %d s (%s)" % (endpoint, timeout, last))


def start_asmx(source=None, cls=None, name="ASMX service (Mono)"):
    """The real ASMX service on Mono (tests/interop/asmx/start.sh); builds it when needed.
    source/cls: another service class (e.g. the large one of asmx/large_service.py)."""
    argv = ["bash", ASMX_START]
    if source:
        argv += ["--source", source, "--class", cls]
    return Server(argv + ["0"], name, ready_timeout=300)


# The large ASMX service: asmx/large_service.py writes its C# source (265 operations, a typed
# DataSet), start_large_asmx() starts it.
LARGE_CLASS = "BrightOfficeLarge.BrightOfficeAPI"


def write_large_service_argv(source):
    """The command line that writes the large service's C# source to source."""
    return ["/usr/bin/python3", os.path.join(HERE, "asmx", "large_service.py"), source]


def start_large_asmx(source):
    """The large service (its source written by write_large_service_argv) on Mono."""
    return start_asmx(source, LARGE_CLASS, "large ASMX service (Mono)")


def start_mock(mock_binary, *args):
    return Server([mock_binary, "--port", "0"] + list(args), "brightoffice-mock", ready_timeout=30)


def install_signal_handlers():
    """Turn SIGTERM/SIGINT (e.g. ctest's timeout) into SystemExit so that `with` blocks stop
    the servers."""
    def handler(signum, frame):
        raise SystemExit(128 + signum)
    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


def main_guard(fn):
    install_signal_handlers()
    try:
        code = fn()
    except SystemExit:
        raise
    except BaseException as e:  # a harness error is a failure, loudly
        import traceback
        traceback.print_exc()
        log("FAIL harness error: %r" % (e,))
        log("0 passed, 1 failed")
        code = 1
    sys.exit(code)
