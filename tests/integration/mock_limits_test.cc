// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
// The mock as other people's tests meet it: pipelined requests, the request size bound, the
// connection bound under a flood of slow clients, running out of file descriptors, and
// fixtures files it must refuse. Raw sockets on loopback, the in-process MockServer, and
// brightoffice-mock as a program.

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "brightoffice/client.h"
#include "brightoffice/testing/mock_server.h"
#include "process.h"
#include "program_checks.h"
#include "time_scale.h"

using namespace brightoffice;
using brightoffice::testing::MockServer;
using brightoffice::testing::MockServerOptions;
using Clock = std::chrono::steady_clock;
using brightoffice::tests::BackgroundProcess;
using brightoffice::tests::ListeningEndpoint;
using brightoffice::tests::TimeScale;

namespace {

const std::string kMock = BRIGHTOFFICE_MOCK_PATH;
constexpr char kPath[] = "/Webservices/BrightOfficeAPI.asmx";
constexpr std::size_t kMiB = 1024 * 1024;

std::unique_ptr<MockServer> StartMock(MockServerOptions options = {}) {
  auto server = MockServer::Start(std::move(options));
  INFO(server.status().ToString());
  REQUIRE(server.ok());
  return std::move(*server);
}

// --- raw HTTP on loopback ------------------------------------------------------------------

int Connect(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

bool SendAll(int fd, const std::string& bytes) {
  for (std::size_t at = 0; at < bytes.size();) {
    const ssize_t n = ::send(fd, bytes.data() + at, bytes.size() - at, MSG_NOSIGNAL);
    if (n <= 0) return false;
    at += static_cast<std::size_t>(n);
  }
  return true;
}

// Reads what arrives within `timeout`: the bytes, and whether the peer closed the connection.
struct Received {
  std::string bytes;
  bool closed = false;  // orderly end of stream (or a reset after it)
};

// Reads until `done(bytes)` holds, the peer closes, or `timeout` passes.
template <typename Done>
Received ReadUntil(int fd, std::chrono::milliseconds timeout, Done done) {
  Received r;
  const auto end = Clock::now() + timeout;
  char buf[65536];
  while (!done(r.bytes)) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - Clock::now()).count();
    if (left <= 0) break;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left)) <= 0) continue;
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) {
      r.closed = true;
      break;
    }
    r.bytes.append(buf, static_cast<std::size_t>(n));
  }
  return r;
}

// One HTTP response taken from the front of `stream`: status, headers and body (Content-Length
// or chunked). nullopt while incomplete.
struct Response {
  int status = 0;
  std::string head, body;
};

std::optional<Response> TakeResponse(std::string& stream) {
  const auto end = stream.find("\r\n\r\n");
  if (end == std::string::npos) return std::nullopt;
  Response r;
  r.head = stream.substr(0, end + 2);
  if (r.head.rfind("HTTP/1.", 0) != 0 || r.head.size() < 12) return std::nullopt;
  r.status = std::atoi(r.head.c_str() + 9);
  std::string lower = r.head;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::size_t at = end + 4;
  if (lower.find("\r\ntransfer-encoding: chunked") != std::string::npos) {
    for (;;) {
      const auto eol = stream.find("\r\n", at);
      if (eol == std::string::npos) return std::nullopt;
      const std::size_t size = std::strtoul(stream.c_str() + at, nullptr, 16);
      if (size == 0) {
        const auto trailer_end = stream.find("\r\n", eol + 2);
        if (trailer_end == std::string::npos) return std::nullopt;
        at = trailer_end + 2;
        break;
      }
      if (stream.size() < eol + 2 + size + 2) return std::nullopt;
      r.body += stream.substr(eol + 2, size);
      at = eol + 2 + size + 2;
    }
  } else {
    const auto cl = lower.find("\r\ncontent-length:");
    const std::size_t length = cl == std::string::npos ? 0 : std::strtoul(lower.c_str() + cl + 17, nullptr, 10);
    if (stream.size() < at + length) return std::nullopt;
    r.body = stream.substr(at, length);
    at += length;
  }
  stream.erase(0, at);
  return r;
}

// Reads `count` responses (or fewer, if the connection closes or `timeout` passes first).
std::vector<Response> ReadResponses(int fd, std::size_t count, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  std::vector<Response> out;
  std::string stream;
  const auto end = Clock::now() + timeout;
  while (out.size() < count && Clock::now() < end) {
    while (auto r = TakeResponse(stream)) out.push_back(std::move(*r));
    if (out.size() >= count) break;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - Clock::now());
    Received more = ReadUntil(fd, left, [&](const std::string& b) { return !b.empty(); });
    stream += more.bytes;
    if (more.closed) {
      while (auto r = TakeResponse(stream)) out.push_back(std::move(*r));
      break;
    }
  }
  return out;
}

// A SOAP 1.1 ConfirmCustomerUserMFA envelope for `email` (the code 123456 confirms it).
std::string Envelope(const std::string& email, const std::string& padding = "") {
  return "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
         "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>" +
         padding +
         "<ConfirmCustomerUserMFA xmlns=\"http://tempuri.org/\"><CustomerInfo>"
         "<Id>3f2504e0-4f89-11d3-9a0c-0305e82c3301</Id><Email>" +
         email +
         "</Email><MFACode>123456</MFACode></CustomerInfo>"
         "<UserInfo><Username>api-user</Username><Password>api-secret</Password></UserInfo>"
         "</ConfirmCustomerUserMFA></soap:Body></soap:Envelope>";
}

std::string Head(const std::string& framing) {
  return std::string("POST ") + kPath +
         " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml; charset=utf-8\r\n"
         "SOAPAction: \"http://tempuri.org/ConfirmCustomerUserMFA\"\r\n" +
         framing + "\r\n";
}

std::string Post(const std::string& body) {
  return Head("Content-Length: " + std::to_string(body.size()) + "\r\n") + body;
}

// The same body as a chunked request, cut into chunks of `chunk` bytes.
std::string ChunkedPost(const std::string& body, std::size_t chunk = 100) {
  std::string out = Head("Transfer-Encoding: chunked\r\n");
  for (std::size_t at = 0; at < body.size(); at += chunk) {
    const std::string part = body.substr(at, chunk);
    char size[32];
    std::snprintf(size, sizeof size, "%zx\r\n", part.size());
    out += size + part + "\r\n";
  }
  return out + "0\r\n\r\n";
}

std::string WsdlGet() { return std::string("GET ") + kPath + "?WSDL HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"; }

bool Confirms(const Response& r, const std::string& email) {
  return r.status == 200 && r.body.find("MFA confirmed for " + email + " ") != std::string::npos;
}

// --- processes and the system ---------------------------------------------------------------

std::size_t CountEntries(const std::string& dir) {
  std::size_t n = 0;
  if (DIR* d = ::opendir(dir.c_str())) {
    while (dirent* e = ::readdir(d)) {
      if (e->d_name[0] != '.') ++n;
    }
    ::closedir(d);
  }
  return n;
}

std::size_t ThreadCount() { return CountEntries("/proc/self/task"); }

// User plus system CPU time of a process, in seconds.
double CpuSeconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto close = stat.rfind(')');
  REQUIRE(close != std::string::npos);
  std::istringstream fields(stat.substr(close + 2));
  std::vector<std::string> f;
  for (std::string x; fields >> x;) f.push_back(x);
  REQUIRE(f.size() > 12);  // f[0] is field 3 (state): utime is field 14, stime field 15
  return (std::stod(f[11]) + std::stod(f[12])) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

// brightoffice-mock as a child process whose pid the test knows (to lower its file limit and
// read its CPU time). SIGTERM on destruction (BackgroundProcess).
class MockProcess {
 public:
  explicit MockProcess(std::vector<std::string> args) : process_(WithMock(std::move(args))) {}
  pid_t pid() const { return process_.pid(); }
  // The port it announced on its first line ("listening on http://127.0.0.1:PORT/...").
  int port() {
    if (port_ == 0) {
      const std::string endpoint = ListeningEndpoint(process_);
      INFO(endpoint);
      REQUIRE(endpoint.rfind("http://127.0.0.1:", 0) == 0);
      port_ = std::atoi(endpoint.c_str() + endpoint.rfind(':') + 1);
      REQUIRE(port_ > 0);
    }
    return port_;
  }
  // SIGTERM; the exit status if it ends within `timeout`, else -1 (and SIGKILL).
  int Terminate(std::chrono::milliseconds timeout) { return process_.Terminate(timeout); }
  // Lets the process open `spare` more file descriptors than it has open now.
  void LimitFiles(std::size_t spare) {
    const std::size_t open = CountEntries("/proc/" + std::to_string(pid()) + "/fd");
    rlimit limit{};
    REQUIRE(::prlimit(pid(), RLIMIT_NOFILE, nullptr, &limit) == 0);
    limit.rlim_cur = open + spare;
    REQUIRE(::prlimit(pid(), RLIMIT_NOFILE, &limit, nullptr) == 0);
  }

 private:
  static std::vector<std::string> WithMock(std::vector<std::string> args) {
    args.insert(args.begin(), kMock);
    return args;
  }

  BackgroundProcess process_;
  int port_ = 0;
};

// Room for the test's own sockets plus the in-process mock's.
void RaiseFileLimit(rlim_t want) {
  rlimit limit{};
  REQUIRE(::getrlimit(RLIMIT_NOFILE, &limit) == 0);
  if (limit.rlim_cur < want) {
    limit.rlim_cur = std::min(want, limit.rlim_max);
    ::setrlimit(RLIMIT_NOFILE, &limit);
  }
}

// True when the peer has closed `fd` (end of stream or reset), without waiting.
bool PeerClosed(int fd) {
  pollfd p{fd, POLLIN, 0};
  if (::poll(&p, 1, 0) <= 0) return false;
  char c;
  const ssize_t n = ::recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
  return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
}

}  // namespace

// --- pipelining ---------------------------------------------------------------------------

TEST_CASE("pipelined requests on one connection are all answered, in order") {
  auto server = StartMock();
  const int fd = Connect(server->port());

  SUBCASE("three requests in one send()") {
    REQUIRE(SendAll(fd, Post(Envelope("a@example.com")) + Post(Envelope("b@example.com")) +
                            Post(Envelope("c@example.com"))));
    auto answers = ReadResponses(fd, 3);
    REQUIRE(answers.size() == 3);
    CHECK(Confirms(answers[0], "a@example.com"));
    CHECK(Confirms(answers[1], "b@example.com"));
    CHECK(Confirms(answers[2], "c@example.com"));
    // The connection is still open for more.
    REQUIRE(SendAll(fd, Post(Envelope("d@example.com"))));
    answers = ReadResponses(fd, 1);
    REQUIRE(answers.size() == 1);
    CHECK(Confirms(answers[0], "d@example.com"));
  }
  SUBCASE("Content-Length, chunked and GET mixed, in one send() and in odd segments") {
    const std::string bytes = Post(Envelope("a@example.com")) + ChunkedPost(Envelope("b@example.com"), 37) +
                              WsdlGet() + Post(Envelope("c@example.com")) + "\r\n" +
                              ChunkedPost(Envelope("d@example.com"), 1000);
    // The five answers, in order: a, b, the WSDL, c, d.
    const auto check = [](const std::vector<Response>& answers) {
      REQUIRE(answers.size() == 5);
      CHECK(Confirms(answers[0], "a@example.com"));
      CHECK(Confirms(answers[1], "b@example.com"));
      CHECK(answers[2].status == 200);
      CHECK(answers[2].body.find("wsdl:definitions") != std::string::npos);
      CHECK(Confirms(answers[3], "c@example.com"));
      CHECK(Confirms(answers[4], "d@example.com"));
    };
    for (bool segmented : {false, true}) {
      CAPTURE(segmented);
      if (!segmented) {
        REQUIRE(SendAll(fd, bytes));
      } else {
        // Segments of 1, 2, 3, 5, 8, ... bytes with pauses: every boundary lands somewhere odd.
        std::thread writer([&] {
          std::size_t at = 0, a = 1, b = 2;
          while (at < bytes.size()) {
            SendAll(fd, bytes.substr(at, a));
            at += a;
            a = b;
            b = (a + b) % 97 + 1;
            std::this_thread::sleep_for(std::chrono::microseconds(300));
          }
        });
        auto answers = ReadResponses(fd, 5, std::chrono::seconds(20));
        writer.join();
        check(answers);
        continue;
      }
      check(ReadResponses(fd, 5));
    }
  }
  SUBCASE("a chunked request with chunk extensions, upper-case sizes and trailers, then another") {
    const std::string body = Envelope("a@example.com");
    char size[32];
    std::snprintf(size, sizeof size, "%zX;name=value\r\n", body.size() - 10);
    std::string chunked = Head("Transfer-Encoding: chunked\r\n") + size + body.substr(0, body.size() - 10) +
                          "\r\n00a\r\n" + body.substr(body.size() - 10) + "\r\n0\r\nX-Trailer: 1\r\n\r\n";
    REQUIRE(SendAll(fd, chunked + Post(Envelope("b@example.com"))));
    auto answers = ReadResponses(fd, 2);
    REQUIRE(answers.size() == 2);
    CHECK(Confirms(answers[0], "a@example.com"));
    CHECK(Confirms(answers[1], "b@example.com"));
  }
  SUBCASE("a fault closes the connection, as on ASMX: what was pipelined after it is not answered") {
    std::string boom = Envelope("a@example.com");
    boom.replace(boom.find("123456"), 6, "boom");
    REQUIRE(SendAll(fd, Post(Envelope("a@example.com")) + Post(boom) + Post(Envelope("c@example.com"))));
    auto answers = ReadResponses(fd, 3, std::chrono::seconds(5));
    REQUIRE(answers.size() == 2);
    CHECK(Confirms(answers[0], "a@example.com"));
    CHECK(answers[1].status == 500);
  }
  ::close(fd);
  CHECK(server->requests_answered() >= 2);
}

// --- the request size bound -----------------------------------------------------------------

namespace {

// Sends `request` from a thread of its own while reading the answer: the answer and whether
// the mock then closed the connection.
Received SendAndRead(int port, const std::string& request) {
  const int fd = Connect(port);
  std::thread writer([&] { SendAll(fd, request); });
  Received r = ReadUntil(fd, std::chrono::seconds(10), [](const std::string&) { return false; });
  ::shutdown(fd, SHUT_RDWR);
  writer.join();
  ::close(fd);
  return r;
}

}  // namespace

TEST_CASE("a request larger than the bound gets 413 and the connection is closed") {
  auto server = StartMock();
  const std::string big_padding = "<!--" + std::string(2 * kMiB, 'x') + "-->";

  SUBCASE("Content-Length above 1 MiB") {
    Received r = SendAndRead(server->port(), Post(Envelope("a@example.com", big_padding)));
    INFO(r.bytes.substr(0, 1200));
    CHECK(r.bytes.rfind("HTTP/1.1 413", 0) == 0);
    CHECK(r.closed);
  }
  SUBCASE("a chunked body growing above 1 MiB") {
    Received r = SendAndRead(server->port(), ChunkedPost(Envelope("a@example.com", big_padding), 64 * 1024));
    INFO(r.bytes.substr(0, 1200));
    CHECK(r.bytes.rfind("HTTP/1.1 413", 0) == 0);
    CHECK(r.closed);
  }
  SUBCASE("headers above 1 MiB") {
    std::string headers;
    while (headers.size() < 2 * kMiB) headers += "X-Padding: " + std::string(100, 'p') + "\r\n";
    const std::string body = Envelope("a@example.com");
    Received r = SendAndRead(server->port(), Head(headers + "Content-Length: " + std::to_string(body.size()) + "\r\n") + body);
    INFO(r.bytes.substr(0, 1200));
    CHECK(r.bytes.rfind("HTTP/1.1 413", 0) == 0);
    CHECK(r.closed);
  }
  SUBCASE("just under 1 MiB is served") {
    const std::string padding = "<!--" + std::string(kMiB - 2000, 'x') + "-->";
    const std::string request = Post(Envelope("a@example.com", padding));
    REQUIRE(request.size() < kMiB);
    const int fd = Connect(server->port());
    REQUIRE(SendAll(fd, request));
    auto answers = ReadResponses(fd, 1);
    REQUIRE(answers.size() == 1);
    CHECK(Confirms(answers[0], "a@example.com"));
    ::close(fd);
  }
  // The mock still serves a client after all that.
  Options options;
  options.endpoint = server->endpoint();
  auto client = Client::Create(options, {"api-user", Secret("api-secret")});
  REQUIRE(client.ok());
  CustomerInfo customer;
  customer.email = "jane@example.com";
  customer.mfa_code = Secret("123456");
  auto result = client->ConfirmCustomerUserMfa(customer);
  REQUIRE(result.ok());
  CHECK(result->code == SuccessCode::kSuccess);
}

// --- the connection bound -------------------------------------------------------------------

TEST_CASE("a flood of slow clients beyond the connection bound neither grows threads nor locks others out") {
  constexpr std::size_t kBound = 256;  // MockServerOptions::max_connections' default
  constexpr std::size_t kFlood = 320;
  RaiseFileLimit(4096);
  const std::size_t threads_before = ThreadCount();
  auto server = StartMock();
  // Slow loris: each connection sends the start of a request head, then a byte now and then.
  std::vector<int> flood;
  for (std::size_t i = 0; i < kFlood; ++i) {
    flood.push_back(Connect(server->port()));
    SendAll(flood.back(), std::string("POST ") + kPath + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  }
  // Stops the dribbling and closes the flood however the test ends.
  struct Dribbler {
    std::vector<int>& flood;
    std::atomic<bool> on{true};
    std::thread thread{[this] {
      while (on) {
        for (int fd : flood) ::send(fd, "X", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
      }
    }};
    ~Dribbler() {
      on = false;
      thread.join();
      for (int fd : flood) ::close(fd);
    }
  } dribbler{flood};
  // The mock takes in every connection and closes the ones beyond its bound (the ones waiting
  // longest for their request), so none is left waiting unseen.
  std::size_t closed = 0;
  const auto end = Clock::now() + std::chrono::seconds(20);
  while (Clock::now() < end) {
    closed = 0;
    for (int fd : flood) closed += PeerClosed(fd) ? 1 : 0;
    if (closed >= kFlood - kBound) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK(closed >= kFlood - kBound);
  // One thread per connection served, the acceptor and the dribbler (+2), and at most two
  // threads of connections just closed that are still ending (+2); not one per connection.
  constexpr std::size_t kMaxThreads = kBound + 4;
  const std::size_t threads = ThreadCount();
  CHECK(threads <= threads_before + kMaxThreads);

  // A well-behaved client is served in the middle of the flood, at once.
  Options options;
  options.endpoint = server->endpoint();
  options.deadline = std::chrono::seconds(5) * TimeScale();
  auto client = Client::Create(options, {"api-user", Secret("api-secret")});
  REQUIRE(client.ok());
  CustomerInfo customer;
  customer.email = "jane@example.com";
  customer.mfa_code = Secret("123456");
  const auto start = Clock::now();
  auto result = client->ConfirmCustomerUserMfa(customer);
  INFO(result.status().ToString());
  REQUIRE(result.ok());
  CHECK(result->code == SuccessCode::kSuccess);
  CHECK(Clock::now() - start < std::chrono::seconds(2) * TimeScale());
  CHECK(ThreadCount() <= threads_before + kMaxThreads);
}

TEST_CASE("the bounds are options: a small connection bound and a small request bound") {
  SUBCASE("connections being answered are never closed to make room: a new one waits its turn") {
    // Everything stretched under valgrind and the sanitizers (time_scale.h); the latency stays
    // five times the pause, so that all four are still being answered when the late one comes.
    const int scale = TimeScale();
    MockServerOptions options;
    options.max_connections = 4;
    options.latency = std::chrono::milliseconds(1500) * scale;
    auto server = StartMock(options);
    std::vector<int> busy;
    for (int i = 0; i < 4; ++i) {
      busy.push_back(Connect(server->port()));
      REQUIRE(SendAll(busy.back(), Post(Envelope("busy" + std::to_string(i) + "@example.com"))));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300) * scale);  // all four are being answered
    const int late = Connect(server->port());
    REQUIRE(SendAll(late, Post(Envelope("late@example.com"))));
    for (int i = 0; i < 4; ++i) {
      auto answers = ReadResponses(busy[i], 1, std::chrono::seconds(10) * scale);
      REQUIRE(answers.size() == 1);
      CHECK(Confirms(answers[0], "busy" + std::to_string(i) + "@example.com"));
    }
    auto answers = ReadResponses(late, 1, std::chrono::seconds(10) * scale);
    REQUIRE(answers.size() == 1);
    CHECK(Confirms(answers[0], "late@example.com"));
    for (int fd : busy) ::close(fd);
    ::close(late);
  }
  SUBCASE("idle connections beyond a bound of 4 are closed, oldest first") {
    MockServerOptions options;
    options.max_connections = 4;
    auto server = StartMock(options);
    std::vector<int> idle;
    for (int i = 0; i < 10; ++i) {
      idle.push_back(Connect(server->port()));
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    const int fd = Connect(server->port());
    REQUIRE(SendAll(fd, Post(Envelope("a@example.com"))));
    auto answers = ReadResponses(fd, 1);
    REQUIRE(answers.size() == 1);
    CHECK(Confirms(answers[0], "a@example.com"));
    // The seven that waited longest were closed; the three newest idle ones are still open.
    // Their closing reaches this side a little later: wait (bounded) until the seven are seen
    // closed, then look at all ten.
    const auto until = Clock::now() + std::chrono::seconds(5) * TimeScale();
    auto oldest_closed = [&idle] {
      for (int i = 0; i < 7; ++i) {
        if (!PeerClosed(idle[i])) return false;
      }
      return true;
    };
    while (!oldest_closed() && Clock::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    for (int i = 0; i < 10; ++i) {
      CAPTURE(i);
      CHECK(PeerClosed(idle[i]) == (i < 7));
    }
    for (int c : idle) ::close(c);
    ::close(fd);
  }
  SUBCASE("max_request_bytes") {
    MockServerOptions options;
    options.max_request_bytes = 4096;
    auto server = StartMock(options);
    const std::string small = Post(Envelope("a@example.com", "<!--" + std::string(1000, 'x') + "-->"));
    const std::string big = Post(Envelope("a@example.com", "<!--" + std::string(4000, 'x') + "-->"));
    REQUIRE(small.size() <= 4096);
    REQUIRE(big.size() > 4096);
    const int fd = Connect(server->port());
    REQUIRE(SendAll(fd, small));
    auto answers = ReadResponses(fd, 1);
    REQUIRE(answers.size() == 1);
    CHECK(Confirms(answers[0], "a@example.com"));
    ::close(fd);
    Received r = SendAndRead(server->port(), big);
    CHECK(r.bytes.rfind("HTTP/1.1 413", 0) == 0);
    CHECK(r.closed);
  }
  SUBCASE("a bound of 0 is refused") {
    MockServerOptions no_connections;
    no_connections.max_connections = 0;
    auto a = MockServer::Start(no_connections);
    REQUIRE_FALSE(a.ok());
    CHECK(a.status().kind() == ErrorKind::kInvalidArgument);
    MockServerOptions no_bytes;
    no_bytes.max_request_bytes = 0;
    auto b = MockServer::Start(no_bytes);
    REQUIRE_FALSE(b.ok());
    CHECK(b.status().kind() == ErrorKind::kInvalidArgument);
  }
}

// --- running out of file descriptors ----------------------------------------------------------

TEST_CASE("out of file descriptors, the mock backs off instead of spinning") {
  SUBCASE("every connection it holds is busy: it waits, at little CPU cost") {
    // Each request waits 30 s for its answer, so no connection can be given up for a new one.
    MockProcess mock({"--latency-ms", "30000"});
    REQUIRE(mock.port() > 0);
    mock.LimitFiles(8);
    std::vector<int> clients;
    for (int i = 0; i < 24; ++i) {
      clients.push_back(Connect(mock.port()));
      SendAll(clients.back(), Post(Envelope("a@example.com")));
    }
    // CPU bounds (and the pause for the mock to settle) stretched under valgrind and the
    // sanitizers (time_scale.h).
    const int scale = TimeScale();
    std::this_thread::sleep_for(std::chrono::milliseconds(700) * scale);
    const double before = CpuSeconds(mock.pid());
    std::this_thread::sleep_for(std::chrono::seconds(2));
    const double cpu = CpuSeconds(mock.pid()) - before;
    INFO("CPU seconds in 2 s while out of file descriptors: " << cpu);
    CHECK(cpu < 0.3 * scale);
    CHECK(::kill(mock.pid(), 0) == 0);  // still running
    // Stop() ends the waiting answers: it exits promptly and cleanly.
    CHECK(mock.Terminate(std::chrono::seconds(5)) == 0);
    for (int fd : clients) ::close(fd);
  }
  SUBCASE("idle connections make room for new ones") {
    MockProcess mock({});
    REQUIRE(mock.port() > 0);
    mock.LimitFiles(8);
    std::vector<int> idle;
    for (int i = 0; i < 24; ++i) idle.push_back(Connect(mock.port()));
    const int fd = Connect(mock.port());
    REQUIRE(SendAll(fd, Post(Envelope("a@example.com"))));
    // Wall and CPU bounds stretched under valgrind and the sanitizers (time_scale.h).
    const int scale = TimeScale();
    const auto start = Clock::now();
    auto answers = ReadResponses(fd, 1, std::chrono::seconds(10) * scale);
    REQUIRE(answers.size() == 1);
    CHECK(Confirms(answers[0], "a@example.com"));
    CHECK(Clock::now() - start < std::chrono::seconds(5) * scale);
    const double before = CpuSeconds(mock.pid());
    std::this_thread::sleep_for(std::chrono::seconds(1));
    CHECK(CpuSeconds(mock.pid()) - before < 0.2 * scale);
    ::close(fd);
    for (int c : idle) ::close(c);
    CHECK(mock.Terminate(std::chrono::seconds(5)) == 0);
  }
}

// --- fixtures files the mock refuses ----------------------------------------------------------

TEST_CASE("a fixtures file with a mistake is refused, naming the entry and the key") {
  struct Bad {
    const char* what;
    std::string entries;  // the entries after a valid first one (entry 0)
    const char* entry;    // "entry N" expected in the message
    const char* key;      // the key expected in the message, quoted
  };
  const std::string ok = R"({"match": {"mfaCode": "sys"}, "result": {"successCode": "SYSTEMERROR"}})";
  const std::vector<Bad> table = {
      {"misspelt match key", R"({"match": {"mfacode": "s3cr3t"}, "result": {"successCode": "SUCCESS"}})", "entry 1", "mfacode"},
      {"unknown entry key", R"({"match": {}, "result": {"successCode": "SUCCESS"}, "delay": 5})", "entry 1", "delay"},
      {"unknown result key", R"({"result": {"successCode": "SUCCESS", "exceptionmessage": "x"}})", "entry 1", "exceptionmessage"},
      {"match a string", R"({"match": "s3cr3t", "result": {"successCode": "SUCCESS"}})", "entry 1", "match"},
      {"match an array", R"({"match": [], "result": {"successCode": "SUCCESS"}})", "entry 1", "match"},
      {"match null", R"({"match": null, "result": {"successCode": "SUCCESS"}})", "entry 1", "match"},
      {"id not a guid", R"({"match": {"id": "s3cr3t"}, "result": {"successCode": "SUCCESS"}})", "entry 1", "id"},
      {"id a number", R"({"match": {"id": 7}, "result": {"successCode": "SUCCESS"}})", "entry 1", "id"},
      {"email a number", R"({"match": {"email": 7}, "result": {"successCode": "SUCCESS"}})", "entry 1", "email"},
      {"mfaCode null", R"({"match": {"mfaCode": null}, "result": {"successCode": "SUCCESS"}})", "entry 1", "mfaCode"},
      {"username a boolean", R"({"match": {"username": true}, "result": {"successCode": "SUCCESS"}})", "entry 1", "username"},
      {"operation unknown", R"({"match": {"operation": "confirmCustomerUserMFA"}, "result": {"successCode": "SUCCESS"}})", "entry 1", "operation"},
      {"operation a number", R"({"match": {"operation": 1}, "result": {"successCode": "SUCCESS"}})", "entry 1", "operation"},
      {"delayMs negative", R"({"result": {"successCode": "SUCCESS"}, "delayMs": -1})", "entry 1", "delayMs"},
      {"delayMs too large", R"({"result": {"successCode": "SUCCESS"}, "delayMs": 99999999999})", "entry 1", "delayMs"},
      {"delayMs a fraction", R"({"result": {"successCode": "SUCCESS"}, "delayMs": 1.5})", "entry 1", "delayMs"},
      {"delayMs a string", R"({"result": {"successCode": "SUCCESS"}, "delayMs": "200"})", "entry 1", "delayMs"},
      {"isSystemError not a boolean", R"({"result": {"successCode": "SUCCESS", "isSystemError": "yes"}})", "entry 1", "isSystemError"},
      {"isSystemError a number", R"({"result": {"successCode": "SUCCESS", "isSystemError": 1}})", "entry 1", "isSystemError"},
      {"senderFault not a boolean", R"({"fault": "x", "senderFault": 1})", "entry 1", "senderFault"},
      {"senderFault with a result", R"({"result": {"successCode": "SUCCESS"}, "senderFault": true})", "entry 1", "senderFault"},
      {"fault not a string", R"({"fault": 42})", "entry 1", "fault"},
      {"result not an object", R"({"result": "SUCCESS"})", "entry 1", "result"},
      {"successCode missing", R"({"result": {"message": "x"}})", "entry 1", "successCode"},
      {"successCode a number", R"({"result": {"successCode": 0}})", "entry 1", "successCode"},
      {"message a number", R"({"result": {"successCode": "SUCCESS", "message": 5}})", "entry 1", "message"},
      {"both result and fault", R"({"result": {"successCode": "SUCCESS"}, "fault": "x"})", "entry 1", "fault"},
      {"neither result nor fault", R"({"match": {"email": "a@example.com"}})", "entry 1", "result"},
      {"a key twice", R"({"match": {"email": "a@example.com", "email": "b@example.com"}, "result": {"successCode": "SUCCESS"}})", "entry 1", "email"},
      {"an entry that is not an object", R"("s3cr3t")", "entry 1", nullptr},
  };
  const std::string path = "mock_limits_test_fixtures_" + std::to_string(::getpid()) + ".json";
  for (const Bad& bad : table) {
    INFO("row: " << std::string(bad.what));
    std::ofstream(path) << "[\n  " << ok << ",\n  " << bad.entries << "\n]\n";
    // The program: exit 2, one message naming the entry and the key, never a value.
    auto r = brightoffice::tests::RunProcess({kMock, "--fixtures", path}, {}, 10);
    INFO("stderr: " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find(bad.entry) != std::string::npos);
    if (bad.key) CHECK(r.err.find(std::string("\"") + bad.key + "\"") != std::string::npos);
    CHECK(r.err.find("s3cr3t") == std::string::npos);
    // The C++ entry point: kInvalidArgument with the same message.
    MockServerOptions options;
    options.fixtures_file = path;
    auto server = MockServer::Start(options);
    REQUIRE_FALSE(server.ok());
    CHECK(server.status().kind() == ErrorKind::kInvalidArgument);
    CHECK(server.status().message().find(bad.entry) != std::string::npos);
    if (bad.key) CHECK(server.status().message().find(std::string("\"") + bad.key + "\"") != std::string::npos);
    CHECK(r.err.find(server.status().message()) != std::string::npos);
  }
  // The whole file must be an array of entries.
  std::ofstream(path) << R"({"match": {}, "result": {"successCode": "SUCCESS"}})";
  auto r = brightoffice::tests::RunProcess({kMock, "--fixtures", path}, {}, 10);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("array") != std::string::npos);
  // A good file with every key still starts.
  std::ofstream(path) << R"([
    {"match": {"operation": "ConfirmCustomerUserMFA", "email": "a@example.com", "mfaCode": "1",
               "username": "api-user", "id": "{3F2504E0-4F89-11D3-9A0C-0305E82C3301}"},
     "result": {"successCode": "PENDING", "message": null, "exceptionMessage": "x", "isSystemError": false},
     "delayMs": 0},
    {"match": {"operation": "CustomerUserSendResetPassword"}, "fault": "Nope", "senderFault": true, "delayMs": 3600000},
    {"result": {"successCode": "SUCCESS"}}
  ])";
  MockServerOptions options;
  options.fixtures_file = path;
  auto server = MockServer::Start(options);
  INFO(server.status().ToString());
  CHECK(server.ok());
  std::remove(path.c_str());
}
