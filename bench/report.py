#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
"""Prints bench/run.sh's table from its raw rows and writes the --json list (see run.sh)."""
import argparse
import json
import statistics

CLIENTS = ["raw_socket", "raw_proxy", "facade", "zeep", "node_soap"]


def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--rows", required=True)
    p.add_argument("--memory", required=True)
    p.add_argument("--machine", default="")
    p.add_argument("--elapsed", type=int, default=0)
    p.add_argument("--cpus", default="0,1")
    p.add_argument("--json")
    a = p.parse_args()

    # Median over the rounds of each case.
    groups = {}
    for r in load(a.rows):
        key = (r["server"], r["mode"], r["concurrency"], r["latency_ms"], r["client"])
        groups.setdefault(key, []).append(r)
    rows = []
    for key, runs in groups.items():
        measured = [r for r in runs if r.get("calls_per_s") is not None]
        if not measured:
            rows.append(dict(runs[0]))
            continue
        measured.sort(key=lambda r: r["calls_per_s"])
        mid = dict(measured[len(measured) // 2])
        if len(measured) > 1:
            mid["runs_calls_per_s"] = [r["calls_per_s"] for r in runs if r.get("calls_per_s") is not None]
        rows.append(mid)
    case = lambda r: (r["server"], r["mode"], r["concurrency"], r["latency_ms"])
    by_case = {}
    for r in rows:
        by_case.setdefault(case(r), {})[r["client"]] = r
    # calls/s of each client in each round of a case: {case: {client: {round: calls_per_s}}}
    rounds = {}
    for key, runs in groups.items():
        for r in runs:
            if r.get("round") and r.get("calls_per_s") is not None:
                rounds.setdefault(key[:4], {}).setdefault(key[4], {})[r["round"]] = r["calls_per_s"]
    for r in rows:
        peers = by_case[case(r)]
        for name, field in (("raw_proxy", "ratio_to_raw"), ("raw_socket", "ratio_to_raw_socket")):
            base = peers.get(name, {}).get("calls_per_s")
            r[field] = round(r["calls_per_s"] / base, 3) if base and r.get("calls_per_s") is not None else None
            # Measured in rounds: the median of the per-round ratios (the two clients of one round
            # ran seconds apart, so a slow spell of the shared machine hits both).
            mine, theirs = rounds.get(case(r), {}).get(r["client"], {}), rounds.get(case(r), {}).get(name, {})
            paired = sorted(mine[k] / theirs[k] for k in mine if theirs.get(k))
            if len(paired) > 1:
                r[field] = round(statistics.median(paired), 3)
                r["runs_" + field] = [round(x, 3) for x in paired]
        # The same ratio from median latencies: robust against the stalls a busy shared CPU adds
        # (they land in the mean and in p99, not in p50).
        base = peers.get("raw_proxy", {}).get("p50_ms")
        r["ratio_to_raw_p50"] = round(base / r["p50_ms"], 3) if base and r.get("p50_ms") else None
    order = {c: i for i, c in enumerate(CLIENTS)}
    rows.sort(key=lambda r: (r["server"] != "canned", r["mode"].startswith("https"), r["concurrency"],
                             r["mode"], order.get(r["client"], 9)))

    server_cpu, client_cpu = a.cpus.split(",")
    print()
    print("BrightOffice client benchmark (bench/run.sh): ConfirmCustomerUserMFA over loopback")
    print(f"machine: {a.machine}")
    print(f"pinned = client and server both on CPU {server_cpu} (taskset); split = server on CPU {server_cpu}, "
          f"client on CPU {client_cpu}; free = no pinning")
    print("canned = bench's own canned-reply server (epoll, fixed ASMX reply); mock = brightoffice-mock")
    print("calls/s: C++ clients median of the rounds; x raw_proxy / x raw_socket: ratio of calls/s to that client in the")
    print("same case (C++ clients: median of the per-round ratios); p50 x raw_proxy: raw_proxy's median latency / this")
    print("client's (not swayed by stalls of a busy CPU)")
    print()
    hdr = (f"{'server':7} {'mode':22} {'conc':>4} {'lat':>3} {'client':15} {'calls/s':>12} {'p50 ms':>7} {'p99 ms':>7} "
           f"{'x raw_proxy':>11} {'x raw_socket':>12} {'p50 x raw_proxy':>15}")
    print(hdr)
    print("-" * len(hdr))
    last = None
    for r in rows:
        if last is not None and case(r) != last:
            print()
        last = case(r)
        fmt = lambda v, spec: format(v, spec) if v is not None else "-"
        cps = fmt(r.get("calls_per_s"), ".0f") if r.get("calls_per_s") is not None else "not measured"
        print(f"{r['server']:7} {r['mode']:22} {r['concurrency']:>4} {r['latency_ms']:>3} {r['client']:15} {cps:>12} "
              f"{fmt(r.get('p50_ms'), '.3f'):>7} {fmt(r.get('p99_ms'), '.3f'):>7} "
              f"{fmt(r.get('ratio_to_raw'), '.3f'):>11} {fmt(r.get('ratio_to_raw_socket'), '.3f'):>12} "
              f"{fmt(r.get('ratio_to_raw_p50'), '.3f'):>15}"
              + (f"  ({r['note'][:70]})" if r.get("note") and "does not serve TLS" not in r["note"] else ""))
    https_notes = {r["note"] for r in rows if r["mode"].startswith("https") and r.get("calls_per_s") is None and r.get("note")}
    for n in sorted(https_notes)[:1]:
        print(f"\nhttps rows: {n}")

    # Memory.
    print("\nmemory (one process, keep-alive, canned server):")
    mem = load(a.memory)
    for m in mem:
        print(f"  {m['client']:10} after {m['calls_first']:>6} calls: RSS {m['rss_kib_first']} KiB, heap {m['heap_bytes_first']} B; "
              f"after {m['calls_total']} calls: RSS {m['rss_kib_total']} KiB, heap {m['heap_bytes_total']} B "
              f"(growth {m['rss_kib_total'] - m['rss_kib_first']:+d} KiB RSS, {m['heap_bytes_total'] - m['heap_bytes_first']:+d} B heap)"
              + (f", {m['failures']} failed calls" if m["failures"] else ""))

    # Targets of issue 6.
    print("\ntargets:")
    def get(server, mode, client, conc=1, lat=0):
        return by_case.get((server, mode, conc, lat), {}).get(client, {})
    def verdict(ok):
        return "met" if ok else "MISSED"
    for server in ("canned", "mock"):
        for mode in sorted({r["mode"] for r in rows if r["server"] == server and r["concurrency"] == 1}):
            f = get(server, mode, "facade")
            if f.get("ratio_to_raw") is None:
                continue
            p50 = f.get("ratio_to_raw_p50")
            spread = f.get("runs_ratio_to_raw")
            print(f"  facade >= 0.95 x raw_proxy, {server} {mode}: {f['ratio_to_raw']:.3f} {verdict(f['ratio_to_raw'] >= 0.95)}"
                  + (f" (rounds {spread[0]:.2f}-{spread[-1]:.2f}" if spread else " (")
                  + (f"; p50 {p50:.3f})" if p50 is not None else ")"))
    for client in ("facade", "raw_proxy"):
        f = get("canned", "http_keepalive_pinned", client)
        if f.get("ratio_to_raw_socket") is not None:
            print(f"  {client} >= 0.3 x raw_socket, canned http_keepalive_pinned: {f['ratio_to_raw_socket']:.3f} "
                  f"{verdict(f['ratio_to_raw_socket'] >= 0.3)}" + ("" if client != "raw_proxy" else " (for reference)"))
    for server in ("canned", "mock"):
        f = get(server, "http_keepalive_pinned", "facade").get("calls_per_s")
        for peer in ("zeep", "node_soap"):
            c = get(server, "http_keepalive_pinned", peer).get("calls_per_s")
            if f and c:
                print(f"  facade >= 20 x {peer}, {server} http_keepalive_pinned: {f / c:.1f} x {verdict(f / c >= 20)}")
    for server in ("canned", "mock"):
        for place in ("pinned", "split"):
            h = get(server, f"https_keepalive_{place}", "facade").get("calls_per_s")
            k = get(server, f"http_keepalive_{place}", "facade").get("calls_per_s")
            print(f"  https keep-alive >= 0.5 x http keep-alive (facade, {server}, {place}): "
                  + (f"{h / k:.3f} {verdict(h / k >= 0.5)}" if h and k else "not measured (no TLS server)"))
    c8 = get("mock", "http_keepalive_free", "facade", 8, 20).get("calls_per_s")
    if c8:
        print(f"  8 callers vs 20 ms latency >= 0.97 x 400 calls/s: {c8:.1f} calls/s = {c8 / 400:.3f} x {verdict(c8 >= 388)}")
    for m in mem:
        growth = m["heap_bytes_total"] - m["heap_bytes_first"]
        print(f"  no heap growth 1k -> 100k calls ({m['client']}): {growth:+d} B {verdict(growth <= 64 * 1024)}")
    if a.elapsed:
        print(f"\nwhole run: {a.elapsed // 60} min {a.elapsed % 60} s")

    if a.json:
        with open(a.json, "w") as f:
            json.dump(rows, f, indent=1)
            f.write("\n")
        print(f"rows written to {a.json}")


if __name__ == "__main__":
    main()
