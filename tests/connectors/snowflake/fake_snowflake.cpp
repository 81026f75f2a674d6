#include "fake_snowflake.hpp"

#include <testkit/jwt_verify.hpp>

#include <Poco/Base64Encoder.h>
#include <Poco/DeflatingStream.h>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>

#include <algorithm>
#include <random>
#include <sstream>

namespace snowflake_fake {

namespace {

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::toupper(c); });
  return text;
}

std::string new_handle() {
  static std::mt19937_64 generator(42);
  const uint64_t high = generator(), low = generator();
  char text[37];
  std::snprintf(text, sizeof text, "%08x-%04x-4%03x-%04x-%012llx", static_cast<unsigned>(high >> 32),
                static_cast<unsigned>((high >> 16) & 0xffff), static_cast<unsigned>(high & 0x0fff),
                static_cast<unsigned>(0x8000 | (low >> 48 & 0x3fff)),
                static_cast<unsigned long long>(low & 0xffffffffffffULL));
  return text;
}

int64_t claim(const json::object& claims, const char* name) {
  const auto* value = claims.if_contains(name);
  return value && value->is_int64() ? value->get_int64() : 0;
}

std::string claim_text(const json::object& claims, const char* name) {
  const auto* value = claims.if_contains(name);
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

FakeResponse error(int status, const std::string& code, const std::string& sql_state, const std::string& message,
                   const std::string& handle = "") {
  json::object body{{"code", code}, {"message", message}};
  if (!sql_state.empty()) body["sqlState"] = sql_state;
  if (!handle.empty()) body["statementHandle"] = handle;
  return FakeResponse::json(status, body);
}

std::string gzip(const std::string& text) {
  std::ostringstream out;
  {
    Poco::DeflatingOutputStream deflater(out, Poco::DeflatingStreamBuf::STREAM_GZIP);
    deflater << text;
    deflater.close();
  }
  return out.str();
}

}  // namespace

std::string public_key_fingerprint(const std::string& public_key_pem) {
  BIO* bio = BIO_new_mem_buf(public_key_pem.data(), static_cast<int>(public_key_pem.size()));
  EVP_PKEY* key = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (!key) return {};
  unsigned char* der = nullptr;
  const int size = i2d_PUBKEY(key, &der);
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(der, static_cast<size_t>(size), digest);
  OPENSSL_free(der);
  EVP_PKEY_free(key);
  std::ostringstream out;
  Poco::Base64Encoder encoder(out);
  encoder.rdbuf()->setLineLength(0);
  encoder.write(reinterpret_cast<const char*>(digest), sizeof digest);
  encoder.close();
  return "SHA256:" + out.str();
}

FakeSnowflake::FakeSnowflake(std::string account, std::string user, std::string public_key_pem, std::string database)
    : account_(upper(std::move(account))),
      user_(upper(std::move(user))),
      database_(std::move(database)) {
  knobs_.public_key_pem = std::move(public_key_pem);
}

void FakeSnowflake::fail_partition(size_t index, std::vector<int> statuses) {
  std::lock_guard lock(mutex_);
  partition_faults_[index] = std::deque<int>(statuses.begin(), statuses.end());
}

std::vector<json::object> FakeSnowflake::statements() const {
  std::lock_guard lock(mutex_);
  return statements_;
}

std::vector<std::string> FakeSnowflake::cancelled() const {
  std::lock_guard lock(mutex_);
  return cancelled_;
}

bool FakeSnowflake::wait_for_polls(size_t polls, std::chrono::seconds limit) {
  std::unique_lock lock(mutex_);
  return arrived_.wait_for(lock, limit, [&] { return pending_answers_ >= polls; });
}

size_t FakeSnowflake::partition_requests(size_t index) const {
  std::lock_guard lock(mutex_);
  auto found = partition_requests_.find(index);
  return found == partition_requests_.end() ? 0 : found->second;
}

// https://docs.snowflake.com/en/developer-guide/sql-api/authenticating#using-key-pair-authentication
std::optional<FakeResponse> FakeSnowflake::refuse_auth(const FakeRequest& request, const Knobs& knobs) const {
  auto invalid = [](const std::string& why) {
    // Snowflake says only this; the reason is for the test's eyes (a header).
    return error(401, "390144", "", "JWT token is invalid.").with_header("X-Fake-Reason", why);
  };
  const std::string authorization = request.header("Authorization");
  if (authorization.rfind("Bearer ", 0) != 0) return invalid("no bearer token");
  const std::string token = authorization.substr(7);
  const std::string type = upper(request.header("X-Snowflake-Authorization-Token-Type"));
  if (type == "OAUTH" || type.empty()) {
    if (!knobs.oauth_token.empty() && token == knobs.oauth_token) return std::nullopt;
    return error(401, "390303", "", "Invalid OAuth access token.");
  }
  if (type != "KEYPAIR_JWT") return invalid("unknown token type " + type);
  const auto jwt = sluice::testkit::verify_rs256_jwt(token, knobs.public_key_pem);
  if (!jwt) return invalid("signature does not verify with the registered public key");
  const std::string qualified = account_ + "." + user_;
  const std::string iss = claim_text(jwt->claims, "iss");
  const auto fp = iss.rfind(".SHA256:");
  if (fp == std::string::npos || upper(iss.substr(0, fp)) != qualified) return invalid("iss names another account or user");
  if (iss.substr(fp + 1) != public_key_fingerprint(knobs.public_key_pem)) return invalid("iss has another key's fingerprint");
  if (upper(claim_text(jwt->claims, "sub")) != qualified) return invalid("sub is not ACCOUNT.USER");
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       (std::chrono::system_clock::now() + knobs.clock_offset).time_since_epoch())
                       .count();
  const int64_t exp = claim(jwt->claims, "exp"), iat = claim(jwt->claims, "iat");
  if (exp <= now) return invalid("expired");
  if (exp - iat > 3600) return invalid("lifetime over an hour");
  return std::nullopt;
}

FakeResponse FakeSnowflake::handle(const FakeRequest& request) {
  const Knobs knobs = [&] {
    std::lock_guard lock(mutex_);
    return knobs_;
  }();
  if (auto refused = refuse_auth(request, knobs)) return *refused;
  const std::string root = "/api/v2/statements";
  if (request.path == root) {
    if (request.method != "POST") return error(405, "", "", "Method Not Allowed");
    return submit(request, knobs);
  }
  if (request.path.rfind(root + "/", 0) != 0) return error(404, "", "", "Not Found");
  std::string rest = request.path.substr(root.size() + 1);
  if (request.method == "POST" && rest.size() > 7 && rest.compare(rest.size() - 7, 7, "/cancel") == 0) {
    const std::string handle = rest.substr(0, rest.size() - 7);
    std::lock_guard lock(mutex_);
    auto found = results_.find(handle);
    if (found == results_.end()) return error(404, "", "", "Not Found");
    cancelled_.push_back(handle);
    if (found->second.polls_left != 0 && found->second.ended.empty()) found->second.ended = "cancelled";
    return FakeResponse::json(200, json::object{{"code", "000604"},
                                                {"sqlState", "57014"},
                                                {"message", "successfully canceled"},
                                                {"statementHandle", handle},
                                                {"statementStatusUrl", root + "/" + handle}});
  }
  if (request.method != "GET") return error(405, "", "", "Method Not Allowed");
  return status(rest, request, knobs);
}

FakeResponse FakeSnowflake::submit(const FakeRequest& request, const Knobs& knobs) {
  json::error_code ec;
  json::value parsed = json::parse(request.body, ec);
  const auto* body = parsed.if_object();
  const auto* statement = body ? body->if_contains("statement") : nullptr;
  if (!statement || !statement->is_string()) return error(400, "391902", "", "Invalid request body: no statement.");
  {
    std::lock_guard lock(mutex_);
    statements_.push_back(*body);
  }
  const std::string handle = new_handle();
  auto text = [&](const char* key) {
    const auto* value = body->if_contains(key);
    return value && value->is_string() ? std::string(value->get_string()) : std::string();
  };
  if (text("database") != database_.name()) {
    return error(422, "002003", "02000",
                 "SQL compilation error:\nDatabase '" + text("database") + "' does not exist or not authorized.", handle);
  }
  if (knobs.timing_out_prefix && statement->get_string().starts_with(*knobs.timing_out_prefix)) {
    const auto* timeout = body->if_contains("timeout");
    const std::string seconds = timeout && timeout->is_int64() ? std::to_string(timeout->get_int64()) : "172800";
    return error(408, "000630", "57014",
                 "Statement reached its statement or warehouse timeout of " + seconds + " second(s) and was canceled.",
                 handle);
  }
  const auto* bindings = body->if_contains("bindings");
  StatementResult run = database_.run(std::string(statement->get_string()),
                                      bindings && bindings->is_object() ? bindings->get_object() : json::object(),
                                      text("schema"));
  if (!run.error_code.empty()) return error(422, run.error_code, run.sql_state, run.error_message, handle);

  Result result;
  result.row_type = std::move(run.row_type);
  result.rows = static_cast<int64_t>(run.rows.size());
  result.created_on = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  const size_t per = knobs.partition_rows ? knobs.partition_rows : std::max<size_t>(run.rows.size(), 1);
  for (size_t i = 0; i < run.rows.size() || result.partitions.empty(); i += per) {
    json::array data;
    for (size_t r = i; r < std::min(i + per, run.rows.size()); ++r) data.push_back(std::move(run.rows[r]));
    result.partitions.push_back(std::move(data));
    if (run.rows.empty()) break;
  }
  if (statement->get_string().starts_with(knobs.pending_prefix)) result.polls_left = knobs.pending_polls;
  result.started = knobs.statement_clock();
  if (const auto* timeout = body->if_contains("timeout"); timeout && timeout->is_int64() && timeout->get_int64() > 0) {
    result.timeout_seconds = timeout->get_int64();
  }
  std::lock_guard lock(mutex_);
  auto& stored = results_[handle] = std::move(result);
  if (stored.polls_left != 0) {
    return FakeResponse::json(202, json::object{{"code", "333334"},
                                                {"message", "Asynchronous execution in progress. Use provided query id "
                                                            "to perform query monitoring and management."},
                                                {"statementHandle", handle},
                                                {"statementStatusUrl", "/api/v2/statements/" + handle}});
  }
  return result_set(handle, stored);
}

FakeResponse FakeSnowflake::result_set(const std::string& handle, const Result& result) const {
  json::array info;
  for (const auto& data : result.partitions) {
    info.push_back(json::object{{"rowCount", data.size()}, {"uncompressedSize", json::serialize(data).size()}});
  }
  json::object body{{"resultSetMetaData", json::object{{"numRows", result.rows},
                                                       {"format", "jsonv2"},
                                                       {"partitionInfo", std::move(info)},
                                                       {"rowType", result.row_type}}},
                    {"data", result.partitions.front()},
                    {"code", "090001"},
                    {"statementStatusUrl", "/api/v2/statements/" + handle},
                    {"sqlState", "00000"},
                    {"statementHandle", handle},
                    {"message", "Statement executed successfully."},
                    {"createdOn", result.created_on}};
  return FakeResponse::json(200, body);
}

FakeResponse FakeSnowflake::status(const std::string& handle, const FakeRequest& request, const Knobs& knobs) {
  size_t index = 0;
  if (request.has_query("partition")) index = std::stoul(request.query("partition"));
  {
    std::lock_guard lock(mutex_);
    auto found = results_.find(handle);
    if (found == results_.end()) return error(404, "", "", "Not Found");
    Result& result = found->second;
    if (result.ended.empty() && result.polls_left != 0 &&
        knobs.statement_clock() - result.started >= std::chrono::seconds(result.timeout_seconds)) {
      result.ended = "timed out";
    }
    if (result.ended == "cancelled") return error(422, "000604", "57014", "SQL execution canceled", handle);
    if (result.ended == "timed out") {
      return error(408, "000630", "57014",
                   "Statement reached its statement or warehouse timeout of " + std::to_string(result.timeout_seconds) +
                       " second(s) and was canceled.",
                   handle);
    }
    if (result.polls_left < 0 || (result.polls_left > 0 && --result.polls_left > 0)) {
      ++pending_answers_;
      arrived_.notify_all();
      return FakeResponse::json(202, json::object{{"code", "333334"},
                                                  {"message", "Asynchronous execution in progress."},
                                                  {"statementHandle", handle},
                                                  {"statementStatusUrl", "/api/v2/statements/" + handle}});
    }
    if (!request.has_query("partition") || index == 0) {
      if (index == 0 && request.has_query("partition")) ++partition_requests_[0];
      return result_set(handle, result);
    }
  }
  return partition(handle, index, request, knobs);
}

FakeResponse FakeSnowflake::partition(const std::string& handle, size_t index, const FakeRequest& request,
                                      const Knobs& knobs) {
  std::unique_lock lock(mutex_);
  ++partition_requests_[index];
  const Result& result = results_.at(handle);
  if (index >= result.partitions.size()) {
    return error(422, "000709", "02000", "Partition " + std::to_string(index) + " does not exist.", handle);
  }
  if (knobs.expired_from != 0 && index >= knobs.expired_from) {
    return error(422, "000710", "02000", "Result for query " + handle + " has expired", handle);
  }
  if (auto fault = partition_faults_.find(index); fault != partition_faults_.end() && !fault->second.empty()) {
    const int status = fault->second.front();
    fault->second.pop_front();
    return error(status, status == 429 ? "000429" : "000000", "", status == 429 ? "Too many requests." : "Service unavailable.")
        .with_header("Retry-After", "0");
  }
  FakeResponse response = FakeResponse::json(200, json::object{{"data", result.partitions[index]}});
  if (knobs.gzip && request.header("Accept-Encoding").find("gzip") != std::string::npos) {
    response.body = gzip(response.body);
    response.with_header("Content-Encoding", "gzip");
  }
  if (knobs.barrier > 1) {
    response.hold = [this, barrier = knobs.barrier] {
      std::unique_lock hold_lock(mutex_);
      ++in_flight_;
      max_in_flight_ = std::max(max_in_flight_.load(), in_flight_);
      arrived_.notify_all();
      arrived_.wait_for(hold_lock, std::chrono::seconds(10), [&] { return in_flight_ >= barrier || released_; });
      released_ = true;  // the overlap happened (or never will): let every answer go
      --in_flight_;
    };
  }
  return response;
}

}  // namespace snowflake_fake
