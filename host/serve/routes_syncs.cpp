#include "host/serve/routes.hpp"

namespace sluice::host::serve {

namespace {

namespace json = boost::json;

json::object job_json(const JobRow& job) {
  json::error_code ec;
  json::value streams = json::parse(job.streams_json, ec);
  auto text_or_null = [](const std::string& s) { return s.empty() ? json::value(nullptr) : json::value(s); };
  return {{"id", job.id},
          {"connection_id", job.connection_id},
          {"status", job.status},
          {"trigger", job.trigger},
          {"attempt", job.attempt},
          {"idempotency_key", text_or_null(job.idempotency_key)},
          {"created_at", job.created_at},
          {"due_at", text_or_null(job.due_at)},
          {"started_at", text_or_null(job.started_at)},
          {"finished_at", text_or_null(job.finished_at)},
          {"exit_code", job.exit_code ? json::value(*job.exit_code) : json::value(nullptr)},
          {"error", text_or_null(job.error)},
          {"error_kind", text_or_null(job.error_kind)},
          {"records", job.records},
          {"bytes", job.bytes},
          {"cancel_requested", job.cancel_requested},
          {"streams", ec || !streams.is_array() ? json::value(json::array{}) : streams}};
}

ApiResponse list_jobs(Daemon& daemon, const ApiRequest& request, const std::string& connection_id) {
  JobFilter filter;
  filter.connection_id = connection_id.empty() ? request.query_value("connection_id").value_or("") : connection_id;
  filter.status = request.query_value("status").value_or("");
  static const std::set<std::string> statuses = {"",       "queued",    "running",    "succeeded",
                                                 "failed", "cancelled", "interrupted"};
  if (!statuses.count(filter.status)) {
    throw ApiError(400, "bad_request",
                   "status: expected queued, running, succeeded, failed, cancelled or interrupted",
                   {{"status", "expected queued, running, succeeded, failed, cancelled or interrupted"}});
  }
  filter.limit = parse_limit(request, 50, 200);
  if (auto token = request.query_value("page_token")) {
    const size_t sep = token->find('~');
    if (sep == std::string::npos) throw ApiError(400, "bad_request", "page_token: not a token this API gave");
    filter.before_created_at = token->substr(0, sep);
    filter.before_id = token->substr(sep + 1);
  }
  // One more than asked tells whether a next page exists.
  ++filter.limit;
  std::vector<JobRow> jobs = daemon.store().jobs(filter);
  json::value next = nullptr;
  if (jobs.size() == filter.limit) {
    jobs.pop_back();
    next = jobs.back().created_at + "~" + jobs.back().id;
  }
  json::array list;
  for (const auto& job : jobs) list.push_back(job_json(daemon.with_live_progress(job)));
  return ApiResponse::json(200, json::object{{"syncs", std::move(list)}, {"next_page_token", next}});
}

JobRow require_job(Daemon& daemon, const std::string& id) {
  auto job = daemon.store().job(id);
  if (!job) throw ApiError(404, "sync_not_found", "no sync with id " + id);
  return *job;
}

}  // namespace

size_t parse_limit(const ApiRequest& request, size_t fallback, size_t max) {
  auto text = request.query_value("limit");
  if (!text) return fallback;
  size_t value = 0;
  bool ok = !text->empty() && text->size() <= 6;
  for (char c : *text) ok = ok && c >= '0' && c <= '9';
  if (ok) value = std::stoul(*text);
  if (!ok || value < 1 || value > max) {
    throw ApiError(400, "bad_request", "limit: expected a whole number from 1 to " + std::to_string(max),
                   {{"limit", "expected a whole number from 1 to " + std::to_string(max)}});
  }
  return value;
}

void add_sync_routes(Router& router, Daemon& daemon) {
  // Idempotency-Key: a retried trigger with the same key answers the job the
  // first one made (200) instead of starting another (201).
  router.add("POST", "/v1/connections/{id}/syncs", Role::operator_, [&daemon](const ApiRequest& request) {
    ConnectionRow row = require_connection(daemon, request.params[0]);
    std::string key;
    if (auto it = request.headers.find("idempotency-key"); it != request.headers.end()) key = it->second;
    if (key.size() > 200) throw ApiError(400, "bad_request", "Idempotency-Key: at most 200 characters");
    bool created = false;
    JobRow job = daemon.enqueue(row.id, "api", key, &created);
    return ApiResponse::json(created ? 201 : 200, job_json(job));
  });
  router.add("GET", "/v1/connections/{id}/syncs", Role::viewer, [&daemon](const ApiRequest& request) {
    ConnectionRow row = require_connection(daemon, request.params[0]);
    return list_jobs(daemon, request, row.id);
  });
  router.add("GET", "/v1/syncs", Role::viewer,
             [&daemon](const ApiRequest& request) { return list_jobs(daemon, request, ""); });
  // ?wait_seconds=N (at most 60): answer once the sync has ended, or after
  // N seconds with its status then (long polling instead of a poll loop).
  router.add("GET", "/v1/syncs/{id}", Role::viewer, [&daemon](const ApiRequest& request) {
    JobRow job = require_job(daemon, request.params[0]);
    if (auto text = request.query_value("wait_seconds")) {
      bool ok = !text->empty() && text->size() <= 2;
      for (char c : *text) ok = ok && c >= '0' && c <= '9';
      if (!ok || std::stoi(*text) > 60) {
        throw ApiError(400, "bad_request", "wait_seconds: expected a whole number from 0 to 60",
                       {{"wait_seconds", "expected a whole number from 0 to 60"}});
      }
      daemon.wait_for_end(job.id, std::chrono::seconds(std::stoi(*text)));
      job = require_job(daemon, job.id);
    }
    return ApiResponse::json(200, job_json(daemon.with_live_progress(job)));
  });
  router.add("GET", "/v1/syncs/{id}/logs", Role::viewer, [&daemon](const ApiRequest& request) {
    JobRow job = require_job(daemon, request.params[0]);
    int64_t after = 0;
    if (auto text = request.query_value("after")) {
      bool ok = !text->empty() && text->size() <= 12;
      for (char c : *text) ok = ok && c >= '0' && c <= '9';
      if (!ok) throw ApiError(400, "bad_request", "after: expected a line number");
      after = std::stoll(*text);
    }
    json::array lines;
    int64_t last = after;
    for (const auto& line : daemon.store().logs(job.id, after, parse_limit(request, 500, 5000))) {
      lines.push_back(json::object{{"number", line.number}, {"at", line.at}, {"text", line.text}});
      last = line.number;
    }
    return ApiResponse::json(200, json::object{{"sync_id", job.id}, {"lines", std::move(lines)}, {"next_after", last}});
  });
  router.add("POST", "/v1/syncs/{id}/cancel", Role::operator_, [&daemon](const ApiRequest& request) {
    JobRow job = require_job(daemon, request.params[0]);
    if (!daemon.cancel(job.id)) {
      throw ApiError(409, "sync_finished", "sync " + job.id + " has already ended (" + job.status + ")");
    }
    return ApiResponse::json(202, job_json(require_job(daemon, job.id)));
  });
}

}  // namespace sluice::host::serve
