#!/usr/bin/env node
// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
// node-soap (the npm package "soap", pinned in package-lock.json) as an independent SOAP client:
// every contract row against brightoffice-mock, over the SOAP 1.1 and the SOAP 1.2 binding, for
// ConfirmCustomerUserMFA and CustomerUserSendResetPassword.
//
//   node node_soap_contract.js --wsdl SOURCE_DIR/wsdl/BrightOfficeAPI.wsdl --mock BUILD/brightoffice-mock
//   node node_soap_contract.js --wsdl ... --endpoint http://127.0.0.1:PORT/Webservices/BrightOfficeAPI.asmx [--label ASMX]
//   (with_asmx.py starts the real ASMX service and passes its endpoint; the label ASMX adds the
//   check that a SOAP 1.2 answer carries no action parameter)
//
// node-soap does not take the SOAP version from the binding: a client made with
// forceSoap12Headers: true sends SOAP 1.2 (application/soap+xml; action="..."), one without
// sends SOAP 1.1 (text/xml + SOAPAction). Each port is called through its own client: the
// BrightOfficeAPISoap port with SOAP 1.1, the BrightOfficeAPISoap12 port with SOAP 1.2.
// Prints one line per case and "N passed, N failed"; exits 1 on any failure.
'use strict';

const { spawn } = require('child_process');
const path = require('path');
const soap = require('soap');

const NIL = '00000000-0000-0000-0000-000000000000';
const GUID = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
const CRED = { Username: 'api-user', Password: 'api-secret' };
const ASMX_PREFIX = 'Server was unable to process request. ---> ';

let passed = 0;
let failed = 0;
function check(name, ok, detail) {
  if (ok) { passed += 1; console.log('PASS ' + name); } else { failed += 1; console.log('FAIL ' + name + (detail ? ': ' + detail : '')); }
}

function confirmed(email, guid = NIL, newpw = 'no', tmppw = 'no') {
  return `MFA confirmed for ${email} (${guid}) newpw=${newpw} tmppw=${tmppw}`;
}

function sent(email, guid = NIL, newpw = 'no', tmppw = 'no') {
  return `Reset password sent to ${email} (${guid}) newpw=${newpw} tmppw=${tmppw}`;
}

// Elements in the order of the schema's sequence; a key given as null is left out.
function customer(o = {}) {
  const v = (k, d) => (k in o ? o[k] : d);
  const c = { Id: v('id', NIL) };
  const put = (el, val) => { if (val !== null && val !== undefined) c[el] = val; };
  put('Email', v('email', 'jane@example.com'));
  put('Password', v('password', null));
  put('MFACode', v('mfa', '123456'));
  put('TemporaryPassword', v('tmp', null));
  put('NewPassword', v('newpw', null));
  return c;
}

const CASES = [
  ['no UserInfo -> LOGINERROR', { CustomerInfo: customer() }, ['LOGINERROR', 'Invalid API credentials']],
  ['empty request element -> LOGINERROR', {}, ['LOGINERROR', 'Invalid API credentials']],
  ['wrong password -> LOGINERROR', { CustomerInfo: customer(), UserInfo: { Username: 'api-user', Password: 'nope' } },
    ['LOGINERROR', 'Invalid API credentials']],
  ['no CustomerInfo -> PARAMETERERROR', { UserInfo: CRED }, ['PARAMETERERROR', 'Email is required']],
  ['Email absent -> PARAMETERERROR', { CustomerInfo: customer({ email: null }), UserInfo: CRED }, ['PARAMETERERROR', 'Email is required']],
  ['Email empty -> PARAMETERERROR', { CustomerInfo: customer({ email: '' }), UserInfo: CRED }, ['PARAMETERERROR', 'Email is required']],
  ['missing@example.com -> MISSINGRECORD', { CustomerInfo: customer({ email: 'missing@example.com' }), UserInfo: CRED },
    ['MISSINGRECORD', 'Customer user not found']],
  ['MFACode boom -> SOAP fault, HTTP 500', { CustomerInfo: customer({ mfa: 'boom' }), UserInfo: CRED }, 'fault'],
  ['after the fault -> SUCCESS', { CustomerInfo: customer(), UserInfo: CRED }, ['SUCCESS', confirmed('jane@example.com')]],
  ['123456, NewPassword set, TemporaryPassword empty -> SUCCESS newpw=yes tmppw=empty',
    { CustomerInfo: customer({ id: GUID, newpw: 'n3w<&>', tmp: '' }), UserInfo: CRED },
    ['SUCCESS', confirmed('jane@example.com', GUID, 'yes', 'empty')]],
  ['123456, upper-case Id, NewPassword empty, Password set -> SUCCESS newpw=empty tmppw=no',
    { CustomerInfo: customer({ id: GUID.toUpperCase(), newpw: '', password: 'old' }), UserInfo: CRED },
    ['SUCCESS', confirmed('jane@example.com', GUID, 'empty', 'no')]],
  ['non-ASCII email with markup -> SUCCESS, echoed intact',
    { CustomerInfo: customer({ email: 'zo\u00eb&<x>@\u00e9xample.com' }), UserInfo: CRED },
    ['SUCCESS', confirmed('zo\u00eb&<x>@\u00e9xample.com')]],
  ['other MFACode -> OTHER', { CustomerInfo: customer({ mfa: '000000' }), UserInfo: CRED }, ['OTHER', 'Invalid MFA code']],
  ['MFACode absent -> OTHER', { CustomerInfo: customer({ mfa: null }), UserInfo: CRED }, ['OTHER', 'Invalid MFA code']],
];
// CustomerUserSendResetPassword: the same rows up to its own success row (any MFACode).
const SEND_RESET_CASES = [
  ['no UserInfo -> LOGINERROR', { CustomerInfo: customer() }, ['LOGINERROR', 'Invalid API credentials']],
  ['wrong password -> LOGINERROR', { CustomerInfo: customer({ mfa: 'boom' }), UserInfo: { Username: 'api-user', Password: 'x' } },
    ['LOGINERROR', 'Invalid API credentials']],
  ['no CustomerInfo -> PARAMETERERROR', { UserInfo: CRED }, ['PARAMETERERROR', 'Email is required']],
  ['Email absent -> PARAMETERERROR', { CustomerInfo: customer({ email: null }), UserInfo: CRED }, ['PARAMETERERROR', 'Email is required']],
  ['missing@example.com -> MISSINGRECORD', { CustomerInfo: customer({ email: 'missing@example.com', mfa: 'boom' }), UserInfo: CRED },
    ['MISSINGRECORD', 'Customer user not found']],
  ['MFACode boom -> SOAP fault, HTTP 500', { CustomerInfo: customer({ mfa: 'boom' }), UserInfo: CRED }, 'fault'],
  ['after the fault, MFACode absent -> SUCCESS', { CustomerInfo: customer({ mfa: null }), UserInfo: CRED },
    ['SUCCESS', sent('jane@example.com')]],
  ['any MFACode, NewPassword set, TemporaryPassword empty -> SUCCESS newpw=yes tmppw=empty',
    { CustomerInfo: customer({ id: GUID, mfa: '000000', newpw: 'n3w<&>', tmp: '' }), UserInfo: CRED },
    ['SUCCESS', sent('jane@example.com', GUID, 'yes', 'empty')]],
  ['upper-case Id, NewPassword empty -> SUCCESS newpw=empty tmppw=no',
    { CustomerInfo: customer({ id: GUID.toUpperCase(), newpw: '' }), UserInfo: CRED },
    ['SUCCESS', sent('jane@example.com', GUID, 'empty', 'no')]],
  ['non-ASCII email with markup -> SUCCESS, echoed intact',
    { CustomerInfo: customer({ email: 'zo\u00eb&<x>@\u00e9xample.com' }), UserInfo: CRED },
    ['SUCCESS', sent('zo\u00eb&<x>@\u00e9xample.com')]],
];

const OPERATIONS = [
  { op: 'ConfirmCustomerUserMFA', cases: CASES,
    slow: ['MFACode slow -> SUCCESS after about 5 s', { CustomerInfo: customer({ mfa: 'slow', id: GUID }), UserInfo: CRED },
      ['SUCCESS', confirmed('jane@example.com', GUID)]] },
  { op: 'CustomerUserSendResetPassword', cases: SEND_RESET_CASES,
    slow: ['MFACode slow -> SUCCESS after about 5 s', { CustomerInfo: customer({ mfa: 'slow', id: GUID }), UserInfo: CRED },
      ['SUCCESS', sent('jane@example.com', GUID)]] },
];

const PORTS = [
  { port: 'BrightOfficeAPISoap', version: '1.1', soap12: false, ctype: 'text/xml', faultCode: 'Server' },
  { port: 'BrightOfficeAPISoap12', version: '1.2', soap12: true, ctype: 'application/soap+xml', faultCode: 'Receiver' },
];

function startMock(binary) {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error('brightoffice-mock not ready in 30 s: ' + err)); }, 30000);
    child.stderr.on('data', (d) => { err += d; });
    child.stdout.on('data', (d) => {
      out += d;
      const m = /^listening on (http:\/\/127\.0\.0\.1:\d+\/Webservices\/BrightOfficeAPI\.asmx)\s*$/m.exec(out);
      if (m) { clearTimeout(timer); resolve({ child, endpoint: m[1] }); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error('brightoffice-mock exited with ' + code + ': ' + err)); });
  });
}

function call(client, service, port, op, args) {
  const start = process.hrtime.bigint();
  return new Promise((resolve) => {
    client[service][port][op](args, (err, result, rawResponse, soapHeader, rawRequest) => {
      const took = Number(process.hrtime.bigint() - start) / 1e9;
      resolve({ err, result, rawResponse, rawRequest, took, headers: err && err.response ? err.response.headers : client.lastResponseHeaders });
    }, { timeout: 30000 });
  });
}

function text(v) {
  // node-soap gives '' or {} (depending on the version) for an empty element.
  if (v === undefined || v === null) return v;
  if (typeof v === 'object' && Object.keys(v).filter((k) => k !== 'attributes' && k !== '$attributes').length === 0) return '';
  return v;
}

function judge(op, expected, r, faultCode) {
  if (expected === 'fault') {
    if (!r.err) return [false, 'want a SOAP fault, got ' + JSON.stringify(r.result)];
    const status = r.err.response ? r.err.response.status : undefined;
    const fault = r.err.root && r.err.root.Envelope && r.err.root.Envelope.Body && r.err.root.Envelope.Body.Fault;
    if (!fault) return [false, 'want a SOAP fault element, got ' + String(r.err) + ' body ' + String(r.err.body || '').slice(0, 500)];
    const code = fault.faultcode !== undefined ? fault.faultcode : fault.Code && fault.Code.Value;
    let reason = fault.faultstring !== undefined ? fault.faultstring : fault.Reason && fault.Reason.Text;
    if (reason && typeof reason === 'object') reason = reason.$value !== undefined ? reason.$value : reason._;
    const want = 'Simulated server failure (MFACode=boom)';
    const ok = status === 500 && String(code).split(':').pop() === faultCode && (reason === want || reason === ASMX_PREFIX + want);
    return [ok, `want HTTP 500, fault code *:${faultCode}, '${want}'; got HTTP ${status}, code ${JSON.stringify(code)}, reason ${JSON.stringify(reason)}`];
  }
  if (r.err) return [false, 'want ' + expected.join(' ') + ', got error ' + String(r.err) + ' ' + String(r.err.body || '').slice(0, 500)];
  const res = r.result && r.result[op + 'Result'];
  if (!res) return [false, `no ${op}Result in ` + JSON.stringify(r.result)];
  const ok = res.SuccessCode === expected[0] && res.Message === expected[1] && text(res.ExceptionMessage) === ''
    && (res.IsSystemError === false || res.IsSystemError === 'false');
  return [ok, `want ${expected[0]} '${expected[1]}', ExceptionMessage '', IsSystemError false; got ${JSON.stringify(res)}`];
}

async function runAll(wsdl, endpoint, label) {
  for (const p of PORTS) {
    const options = { endpoint, forceSoap12Headers: p.soap12, disableCache: true, wsdl_options: { proxy: false } };
    const client = await soap.createClientAsync(wsdl, options);
    client.setEndpoint(endpoint);
    // The slow row of each operation runs on a client of its own while the other rows run.
    const slow = [];
    for (const o of OPERATIONS) {
      const slowClient = await soap.createClientAsync(wsdl, options);
      slowClient.setEndpoint(endpoint);
      slow.push([o, call(slowClient, 'BrightOfficeAPI', p.port, o.op, o.slow[1])]);
    }
    for (const o of OPERATIONS) {
      const what = `${label} ${p.port} (SOAP ${p.version}) ${o.op}`;
      for (const [name, args, expected] of o.cases) {
        const r = await call(client, 'BrightOfficeAPI', p.port, o.op, args);
        const [ok, detail] = judge(o.op, expected, r, p.faultCode);
        check(`${what}: ${name}`, ok, detail);
        if (name.startsWith('after the fault')) {
          const envNs = p.soap12 ? 'http://www.w3.org/2003/05/soap-envelope' : 'http://schemas.xmlsoap.org/soap/envelope/';
          check(`${what}: the request used the SOAP ${p.version} envelope`,
            typeof r.rawRequest === 'string' && r.rawRequest.includes(envNs), String(r.rawRequest).slice(0, 400));
          const ct = (r.headers && (r.headers['content-type'] || r.headers['Content-Type'])) || '';
          check(`${what}: answer Content-Type is ${p.ctype}`, ct.split(';')[0].trim() === p.ctype, ct);
          if (label === 'ASMX') {
            check(`${what}: answer Content-Type has no action parameter`, !ct.includes('action='), ct);
          } else if (p.soap12 && ct.includes('action=')) {
            console.log(`NOTE ${what}: the answer's Content-Type carries the request's action parameter (${ct}); ASMX sends none`);
          }
        }
      }
    }
    for (const [o, pending] of slow) {
      const r = await pending;
      const [ok, detail] = judge(o.op, o.slow[2], r, p.faultCode);
      check(`${label} ${p.port} (SOAP ${p.version}) ${o.op}: ${o.slow[0]}`, ok && r.took >= 4.5, detail + ` after ${r.took.toFixed(2)} s`);
    }
  }
}

async function main() {
  const args = process.argv.slice(2);
  const opt = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
  const wsdl = opt('--wsdl');
  const mockBinary = opt('--mock');
  const endpoint = opt('--endpoint');
  const version = require(path.join(path.dirname(require.resolve('soap')), '..', 'package.json')).version;
  console.log(`== node-soap ${version} on Node ${process.version} as the client`);
  if (!wsdl || (!mockBinary && !endpoint)) {
    check('arguments: --wsdl FILE and --mock BINARY or --endpoint URL', false);
  } else if (endpoint) {
    await runAll(wsdl, endpoint, opt('--label') || 'endpoint');
  } else {
    const mock = await startMock(mockBinary);
    const stop = () => { try { mock.child.kill('SIGTERM'); } catch (e) { /* gone */ } };
    process.on('exit', stop);
    for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { stop(); process.exit(130); });
    console.log(`started brightoffice-mock at ${mock.endpoint}`);
    try {
      await runAll(wsdl, mock.endpoint, 'mock');
    } finally {
      stop();
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed === 0 && passed > 0 ? 0 : 1;
}

main().catch((e) => {
  console.log('FAIL harness error: ' + (e && e.stack ? e.stack : e));
  console.log(`${passed} passed, ${failed + 1} failed`);
  process.exitCode = 1;
});
