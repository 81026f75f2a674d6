// What a route handler sees and returns, independent of the HTTP server.
// Errors are one JSON shape everywhere: {"code": STABLE_CODE, "message": ONE
// LINE} plus "errors": [{"path", "message"}] for validation failures.
#pragma once

#include "host/serve/api_keys.hpp"

#include <boost/json.hpp>

#include <functional>
#include <istream>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::host::serve {

struct ApiRequest {
  std::string method;
  std::string path;                           // without the query
  std::map<std::string, std::string> query;   // decoded
  std::map<std::string, std::string> headers; // names lowercased
  std::string body;
  // Routes added with Router::add_streaming only: the body, unread (`body`
  // stays empty), to be read to its end by the handler.
  std::istream* body_stream = nullptr;
  std::vector<std::string> params;            // the route's {placeholders}, in order
  Role role = Role::viewer;                   // of the authenticated key
  std::string key_id;

  std::optional<std::string> query_value(const std::string& name) const {
    auto it = query.find(name);
    if (it == query.end()) return std::nullopt;
    return it->second;
  }
  // The body as a JSON object; throws ApiError 400 otherwise.
  boost::json::object json_body() const { return json_object_body(body); }
  // `text` (a body, maybe inflated) as a JSON object, the same way.
  static boost::json::object json_object_body(std::string_view text);
};

// A body written as it is produced, with chunked transfer (the query
// endpoint's NDJSON): memory stays bounded whatever its size. Every write
// goes through the Redactor, as every other body does.
class ResponseStream {
 public:
  virtual ~ResponseStream() = default;
  // Sends the status line and headers; the body follows. Once.
  virtual void start(int status, const std::string& content_type,
                     const std::map<std::string, std::string>& headers) = 0;
  virtual bool started() const = 0;
  // Sends `bytes` at once (a chunk). false once the client has gone; later
  // writes are dropped.
  virtual bool write(std::string_view bytes) = 0;
  // The client's socket (to notice it hang up while nothing is written),
  // or -1.
  virtual int client_socket() const = 0;
};

struct ApiResponse {
  ApiResponse(int status_ = 200, std::string content_type_ = "application/json", std::string body_ = "")
      : status(status_), content_type(std::move(content_type_)), body(std::move(body_)) {}

  int status;
  std::string content_type;
  std::string body;
  // Set: the server calls it instead of sending `body`. Until it calls
  // start() it may throw ApiError, answered as any other; after that, it
  // must tell the client of a failure in the body itself.
  std::function<void(ResponseStream&)> stream;

  static ApiResponse json(int status, const boost::json::value& value) {
    return {status, "application/json", boost::json::serialize(value)};
  }
};

struct FieldError {
  std::string path;
  std::string message;
};

class ApiError : public std::runtime_error {
 public:
  ApiError(int status, std::string code, const std::string& message, std::vector<FieldError> errors = {})
      : std::runtime_error(message), status_(status), code_(std::move(code)), errors_(std::move(errors)) {}
  int status() const { return status_; }
  const std::string& code() const { return code_; }
  const std::vector<FieldError>& errors() const { return errors_; }
  boost::json::object body() const;
  // Extra response headers (a 429's Retry-After).
  ApiError& with_header(std::string name, std::string value) {
    headers_.emplace_back(std::move(name), std::move(value));
    return *this;
  }
  const std::vector<std::pair<std::string, std::string>>& headers() const { return headers_; }

 private:
  int status_;
  std::string code_;
  std::vector<FieldError> errors_;
  std::vector<std::pair<std::string, std::string>> headers_;
};

// "connection.source.config.domain: required" -> {path, message}.
FieldError field_error(const std::string& line);

}  // namespace sluice::host::serve
