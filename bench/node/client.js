#!/usr/bin/env node
// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
// node-soap (npm "soap", pinned in package.json/package-lock.json) driving
// ConfirmCustomerUserMFA, for bench/run.sh. Same command line and JSON line as
// brightoffice-bench-load:
//   node client.js --wsdl FILE --endpoint URL [--concurrency C] [--calls N] [--seconds S]
//                  [--warmup W] [--newconn] [--json]
// Keep-alive: one http.Agent({keepAlive: true}) per caller; --newconn: keepAlive false and
// "Connection: close".
'use strict';
const http = require('http');
const https = require('https');
const soap = require('soap');

function parse(argv) {
  const a = { concurrency: 1, calls: 20000, seconds: 2, warmup: 20, newconn: false, json: false };
  for (let i = 2; i < argv.length; i++) {
    const k = argv[i];
    if (k === '--newconn') a.newconn = true;
    else if (k === '--json') a.json = true;
    else if (['--wsdl', '--endpoint'].includes(k)) a[k.slice(2)] = argv[++i];
    else if (['--concurrency', '--calls', '--seconds', '--warmup'].includes(k)) a[k.slice(2)] = Number(argv[++i]);
    else { console.error('unknown argument ' + k); process.exit(2); }
  }
  if (!a.wsdl || !a.endpoint) { console.error('--wsdl and --endpoint are required'); process.exit(2); }
  return a;
}

const ARGS = {
  CustomerInfo: { Id: '00000000-0000-0000-0000-000000000000', Email: 'jane@example.com', MFACode: '123456' },
  UserInfo: { Username: 'api-user', Password: 'api-secret' },
};

async function main() {
  const a = parse(process.argv);
  const state = { budget: a.calls, errors: 0, lastError: '' };
  const lat = [];
  let stopAt = Infinity;

  async function caller() {
    const client = await soap.createClientAsync(a.wsdl, { endpoint: a.endpoint });
    const agentOpts = { keepAlive: !a.newconn, maxSockets: 1 };
    const agent = a.endpoint.startsWith('https:') ? new https.Agent(agentOpts) : new http.Agent(agentOpts);
    const opts = a.endpoint.startsWith('https:') ? { httpsAgent: agent } : { httpAgent: agent };
    if (a.newconn) client.addHttpHeader('Connection', 'close');
    const one = async () => {
      const [r] = await client.ConfirmCustomerUserMFAAsync(ARGS, opts);
      return r && r.ConfirmCustomerUserMFAResult && r.ConfirmCustomerUserMFAResult.SuccessCode === 'SUCCESS';
    };
    for (let i = 0; i < a.warmup; i++) {
      try { await one(); } catch (e) { state.lastError = String(e); }
    }
    return one;
  }

  const calls = await Promise.all(Array.from({ length: a.concurrency }, caller));
  const start = process.hrtime.bigint();
  stopAt = start + BigInt(Math.round(a.seconds * 1e9));
  await Promise.all(calls.map(async (one) => {
    while (state.budget-- > 0) {
      const t0 = process.hrtime.bigint();
      if (t0 >= stopAt) break;
      let ok = false;
      try { ok = await one(); } catch (e) { state.lastError = String(e); }
      if (!ok) state.errors++;
      lat.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  }));
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  lat.sort((x, y) => x - y);
  const pct = (q) => (lat.length ? lat[Math.min(lat.length - 1, Math.floor(q * lat.length))] : 0);
  const rate = lat.length / elapsed;
  if (a.json) {
    console.log(JSON.stringify({ client: 'node_soap', concurrency: a.concurrency, keep_alive: !a.newconn,
      calls: lat.length, errors: state.errors, seconds: Number(elapsed.toFixed(3)),
      calls_per_s: Number(rate.toFixed(1)), p50_ms: pct(0.5), p99_ms: pct(0.99) }));
  } else {
    console.log(`node_soap ${a.newconn ? 'newconn' : 'keepalive'} concurrency=${a.concurrency}: ${lat.length} calls ` +
      `in ${elapsed.toFixed(3)} s, ${rate.toFixed(1)} calls/s, p50 ${pct(0.5).toFixed(3)} ms, ` +
      `p99 ${pct(0.99).toFixed(3)} ms, errors ${state.errors}`);
  }
  if (state.lastError) console.error('node client: last error: ' + state.lastError);
  process.exit(state.errors === 0 && lat.length ? 0 : 1);
}

main().catch((e) => { console.error(e); process.exit(1); });
