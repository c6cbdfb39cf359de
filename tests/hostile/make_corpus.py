#!/usr/bin/env python3
"""Writes the hostile-response corpus: one file per case, tests/hostile/cases/NAME.case.

File format (read by tests/hostile/hostile_test.cc and the fuzzer's seeding):
  directive lines "key: value" up to a line "----", then the raw HTTP response bytes exactly
  as the loopback server sends them. Directives:
    expect:    the outcome: an error kind (invalid_argument, connection, tls, timeout,
               http_status, soap_fault, malformed_response) or "result"; several separated
               by '|' when each of them is right
    fault_string: for a soap_fault outcome, the fault string exactly
    message:   a text the error message must contain (optional)
    code:      for "result": the SuccessCode the library delivers (SUCCESS ... UNKNOWN)
    raw:       for "result": the SuccessCode text as received
    text:      for "result": the Message delivered ("(empty)": an empty string)
    soap:      1.1 (default) or 1.2: the binding the request uses
    operation: ConfirmCustomerUserMFA (default) or CustomerUserSendResetPassword: the call made
    behaviour: close (default: send the bytes, then close), hold (send the bytes, then keep
               the connection open and silent), silent (send nothing, keep it open),
               drop (close at once without sending anything)
    fill:      N: the text @FILL@ in the bytes becomes N letters A, and a Content-Length of
               @LEN@ becomes the real length of the body after that (keeps large cases small)
    deadline:  the call's deadline in ms (default 3000)
    interim:   N: the bytes start with N interim (1xx) answers before the final one; the trace
               may show them as messages of their own
    note:      why this outcome is the right one
The secrets of every replayed call are SECRETS below (corpus.h: CorpusSecrets()); a case that
echoes a secret echoes one of these, in whatever form it tests.
Run it again after editing: python3 tests/hostile/make_corpus.py
"""
import gzip
import os
import zlib

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cases")
ENV11 = "http://schemas.xmlsoap.org/soap/envelope/"
ENV12 = "http://www.w3.org/2003/05/soap-envelope"


def envelope(body, ns=ENV11, prolog='<?xml version="1.0" encoding="utf-8"?>'):
    return (prolog + '<soap:Envelope xmlns:soap="' + ns + '" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soap:Body>' + body + '</soap:Body></soap:Envelope>')


def result(code="SUCCESS", message="m", extra="", wrapper_ns="http://tempuri.org/", inner=None,
           op="ConfirmCustomerUserMFA"):
    if inner is None:
        inner = ('<SuccessCode>' + code + '</SuccessCode><Message>' + message + '</Message>'
                 '<ExceptionMessage /><IsSystemError>false</IsSystemError>' + extra)
    return ('<' + op + 'Response xmlns="' + wrapper_ns + '"><' + op + 'Result>' +
            inner + '</' + op + 'Result></' + op + 'Response>')


def http(status, body, ctype="text/xml; charset=utf-8", headers=None, length=None, reason=None):
    if isinstance(body, str):
        body = body.encode("utf-8")
    reason = reason or {200: "OK", 302: "Found", 401: "Unauthorized", 404: "Not Found",
                        500: "Internal Server Error", 503: "Service Unavailable"}.get(status, "Status")
    head = "HTTP/1.1 %d %s\r\n" % (status, reason)
    if ctype is not None:
        head += "Content-Type: " + ctype + "\r\n"
    if length is not False:
        head += "Content-Length: %s\r\n" % (len(body) if length is None else length)
    for h in headers or []:
        head += h + "\r\n"
    return head.encode("ascii") + b"\r\n" + body


OK = http(200, envelope(result()))
SECRETS_ECHO = "123456 api-p&amp;ss&lt;w&gt;rd cust-pw tmp-pw new-pw"
# The secrets of the replayed calls (tests/support/corpus.h, CorpusSecrets()): MFA code, API
# password, customer, temporary and new password.
SECRETS = ["123456", "api-p&ss<w>rd", "cust-pw", "tmp-pw", "new-pw"]


def xml_escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def refs(text, style):
    """`text` spelt with XML character references in one style (valid XML in every style)."""
    out = ""
    for i, ch in enumerate(text):
        c = ord(ch)
        if style == "dec":
            out += "&#%d;" % c
        elif style == "hex":
            out += "&#x%x;" % c
        elif style == "zeros_hex":
            out += "&#x%010x;" % c
        elif style == "zeros_dec":
            out += "&#%07d;" % c
        elif style == "long":
            out += "&#x" + "0" * 60 + "%X;" % c
        elif style == "mixed":  # raw, zero-padded hex, zero-padded decimal, in turn
            out += [xml_escape(ch), "&#x%06x;" % c, "&#%05d;" % c][i % 3]
        else:
            raise ValueError(style)
    return out


def every_secret(style, sep=" | "):
    return sep.join(refs(secret, style) for secret in SECRETS)

cases = {}


def case(name, payload, expect, **kw):
    cases[name] = (payload, expect, kw)


case("ok_baseline", OK, "result", code="SUCCESS", raw="SUCCESS", text="m",
     note="a well-formed SOAP 1.1 answer")
case("ok_soap12", http(200, envelope(result(), ENV12), "application/soap+xml; charset=utf-8"), "result",
     code="SUCCESS", raw="SUCCESS", soap="1.2", note="a well-formed SOAP 1.2 answer")
body = envelope(result()).encode()
case("truncated_body", http(200, body[:len(body) // 2], length=len(body)), "connection",
     note="the server closes before Content-Length bytes arrived")
case("content_length_larger_hold", http(200, body, length=len(body) + 100), "result", code="SUCCESS",
     raw="SUCCESS", text="m", behaviour="hold", deadline=1500,
     note="the envelope is complete: gSOAP stops at its end and does not wait for the promised rest")
case("content_length_larger_close", http(200, body, length=len(body) + 100), "result", code="SUCCESS",
     raw="SUCCESS", text="m", note="the envelope is complete; the missing tail is never needed")
case("content_length_smaller", http(200, body, length=len(body) - 40), "malformed_response",
     message="ended before its SOAP envelope did",
     note="Content-Length frames the body: the 40 bytes after it are not this answer (they would be "
          "the next message's), and the envelope the body holds is cut short")
case("content_length_invalid", http(200, body, length=False, headers=["Content-Length: -5"]), "result",
     code="SUCCESS", raw="SUCCESS", text="m", note="a negative Content-Length is ignored; the envelope is complete")
case("wrong_envelope_namespace", http(200, envelope(result(), "urn:not-soap")), "malformed_response",
     note="the Envelope is not in the SOAP 1.1 namespace")
case("wrong_body_namespace", http(200, envelope(result(wrapper_ns="urn:other"))), "malformed_response",
     message="HTTP 200",
     note="the response wrapper is in another namespace: no result")
case("missing_result", http(200, envelope('<ConfirmCustomerUserMFAResponse xmlns="http://tempuri.org/" />')),
     "malformed_response", message="ConfirmCustomerUserMFAResult", note="the wrapper is empty")
case("empty_body_element", http(200, envelope("")), "malformed_response", note="soap:Body is empty")
two = ('<ConfirmCustomerUserMFAResponse xmlns="http://tempuri.org/"><ConfirmCustomerUserMFAResult><SuccessCode>SUCCESS</SuccessCode>'
       '<IsSystemError>false</IsSystemError></ConfirmCustomerUserMFAResult><ConfirmCustomerUserMFAResult><SuccessCode>LOGINERROR</SuccessCode>'
       '<IsSystemError>false</IsSystemError></ConfirmCustomerUserMFAResult></ConfirmCustomerUserMFAResponse>')
case("result_twice", http(200, envelope(two)), "malformed_response", message="more than one",
     note="maxOccurs=1: two results are not one answer")
case("unknown_extra_elements",
     http(200, envelope(result(extra='<Extra a="1"><Deeper>x</Deeper></Extra><Other xmlns="urn:x">y</Other>') +
                        '<Trailing xmlns="urn:y">z</Trailing>')),
     "result", code="SUCCESS", raw="SUCCESS", text="m", note="unknown elements are skipped, the result is intact")
case("unknown_success_code", http(200, envelope(result(code="NEWCODE2027"))), "result", code="UNKNOWN",
     raw="NEWCODE2027", note="a code the client does not know: kUnknown with the text kept")
case("success_code_missing",
     http(200, envelope(result(inner="<Message>m</Message><IsSystemError>false</IsSystemError>"))),
     "malformed_response", message="SuccessCode",
     note="SuccessCode is required (minOccurs=1); gSOAP alone would deliver an empty one")
case("is_system_error_not_boolean", http(200, envelope(result(extra="").replace(
    "<IsSystemError>false", "<IsSystemError>maybe"))), "malformed_response", note="xsd:boolean only")
case("enormous_message", http(200, envelope(result(message="@FILL@")), length="@LEN@"), "malformed_response",
     fill=9 * 1024 * 1024,
     message="max_response_bytes", note="9 MiB: above the 8 MiB default")
case("large_message_within_limit", http(200, envelope(result(message="@FILL@")), length="@LEN@"), "result",
     fill=1024 * 1024,
     code="SUCCESS", raw="SUCCESS", note="1 MiB is allowed and delivered whole")
deep = "<a>" * 20000 + "</a>" * 20000
case("deep_nesting", http(200, envelope(result(extra=deep))), "malformed_response", message="max_xml_depth",
     note="20000 nested unknown elements")
case("deep_nesting_just_past_limit", http(200, envelope(result(extra="<a>" * 30 + "</a>" * 30))),
     "malformed_response", message="max_xml_depth", note="35 levels with the default limit of 32")
case("deep_nesting_within_limit", http(200, envelope(result(extra="<a>" * 20 + "</a>" * 20))), "result",
     code="SUCCESS", raw="SUCCESS", note="25 levels: fine")
dtd = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
       '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>')
case("dtd_entity_expansion", http(200, envelope(result(message="&lol3;"), prolog=dtd)),
     "malformed_response", message="never expanded",
     note="entities declared in a DTD are never expanded: a reference to one is refused (gSOAP alone gives U+007F)")
case("dtd_external_entity",
     http(200, envelope(result(message="&xxe;"),
                        prolog='<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')),
     "malformed_response", message="never expanded", note="no external entity is ever fetched")
case("dtd_declared_unused", http(200, envelope(result(), prolog='<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x "y">]>')),
     "result", code="SUCCESS", raw="SUCCESS", text="m", note="a DTD is skipped; the answer is intact")
case("invalid_utf8", http(200, envelope(result(message="@@")).encode().replace(b"@@", b"bad\xff\xfe\xc3(")),
     "malformed_response", message="UTF-8",
     note="refused by the client's XML pre-check (gSOAP alone would read the bytes as Latin-1)")
case("nul_byte", http(200, envelope(result(message="@@")).encode().replace(b"@@", b"a\x00b")),
     "malformed_response", message="NUL", note="NUL is not an XML character; gSOAP would cut the text there")
case("html_200", http(200, "<html><body><h1>Welcome</h1></body></html>", "text/html"), "malformed_response",
     note="a login or captive-portal page with status 200")
case("http_302", http(302, "", "text/html", ["Location: https://evil.example/"]), "http_status",
     message="302", note="redirects are never followed: the MFA code is single-use")
case("http_401", http(401, "Unauthorized", "text/plain", ["WWW-Authenticate: Basic realm=\"x\""]), "http_status",
     message="401")
case("http_404", http(404, "<html>Not Found</html>", "text/html"), "http_status", message="404")
case("http_500_html", http(500, "<html><body>Runtime Error</body></html>", "text/html"), "http_status",
     message="500")
case("http_503", http(503, "", "text/html", ["Retry-After: 120"]), "http_status", message="503")
case("empty_200", http(200, "", "text/xml"), "malformed_response", note="status 200 and no body")
case("gzip_bomb", http(200, gzip.compress(envelope(result(message="@" * (64 * 1024 * 1024))).encode(), 9, mtime=0),
                       headers=["Content-Encoding: gzip"]),
     "malformed_response", message="max_decompressed_bytes",
     note="64 MiB inflated from about 64 KiB; inflating stops at the limit")
case("gzip_valid", http(200, gzip.compress(envelope(result()).encode(), mtime=0), headers=["Content-Encoding: gzip"]),
     "result", code="SUCCESS", raw="SUCCESS", text="m", note="a compressed answer within the limits")
case("deflate_valid", http(200, zlib.compress(envelope(result()).encode()), headers=["Content-Encoding: deflate"]),
     "result", code="SUCCESS", raw="SUCCESS", text="m", note="deflate (zlib format) within the limits")
case("gzip_corrupt", http(200, b"\x1f\x8b\x08\x00" + b"\x00" * 6 + b"garbage that does not inflate",
                          headers=["Content-Encoding: gzip"]), "malformed_response", message="HTTP 200",
     note="not a gzip stream")
xml = envelope(result()).encode()
chunked_ok = b"%x\r\n" % len(xml) + xml + b"\r\n0\r\n\r\n"
case("chunked_valid", http(200, chunked_ok, length=False, headers=["Transfer-Encoding: chunked"]), "result",
     code="SUCCESS", raw="SUCCESS", text="m", note="chunked framing")
case("chunked_broken_size", http(200, b"zz\r\n" + xml + b"\r\n0\r\n\r\n", length=False,
                                 headers=["Transfer-Encoding: chunked"]), "malformed_response",
     note="a chunk size that is not hex")
case("chunked_size_too_large", http(200, b"%x\r\n" % (len(xml) + 1000) + xml, length=False,
                                    headers=["Transfer-Encoding: chunked"]), "result",
     code="SUCCESS", raw="SUCCESS", text="m",
     note="the chunk promises more than arrives, but the envelope is complete")
case("headers_then_stop", b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 500\r\n\r\n", "timeout",
     behaviour="hold", deadline=1500, note="headers, then silence on an open connection")
case("partial_headers_then_stop", b"HTTP/1.1 200 OK\r\nContent-Ty", "timeout", behaviour="hold", deadline=1500,
     note="half a header, then silence")
case("silent_server", b"", "timeout", behaviour="silent", deadline=1500, note="accepts, reads, never answers")
case("close_without_answer", b"", "connection", behaviour="drop", note="closes at once")
case("not_http", b"SSH-2.0-OpenSSH_9.2\r\n", "connection",
     note="another protocol answers and closes: no HTTP response ever completed")
case("soap11_answer_to_soap12_request", http(200, envelope(result()), "text/xml; charset=utf-8"),
     "malformed_response", soap="1.2", note="a SOAP 1.1 envelope on a SOAP 1.2 request")
case("soap12_answer_to_soap11_request", http(200, envelope(result(), ENV12), "application/soap+xml"),
     "malformed_response", note="a SOAP 1.2 envelope on a SOAP 1.1 request")
case("fault_without_detail", http(500, envelope('<soap:Fault><faultcode>soap:Server</faultcode>'
                                                '<faultstring>Server was unable to process request.</faultstring></soap:Fault>')),
     "soap_fault", message="Server was unable to process request.", note="no detail element")
case("fault12_with_subcodes", http(500, envelope(
    '<soap:Fault><soap:Code><soap:Value>soap:Sender</soap:Value><soap:Subcode><soap:Value xmlns:q="urn:q">q:Bad</soap:Value>'
    '<soap:Subcode><soap:Value xmlns:q="urn:q">q:Worse</soap:Value></soap:Subcode></soap:Subcode></soap:Code>'
    '<soap:Reason><soap:Text xml:lang="en">Nested subcodes</soap:Text></soap:Reason></soap:Fault>', ENV12),
    "application/soap+xml; charset=utf-8"), "soap_fault", soap="1.2", message="Nested subcodes")
case("fault_echoing_secrets", http(500, envelope('<soap:Fault><faultcode>soap:Client</faultcode><faultstring>bad ' +
                                                 SECRETS_ECHO + '</faultstring><detail>' + SECRETS_ECHO +
                                                 '</detail></soap:Fault>')),
     "soap_fault", message="bad ***", note="secrets in a fault are replaced by *** in the message and the trace")
case("fault_code_echoing_secrets", http(500, envelope('<soap:Fault><faultcode>soap:Server ' + SECRETS_ECHO +
                                                      '</faultcode><detail /></soap:Fault>')),
     "soap_fault", message="***",
     note="found by the fuzzer: a secret inside the faultcode, which is shown when there is no faultstring")
case("fault_with_status_200", http(200, envelope('<soap:Fault><faultcode>soap:Server</faultcode>'
                                                 '<faultstring>late</faultstring><detail /></soap:Fault>')),
     "soap_fault", message="late", note="a fault is a fault whatever the status")
case("huge_header", http(200, envelope(result()), headers=["X-Junk: @FILL@"]),
     "malformed_response", fill=9 * 1024 * 1024, note="a 9 MiB header line: gSOAP keeps 8 KiB of it")
case("many_attributes", http(200, envelope(result(extra="<x " + " ".join('a%d="v"' % i for i in range(20000)) + "/>"))),
     "malformed_response", message="attributes",
     note="gSOAP needs seconds for 20000 attributes (quadratic): refused by the pre-check")
case("namespace_prefix_spam", http(200, envelope(result(extra="<x " + " ".join('xmlns:p%d="urn:%d"' % (i, i) for i in range(5000)) + "/>"))),
     "malformed_response", message="attributes", note="5000 namespace declarations on one element")


# Issue 11, class 2: server text that reaches messages and the trace only through the redactor.
# The XML pre-check quotes the name of an undefined entity: named after a secret here.
for name, ref, where in [("entity_named_mfa_code", "&123456;", "message"),
                         ("entity_named_new_password", "&new-pw;", "message"),
                         ("entity_named_customer_password_in_fault", "&cust-pw;", "fault"),
                         ("entity_named_temporary_password_in_attribute", "&tmp-pw;", "attribute"),
                         ("entity_name_containing_mfa_code", "&x123456y;", "message")]:
    if where == "message":
        payload = http(200, envelope(result(message="a " + ref + " b")))
    elif where == "fault":
        payload = http(500, envelope('<soap:Fault><faultcode>soap:Server</faultcode><faultstring>bad ' + ref +
                                     '</faultstring><detail /></soap:Fault>'))
    else:
        payload = http(200, envelope(result(extra='<Extra a="' + ref + '" />')))
    case(name, payload, "malformed_response", message="entity",
         note="an undefined entity is refused by the pre-check; its name is server text and a secret here: "
              "the error says what is wrong without showing it")
# gSOAP reads a numeric reference of more than 4 hex or 5 decimal digits wrongly (it keeps the
# ';', or drops the rest of the text): refusing such an answer is as right as reading it right.
# Either way the secrets stay hidden, in the trace too.
MISREAD = "gSOAP misreads references with many digits: refusing the answer or reading it right are both right"
REDACTED_ALL = "bad " + " | ".join(["***"] * len(SECRETS))
for style in ["dec", "hex", "zeros_hex", "zeros_dec", "long", "mixed"]:
    short = style in ("dec", "hex")
    case("fault_echoing_secrets_as_" + style + "_refs",
         http(500, envelope('<soap:Fault><faultcode>soap:Server</faultcode><faultstring>bad ' + every_secret(style) +
                            '</faultstring><detail><e>' + every_secret(style) + '</e></detail></soap:Fault>')),
         "soap_fault" if short else "soap_fault|malformed_response", fault_string=REDACTED_ALL,
         note="secrets spelt as character references (" + style + "): redacted in the fault fields, the "
              "message and the trace" + ("" if short else "; " + MISREAD))
case("fault_code_echoing_secrets_as_zero_padded_refs",
     http(500, envelope('<soap:Fault><faultcode>soap:Server.' + refs("123456", "zeros_hex") +
                        '</faultcode><detail /></soap:Fault>')),
     "soap_fault|malformed_response",
     note="a secret spelt with zero-padded references inside the faultcode; " + MISREAD)
case("fault12_reason_and_detail_echoing_secrets_as_refs",
     http(500, envelope('<soap:Fault><soap:Code><soap:Value>soap:Receiver</soap:Value></soap:Code><soap:Reason>'
                        '<soap:Text xml:lang="en">bad ' + every_secret("mixed") + '</soap:Text></soap:Reason>'
                        '<soap:Detail><d a="' + every_secret("zeros_dec") + '">' + every_secret("long") +
                        '</d></soap:Detail></soap:Fault>', ENV12), "application/soap+xml; charset=utf-8"),
     "soap_fault|malformed_response", soap="1.2", fault_string=REDACTED_ALL,
     note="SOAP 1.2: Reason text, Detail text and a Detail attribute echoing secrets as references; " + MISREAD)
case("fault_echoing_secrets_split_by_cdata",
     http(500, envelope('<soap:Fault><faultcode>soap:Server</faultcode><faultstring>bad 12<![CDATA[34]]>56 and '
                        'api-p&amp;ss<![CDATA[<w>]]>rd</faultstring><detail>cust<![CDATA[-]]>pw</detail></soap:Fault>')),
     "soap_fault", message="bad ***",
     note="a secret split by CDATA sections is the same text to XML: redacted in the fault fields and the trace")
case("result_echoing_secrets_as_zero_padded_refs",
     http(200, envelope(result(extra="<Echo>" + every_secret("zeros_hex") + "</Echo>"))), "result|malformed_response",
     code="SUCCESS", raw="SUCCESS", text="m",
     note="a delivered answer with an unknown element echoing the secrets: skipped, and the trace shows them as ***")
case("reason_phrase_echoing_secrets",
     http(500, "<html>no</html>", "text/html", reason="Bad code 123456 for api-p&ss<w>rd"), "http_status",
     message="500", note="the HTTP reason phrase is server text: the trace shows the secrets as ***")
case("reason_phrase_echoing_secrets_as_refs",
     http(503, "", "text/html", reason="Bad code " + refs("123456", "zeros_dec") + " " + refs("new-pw", "hex")),
     "http_status", message="503", note="the reason phrase spelling a secret with references")
case("header_values_echoing_secrets",
     http(200, envelope(result()), headers=["X-Echo: 123456 api-p&ss<w>rd cust-pw tmp-pw new-pw",
                                            "Set-Cookie: mfa=123456; Path=/",
                                            "X-Echo-Refs: " + every_secret("zeros_hex")]),
     "result", code="SUCCESS", raw="SUCCESS", text="m",
     note="header values are server text: the trace shows the secrets as ***")
case("redirect_location_echoing_secrets",
     http(302, "", "text/html", ["Location: https://evil.example/?code=123456&pw=api-p%26ss%3Cw%3Erd&new=new-pw"]),
     "http_status", message="302", note="a Location header echoing the request's secrets")

# Issue 11, class 3: interim (1xx) answers before the real one (all in one segment here;
# tests/integration/interim_test.cc splits them at every byte).
CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"
case("interim_100_continue", CONTINUE + OK, "result", code="SUCCESS", raw="SUCCESS", text="m", interim=1,
     note="a 100 Continue is skipped as HTTP/1.1 says; the real answer follows")
case("interim_102_processing", b"HTTP/1.1 102 Processing\r\n\r\n" + OK, "result", code="SUCCESS", raw="SUCCESS",
     text="m", interim=1, note="102 Processing is interim too")
case("interim_several", CONTINUE + b"HTTP/1.1 102 Processing\r\n\r\n" +
     b"HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n" + CONTINUE + OK, "result",
     code="SUCCESS", raw="SUCCESS", text="m", interim=4, note="several interim answers in a row, one with headers")
case("interim_then_fault", CONTINUE + http(500, envelope('<soap:Fault><faultcode>soap:Server</faultcode>'
                                                        '<faultstring>late fault</faultstring></soap:Fault>')),
     "soap_fault", message="late fault", interim=1, note="the final answer after the interim one is a fault")
case("interim_echoing_secrets", b"HTTP/1.1 100 Continue\r\nX-Echo: 123456 api-p&ss<w>rd\r\nX-Refs: " +
     every_secret("zeros_dec").encode() + b"\r\n\r\n" + OK, "result", code="SUCCESS", raw="SUCCESS", text="m",
     interim=1, note="an interim answer's headers are server text: the trace shows the secrets as ***")

# CustomerUserSendResetPassword (issue 14): where the answer's element names matter.
RESET = "CustomerUserSendResetPassword"
case("reset_ok", http(200, envelope(result(op=RESET, message="Reset password sent"))), "result", code="SUCCESS",
     raw="SUCCESS", text="Reset password sent", operation=RESET, note="a well-formed answer to CustomerUserSendResetPassword")
case("reset_two_results", http(200, envelope('<' + RESET + 'Response xmlns="http://tempuri.org/"><' + RESET + 'Result>'
                                             '<SuccessCode>SUCCESS</SuccessCode><IsSystemError>false</IsSystemError></' +
                                             RESET + 'Result><' + RESET + 'Result><SuccessCode>OTHER</SuccessCode>'
                                             '<IsSystemError>false</IsSystemError></' + RESET + 'Result></' + RESET +
                                             'Response>')),
     "malformed_response", message="more than one CustomerUserSendResetPasswordResult", operation=RESET,
     note="two results for one call: which one holds is not for the client to guess")
case("reset_answered_as_confirm", OK, "malformed_response", message="CustomerUserSendResetPassword", operation=RESET,
     note="the answer of the other operation is not this call's answer")
case("confirm_answered_as_reset", http(200, envelope(result(op=RESET))), "malformed_response",
     message="ConfirmCustomerUserMFA", note="the answer of the other operation is not this call's answer")
case("reset_two_confirm_results_ignored", http(200, envelope(result(op=RESET, extra=
     '<ConfirmCustomerUserMFAResult/><ConfirmCustomerUserMFAResult/>'))), "result", code="SUCCESS", raw="SUCCESS",
     text="m", operation=RESET, note="only the operation's own result element counts (unknown elements are skipped)")
case("reset_fault_echoing_secrets", http(500, envelope('<soap:Fault><faultcode>soap:Server</faultcode><faultstring>'
                                                       'reset failed for ' + every_secret("zeros_hex") +
                                                       '</faultstring></soap:Fault>')),
     "soap_fault|malformed_response", operation=RESET,
     note="a fault of the reset echoing every secret, zero-padded (references gSOAP would misread: refused): "
          "*** each in the trace, and in the fault if it is read")


def main():
    os.makedirs(HERE, exist_ok=True)
    for old in os.listdir(HERE):
        if old.endswith(".case"):
            os.remove(os.path.join(HERE, old))
    for name, (raw, expect, kw) in sorted(cases.items()):
        head = "expect: " + expect + "\n"
        for key in ("message", "fault_string", "code", "raw", "text", "soap", "operation", "behaviour", "deadline", "fill",
                    "interim", "note"):
            if key in kw:
                head += "%s: %s\n" % (key, kw[key])
        with open(os.path.join(HERE, name + ".case"), "wb") as f:
            f.write(head.encode() + b"----\n" + raw)
    print(len(cases), "cases in", HERE)


if __name__ == "__main__":
    main()
