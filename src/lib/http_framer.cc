// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#include "internal/http_framer.h"

#include <cctype>
#include <cstring>
#include <string_view>

#include "internal/text.h"

namespace brightoffice::internal {
namespace {

// `prefix` is lower case letters and '-': ASCII case folding is enough (no locale call).
bool IEqualsPrefix(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (static_cast<char>(text[i] | 0x20) != prefix[i]) return false;
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Whether a comma-separated header value lists `token` (case-insensitive).
bool HasToken(std::string_view value, std::string_view token) {
  while (!value.empty()) {
    const std::size_t comma = value.find(',');
    const std::string_view item = Trim(value.substr(0, comma));
    if (item.size() == token.size() && IEqualsPrefix(item, token)) return true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return false;
}

// The status code of "HTTP/d.d NNN ...", -1 when the line is not one.
int StatusOf(std::string_view line, bool& http11) {
  if (line.size() < 12 || line.compare(0, 5, "HTTP/") != 0 || !std::isdigit(static_cast<unsigned char>(line[5])) ||
      line[6] != '.' || !std::isdigit(static_cast<unsigned char>(line[7])) || line[8] != ' ') {
    return -1;
  }
  int code = 0;
  for (int i = 9; i < 12; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(line[i]))) return -1;
    code = code * 10 + (line[i] - '0');
  }
  http11 = line[5] > '1' || (line[5] == '1' && line[7] >= '1');
  return code;
}

}  // namespace

std::size_t ResponseFramer::FeedHead(const char* buf, std::size_t n) {
  interim_ = false;
  // Find the blank line that ends the head ("\r\n\r\n"; a bare "\n\n" too, as gSOAP accepts).
  const char* const stop = buf + n;
  const char* p = buf + (scanned_ > 3 ? scanned_ - 3 : 0);
  std::size_t end = 0;
  while ((p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(stop - p)))) != nullptr) {
    if (p + 1 < stop && p[1] == '\n') {
      end = static_cast<std::size_t>(p + 2 - buf);
      break;
    }
    if (p + 2 < stop && p[1] == '\r' && p[2] == '\n') {
      end = static_cast<std::size_t>(p + 3 - buf);
      break;
    }
    ++p;
  }
  if (end == 0) {
    scanned_ = n;
    return 0;
  }
  scanned_ = 0;
  const std::string_view head(buf, end);
  bool http11 = false;
  const int code = StatusOf(head.substr(0, head.find('\n')), http11);
  if (code >= 100 && code < 200 && code != 101) {
    interim_ = true;
    return end;
  }
  ParseFinalHead(head, code, http11);
  in_head_ = false;
  message_bytes_ = end + FeedBody(buf + end, n - end);
  return end;
}

void ResponseFramer::ParseFinalHead(std::string_view head, int status, bool http11) {
  status_ = status;
  keep_alive_ = http11;
  bool bad_length = false;
  std::size_t pos = head.find('\n');
  while (pos != std::string_view::npos && pos + 1 < head.size()) {
    const std::size_t eol = head.find('\n', pos + 1);
    const std::string_view line = head.substr(pos + 1, (eol == std::string_view::npos ? head.size() : eol) - pos - 1);
    pos = eol;
    // Only Content-Length, Connection and Transfer-Encoding matter here.
    if (line.empty() || ((line[0] | 0x20) != 'c' && (line[0] | 0x20) != 't')) continue;
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string_view name = line.substr(0, colon);
    const std::string_view value = Trim(line.substr(colon + 1));
    if (name.size() == 14 && IEqualsPrefix(name, "content-length")) {
      std::uint64_t length = 0;
      bool ok = !value.empty() && value.size() <= 18;
      for (char c : value) {
        ok = ok && std::isdigit(static_cast<unsigned char>(c));
        if (ok) length = length * 10 + static_cast<std::uint64_t>(c - '0');
      }
      if (!ok || (content_length_ && *content_length_ != length)) bad_length = true;
      content_length_ = length;
    } else if (name.size() == 17 && IEqualsPrefix(name, "transfer-encoding")) {
      // Chunked only when it is the last coding; any other coding: close-delimited.
      const std::size_t last_comma = value.rfind(',');
      const std::string_view last = Trim(last_comma == std::string_view::npos ? value : value.substr(last_comma + 1));
      chunked_ = last.size() == 7 && IEqualsPrefix(last, "chunked");
      if (!chunked_) bad_length = true;
    } else if (name.size() == 10 && IEqualsPrefix(name, "connection")) {
      if (HasToken(value, "close")) keep_alive_ = false;
      if (!http11 && HasToken(value, "keep-alive")) keep_alive_ = true;
    }
  }
  if (status_ == 204 || status_ == 304 || (status_ >= 100 && status_ < 200)) {
    content_length_ = 0;
    chunked_ = false;
  } else if (chunked_) {
    content_length_.reset();  // Transfer-Encoding overrides Content-Length
  } else if (bad_length) {
    content_length_.reset();
    keep_alive_ = false;  // framed by the connection's end: never reusable
  }
  if (!chunked_ && !content_length_) keep_alive_ = false;
  if (content_length_ && *content_length_ == 0) done_ = true;
}

std::size_t ResponseFramer::FeedBody(const char* data, std::size_t n) {
  if (n == 0) return 0;
  if (done_) {
    extra_ = true;
    return 0;
  }
  if (content_length_) {
    const std::uint64_t left = *content_length_ - body_seen_;
    if (n > left) extra_ = true;
    const std::size_t taken = n > left ? static_cast<std::size_t>(left) : n;
    body_seen_ += taken;
    if (body_seen_ == *content_length_) done_ = true;
    return taken;
  }
  if (!chunked_) return n;  // until the connection closes
  for (std::size_t i = 0; i < n; ++i) {
    const char c = data[i];
    if (done_) {
      extra_ = true;
      return i;
    }
    switch (chunk_) {
      case Chunk::kSize: {
        const int d = HexDigitValue(c);
        if (d >= 0) {
          if (chunk_size_ > (UINT64_MAX >> 4)) {  // absurd size: gSOAP will fail the read
            keep_alive_ = false;
            return n;
          }
          chunk_size_ = chunk_size_ * 16 + static_cast<std::uint64_t>(d);
          chunk_digits_ = true;
        } else if (c == ';' || c == ' ' || c == '\t') {
          chunk_ = Chunk::kExtension;
        } else if (c == '\r') {
          chunk_ = Chunk::kSizeLf;
        } else if (c == '\n') {
          chunk_ = Chunk::kSizeLf;
          --i;  // handle as the LF below
        } else {
          keep_alive_ = false;  // not chunked framing: never reuse
          return n;
        }
        break;
      }
      case Chunk::kExtension:
        if (c == '\r' || c == '\n') {
          chunk_ = Chunk::kSizeLf;
          if (c == '\n') --i;
        }
        break;
      case Chunk::kSizeLf:
        if (c != '\n' || !chunk_digits_) {
          keep_alive_ = false;
          return n;
        }
        if (chunk_size_ == 0) {
          chunk_ = Chunk::kTrailerStart;
        } else {
          chunk_ = Chunk::kData;
        }
        chunk_digits_ = false;
        break;
      case Chunk::kData: {
        const std::uint64_t take = std::min<std::uint64_t>(chunk_size_, n - i);
        chunk_size_ -= take;
        i += static_cast<std::size_t>(take) - 1;
        if (chunk_size_ == 0) chunk_ = Chunk::kDataCr;
        break;
      }
      case Chunk::kDataCr:
        if (c == '\r') {
          chunk_ = Chunk::kDataLf;
        } else if (c == '\n') {
          chunk_ = Chunk::kSize;
        } else {
          keep_alive_ = false;
          return n;
        }
        break;
      case Chunk::kDataLf:
        if (c != '\n') {
          keep_alive_ = false;
          return n;
        }
        chunk_ = Chunk::kSize;
        break;
      case Chunk::kTrailerStart:  // the start of a trailer line, or the final CRLF
        if (c == '\r') {
          chunk_ = Chunk::kLastLf;
        } else if (c == '\n') {
          done_ = true;
        } else {
          chunk_ = Chunk::kTrailerLine;
        }
        break;
      case Chunk::kTrailerLine:
        if (c == '\n') chunk_ = Chunk::kTrailerStart;
        break;
      case Chunk::kLastLf:
        if (c != '\n') {
          keep_alive_ = false;
          return n;
        }
        done_ = true;
        break;
    }
  }
  return n;
}

}  // namespace brightoffice::internal
