#include "stackfit/serve/http_request.hpp"

#include <gtest/gtest.h>

#include <random>

namespace stackfit {
namespace {

TEST(HttpRequestHead, GetWithHeadersAndQuery) {
  RequestHead h = parse_request_head(
      "GET /metrics?x=1 HTTP/1.1\r\nHost: 127.0.0.1:9\r\nAccept: text/plain;version=0.0.4\r\n\r\n");
  ASSERT_EQ(h.status, HeadStatus::complete);
  EXPECT_EQ(h.method, "GET");
  EXPECT_EQ(h.path, "/metrics");
}

TEST(HttpRequestHead, Http10WithoutHeaders) {
  RequestHead h = parse_request_head("HEAD / HTTP/1.0\r\n\r\n");
  ASSERT_EQ(h.status, HeadStatus::complete);
  EXPECT_EQ(h.method, "HEAD");
  EXPECT_EQ(h.path, "/");
}

TEST(HttpRequestHead, PartialHeadAsksForMore) {
  EXPECT_EQ(parse_request_head("GET /metrics HTTP/1.1\r\nHost: a\r").status, HeadStatus::incomplete);
  EXPECT_EQ(parse_request_head("").status, HeadStatus::incomplete);
}

TEST(HttpRequestHead, BareLineFeedsAreRefused) {
  EXPECT_EQ(parse_request_head("GET /metrics HTTP/1.1\n\n").status, HeadStatus::bad);
  EXPECT_EQ(parse_request_head("GET /metrics HTTP/1.1\r\nHost: a\n").status, HeadStatus::bad);
}

TEST(HttpRequestHead, OversizedHeadWithoutEndIsTooLarge) {
  std::string big = "GET /metrics HTTP/1.1\r\nX-Pad: " + std::string(10000, 'a');
  EXPECT_EQ(parse_request_head(big).status, HeadStatus::too_large);
  // No CRLF at all, just a long line.
  EXPECT_EQ(parse_request_head(std::string(k_max_request_head, 'G')).status, HeadStatus::too_large);
  // A complete head that is longer than the bound is too large as well.
  std::string complete = big + "\r\n\r\n";
  EXPECT_EQ(parse_request_head(complete).status, HeadStatus::too_large);
  EXPECT_EQ(parse_request_head("GET / HTTP/1.1\r\n\r\n", 10).status, HeadStatus::too_large);
}

TEST(HttpRequestHead, MalformedRequestLines) {
  for (const char* text : {
           "GET\r\n\r\n",                         // no target
           "GET /metrics\r\n\r\n",                // no version
           "GET  /metrics HTTP/1.1\r\n\r\n",      // empty target
           "get /metrics HTTP/1.1\r\n\r\n",       // lowercase method
           "GET metrics HTTP/1.1\r\n\r\n",        // target not absolute
           "GET /metrics HTTP/2.0\r\n\r\n",       // not HTTP/1.x
           "GET /metrics HTTP/1.1 extra\r\n\r\n", // trailing words
           "GET /met\x7frics HTTP/1.1\r\n\r\n",   // control character
           "GETTTTTTTTTTTTTTTTTTTTT /metrics HTTP/1.1\r\n\r\n",  // method too long
           " GET /metrics HTTP/1.1\r\n\r\n",
           "GET /metrics HTTP/1.1\r\nno colon here\r\n\r\n",
           "GET /metrics HTTP/1.1\r\n folded: value\r\n\r\n",
           "GET /metrics HTTP/1.1\r\n: empty name\r\n\r\n",
       }) {
    EXPECT_EQ(parse_request_head(text).status, HeadStatus::bad) << text;
  }
}

TEST(HttpRequestHead, BinaryGarbageIsBadNeverComplete) {
  std::string nul("GET /metrics HTTP/1.1\r\nHost: a\0b\r\n\r\n", 36);
  EXPECT_EQ(parse_request_head(nul).status, HeadStatus::bad);
  EXPECT_EQ(parse_request_head(std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11)).status,
            HeadStatus::bad);  // a TLS ClientHello
  std::mt19937 rng(7);
  for (int round = 0; round < 2000; ++round) {
    std::string junk(rng() % 300, '\0');
    for (char& c : junk) c = static_cast<char>(rng());
    if (round % 2 == 0) junk += "\r\n\r\n";
    RequestHead h = parse_request_head(junk);
    EXPECT_NE(h.status, HeadStatus::complete) << round;
  }
}

TEST(HttpReply, RoutesAndMethods) {
  int rendered = 0;
  auto metrics = [&] {
    ++rendered;
    return std::string("m 1\n");
  };
  HttpReply ok = answer_request(parse_request_head("GET /metrics HTTP/1.1\r\n\r\n"), metrics);
  EXPECT_EQ(ok.status, 200);
  EXPECT_NE(ok.bytes.find("Content-Type: text/plain; version=0.0.4"), std::string::npos) << ok.bytes;
  EXPECT_NE(ok.bytes.find("Content-Length: 4\r\n"), std::string::npos);
  EXPECT_EQ(ok.bytes.substr(ok.bytes.size() - 8), "\r\n\r\nm 1\n");
  HttpReply head = answer_request(parse_request_head("HEAD /metrics HTTP/1.1\r\n\r\n"), metrics);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.bytes.substr(head.bytes.size() - 4), "\r\n\r\n");
  EXPECT_EQ(answer_request(parse_request_head("GET / HTTP/1.1\r\n\r\n"), metrics).status, 404);
  EXPECT_EQ(answer_request(parse_request_head("GET /metricsx HTTP/1.1\r\n\r\n"), metrics).status, 404);
  HttpReply post = answer_request(parse_request_head("POST /metrics HTTP/1.1\r\n\r\n"), metrics);
  EXPECT_EQ(post.status, 405);
  EXPECT_NE(post.bytes.find("Allow: GET, HEAD\r\n"), std::string::npos);
  EXPECT_EQ(answer_request(parse_request_head("DELETE /metrics HTTP/1.1\r\n\r\n"), metrics).status, 405);
  EXPECT_EQ(answer_request(parse_request_head("xx\n"), metrics).status, 400);
  EXPECT_EQ(rendered, 2);
}

TEST(ListenAddress, PortAloneBindsLoopback) {
  auto a = parse_listen_address("9100");
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->text(), "127.0.0.1:9100");
}

TEST(ListenAddress, ExplicitAddresses) {
  EXPECT_EQ(parse_listen_address("0.0.0.0:9100")->text(), "0.0.0.0:9100");
  EXPECT_EQ(parse_listen_address("localhost:80")->text(), "127.0.0.1:80");
  auto v6 = parse_listen_address("[::1]:65535");
  ASSERT_TRUE(v6);
  EXPECT_TRUE(v6->ipv6);
  EXPECT_EQ(v6->text(), "[::1]:65535");
}

TEST(ListenAddress, BadValuesAreUsageErrorsNamingTheValue) {
  for (const char* text : {"", "0", "65536", "-1", "91OO", "host.example:9100", "127.0.0.1:", ":9100",
                           "::1:9100", "[::1]", "[::1]9100", "[nope]:9100", "1.2.3:9100", "9100 ", "99999999999999"}) {
    auto a = parse_listen_address(text);
    ASSERT_FALSE(a) << text;
    EXPECT_EQ(a.error().code, ErrorCode::usage);
    EXPECT_EQ(a.error().message.rfind(std::string("--listen \"") + text + "\": ", 0), 0u) << a.error().message;
  }
}

}  // namespace
}  // namespace stackfit
