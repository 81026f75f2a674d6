#include "api_error.hpp"

#include <cctype>

namespace bigquery {

namespace {

std::string one_line(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, 300)) out.push_back(c == '\n' || c == '\r' ? ' ' : c);
  if (text.size() > 300) out += "...";
  return out;
}

bool is_letter(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }

// The permission named in an accessDenied message ("User does not have
// bigquery.jobs.create permission in project p."), if any: the first
// "bigquery.WORD.WORD" of letters. A plain scan, linear in the message,
// which comes from the server (std::regex recursed once per character).
std::string permission_in(const std::string& message) {
  const std::string prefix = "bigquery.";
  for (size_t at = message.find(prefix); at != std::string::npos; at = message.find(prefix, at + 1)) {
    size_t end = at + prefix.size();
    const size_t first = end;
    while (end < message.size() && is_letter(message[end])) ++end;
    if (end == first || end >= message.size() || message[end] != '.') continue;
    const size_t second = ++end;
    while (end < message.size() && is_letter(message[end])) ++end;
    if (end > second) return message.substr(at, end - at);
  }
  return "";
}

// The predefined role that grants a permission the connector uses.
const char* role_for(const std::string& permission) {
  if (permission == "bigquery.jobs.create") return "BigQuery Job User (roles/bigquery.jobUser)";
  return "BigQuery Data Viewer (roles/bigquery.dataViewer)";
}

}  // namespace

ApiError parse_api_error(int status, std::string_view body) {
  ApiError error;
  error.status = status;
  json::error_code ec;
  json::value parsed = json::parse(body, ec);
  const auto* root = !ec && parsed.is_object() ? parsed.get_object().if_contains("error") : nullptr;
  if (!root || !root->is_object()) return error;
  error.from_api = true;
  const auto& object = root->get_object();
  if (const auto* message = object.if_contains("message"); message && message->is_string()) {
    error.message = one_line(message->get_string());
  }
  if (const auto* errors = object.if_contains("errors"); errors && errors->is_array() && !errors->get_array().empty()) {
    const auto* first = errors->get_array().front().if_object();
    const auto* reason = first ? first->if_contains("reason") : nullptr;
    if (reason && reason->is_string()) error.reason = std::string(reason->get_string());
  }
  return error;
}

bool is_retryable(const ApiError& error) {
  if (error.status == 429 || error.status >= 500) return true;
  static const char* const kTransientReasons[] = {"rateLimitExceeded", "backendError", "internalError",
                                                  "badGateway"};
  for (const char* reason : kTransientReasons) {
    if (error.reason == reason) return true;
  }
  return false;
}

bool is_job_failure(const ApiError& error) {
  return error.reason == "bytesBilledLimitExceeded" || error.reason == "stopped";
}

sluice::Error to_error(const ApiError& error, const CallContext& call) {
  using sluice::ErrorKind;
  const std::string where = call.method + " on " + call.resource;
  const std::string detail = error.message.empty() ? std::string() : ": " + error.message;
  // "Query exceeded limit for bytes billed: 1000. 10485760 or higher required."
  if (error.reason == "bytesBilledLimitExceeded") {
    return {ErrorKind::config, "BigQuery refused to run the query past its maximumBytesBilled (" + where +
                                   "; raise --max-bytes-billed or the connection's max_bytes_billed)" + detail};
  }
  // "Job execution was cancelled: Job timed out after 60 sec"
  if (error.reason == "stopped" && error.message.find("timed out") != std::string::npos) {
    return {ErrorKind::transient, "BigQuery stopped the query at its jobTimeoutMs (" + where + ")" + detail};
  }
  if (error.status == 401) {
    return {ErrorKind::auth, "service account " + call.principal + " was not accepted by BigQuery (" +
                                 where + ", HTTP 401)" + detail};
  }
  if (error.status == 403 && (error.reason == "rateLimitExceeded" || error.reason == "quotaExceeded")) {
    return {ErrorKind::rate_limited, error.reason + " on " + where + detail};
  }
  if (error.status == 403) {
    std::string permission = permission_in(error.message);
    // "User does not have permission to query table p:d.t": reading the
    // table's data, not creating the job.
    if (permission.empty() && error.message.find("query table") != std::string::npos) {
      permission = "bigquery.tables.getData";
    }
    if (permission.empty()) permission = call.permission;
    return {ErrorKind::auth, "service account " + call.principal + " lacks permission " + permission +
                                 " for " + where + " (grant it " + role_for(permission) + ")" + detail};
  }
  if (error.status == 404) {
    return {ErrorKind::config, call.resource + " not found (" + call.method +
                                   "); check project_id, datasets and location" + detail};
  }
  if (error.status == 429) return {ErrorKind::rate_limited, "too many requests (" + where + ", HTTP 429)" + detail};
  if (error.status >= 500) {
    return {ErrorKind::transient, "server error on " + where + " (HTTP " + std::to_string(error.status) + ")" + detail};
  }
  return {ErrorKind::source, where + " failed (HTTP " + std::to_string(error.status) +
                                 (error.reason.empty() ? "" : ", " + error.reason) + ")" + detail};
}

}  // namespace bigquery
