#include "fake_databricks.hpp"

#include <sluice/support/timestamp.hpp>

#include <algorithm>
#include <regex>

namespace databricks_fake {

namespace {

FakeResponse error(int status, const std::string& code, const std::string& message) {
  return FakeResponse::json(status, json::object{{"error_code", code}, {"message", message}});
}

FakeResponse s3_error(int status, const std::string& code, const std::string& message) {
  FakeResponse response;
  response.status = status;
  response.content_type = "application/xml";
  response.body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>" + message +
                  "</Message></Error>";
  return response;
}

std::string text_member(const json::object& object, const char* key) {
  const auto* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string iso(int64_t seconds) {
  return sluice::support::format_rfc3339(sluice::support::Timestamp{seconds * 1'000'000}, 3);
}

std::string base64_decode(const std::string& text) {
  static const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned bits = 0;
  int count = 0;
  for (char c : text) {
    const auto value = alphabet.find(c);
    if (value == std::string::npos) break;  // '=' or the end
    bits = bits << 6 | static_cast<unsigned>(value);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out.push_back(static_cast<char>(bits >> count & 0xff));
    }
  }
  return out;
}

std::string chunk_key(const std::string& id) { return "key-of-" + id; }

}  // namespace

FakeDatabricks::FakeDatabricks(std::string catalog, std::string personal_access_token) : warehouse_(std::move(catalog)) {
  knobs_.token = std::move(personal_access_token);
}

void FakeDatabricks::fail_chunk(size_t index, std::vector<int> statuses) {
  std::lock_guard lock(mutex_);
  download_faults_[index] = std::deque<int>(statuses.begin(), statuses.end());
}

bool FakeDatabricks::wait_for_polls(size_t polls, std::chrono::seconds limit) {
  std::unique_lock lock(mutex_);
  return arrived_.wait_for(lock, limit, [&] { return pending_answers_ >= polls; });
}

std::vector<json::object> FakeDatabricks::statements() const {
  std::lock_guard lock(mutex_);
  return statements_;
}
std::vector<std::string> FakeDatabricks::cancelled() const {
  std::lock_guard lock(mutex_);
  return cancelled_;
}
size_t FakeDatabricks::downloads(size_t index) const {
  std::lock_guard lock(mutex_);
  auto found = downloads_.find(index);
  return found == downloads_.end() ? 0 : found->second;
}
size_t FakeDatabricks::chunk_requests(size_t index) const {
  std::lock_guard lock(mutex_);
  auto found = chunk_requests_.find(index);
  return found == chunk_requests_.end() ? 0 : found->second;
}
size_t FakeDatabricks::tokens_issued() const {
  std::lock_guard lock(mutex_);
  return issued_tokens_.size();
}

// https://docs.databricks.com/aws/en/dev-tools/auth/pat
std::optional<FakeResponse> FakeDatabricks::refuse_auth(const FakeRequest& request, const Knobs& knobs) const {
  const std::string authorization = request.header("Authorization");
  if (authorization.rfind("Bearer ", 0) == 0) {
    const std::string token = authorization.substr(7);
    if (!knobs.token.empty() && token == knobs.token) return std::nullopt;
    std::lock_guard lock(mutex_);
    if (std::find(issued_tokens_.begin(), issued_tokens_.end(), token) != issued_tokens_.end()) return std::nullopt;
  }
  return error(401, "UNAUTHENTICATED", "Invalid access token.");
}

// https://docs.databricks.com/aws/en/dev-tools/auth/oauth-m2m ("Manually generate a workspace-level access token")
FakeResponse FakeDatabricks::token(const FakeRequest& request, const Knobs& knobs) {
  auto refuse = [](const std::string& code, const std::string& description) {
    return FakeResponse::json(401, json::object{{"error", code}, {"error_description", description}});
  };
  if (request.method != "POST") return refuse("invalid_request", "POST required");
  const std::string authorization = request.header("Authorization");
  if (authorization.rfind("Basic ", 0) != 0) return refuse("invalid_client", "Client authentication failed");
  const std::string pair = base64_decode(authorization.substr(6));
  const auto colon = pair.find(':');
  if (colon == std::string::npos || knobs.client_id.empty() || pair.substr(0, colon) != knobs.client_id ||
      pair.substr(colon + 1) != knobs.client_secret) {
    return refuse("invalid_client", "Client authentication failed");
  }
  const auto form = request.form();
  const auto grant = form.find("grant_type");
  const auto scope = form.find("scope");
  if (grant == form.end() || grant->second != "client_credentials") {
    return FakeResponse::json(400, json::object{{"error", "unsupported_grant_type"}});
  }
  if (scope == form.end() || scope->second != "all-apis") {
    return FakeResponse::json(400, json::object{{"error", "invalid_scope"}, {"error_description", "scope must be all-apis"}});
  }
  std::lock_guard lock(mutex_);
  const std::string issued = "eyJfake." + std::to_string(issued_tokens_.size() + 1);
  issued_tokens_.push_back(issued);
  return FakeResponse::json(200, json::object{{"access_token", issued}, {"token_type", "Bearer"},
                                              {"scope", "all-apis"}, {"expires_in", 3600}});
}

FakeResponse FakeDatabricks::handle(const FakeRequest& request) {
  const Knobs knobs = [&] {
    std::lock_guard lock(mutex_);
    return knobs_;
  }();
  if (request.path == "/oidc/v1/token") return token(request, knobs);
  if (auto refused = refuse_auth(request, knobs)) return *refused;
  if (request.path.rfind("/api/2.1/unity-catalog/", 0) == 0) return unity_catalog(request, knobs);
  const std::string root = "/api/2.0/sql/statements";
  if (request.path == root || request.path == root + "/") {
    if (request.method != "POST") return error(405, "BAD_REQUEST", "Method not allowed");
    return submit(request, knobs);
  }
  if (request.path.rfind(root + "/", 0) != 0) {
    return error(404, "ENDPOINT_NOT_FOUND", "No API found for '" + request.method + " " + request.path + "'");
  }
  const std::string rest = request.path.substr(root.size() + 1);
  const std::string id = rest.substr(0, rest.find('/'));
  const std::string tail = rest.substr(id.size());
  std::unique_lock lock(mutex_);
  auto found = results_.find(id);
  if (found == results_.end()) {
    return error(404, "RESOURCE_DOES_NOT_EXIST", "Statement " + id + " not found.");
  }
  Result& result = found->second;
  if (tail == "/cancel" && request.method == "POST") {
    cancelled_.push_back(id);
    if (result.state == "SUCCEEDED" && result.polls_left != 0) result.state = "CANCELED";
    result.polls_left = 0;
    return FakeResponse::json(200, json::object{});
  }
  if (request.method != "GET") return error(405, "BAD_REQUEST", "Method not allowed");
  if (tail.empty()) {
    if (result.polls_left != 0) {
      ++pending_answers_;
      arrived_.notify_all();
      if (result.polls_left > 0) --result.polls_left;
      return FakeResponse::json(200, json::object{{"statement_id", id}, {"status", json::object{{"state", "RUNNING"}}}});
    }
    return statement_answer(result, knobs);
  }
  static const std::regex chunk_path("/result/chunks/([0-9]+)");
  std::smatch match;
  if (!std::regex_match(tail, match, chunk_path)) {
    return error(404, "ENDPOINT_NOT_FOUND", "No API found for 'GET " + request.path + "'");
  }
  const size_t index = std::stoul(match[1]);
  ++chunk_requests_[index];
  if (result.state != "SUCCEEDED" || result.polls_left != 0) {
    return error(400, "INVALID_STATE", "Statement " + id + " is not SUCCEEDED (" + result.state + ").");
  }
  if (index >= result.chunks.size()) {
    return error(400, "INVALID_PARAMETER_VALUE", "Chunk index " + std::to_string(index) + " is out of range.");
  }
  return FakeResponse::json(200, result_data(result, index, knobs));
}

// https://docs.databricks.com/api/workspace/statementexecution/executestatement
FakeResponse FakeDatabricks::submit(const FakeRequest& request, const Knobs& knobs) {
  json::error_code ec;
  json::value parsed = json::parse(request.body, ec);
  const auto* body = parsed.if_object();
  if (!body || !body->contains("statement") || !body->at("statement").is_string()) {
    return error(400, "INVALID_PARAMETER_VALUE", "statement is required");
  }
  {
    std::lock_guard lock(mutex_);
    statements_.push_back(*body);
  }
  if (text_member(*body, "warehouse_id") != kWarehouseId) {
    return error(400, "INVALID_PARAMETER_VALUE",
                 "Invalid warehouse_id: warehouse " + text_member(*body, "warehouse_id") + " does not exist.");
  }
  static const std::regex wait("^(0|[5-9]|[1-4][0-9]|50)s$");
  const std::string wait_timeout = body->contains("wait_timeout") ? text_member(*body, "wait_timeout") : "10s";
  if (!std::regex_match(wait_timeout, wait)) {
    return error(400, "INVALID_PARAMETER_VALUE", "wait_timeout must be 0s or between 5s and 50s: " + wait_timeout);
  }
  const std::string on_wait = body->contains("on_wait_timeout") ? text_member(*body, "on_wait_timeout") : "CONTINUE";
  const std::string disposition = body->contains("disposition") ? text_member(*body, "disposition") : "INLINE";
  const std::string format = body->contains("format") ? text_member(*body, "format") : "JSON_ARRAY";
  if ((on_wait != "CONTINUE" && on_wait != "CANCEL") || (disposition != "INLINE" && disposition != "EXTERNAL_LINKS")) {
    return error(400, "INVALID_PARAMETER_VALUE", "invalid on_wait_timeout or disposition");
  }
  if (format != "JSON_ARRAY") {
    // ARROW_STREAM and CSV exist (with EXTERNAL_LINKS only); this fake serves JSON_ARRAY.
    return error(400, "INVALID_PARAMETER_VALUE", "format " + format + " is not served by the fake");
  }
  const std::string sql(body->at("statement").get_string());
  Result result;
  result.disposition = disposition;
  const std::string catalog = text_member(*body, "catalog");
  StatementOutcome outcome;
  if (!catalog.empty() && catalog != warehouse_.catalog()) {
    outcome.error_code = "BAD_REQUEST", outcome.sql_state = "42704";
    outcome.message = "[NO_SUCH_CATALOG_EXCEPTION] Catalog '" + catalog + "' was not found. SQLSTATE: 42704";
  } else if (knobs.catalog_denied) {
    outcome.error_code = "BAD_REQUEST", outcome.sql_state = "42501";
    outcome.message = "[INSUFFICIENT_PERMISSIONS] Insufficient privileges: User does not have USE CATALOG on Catalog '" +
                      catalog + "'. SQLSTATE: 42501";
  } else {
    const auto* parameters = body->if_contains("parameters");
    outcome = warehouse_.run(sql, parameters && parameters->is_array() ? parameters->get_array() : json::array());
  }
  if (outcome.error_code.empty() && knobs.timeout_prefix && sql.rfind(*knobs.timeout_prefix, 0) == 0) {
    // The warehouse's STATEMENT_TIMEOUT: the statement runs, then FAILED with
    // the error a warehouse answers for it (fake_databricks.hpp).
    outcome.error_code = "DEADLINE_EXCEEDED", outcome.sql_state = "";
    outcome.message = "Statement has timed out after " + std::to_string(knobs.timeout_seconds) +
                      " seconds (STATEMENT_TIMEOUT).";
    outcome.columns = json::array(), outcome.rows.clear();
  }
  if (!outcome.error_code.empty()) {
    result.state = "FAILED";
    result.columns = json::array{json::object{{"error_code", outcome.error_code}, {"message", outcome.message},
                                              {"sql_state", outcome.sql_state}}};
  } else {
    result.columns = std::move(outcome.columns);
    result.rows = static_cast<int64_t>(outcome.rows.size());
    const size_t per = knobs.chunk_rows ? knobs.chunk_rows : std::max<size_t>(outcome.rows.size(), 1);
    for (size_t i = 0; i < outcome.rows.size(); i += per) {
      json::array rows;
      for (size_t r = i; r < std::min(i + per, outcome.rows.size()); ++r) rows.push_back(std::move(outcome.rows[r]));
      result.chunks.push_back(std::move(rows));
    }
  }
  std::lock_guard lock(mutex_);
  result.id = "01ef-" + std::to_string(1000 + next_id_++) + "-fake-statement";
  if (sql.rfind(knobs.pending_prefix, 0) == 0) result.polls_left = knobs.pending_polls;
  if (knobs.timeout_prefix && sql.rfind(*knobs.timeout_prefix, 0) == 0) result.polls_left = knobs.timeout_running_polls;
  if (knobs.closing_prefix && sql.rfind(*knobs.closing_prefix, 0) == 0 && result.state == "SUCCEEDED") result.state = "CLOSED";
  Result& stored = results_[result.id] = std::move(result);
  if (stored.polls_left != 0 && on_wait == "CANCEL" && wait_timeout != "0s") {
    // Not done within wait_timeout, and on_wait_timeout CANCEL: Databricks
    // cancels it and answers CANCELED.
    stored.polls_left = 0;
    if (stored.state == "SUCCEEDED") stored.state = "CANCELED";
    return statement_answer(stored, knobs);
  }
  if (stored.polls_left != 0) {
    if (stored.polls_left > 0) --stored.polls_left;
    return FakeResponse::json(200, json::object{{"statement_id", stored.id}, {"status", json::object{{"state", "PENDING"}}}});
  }
  return statement_answer(stored, knobs);
}

// Under mutex_.
FakeResponse FakeDatabricks::statement_answer(Result& result, const Knobs& knobs) {
  json::object answer{{"statement_id", result.id}};
  if (result.state == "FAILED") {
    const auto& e = result.columns.at(0).as_object();
    json::object status{{"state", "FAILED"},
                        {"error", json::object{{"error_code", e.at("error_code")}, {"message", e.at("message")}}}};
    if (!e.at("sql_state").as_string().empty()) status["sql_state"] = e.at("sql_state");
    answer["status"] = std::move(status);
    return FakeResponse::json(200, answer);
  }
  if (result.state != "SUCCEEDED") {
    answer["status"] = json::object{{"state", result.state}};
    return FakeResponse::json(200, answer);
  }
  const bool external = result.disposition == "EXTERNAL_LINKS";
  json::array chunks;
  int64_t offset = 0, total_bytes = 0;
  for (size_t i = 0; i < result.chunks.size(); ++i) {
    json::object chunk{{"chunk_index", i}, {"row_offset", offset}, {"row_count", result.chunks[i].size()}};
    if (external) {
      const auto bytes = static_cast<int64_t>(json::serialize(result.chunks[i]).size());
      chunk["byte_count"] = bytes;
      total_bytes += bytes;
    }
    offset += static_cast<int64_t>(result.chunks[i].size());
    chunks.push_back(std::move(chunk));
  }
  json::object manifest{{"format", "JSON_ARRAY"},
                        {"schema", json::object{{"column_count", result.columns.size()}, {"columns", result.columns}}},
                        {"total_chunk_count", result.chunks.size()},
                        {"chunks", std::move(chunks)},
                        {"total_row_count", result.rows},
                        {"truncated", false}};
  if (external) manifest["total_byte_count"] = total_bytes;
  answer["status"] = json::object{{"state", "SUCCEEDED"}};
  answer["manifest"] = std::move(manifest);
  if (!result.chunks.empty()) answer["result"] = result_data(result, 0, knobs);
  return FakeResponse::json(200, answer);
}

// Under mutex_.
json::object FakeDatabricks::result_data(const Result& result, size_t index, const Knobs& knobs) {
  int64_t offset = 0;
  for (size_t i = 0; i < index; ++i) offset += static_cast<int64_t>(result.chunks[i].size());
  const auto& rows = result.chunks[index];
  json::object data{{"chunk_index", index}, {"row_offset", offset}, {"row_count", rows.size()}};
  // next_chunk_internal_link: "an absolute path to be joined with your
  // $DATABRICKS_HOST, and should be treated as an opaque link"
  // (https://docs.databricks.com/api/workspace/statementexecution/getstatementresultchunkn,
  // ChunkInfo). This fake's carries the next chunk's row_offset in its
  // query, so a test sees whether a client followed it or built the URL
  // from next_chunk_index.
  const std::string base = "/api/2.0/sql/statements/" + result.id + "/result/chunks/";
  if (index + 1 < result.chunks.size()) {
    data["next_chunk_index"] = index + 1;
    data["next_chunk_internal_link"] = base + std::to_string(index + 1) +
                                       "?row_offset=" + std::to_string(offset + static_cast<int64_t>(rows.size()));
  }
  if (result.disposition != "EXTERNAL_LINKS") {
    data["data_array"] = rows;
    return data;
  }
  const int64_t now = now_seconds();
  int64_t expires = now + 900, real_expiry = now + 900;
  if (auto expiring = expiring_.find(index); expiring != expiring_.end() && expiring->second.first > 0) {
    --expiring->second.first;
    real_expiry = now - 60;
    if (expiring->second.second) expires = real_expiry;
  }
  const std::string signature = "sig" + std::to_string(++next_link_);
  link_expiry_[signature] = real_expiry;
  json::object link = data;
  link["byte_count"] = json::serialize(rows).size();
  link["external_link"] = knobs.storage_base_url + "/dbsql-results/" + result.id + "/" + std::to_string(index) +
                          "?X-Amz-Expires=900&X-Amz-Signature=" + signature;
  link["expiration"] = iso(expires);
  link["http_headers"] = json::object{{"x-amz-server-side-encryption-customer-key", chunk_key(result.id)}};
  return json::object{{"external_links", json::array{std::move(link)}}};
}

FakeResponse FakeDatabricks::handle_storage(const FakeRequest& request) {
  if (!request.header("Authorization").empty()) {
    return s3_error(400, "InvalidArgument",
                    "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string "
                    "parameter or the Authorization header should be specified");
  }
  static const std::regex path("/dbsql-results/([^/]+)/([0-9]+)");
  std::smatch match;
  if (request.method != "GET" || !std::regex_match(request.path, match, path)) {
    return s3_error(404, "NoSuchKey", "The specified key does not exist.");
  }
  const std::string id = match[1];
  const size_t index = std::stoul(match[2]);
  std::unique_lock lock(mutex_);
  ++downloads_[index];
  auto expiry = link_expiry_.find(request.query("X-Amz-Signature"));
  auto found = results_.find(id);
  if (expiry == link_expiry_.end() || found == results_.end() || index >= found->second.chunks.size()) {
    return s3_error(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.");
  }
  if (expiry->second <= now_seconds()) return s3_error(403, "AccessDenied", "Request has expired");
  if (request.header("x-amz-server-side-encryption-customer-key") != chunk_key(id)) {
    return s3_error(400, "InvalidRequest", "The object was stored using a form of Server Side Encryption. The correct "
                                           "parameters must be provided to retrieve the object.");
  }
  if (auto fault = download_faults_.find(index); fault != download_faults_.end() && !fault->second.empty()) {
    const int status = fault->second.front();
    fault->second.pop_front();
    return s3_error(status, status == 503 ? "SlowDown" : "InternalError", "Please reduce your request rate.")
        .with_header("Retry-After", "0");
  }
  FakeResponse response;
  response.content_type = "application/octet-stream";
  response.body = json::serialize(found->second.chunks[index]);
  if (knobs_.barrier > 1) {
    response.hold = [this, barrier = knobs_.barrier] {
      std::unique_lock hold_lock(mutex_);
      ++in_flight_;
      max_in_flight_ = std::max(max_in_flight_.load(), in_flight_);
      arrived_.notify_all();
      arrived_.wait_for(hold_lock, std::chrono::seconds(10), [&] { return in_flight_ >= barrier || released_; });
      released_ = true;
      --in_flight_;
    };
  }
  return response;
}

// https://docs.databricks.com/api/workspace/schemas/list
// https://docs.databricks.com/api/workspace/tables/list
FakeResponse FakeDatabricks::unity_catalog(const FakeRequest& request, const Knobs& knobs) {
  const std::string catalog = request.query("catalog_name");
  if (knobs.catalog_denied) {
    return error(403, "PERMISSION_DENIED", "User does not have USE CATALOG on Catalog '" + catalog + "'.");
  }
  if (catalog != warehouse_.catalog()) return error(404, "CATALOG_DOES_NOT_EXIST", "Catalog '" + catalog + "' does not exist.");
  json::array items;
  const char* key = nullptr;
  if (request.path == "/api/2.1/unity-catalog/schemas") {
    key = "schemas";
    std::vector<std::string> names = warehouse_.schemas();
    names.push_back("information_schema");
    std::sort(names.begin(), names.end());
    for (const auto& name : names) {
      items.push_back(json::object{{"name", name}, {"catalog_name", catalog}, {"full_name", catalog + "." + name},
                                   {"owner", "admins"}, {"created_at", 1714521600000}});
    }
  } else if (request.path == "/api/2.1/unity-catalog/tables") {
    key = "tables";
    const std::string schema = request.query("schema_name");
    const auto schemas = warehouse_.schemas();
    if (std::find(schemas.begin(), schemas.end(), schema) == schemas.end()) {
      return error(404, "SCHEMA_DOES_NOT_EXIST", "Schema '" + catalog + "." + schema + "' does not exist.");
    }
    for (const FakeTable& table : warehouse_.tables(schema)) {
      json::array columns;
      for (size_t i = 0; i < table.columns.size(); ++i) {
        json::object column = column_type_info(table.columns[i].type, true);
        column["name"] = table.columns[i].name;
        column["position"] = i;
        column["nullable"] = table.columns[i].nullable;
        columns.push_back(std::move(column));
      }
      json::object info{{"name", table.name},
                        {"catalog_name", catalog},
                        {"schema_name", schema},
                        {"full_name", catalog + "." + schema + "." + table.name},
                        {"table_type", table.view ? "VIEW" : "MANAGED"},
                        {"columns", std::move(columns)},
                        {"owner", "admins"},
                        {"created_at", 1714521600000},
                        {"updated_at", 1714521600000}};
      if (!table.view) info["data_source_format"] = "DELTA";
      if (!table.primary_key.empty()) {
        json::array key_columns;
        for (const auto& name : table.primary_key) key_columns.push_back(json::value(name));
        info["table_constraints"] = json::array{json::object{
            {"primary_key_constraint", json::object{{"name", table.name + "_pk"}, {"child_columns", key_columns}}}}};
      }
      items.push_back(std::move(info));
    }
  } else {
    return error(404, "ENDPOINT_NOT_FOUND", "No API found for 'GET " + request.path + "'");
  }
  const std::string token = request.query("page_token");
  if (knobs.uc_empty_page_first && token.empty()) {
    return FakeResponse::json(200, json::object{{key, json::array()}, {"next_page_token", "p0"}});
  }
  const size_t start = token.empty() ? 0 : std::stoul(token.substr(1));
  const size_t size = knobs.uc_page_size ? knobs.uc_page_size : items.size();
  json::array page;
  for (size_t i = start; i < std::min(start + size, items.size()); ++i) page.push_back(items[i]);
  json::object body{{key, std::move(page)}};
  if (start + size < items.size()) body["next_page_token"] = "p" + std::to_string(start + size);
  return FakeResponse::json(200, body);
}

}  // namespace databricks_fake
