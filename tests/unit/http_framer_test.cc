// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
// ResponseFramer: interim answers found whole in any segmentation, and the final answer's
// framing followed to the byte, so that a connection is pooled only after a complete answer.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "internal/http_framer.h"

using brightoffice::internal::ResponseFramer;

namespace {

struct Outcome {
  std::vector<std::string> interim;  // interim heads dropped
  std::string delivered;             // what gSOAP would read (final head and body)
  bool complete = false, extra = false, reusable = false;
  int status = 0;
};

// Feeds `wire` in pieces of `step` bytes as the transport does: heads are gathered in one
// buffer until complete (interim ones dropped); body bytes are fed as they come.
Outcome Run(const std::string& wire, std::size_t step) {
  Outcome out;
  ResponseFramer f;
  std::string pending;
  for (std::size_t i = 0; i < wire.size(); i += step) {
    const std::string piece = wire.substr(i, step);
    if (!f.in_head()) {
      f.FeedBody(piece.data(), piece.size());
      out.delivered += piece;
      continue;
    }
    pending += piece;
    for (;;) {
      const std::size_t head = f.FeedHead(pending.data(), pending.size());
      if (head == 0) break;
      if (f.interim()) {
        out.interim.push_back(pending.substr(0, head));
        pending.erase(0, head);
        continue;
      }
      out.delivered += pending;
      pending.clear();
      break;
    }
  }
  out.complete = f.complete();
  out.extra = f.extra();
  out.reusable = f.reusable();
  out.status = f.status();
  return out;
}

const std::string kBody = "<soap:Envelope>x</soap:Envelope>";  // 32 bytes

std::string Head(const std::string& status, const std::string& headers) {
  return "HTTP/1.1 " + status + "\r\n" + headers + "\r\n";
}

}  // namespace

TEST_CASE("interim answers are dropped whole in every segmentation, the final answer kept") {
  const std::string wire = Head("100 Continue", "") + Head("102 Processing", "X-Note: busy\r\n") +
                           Head("103 Early Hints", "Link: </a>\r\n") +
                           Head("200 OK", "Content-Length: 32\r\n") + kBody;
  for (std::size_t step = 1; step <= wire.size(); ++step) {
    CAPTURE(step);
    const Outcome o = Run(wire, step);
    REQUIRE(o.interim.size() == 3);
    CHECK(o.interim[0] == "HTTP/1.1 100 Continue\r\n\r\n");
    CHECK(o.interim[1].find("102 Processing") != std::string::npos);
    CHECK(o.delivered == Head("200 OK", "Content-Length: 32\r\n") + kBody);
    CHECK(o.status == 200);
    CHECK(o.complete);
    CHECK_FALSE(o.extra);
    CHECK(o.reusable);
  }
}

TEST_CASE("101 is not an interim answer to skip") {
  const Outcome o = Run(Head("101 Switching Protocols", "Upgrade: x\r\n"), 7);
  CHECK(o.interim.empty());
  CHECK(o.status == 101);
}

TEST_CASE("Content-Length: complete at the byte, short or long answers are not reusable") {
  const std::string head = Head("200 OK", "Content-Length: 32\r\n");
  CHECK(Run(head + kBody, 5).reusable);
  const Outcome shorter = Run(head + kBody.substr(0, 20), 5);
  CHECK_FALSE(shorter.complete);
  CHECK_FALSE(shorter.reusable);
  const Outcome longer = Run(head + kBody + "HTTP/1.1 200 OK\r\n", 5);
  CHECK(longer.complete);
  CHECK(longer.extra);
  CHECK_FALSE(longer.reusable);
  const Outcome larger = Run(Head("200 OK", "Content-Length: 40\r\n") + kBody, 1);  // rest still to come
  CHECK_FALSE(larger.complete);
  CHECK_FALSE(larger.reusable);
  CHECK(Run(Head("200 OK", "Content-Length: 40\r\n") + kBody + "        ", 3).reusable);
}

TEST_CASE("the bytes that belong to the answer: whatever follows its end is not handed on") {
  const std::string head = Head("200 OK", "Content-Length: 32\r\n");
  const std::string decoy = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
  const std::string wire = head + kBody + decoy;
  ResponseFramer f;
  REQUIRE(f.FeedHead(wire.data(), wire.size()) == head.size());
  CHECK(f.message_bytes() == head.size() + kBody.size());
  CHECK(f.extra());
  CHECK_FALSE(f.reusable());
  ResponseFramer chunked;
  const std::string chunks = Head("200 OK", "Transfer-Encoding: chunked\r\n") + "4\r\nabcd\r\n0\r\n\r\n";
  const std::string more = chunks + decoy;
  REQUIRE(chunked.FeedHead(more.data(), 20) == 0);  // the head is not complete yet
  REQUIRE(chunked.FeedHead(more.data(), more.size()) > 0);
  CHECK(chunked.message_bytes() == chunks.size());
  CHECK(chunked.extra());
  // Body bytes fed later: the part within the answer is counted, the rest is not.
  ResponseFramer later;
  const std::string just_head = head;
  REQUIRE(later.FeedHead(just_head.data(), just_head.size()) == head.size());
  const std::string rest = kBody + "tail";
  CHECK(later.FeedBody(rest.data(), rest.size()) == kBody.size());
  CHECK(later.extra());
}

TEST_CASE("chunked: complete only after the last chunk and the final CRLF, trailers allowed") {
  const std::string head = Head("200 OK", "Transfer-Encoding: chunked\r\n");
  const std::string chunks = "10\r\n" + kBody.substr(0, 16) + "\r\n10;ext=1\r\n" + kBody.substr(16) + "\r\n0\r\n";
  for (std::size_t step : {1, 2, 3, 7, 100}) {
    CAPTURE(step);
    CHECK_FALSE(Run(head + chunks, step).complete);  // the final CRLF has not come
    CHECK(Run(head + chunks + "\r\n", step).reusable);
    CHECK(Run(head + chunks + "X-Trailer: 1\r\n\r\n", step).reusable);
    const Outcome extra = Run(head + chunks + "\r\nHTTP/1.1 200 OK", step);
    CHECK(extra.extra);
    CHECK_FALSE(extra.reusable);
    CHECK_FALSE(Run(head + "zz\r\n", step).reusable);  // not chunked framing
  }
  // Transfer-Encoding wins over Content-Length.
  CHECK(Run(Head("200 OK", "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n") + chunks + "\r\n", 4).reusable);
}

TEST_CASE("framing that only the connection's end delimits is never reusable") {
  CHECK_FALSE(Run(Head("200 OK", "") + kBody, 4).reusable);
  CHECK_FALSE(Run(Head("200 OK", "Transfer-Encoding: gzip\r\n") + kBody, 4).reusable);
  CHECK_FALSE(Run(Head("200 OK", "Content-Length: 32\r\nContent-Length: 33\r\n") + kBody, 4).reusable);
  CHECK_FALSE(Run(Head("200 OK", "Content-Length: 3x\r\n") + kBody, 4).reusable);
}

TEST_CASE("keep-alive: HTTP/1.1 unless Connection: close; HTTP/1.0 only with keep-alive") {
  CHECK_FALSE(Run(Head("200 OK", "Content-Length: 32\r\nConnection: close\r\n") + kBody, 8).reusable);
  CHECK_FALSE(Run(Head("200 OK", "Content-Length: 32\r\nconnection: Keep-Alive, CLOSE\r\n") + kBody, 8).reusable);
  CHECK_FALSE(Run("HTTP/1.0 200 OK\r\nContent-Length: 32\r\n\r\n" + kBody, 8).reusable);
  CHECK(Run("HTTP/1.0 200 OK\r\nContent-Length: 32\r\nConnection: keep-alive\r\n\r\n" + kBody, 8).reusable);
  // 204 and 304 have no body.
  CHECK(Run(Head("204 No Content", ""), 3).reusable);
}
