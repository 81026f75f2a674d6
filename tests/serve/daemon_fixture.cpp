#include "serve/daemon_fixture.hpp"

#include "common/process.hpp"
#include "host/serve/secret_box.hpp"
#include "openapi_check.hpp"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/DeflatingStream.h>
#include <Poco/StreamCopier.h>
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace sluice::test {

namespace {

// The document as the repo holds it; its gzip copy (built by
// tests/serve/CMakeLists.txt) is what the checker reads.
const testkit::OpenApiSpec& spec() {
  static const testkit::OpenApiSpec instance(
      SLUICE_DAEMON_SPEC_RELATIVE, sluice::host::serve::sha256_hex(read_file(std::string(SLUICE_SOURCE_DIR) + "/docs/api/sluice-v1.json")),
      testkit::SpecOptions{});
  return instance;
}

}  // namespace

boost::json::value HttpAnswer::json() const {
  boost::json::error_code ec;
  boost::json::value value = boost::json::parse(body, ec);
  if (ec) FAIL("not JSON (" << ec.message() << "): " << body);
  return value;
}

Daemon::Daemon(const std::filesystem::path& dir, boost::json::object settings) : dir_(dir) {
  boost::json::object listen{{"port", 0}};
  settings.emplace("listen", listen);
  boost::json::array dirs{SLUICE_PLUGIN_DIR, SLUICE_TEST_PLUGIN_DIR};
  settings.emplace("plugin_dirs", dirs);
  std::ofstream(config_file()) << boost::json::serialize(settings);
}

Daemon::~Daemon() {
  if (pid_ > 0) stop();
}

void Daemon::start() {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
  const std::string err = (dir_ / "daemon.err").string();
  std::vector<std::string> argv = {SLUICE_CLI_PATH, "serve", "--config", config_file()};
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addchdir_np(&actions, dir_.c_str());
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  if (rc != 0) {
    ::close(fds[0]);
    throw std::runtime_error("cannot start the daemon");
  }
  pid_ = pid;
  // The first stdout line says where it listens; EOF first means it exited.
  std::string line;
  char c = 0;
  while (::read(fds[0], &c, 1) == 1 && c != '\n') line += c;
  ::close(fds[0]);
  first_line_ = line;
  const std::string marker = "listening on http";
  const size_t at = line.find(marker);
  if (at == std::string::npos) {
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    throw std::runtime_error("the daemon did not start: " + line + log());
  }
  const size_t colon = line.find(':', line.find("://", at) + 3);
  port_ = std::stoi(line.substr(colon + 1));
}

int Daemon::stop() {
  int status = 0;
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  return status;
}

void Daemon::kill9() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

double Daemon::metric(const std::string& name, const std::string& key) {
  const std::string text = get("/metrics", key).body;
  const std::string line_start = "\n" + name + " ";
  const size_t at = ("\n" + text).find(line_start);
  if (at == std::string::npos) throw std::runtime_error("no metric " + name);
  return std::stod(text.substr(at + line_start.size() - 1));
}

std::string Daemon::log() const { return read_file(dir_ / "daemon.err"); }

std::string Daemon::create_key(const std::string& role) {
  ProcessOptions options;
  options.working_dir = dir_.string();
  ProcessResult result = run_sluice({"serve", "keys", "create", "--role", role, "--config", config_file()}, options);
  REQUIRE(result.exit_code == 0);
  std::string key = result.out;
  while (!key.empty() && key.back() == '\n') key.pop_back();
  return key;
}

HttpAnswer Daemon::request(const std::string& method, const std::string& path, const std::string& key,
                           const std::string& body, const std::map<std::string, std::string>& headers, bool check) {
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port_));
  Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  if (!key.empty()) request.set("Authorization", "Bearer " + key);
  for (const auto& [name, value] : headers) request.set(name, value);
  if (!body.empty() || method == "POST" || method == "PUT") {
    if (!headers.count("Content-Type")) request.setContentType("application/json");
    request.setContentLength(static_cast<std::streamsize>(body.size()));
    session.sendRequest(request) << body;
  } else {
    session.sendRequest(request);
  }
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  HttpAnswer answer;
  answer.status = static_cast<int>(response.getStatus());
  answer.content_type = response.getContentType();
  for (const auto& [name, value] : response) answer.headers[name] = value;
  Poco::StreamCopier::copyToString(in, answer.body);
  if (check && (answer.content_type.rfind("application/json", 0) == 0 ||
                answer.content_type.rfind("application/x-ndjson", 0) == 0)) {
    const std::string bare = path.substr(0, path.find('?'));
    auto verdict = spec().check(method, bare, answer.status, answer.body);
    INFO(method << " " << path << " -> " << answer.status << " " << answer.body);
    std::string errors;  // one INFO: an INFO inside a loop body is gone before the REQUIRE
    for (const auto& error : verdict.errors) errors += error + "\n";
    INFO(errors);
    REQUIRE(verdict.errors.empty());
  }
  return answer;
}

HttpAnswer Daemon::announce(const std::string& path, const std::string& key, size_t content_length) {
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port_));
  Poco::Net::HTTPRequest request("POST", path, Poco::Net::HTTPMessage::HTTP_1_1);
  request.set("Authorization", "Bearer " + key);
  request.setContentLength(static_cast<std::streamsize>(content_length));
  session.sendRequest(request);
  Poco::Net::HTTPResponse response;
  HttpAnswer answer;
  Poco::StreamCopier::copyToString(session.receiveResponse(response), answer.body);
  answer.status = static_cast<int>(response.getStatus());
  answer.content_type = response.getContentType();
  for (const auto& [name, value] : response) answer.headers[name] = value;
  return answer;
}

std::string gzip(const std::string& text) {
  std::ostringstream out;
  {
    Poco::DeflatingOutputStream deflate(out, Poco::DeflatingStreamBuf::STREAM_GZIP);
    deflate << text;
    deflate.close();
  }
  return out.str();
}

boost::json::object synthetic_connection(const std::string& name, const std::filesystem::path& dir,
                                         const std::string& api_key) {
  boost::json::object source{{"plugin", "synthetic"},
                             {"config", boost::json::object{{"customers", 3}, {"events", 20}, {"api_key", api_key}}}};
  boost::json::object file{{"source", source}, {"target", "sqlite://" + (dir / (name + ".db")).string()}};
  return {{"name", name}, {"connection", file}};
}

void eventually(const std::function<bool()>& condition, const std::string& what) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    try {
      if (condition()) return;
    } catch (const std::exception&) {
      // Not there yet.
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  FAIL("timed out waiting until " + what);
}

}  // namespace sluice::test
