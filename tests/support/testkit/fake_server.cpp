#include "testkit/fake_server.hpp"

#include "testkit/keys.hpp"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <thread>

namespace sluice::testkit {

namespace {

bool iequals(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

void initialize_ssl_once() {
  static std::once_flag once;
  std::call_once(once, [] { Poco::Net::initializeSSL(); });
}

}  // namespace

std::string FakeRequest::query(const std::string& name, const std::string& fallback) const {
  auto it = query_params.find(name);
  return it == query_params.end() ? fallback : it->second;
}

bool FakeRequest::has_query(const std::string& name) const { return query_params.count(name) > 0; }

std::string FakeRequest::header(const std::string& name) const {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) return value;
  }
  return {};
}

std::map<std::string, std::string> FakeRequest::form() const {
  std::map<std::string, std::string> fields;
  Poco::URI parser("/?" + body);
  for (const auto& [key, value] : parser.getQueryParameters()) fields[key] = value;
  return fields;
}

FakeResponse FakeResponse::json(int status, const boost::json::value& value) {
  FakeResponse response;
  response.status = status;
  response.body = boost::json::serialize(value);
  return response;
}

// Connections served at once (each keep-alive connection holds one).
constexpr int kConnectionThreads = 32;

struct FakeServer::Impl {
  FakeHandler handler;
  Scheme scheme;
  std::filesystem::path dir;
  std::string ca_file;
  // Its own pool, declared before the server so it outlives it: Poco's
  // default pool holds 16 threads for the whole process, and a keep-alive
  // connection holds a thread for its life, so clients fetching in
  // parallel (a FetchPool at concurrency 16, a benchmark at 50 ms per
  // answer) would queue behind each other on the fake, not on the API.
  std::unique_ptr<Poco::ThreadPool> pool;
  std::unique_ptr<Poco::Net::HTTPServer> server;
  int port = 0;
  mutable std::mutex mutex;
  std::vector<FakeRequest> log;
  std::deque<FakeResponse> injected;
  std::mutex handler_mutex;  // handlers are written as if single-threaded
  std::condition_variable stopping_changed;  // Fault::hang waits on it (under `mutex`)
  bool stopping = false;

  FakeResponse respond(const FakeRequest& request) {
    {
      std::lock_guard lock(mutex);
      log.push_back(request);
      if (!injected.empty()) {
        FakeResponse next = std::move(injected.front());
        injected.pop_front();
        return next;
      }
    }
    std::lock_guard lock(handler_mutex);
    return handler(request);
  }
};

namespace {

class RequestHandler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit RequestHandler(FakeServer::Impl& impl) : impl_(impl) {}

  void handleRequest(Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out) override {
    FakeRequest request;
    request.method = in.getMethod();
    Poco::URI uri(in.getURI());
    request.path = uri.getPath();
    request.raw_path = in.getURI().substr(0, in.getURI().find('?'));
    request.query_string = uri.getRawQuery();
    for (const auto& [key, value] : uri.getQueryParameters()) request.query_params.emplace(key, value);
    for (const auto& [key, value] : in) request.headers.emplace_back(key, value);
    Poco::StreamCopier::copyToString(in.stream(), request.body);

    FakeResponse response = impl_.respond(request);
    if (response.hold) response.hold();
    if (response.fault == Fault::delay || response.fault == Fault::hang) {
      // Waits end early when the server is destroyed (see ~FakeServer).
      std::unique_lock lock(impl_.mutex);
      auto stopping = [this] { return impl_.stopping; };
      if (response.fault == Fault::hang) {
        impl_.stopping_changed.wait(lock, stopping);
        return;
      }
      impl_.stopping_changed.wait_for(lock, response.delay, stopping);
    }
    out.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(response.status));
    out.setContentType(response.content_type);
    for (const auto& [name, value] : response.headers) out.set(name, value);
    out.setContentLength(static_cast<std::streamsize>(response.body.size()));
    if (response.fault == Fault::reset_mid_body || response.fault == Fault::truncate_body) {
      out.setKeepAlive(false);
      std::ostream& body = out.send();
      body.write(response.body.data(), static_cast<std::streamsize>(response.body.size() / 2));
      body.flush();
      if (response.fault == Fault::reset_mid_body) {
        // SO_LINGER 0: close() sends RST instead of FIN.
        auto& socket = static_cast<Poco::Net::HTTPServerRequestImpl&>(in).socket();
        socket.setLinger(true, 0);
        socket.close();
      }
      return;
    }
    out.send().write(response.body.data(), static_cast<std::streamsize>(response.body.size()));
  }

 private:
  FakeServer::Impl& impl_;
};

class HandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit HandlerFactory(FakeServer::Impl& impl) : impl_(impl) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new RequestHandler(impl_);
  }

 private:
  FakeServer::Impl& impl_;
};

}  // namespace

FakeServer::FakeServer(FakeHandler handler, Scheme scheme) : FakeServer(std::move(handler), scheme, {}) {}

FakeServer::FakeServer(FakeHandler handler, const CertificateSpec& certificate)
    : FakeServer(std::move(handler), Scheme::https, certificate) {}

FakeServer::FakeServer(FakeHandler handler, Scheme scheme, const CertificateSpec& certificate)
    : impl_(std::make_unique<Impl>()) {
  impl_->handler = std::move(handler);
  impl_->scheme = scheme;
  const Poco::Net::SocketAddress loopback("127.0.0.1", 0);
  std::unique_ptr<Poco::Net::ServerSocket> socket;
  if (scheme == Scheme::https) {
    initialize_ssl_once();
    std::random_device random;
    impl_->dir = std::filesystem::temp_directory_path() / ("sluice-fake-tls-" + std::to_string(random()));
    std::filesystem::create_directories(impl_->dir);
    const TlsIdentity identity = generate_certificate(certificate);
    std::ofstream(impl_->dir / "key.pem") << identity.key_pem;
    std::ofstream(impl_->dir / "cert.pem") << identity.cert_pem;
    impl_->ca_file = (impl_->dir / "cert.pem").string();
    Poco::Net::Context::Ptr context = new Poco::Net::Context(
        Poco::Net::Context::TLS_SERVER_USE, (impl_->dir / "key.pem").string(), impl_->ca_file, "",
        Poco::Net::Context::VERIFY_NONE);
    socket = std::make_unique<Poco::Net::SecureServerSocket>(loopback, 64, context);
  } else {
    socket = std::make_unique<Poco::Net::ServerSocket>(loopback, 64);
  }
  impl_->port = socket->address().port();
  auto* params = new Poco::Net::HTTPServerParams;
  params->setKeepAlive(true);
  params->setMaxThreads(kConnectionThreads);
  params->setMaxQueued(64);
  impl_->pool = std::make_unique<Poco::ThreadPool>(2, kConnectionThreads + 1);  // + the acceptor
  impl_->server =
      std::make_unique<Poco::Net::HTTPServer>(new HandlerFactory(*impl_), *impl_->pool, *socket, params);
  impl_->server->start();
}

FakeServer::~FakeServer() {
  // Delayed and hanging handlers return first. Then stopAll(false), not
  // stopAll(true): Poco shuts each connection down under the lock its thread
  // holds while handling a request, whereas abortCurrent shuts a connection
  // down from this thread while its handler may still be writing, and with
  // TLS that is SSL_shutdown racing SSL_write on one SSL object (TSan: data
  // race on the descriptor, close_notify written from the wrong thread).
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
  }
  impl_->stopping_changed.notify_all();
  impl_->server->stopAll(false);
  // stopAll() does not wait for the connection threads. One still running
  // would go on using Impl after it is destroyed, and, at the end of a test
  // process, Poco's statics after exit() destroyed them (ASan:
  // heap-use-after-free in HTTPServerConnection::sendErrorResponse).
  while (impl_->server->currentConnections() > 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  if (!impl_->dir.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(impl_->dir, ignored);
  }
}

std::string FakeServer::base_url() const {
  return std::string(impl_->scheme == Scheme::https ? "https" : "http") + "://127.0.0.1:" + std::to_string(impl_->port);
}
std::string FakeServer::ca_file() const { return impl_->ca_file; }
int FakeServer::port() const { return impl_->port; }

std::vector<FakeRequest> FakeServer::requests() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->log;
}

size_t FakeServer::request_count() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->log.size();
}

void FakeServer::inject(FakeResponse response) {
  std::lock_guard lock(impl_->mutex);
  impl_->injected.push_back(std::move(response));
}

}  // namespace sluice::testkit
