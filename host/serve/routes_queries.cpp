// The query endpoint (docs/daemon.md, "Query endpoint"): one read-only
// statement at a connection's source, its result streamed as NDJSON, each
// query recorded in the store.
//
// A query runs as syncs run: in a child process (`sluice query --request -
// --format ndjson ... --progress-fd 3`, the connection with its secrets, the
// statement and its parameters on stdin: none in the process list) through
// ChildRun, so a plugin that crashes fails only its query.
// The statement, its parameters and its limits are checked here first by
// host/query (the code the child runs again): a refusal is a 4xx before any
// child starts. The child reports the result's columns and its end on its
// progress pipe and the rows on its stdout, which go to the client as they
// come (the pipe fills when the client reads slowly: bounded memory).
//
// The stream: line 1 {"columns": [...]}, then one {"column": value} object
// per row (as `sluice query --format ndjson` prints it), and always a last
// line, {"end": {...}} or {"error": {...}}: a response whose last line is
// neither was cut off. A failure before the columns is a plain JSON error
// with its own status instead (422 for the statement, 502 for the source or
// plugin, 504 for the timeout). The client going away (its socket hangs up,
// or a write fails) cancels the child, which cancels the statement at the
// source.
#include "host/config/secrets.hpp"
#include "host/serve/serve_log.hpp"
#include "host/serve/child_process.hpp"
#include "host/serve/jobs/child_run.hpp"
#include "host/serve/query_request.hpp"
#include "host/serve/routes.hpp"
#include "host/sync/clock.hpp"

#include <poll.h>

#include <algorithm>
#include <iostream>
#include <set>

namespace sluice::host::serve {

namespace {

namespace json = boost::json;

json::object query_json(const QueryRow& q) {
  auto text_or_null = [](const std::string& s) { return s.empty() ? json::value(nullptr) : json::value(s); };
  json::error_code ec;
  json::value parameters = json::parse(q.parameters_json, ec);
  return {{"id", q.id},
          {"connection_id", q.connection_id},
          {"key_id", q.key_id},
          {"key_name", q.key_name},
          {"host_id", q.host_id},
          {"started_at", q.started_at},
          {"finished_at", text_or_null(q.finished_at)},
          {"sql_sha256", q.sql_sha256},
          {"parameters", ec || !parameters.is_object() ? json::value(json::object{}) : parameters},
          {"outcome", q.outcome},
          {"error_kind", text_or_null(q.error_kind)},
          {"error", text_or_null(q.error)},
          {"rows", q.rows},
          {"bytes", q.bytes},
          {"duration_ms", q.duration_ms}};
}

// "--limit-rows 10" (the child's words) as the request names it.
std::string request_words(std::string text) {
  for (auto [from, to] : {std::pair{"--limit-rows", "limit_rows"}, std::pair{"--limit-bytes", "limit_bytes"}}) {
    if (auto at = text.find(from); at != std::string::npos) text.replace(at, std::string(from).size(), to);
  }
  return text;
}

// Whether the peer of socket `fd` has hung up (closed or shut down its side).
bool hung_up(int fd) {
  if (fd < 0) return false;
  pollfd p{fd, POLLRDHUP, 0};
  return ::poll(&p, 1, 0) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL)) != 0;
}

// How a query that did not end well is told: the status and code of a
// plain error (before the stream began) and the kind for the error line
// and the record.
struct QueryFailure {
  int status = 500;
  std::string code = "internal";
  std::string kind = "internal";
  std::string message;
};

QueryFailure failure_of(const RunOutcome& outcome, const std::optional<ProgressEvent>& done,
                        std::chrono::milliseconds elapsed, const QueryPlan& plan) {
  switch (outcome.end) {
    case RunEnd::cancelled:
      return {503, "stopping", "cancelled", "the daemon is stopping: the statement was cancelled at the source"};
    case RunEnd::timed_out:
      return {504, "query_timeout", "timeout", outcome.line};
    case RunEnd::crashed:
    case RunEnd::out_of_memory:
      return {502, "plugin_failed", "crashed", outcome.line};
    default:
      break;
  }
  const std::string message = done && !done->message.empty() ? done->message : outcome.line;
  if (done && done->truncated) {
    return {422, "truncated", "limit",
            "the result was cut by " + request_words(done->truncated_by) + " after " +
                std::to_string(done->records) + " rows and is incomplete; raise the limit, or send \"allow_truncated\": true to accept part of it"};
  }
  if (outcome.failure == "plugin") {
    // The child enforces the timeout itself: the plugin then reports the
    // cancelled statement (transient) once the time has run out.
    if (outcome.error_kind == "transient" && elapsed >= plan.timeout) {
      return {504, "query_timeout", "timeout", message};
    }
    if (outcome.error_kind == "config") return {422, "query_failed", "config", message};
    return {502, "source_failed", outcome.error_kind.empty() ? "source" : outcome.error_kind, message};
  }
  if (outcome.failure == "usage" || outcome.failure == "config") return {422, "query_failed", "config", message};
  if (outcome.failure == "plugin_load") return {502, "plugin_failed", "plugin_load", message};
  return {500, "internal", "internal", message};
}

// One query, from its admission to its record.
class QueryExchange {
 public:
  QueryExchange(Daemon& daemon, QueryRow audit, QueryPlan plan, std::string connection_json, std::string plugin)
      : daemon_(daemon),
        audit_(std::move(audit)),
        plan_(std::move(plan)),
        connection_json_(std::move(connection_json)),
        plugin_(std::move(plugin)) {}

  void run(ResponseStream& out) {
    try {
      daemon_.admit_query(audit_.id);
    } catch (const ApiError& e) {
      finish("refused", "", e.what());
      throw;
    }
    struct Release {
      Daemon& daemon;
      const std::string& id;
      ~Release() { daemon.release_query(id); }
    } release{daemon_, audit_.id};
    out_ = &out;
    const auto started = std::chrono::steady_clock::now();
    const std::filesystem::path work_dir = daemon_.config().work_dir / audit_.id;
    std::optional<ProgressEvent> done;
    RunOutcome outcome;
    try {
      std::filesystem::create_directories(work_dir);
      std::filesystem::permissions(work_dir, std::filesystem::perms::owner_all);
      ChildRun run(child_options(work_dir, done));
      run_ = &run;
      daemon_.attach_query(audit_.id, run);
      struct Detach {  // before `run` is destroyed: shutdown() must not reach it after
        Daemon& daemon;
        const std::string& id;
        ~Detach() { daemon.detach_query(id); }
      } detach{daemon_, audit_.id};
      outcome = run.wait();
      run_ = nullptr;
    } catch (const std::exception& e) {
      run_ = nullptr;
      outcome.end = RunEnd::failed;
      outcome.line = std::string("cannot run the query's child: ") + e.what();
    }
    std::error_code ignored;
    std::filesystem::remove_all(work_dir, ignored);
    const auto elapsed =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    // A cancel this exchange did not ask for: the client hung up (ChildRun
    // watched its socket), or the daemon is stopping.
    if (outcome.end == RunEnd::cancelled && hung_up(out.client_socket())) gone_ = true;
    audit_.duration_ms = elapsed.count();
    if (gone_) {
      finish("cancelled", "", "the client went away after " + std::to_string(audit_.rows) +
                                  " rows; the statement was cancelled at the source");
      return;
    }
    if (out.started()) forward();  // the whole lines left; a line cut by a crash is dropped
    if (outcome.end == RunEnd::succeeded && done && out.started()) {
      const bool truncated = done->truncated;
      json::error_code ec;
      json::value facts = json::parse(done->facts_json, ec);
      json::object end{{"query_id", audit_.id},
                       {"rows", audit_.rows},
                       {"bytes", audit_.bytes},
                       {"truncated", truncated},
                       {"truncated_by", truncated ? json::value(request_words(done->truncated_by)) : nullptr},
                       {"facts", ec || !facts.is_object() ? json::value(json::object{}) : facts}};
      write_line(json::serialize(json::object{{"end", std::move(end)}}));
      finish(truncated ? "truncated" : "ok", "", "");
      return;
    }
    QueryFailure failure = failure_of(outcome, done, elapsed, plan_);
    if (outcome.end == RunEnd::succeeded) failure.message = "the plugin's result had no columns";
    const std::string outcome_name = failure.kind == "cancelled" ? "cancelled" : "failed";
    finish(outcome_name, outcome_name == "failed" ? failure.kind : "", failure.message);
    if (!out.started()) throw ApiError(failure.status, failure.code, failure.message);
    write_line(json::serialize(json::object{
        {"error", json::object{{"code", failure.code}, {"kind", failure.kind}, {"message", failure.message},
                               {"query_id", audit_.id}, {"rows", audit_.rows}}}}));
  }

 private:
  ChildRunOptions child_options(const std::filesystem::path& work_dir, std::optional<ProgressEvent>& done) {
    ChildRunOptions options;
    options.executable = kSelfExecutable;
    options.args = {"query", "--request", "-"};
    for (auto& arg : child_query_args(plan_)) options.args.push_back(std::move(arg));
    for (const auto& dir : daemon_.config().plugin_dirs) {
      options.args.push_back("--plugin-dir");
      options.args.push_back(dir);
    }
    // Secrets in clear, the statement and its values: stdin only, never
    // argv, env or disk.
    options.input = child_query_request(plan_, connection_json_);
    options.working_dir = work_dir.string();
    options.plugin = plugin_;
    options.on_output = [id = audit_.id](std::string_view line) {
      log_line("sluice serve: query " + id + ": " + std::string(line));
    };
    options.on_progress = [this, &done](const ProgressEvent& event) {
      if (event.kind == ProgressEvent::Kind::query_columns) begin(event.columns_json);
      if (event.kind == ProgressEvent::Kind::query_done) done = event;
    };
    options.on_stdout = [this](std::string_view bytes) {
      if (gone_) return;  // drained and dropped until the child has stopped
      pending_.append(bytes);
      if (out_->started()) forward();
    };
    options.hangup_fd = out_->client_socket();
    // The child stops the statement at its timeout itself; this is the
    // backstop for a plugin that does not.
    options.timeout = plan_.timeout + std::chrono::seconds(30);
    options.memory_limit_bytes = daemon_.config().memory_limit_mb << 20;
    return options;
  }

  // The columns: the status line, headers and the first line go out.
  void begin(const std::string& columns_json) {
    if (out_->started() || gone_) return;
    out_->start(200, "application/x-ndjson", {{"Sluice-Query-Id", audit_.id}});
    write_line("{\"columns\":" + (columns_json.empty() ? std::string("[]") : columns_json) + "}");
    if (!gone_) forward();
  }

  // Sends the whole lines pending (rows), counting them.
  void forward() {
    const size_t last = pending_.rfind('\n');
    if (last == std::string::npos || gone_) return;
    const std::string_view lines(pending_.data(), last + 1);
    if (!out_->write(lines)) return client_gone();
    audit_.rows += std::count(lines.begin(), lines.end(), '\n');
    audit_.bytes += static_cast<int64_t>(lines.size());
    pending_.erase(0, last + 1);
  }

  void write_line(const std::string& line) {
    if (!gone_ && !out_->write(line + "\n")) client_gone();
  }

  void client_gone() {
    gone_ = true;
    pending_.clear();
    if (run_) run_->cancel();
  }

  void finish(const std::string& outcome, const std::string& kind, const std::string& error) {
    audit_.outcome = outcome;
    audit_.error_kind = kind;
    audit_.error = Redactor::instance().apply(error);
    audit_.finished_at = utc_now_iso();
    try {
      daemon_.store().finish_query(audit_);
    } catch (const std::exception& e) {
      log_line("sluice serve: query " + audit_.id + ": cannot record its end: " + e.what());
    }
    log_line("sluice serve: query " + audit_.id + " " + outcome + (error.empty() ? "" : ": " + error));
  }

  Daemon& daemon_;
  QueryRow audit_;
  QueryPlan plan_;
  std::string connection_json_;
  std::string plugin_;
  ResponseStream* out_ = nullptr;
  ChildRun* run_ = nullptr;
  std::string pending_;  // stdout bytes not yet sent: at most one partial line once streaming
  bool gone_ = false;
};

ApiResponse post_query(Daemon& daemon, const ApiRequest& request) {
  ConnectionRow row = require_connection(daemon, request.params[0]);
  const json::object body = request.json_body();
  const json::object file = open_connection(daemon, row);
  const json::object spec = daemon.plugins().spec(row.plugin);
  // The connection's secrets: masked in every answer, log line and record
  // from here on, and any parameter equal to one is masked in the record.
  std::vector<std::string> secrets;
  if (const auto* config = file.at("source").as_object().if_contains("config")) {
    const auto* schema = spec.if_contains("config_schema");
    secrets = collect_secret_values(schema && schema->is_object() ? schema->get_object() : json::object{}, *config);
    for (const auto& secret : secrets) Redactor::instance().add(secret);
  }
  const auto* sql = body.if_contains("sql");
  QueryRow audit;
  audit.id = "qry_" + random_hex(8);
  audit.connection_id = row.id;
  audit.key_id = request.key_id;
  if (auto key = daemon.store().key(request.key_id)) audit.key_name = key->name;
  audit.host_id = daemon.host_id();
  audit.started_at = utc_now_iso();
  audit.sql_sha256 = sha256_hex(sql && sql->is_string() ? std::string_view(sql->get_string()) : std::string_view());
  const auto* given = body.if_contains("parameters");
  audit.parameters_json = Redactor::instance().apply(
      json::serialize(masked_parameters(given && given->is_object() ? given->get_object() : json::object{}, secrets)));
  // Every request with a statement is recorded, a refused one too.
  const bool recorded = sql && sql->is_string();
  if (recorded) daemon.store().insert_query(audit);
  QueryPlan plan;
  try {
    plan = parse_query_body(body, daemon.config().query);
    const auto* dialect = spec.if_contains("query_dialect");
    if (!dialect || !dialect->is_string()) {
      throw ApiError(422, "query_unsupported",
                     "plugin " + row.plugin + " cannot run queries (GET /v1/plugins shows each plugin's "
                                              "query_dialect)");
    }
    check_statement(plan, std::string(dialect->get_string()));
  } catch (const ApiError& e) {
    if (recorded) {
      audit.outcome = "refused";
      audit.error = Redactor::instance().apply(e.what());
      audit.finished_at = utc_now_iso();
      daemon.store().finish_query(audit);
    }
    throw;
  }
  auto exchange = std::make_shared<QueryExchange>(daemon, std::move(audit), std::move(plan), json::serialize(file),
                                                  row.plugin);
  ApiResponse response;
  response.stream = [exchange](ResponseStream& out) { exchange->run(out); };
  return response;
}

ApiResponse list_queries(Daemon& daemon, const ApiRequest& request) {
  QueryFilter filter;
  filter.connection_id = request.query_value("connection_id").value_or("");
  filter.outcome = request.query_value("outcome").value_or("");
  static const std::set<std::string> outcomes = {"",       "running",   "ok",     "truncated",
                                                 "failed", "cancelled", "refused"};
  if (!outcomes.count(filter.outcome)) {
    const std::string what = "expected running, ok, truncated, failed, cancelled or refused";
    throw ApiError(400, "bad_request", "outcome: " + what, {{"outcome", what}});
  }
  filter.limit = parse_limit(request, 50, 200) + 1;  // one more than asked tells whether a next page exists
  if (auto token = request.query_value("page_token")) {
    const size_t sep = token->find('~');
    if (sep == std::string::npos) throw ApiError(400, "bad_request", "page_token: not a token this API gave");
    filter.before_started_at = token->substr(0, sep);
    filter.before_id = token->substr(sep + 1);
  }
  std::vector<QueryRow> rows = daemon.store().queries(filter);
  json::value next = nullptr;
  if (rows.size() == filter.limit) {
    rows.pop_back();
    next = rows.back().started_at + "~" + rows.back().id;
  }
  json::array list;
  for (const auto& q : rows) list.push_back(query_json(q));
  return ApiResponse::json(200, json::object{{"queries", std::move(list)}, {"next_page_token", next}});
}

}  // namespace

void add_query_routes(Router& router, Daemon& daemon) {
  router.add("POST", "/v1/connections/{id}/query", Role::operator_,
             [&daemon](const ApiRequest& request) { return post_query(daemon, request); });
  router.add("GET", "/v1/queries", Role::operator_,
             [&daemon](const ApiRequest& request) { return list_queries(daemon, request); });
}

}  // namespace sluice::host::serve
