// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#ifndef BRIGHTOFFICE_INTERNAL_HTTP_FRAMER_H
#define BRIGHTOFFICE_INTERNAL_HTTP_FRAMER_H

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace brightoffice::internal {

/// Follows one HTTP/1.x response as its raw bytes arrive, for the transport policy:
/// - interim answers (1xx other than 101) are found so that they can be dropped before gSOAP
///   reads the stream (HTTP/1.1 says a client must skip them; gSOAP does not in every
///   segmentation);
/// - the final answer's framing is learnt from its headers (Content-Length, chunked, or until
///   the connection closes, RFC 9112 section 6.3) and followed, so that a connection is pooled
///   only when its answer was completely framed and consumed, with nothing after it.
class ResponseFramer {
 public:
  /// Expects a new response.
  void Reset() { *this = ResponseFramer(); }

  /// While in_head(): the bytes read so far of the response's start, buf[0..n). Returns the
  /// length of a complete head at the start of buf (interim or final), 0 while it is
  /// incomplete. When the head is interim (interim() true afterwards) the caller drops those
  /// bytes and calls again with the rest; when it is final, the framer moves to the body and
  /// counts the bytes after the head as body bytes: message_bytes() then says how many of the
  /// n belong to the answer (the rest came after its end).
  std::size_t FeedHead(const char* buf, std::size_t n);
  /// After FeedHead() found the final head: how many of the bytes it was given belong to the
  /// answer (head and body), the rest having come after the answer's end.
  std::size_t message_bytes() const noexcept { return message_bytes_; }
  /// Whether the last head FeedHead() returned was an interim answer.
  bool interim() const noexcept { return interim_; }
  bool in_head() const noexcept { return in_head_; }

  /// Body bytes that were read (after the final head). Returns how many of them belong to the
  /// answer; any after its end are extra().
  std::size_t FeedBody(const char* data, std::size_t n);

  /// How many more bytes the body has when its length is known (Content-Length), else nullopt.
  std::optional<std::uint64_t> body_remaining() const {
    if (in_head_ || !content_length_) return std::nullopt;
    return *content_length_ - body_seen_;
  }
  /// The final answer's body is complete (a close-delimited body never is).
  bool complete() const noexcept { return done_; }
  /// Bytes arrived after the end of the final answer (a second message, or garbage).
  bool extra() const noexcept { return extra_; }
  /// The final answer may leave the connection open: HTTP/1.1 without "Connection: close", or
  /// HTTP/1.0 with "Connection: keep-alive".
  bool keep_alive() const noexcept { return keep_alive_; }
  /// The final answer's status code (0 before its head).
  int status() const noexcept { return status_; }
  /// Whether the connection can carry the next request: complete, nothing after it, keep-alive.
  bool reusable() const noexcept { return !in_head_ && done_ && !extra_ && keep_alive_; }

 private:
  // The final answer's head (its status line already read): its framing and keep-alive.
  void ParseFinalHead(std::string_view head, int status, bool http11);

  bool in_head_ = true;
  std::size_t message_bytes_ = 0;
  bool interim_ = false;
  std::size_t scanned_ = 0;  // bytes of the current head already searched for its end
  int status_ = 0;
  bool keep_alive_ = false;
  // Body framing.
  bool chunked_ = false;
  std::optional<std::uint64_t> content_length_;
  std::uint64_t body_seen_ = 0;
  bool done_ = false;
  bool extra_ = false;
  // Chunked decoding state.
  enum class Chunk { kSize, kExtension, kSizeLf, kData, kDataCr, kDataLf, kTrailerStart, kTrailerLine, kLastLf };
  Chunk chunk_ = Chunk::kSize;
  std::uint64_t chunk_size_ = 0;
  bool chunk_digits_ = false;
};

}  // namespace brightoffice::internal

#endif  // BRIGHTOFFICE_INTERNAL_HTTP_FRAMER_H
