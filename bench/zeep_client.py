#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
"""zeep (Debian's python3-zeep) driving ConfirmCustomerUserMFA, for bench/run.sh.

Same command line and JSON line as brightoffice-bench-load:
  zeep_client.py --wsdl FILE --endpoint URL [--concurrency C] [--calls N] [--seconds S]
                 [--warmup W] [--newconn] [--json]
Keep-alive uses one requests.Session per caller; --newconn sends "Connection: close".
"""
import argparse
import json
import sys
import threading
import time

import requests
import zeep
from zeep.transports import Transport

BINDING = "{http://tempuri.org/}BrightOfficeAPISoap"


def make_service(wsdl, endpoint, newconn):
    session = requests.Session()
    if newconn:
        session.headers["Connection"] = "close"
    client = zeep.Client(wsdl, transport=Transport(session=session))
    return client, client.create_service(BINDING, endpoint)


def call(service):
    r = service.ConfirmCustomerUserMFA(
        CustomerInfo={"Id": "00000000-0000-0000-0000-000000000000",
                      "Email": "jane@example.com", "MFACode": "123456"},
        UserInfo={"Username": "api-user", "Password": "api-secret"})
    return r.SuccessCode == "SUCCESS"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--wsdl", required=True)
    p.add_argument("--endpoint", required=True)
    p.add_argument("--concurrency", type=int, default=1)
    p.add_argument("--calls", type=int, default=20000)
    p.add_argument("--seconds", type=float, default=2.0)
    p.add_argument("--warmup", type=int, default=20)
    p.add_argument("--newconn", action="store_true")
    p.add_argument("--json", action="store_true")
    a = p.parse_args()

    lock = threading.Lock()
    state = {"budget": a.calls, "errors": 0, "last_error": ""}
    lat = [[] for _ in range(a.concurrency)]
    barrier = threading.Barrier(a.concurrency + 1)
    stop = [0.0]

    def worker(i):
        try:
            _client, service = make_service(a.wsdl, a.endpoint, a.newconn)
            for _ in range(a.warmup):
                call(service)
        except Exception as e:  # noqa: BLE001
            state["last_error"] = repr(e)
        barrier.wait()
        barrier.wait()
        mine = lat[i]
        while True:
            with lock:
                if state["budget"] <= 0:
                    break
                state["budget"] -= 1
            t0 = time.perf_counter()
            if t0 >= stop[0]:
                break
            try:
                ok = call(service)
            except Exception as e:  # noqa: BLE001
                ok = False
                state["last_error"] = repr(e)
            if not ok:
                with lock:
                    state["errors"] += 1
            mine.append((time.perf_counter() - t0) * 1000.0)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(a.concurrency)]
    for t in threads:
        t.start()
    barrier.wait()
    start = time.perf_counter()
    stop[0] = start + a.seconds
    barrier.wait()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    all_lat = sorted(x for l in lat for x in l)

    def pct(q):
        return all_lat[min(len(all_lat) - 1, int(q * len(all_lat)))] if all_lat else 0.0

    rate = len(all_lat) / elapsed
    if a.json:
        print(json.dumps({"client": "zeep", "concurrency": a.concurrency, "keep_alive": not a.newconn,
                          "calls": len(all_lat), "errors": state["errors"], "seconds": round(elapsed, 3),
                          "calls_per_s": round(rate, 1), "p50_ms": pct(0.5), "p99_ms": pct(0.99)}))
    else:
        print(f"zeep {'newconn' if a.newconn else 'keepalive'} concurrency={a.concurrency}: {len(all_lat)} calls "
              f"in {elapsed:.3f} s, {rate:.1f} calls/s, p50 {pct(0.5):.3f} ms, p99 {pct(0.99):.3f} ms, "
              f"errors {state['errors']}")
    if state["last_error"]:
        print("zeep_client: last error: " + state["last_error"], file=sys.stderr)
    return 0 if state["errors"] == 0 and all_lat else 1


if __name__ == "__main__":
    sys.exit(main())
