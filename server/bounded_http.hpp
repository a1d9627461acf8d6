// httplib's server with a bound on what one request may send: cpp-httplib 0.11.4 caps the length
// of a header line but neither the number of lines nor their total, so one local client sending
// header lines without end grew the server's memory until it stopped (s10 review R3).
#pragma once

#include <cstddef>
#include <memory>

namespace httplib {
class Server;
}

namespace opsbook::server {

// Per connection (one request a connection): the bytes and lines the client may send, request
// line, headers and any body together. Past either, it is answered 431 and its connection closed.
inline constexpr size_t k_max_request_bytes = 64 * 1024;
inline constexpr size_t k_max_request_lines = 100;
// And the time from its first byte to its last: a client that trickles a byte a second kept a
// worker for as long as it liked, so 260 of them left no worker for a page (s10b review B3).
// Past it the request is answered 408 and its connection closed.
inline constexpr int k_max_request_ms = 2000;

// An httplib server that serves one request a connection, within those bounds.
std::unique_ptr<httplib::Server> bounded_server();

}  // namespace opsbook::server
