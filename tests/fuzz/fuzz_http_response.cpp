// Fuzz target: the HTTP client reading a response, whatever the server
// sends: the input is written verbatim as the whole response by a loopback
// server in this process (status line, headers, chunked or gzip bodies,
// truncation, garbage), then the connection closes. The client must answer
// with a response or its documented HttpError, never crash or hang (a read
// timeout bounds each exchange). Each answer's rate-limit headers are read
// as the fetch pool and the retry loop read them (retry_delay.hpp), so a
// hostile number meets the sanitizers there too.
#include "sdk/support/retry_delay.hpp"

#include <sluice/error.hpp>
#include <sluice/support/http_client.hpp>
#include <sluice/support/http_error.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace {

// Answers every connection with the current input, once, then closes it.
class OneShotServer {
 public:
  OneShotServer() {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    ::listen(listener_, 16);
    socklen_t length = sizeof address;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    std::thread([this] { serve(); }).detach();
  }

  int port() const { return port_; }

  void set_response(std::string response) {
    std::lock_guard lock(mutex_);
    response_ = std::move(response);
  }

 private:
  void serve() {
    for (;;) {
      int client = ::accept(listener_, nullptr, nullptr);
      if (client < 0) continue;
      // The request: read up to the end of its headers (GET has no body).
      std::string request;
      char buffer[4096];
      while (request.find("\r\n\r\n") == std::string::npos) {
        ssize_t n = ::read(client, buffer, sizeof buffer);
        if (n <= 0) break;
        request.append(buffer, static_cast<size_t>(n));
      }
      std::string response;
      {
        std::lock_guard lock(mutex_);
        response = response_;
      }
      for (size_t at = 0; at < response.size();) {
        ssize_t n = ::send(client, response.data() + at, response.size() - at, MSG_NOSIGNAL);
        if (n <= 0) break;
        at += static_cast<size_t>(n);
      }
      ::shutdown(client, SHUT_RDWR);
      ::close(client);
    }
  }

  int listener_ = -1;
  int port_ = 0;
  std::mutex mutex_;
  std::string response_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static OneShotServer server;
  server.set_response(std::string(reinterpret_cast<const char*>(data), size));
  sluice::support::HttpOptions options;
  options.retry.max_attempts = 1;
  options.connect_timeout = std::chrono::milliseconds(1000);
  options.read_timeout = std::chrono::milliseconds(1000);
  options.on_response = [](const sluice::support::HttpResponse& response) {
    (void)sluice::support::detail::server_budget(response);
    (void)sluice::support::detail::server_delay(response, std::chrono::system_clock::now());
  };
  sluice::support::HttpClient client(options);
  try {
    client.get_json_text("http://127.0.0.1:" + std::to_string(server.port()) + "/page");
  } catch (const sluice::support::HttpError&) {
  } catch (const sluice::Error&) {
  }
  return 0;
}
