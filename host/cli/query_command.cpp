// `sluice query`: one read-only statement run at the source (query in
// place, docs/query.md). The statement is checked and its :name parameters
// bound by host/query before the plugin sees it; the result streams to
// stdout through a ResultWriter, so memory stays bounded whatever its size.
#include "host/cli/cancel_signal.hpp"
#include "host/cli/cli.hpp"
#include "host/cli/output.hpp"
#include "host/cli/prepared_connection.hpp"
#include "host/cli/progress_pipe.hpp"
#include "host/cli/stderr_log.hpp"
#include "host/config/bounded_file.hpp"
#include "host/config/config_error.hpp"
#include "host/config/connection_limits.hpp"
#include "host/plugin/plugin_session.hpp"
#include "host/query/query_parameters.hpp"
#include "host/query/query_run.hpp"
#include "host/query/read_only_sql.hpp"
#include "host/query/statement_parameters.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <optional>

namespace sluice::host::cli {

namespace {

namespace json = boost::json;

// A whole number from `min` on, for option `name`.
uint64_t whole_number(const ParsedArgs& parsed, const std::string& name, uint64_t fallback, uint64_t min = 1) {
  auto text = parsed.value(name);
  if (!text) return fallback;
  bool digits = !text->empty() && text->size() <= 18;
  for (char c : *text) digits = digits && c >= '0' && c <= '9';
  const uint64_t value = digits ? std::stoull(*text) : 0;
  if (!digits || value < min) {
    throw UsageError("query: --" + name + " expects a whole number from " + std::to_string(min) + " on, got \"" +
                     *text + "\"");
  }
  return value;
}

// "3 rows, 210 bytes in 0.05 s (statement_id q-1, bytes_processed 1024)":
// the scalar facts only.
std::string summary(const QueryOutcome& outcome, double seconds) {
  char elapsed[32];
  std::snprintf(elapsed, sizeof elapsed, "%.2f", seconds);
  std::string line = "query: " + std::to_string(outcome.rows) + (outcome.rows == 1 ? " row, " : " rows, ") +
                     std::to_string(outcome.bytes) + " bytes in " + elapsed + " s";
  std::string facts;
  for (const auto& [key, value] : outcome.facts) {
    if (value.is_object() || value.is_array()) continue;
    facts += (facts.empty() ? "" : ", ") + std::string(key) + " " +
             (value.is_string() ? std::string(value.get_string()) : json::serialize(value));
  }
  return facts.empty() ? line : line + " (" + facts + ")";
}

// The events of `--progress-fd` only: a query has no streams to show.
class NoDisplay : public SyncListener {
 public:
  void stream_started(const StreamPlan&) override {}
  void stream_progress(const StreamPlan&, uint64_t, uint64_t, double) override {}
  void checkpoint_committed(const StreamPlan&, uint64_t) override {}
  void stream_finished(const StreamPlan&, const StreamOutcome&) override {}
  void log(int32_t, std::string_view) override {}
};

// Tells the progress pipe the result's columns (query_columns) before the
// first row reaches stdout, so the program reading both (sluice serve) can
// frame the rows; everything else goes to `inner` as it is.
class ColumnsEvent : public ResultWriter {
 public:
  ColumnsEvent(ResultWriter& inner, ProgressPipe& pipe) : inner_(inner), pipe_(pipe) {}
  void begin(const std::vector<ResultColumn>& columns) override {
    json::array list;
    for (const auto& c : columns) {
      list.push_back(json::object{{"name", c.name}, {"schema", c.schema}, {"source_type", c.source_type}});
    }
    pipe_.write_event({{"event", "query_columns"}, {"columns", std::move(list)}});
    inner_.begin(columns);
  }
  void row(const json::array& values, std::string_view text) override { inner_.row(values, text); }
  void end(const QueryOutcome& outcome) override { inner_.end(outcome); }

 private:
  ResultWriter& inner_;
  ProgressPipe& pipe_;
};

// query_done (host/serve/jobs/progress_event.hpp): the last event.
json::object query_done(const std::string& status, int exit_code, const std::string& failure,
                        const std::string& error_kind, const std::string& message) {
  return {{"event", "query_done"}, {"status", status},         {"exit_code", exit_code},
          {"failure", failure},    {"error_kind", error_kind}, {"message", message}};
}

int run_query_command(const ParsedArgs& parsed, ProgressPipe* pipe);

// What a query runs: from the arguments, or from one --request document.
struct QueryInput {
  PreparedConnection prepared;
  std::string sql;
  std::vector<QueryParameterValue> given;
};

// --request FILE|-: {"connection": {...}, "sql": "...", "parameters":
// [{"name", "type", "value"}]}. How sluice serve hands a query to its child
// on stdin, with the connection: the statement and its values are then in
// no argument, so the host's process list shows none of them.
QueryInput read_request(const std::string& file, const PluginRegistry& registry) {
  const bool from_stdin = file == "-";
  const std::string where = from_stdin ? kStdinName : file;
  std::string text;
  try {
    text = from_stdin ? read_to_end(STDIN_FILENO, kMaxConnectionFileBytes)
                      : read_regular_file(file, kMaxConnectionFileBytes);
  } catch (const UnreadableFile& e) {
    throw ConfigError(where + ": cannot read the query request: " + e.what());
  }
  auto bad = [&](const std::string& what) { return ConfigError(where + ": " + what); };
  json::error_code ec;
  const json::value document = json::parse(text, ec);
  if (ec || !document.is_object()) {
    throw bad("expected a JSON object {\"connection\": {...}, \"sql\": \"...\", \"parameters\": [...]}");
  }
  const json::object& request = document.get_object();
  for (const auto& kv : request) {
    if (kv.key() != "connection" && kv.key() != "sql" && kv.key() != "parameters") {
      throw bad(std::string(kv.key()) + ": unknown key (connection, sql and parameters are read)");
    }
  }
  const auto* connection = request.if_contains("connection");
  if (!connection || !connection->is_object()) throw bad("connection: required, a connection file's object");
  const auto* sql = request.if_contains("sql");
  if (!sql || !sql->is_string() || sql->get_string().empty()) throw bad("sql: required, the statement");
  QueryInput input;
  input.sql = std::string(sql->get_string());
  // The connection first: its secrets are registered for masking before a
  // parameter's error could print a value equal to one.
  input.prepared =
      prepare_connection(parse_connection(json::serialize(*connection), std::filesystem::path(where)), registry);
  if (const auto* parameters = request.if_contains("parameters")) {
    if (!parameters->is_array()) throw bad("parameters: expected an array of {\"name\", \"type\", \"value\"}");
    size_t index = 0;
    for (const auto& entry : parameters->get_array()) {
      const std::string path = "parameters[" + std::to_string(index++) + "]";
      const auto* object = entry.if_object();
      const auto* name = object ? object->if_contains("name") : nullptr;
      const auto* type = object ? object->if_contains("type") : nullptr;
      const auto* value = object ? object->if_contains("value") : nullptr;
      if (!name || !name->is_string() || !type || !type->is_string() || !value || object->size() != 3) {
        throw bad(path + ": expected {\"name\": NAME, \"type\": TYPE, \"value\": VALUE}");
      }
      try {
        input.given.push_back(
            typed_query_parameter(std::string(name->get_string()), std::string(type->get_string()), *value));
      } catch (const HostError& e) {
        throw bad(e.what());  // "parameter a: ... is not a date", and where
      }
    }
  }
  return input;
}

}  // namespace

int query_command(const std::vector<std::string>& args) {
  const std::vector<OptionSpec> options = {
      {"param", "NAME[:TYPE]=VALUE",
       "Bind :NAME in the statement to VALUE (repeatable); TYPE is string (default), integer, number, "
       "boolean, date or timestamp"},
      {"format", "F", "table (default on a terminal), csv, ndjson (default otherwise) or json"},
      {"limit-rows", "N", "Stop after N rows; a longer result fails unless --allow-truncated"},
      {"limit-bytes", "N", "Stop before the rows' JSON text passes N bytes; likewise"},
      {"allow-truncated", "", "Accept a result cut by a limit: exit 0, and the output says it was cut"},
      {"timeout", "S", "Cancel the statement at the source after S seconds (default 60)"},
      {"max-bytes-billed", "N", "BigQuery: refuse to bill more than N bytes (default: the connection's setting)"},
      {"request", "FILE", "Read the connection, the statement and its parameters from FILE (- for stdin) as one "
                          "JSON object {\"connection\": {...}, \"sql\": \"...\", \"parameters\": [{\"name\", "
                          "\"type\", \"value\"}]} instead of CONNECTION and SQL: none of them then shows in the "
                          "process list (how sluice serve runs queries)"},
      {"verbose", "", "Also print the plugin's debug logs"},
      {"progress-fd", "N", "Also write the result's columns and outcome as JSON lines to descriptor N (for "
                           "programs running the query, like sluice serve)"},
      plugin_dir_option()};
  ParsedArgs parsed = parse_args("query", args, options, 0, 2);
  if (parsed.help) {
    print("Usage: sluice query CONNECTION \"SQL\" [--param NAME[:TYPE]=VALUE ...] [--format F]\n"
          "                    [--limit-rows N] [--limit-bytes N] [--allow-truncated] [--timeout S]\n"
          "       sluice query --request FILE [--format F] [--limit-rows N] ...\n\n"
          "Runs one read-only statement at the connection's source and prints its result\n"
          "on stdout as it arrives, without replicating anything (docs/query.md). The\n"
          "plugin must support queries (sluice plugins shows each one's dialect).\n\n"
          "Sluice accepts exactly one SELECT or WITH statement that neither writes nor\n"
          "locks, checked by a lexer that knows the source's strings and comments, and\n"
          "the plugin runs it read-only where the source can (a read-only transaction,\n"
          "BigQuery's dry run). Write parameters as :name in every dialect; their values\n"
          "are bound by the source, never pasted into the SQL:\n"
          "  sluice query usage.json \"SELECT customer, SUM(units) FROM events\n"
          "    WHERE day >= :from GROUP BY 1\" --param from:date=2026-11-01\n\n"
          "The timeout is pushed into the source and the statement is cancelled there\n"
          "when it runs out, when a limit is reached or on Ctrl-C.\n\n"
          "Exits 0 with the whole result; 1 when the source failed, the timeout ran out\n"
          "or a limit cut the result (without --allow-truncated); 2 for a bad\n"
          "connection file, option, parameter or a statement that is not read-only;\n"
          "3 when the plugin cannot be loaded; 130 when cancelled.\n\n" +
          options_help(options));
    return kExitOk;
  }
  NoDisplay none;
  std::optional<ProgressPipe> pipe;
  if (auto fd = parsed.value("progress-fd")) pipe.emplace(progress_fd(*fd), none);
  // From here on a program reading the pipe learns how the query ended,
  // also when it fails before the plugin runs (query_done, the last event).
  try {
    return run_query_command(parsed, pipe ? &*pipe : nullptr);
  } catch (const HostError& e) {
    const bool cancelled = e.failure() == Failure::cancelled;
    if (pipe) {
      pipe->write_event(query_done(cancelled ? "cancelled" : "failed", exit_code(e.failure()),
                                   failure_name(e.failure()),
                                   e.failure() == Failure::plugin ? to_string(e.kind()) : "",
                                   e.lines().empty() ? std::string() : e.lines().front()));
    }
    throw;
  } catch (const std::exception& e) {
    if (pipe) pipe->write_event(query_done("failed", kExitFailure, "internal", "", e.what()));
    throw;
  }
}

namespace {

int run_query_command(const ParsedArgs& parsed, ProgressPipe* pipe) {
  const auto request_file = parsed.value("request");
  if (request_file ? !parsed.positionals.empty() : parsed.positionals.size() != 2) {
    throw UsageError(request_file ? "query: --request holds the connection and the statement: give no CONNECTION or SQL"
                                  : "query: expects CONNECTION and \"SQL\" (or --request FILE)");
  }
  if (request_file && !parsed.all("param").empty()) {
    throw UsageError("query: with --request the parameters are its \"parameters\", not --param");
  }
  const ResultFormat format = parse_result_format(
      parsed.value("format").value_or(isatty(STDOUT_FILENO) == 1 ? "table" : "ndjson"));
  const uint64_t timeout = whole_number(parsed, "timeout", 60);
  if (timeout > 7 * 24 * 3600) throw UsageError("query: --timeout is at most 604800 seconds (7 days)");
  PluginRegistry registry = load_registry(parsed);
  QueryInput input;
  if (request_file) {
    input = read_request(*request_file, registry);
  } else {
    input.sql = parsed.positionals[1];
    input.prepared = prepare_connection(parsed.positionals[0], registry);  // secrets masked from here on
    for (const auto& argument : parsed.all("param")) input.given.push_back(parse_query_parameter(argument));
  }
  const std::string& sql = input.sql;
  const std::vector<QueryParameterValue>& given = input.given;
  PreparedConnection& prepared = input.prepared;
  const std::string dialect = prepared.plugin->query_dialect();
  if (dialect.empty()) {
    throw ConfigError("plugin " + prepared.plugin->name() +
                      " cannot run queries (sluice plugins shows which plugins can, with their SQL dialect)");
  }
  BoundStatement statement;
  try {
    const SqlLexicon& lexicon = sql_lexicon(dialect);
    check_read_only(sql, lexicon);
    statement = bind_parameters(sql, lexicon);
  } catch (const QueryRefused& e) {
    throw UsageError(std::string("query: ") + e.what());
  }
  json::object request{{"sql", statement.sql},
                       {"parameters", parameters_in_bind_order(statement, given)},
                       {"timeout_seconds", static_cast<int64_t>(timeout)},
                       {"max_bytes_billed", nullptr}};
  if (parsed.value("max-bytes-billed")) {
    request["max_bytes_billed"] = static_cast<int64_t>(whole_number(parsed, "max-bytes-billed", 0));
  }

  StderrLog log(parsed.flag("verbose") ? SLUICE_LOG_DEBUG : SLUICE_LOG_INFO);
  PluginSession session(*prepared.plugin, prepared.config, log, /*for_query=*/true);
  // Written a batch at a time (print masks and flushes each call): the
  // first rows show at once, and a million rows are not a million writes.
  std::string pending;
  auto flush = [&pending] {
    if (!pending.empty()) print(pending);
    pending.clear();
  };
  auto output = make_result_writer(format, [&](std::string_view text) {
    pending.append(text);
    if (pending.size() >= (1 << 16)) flush();
  });
  std::optional<ColumnsEvent> with_columns;
  if (pipe) with_columns.emplace(*output, *pipe);
  ResultWriter& writer = with_columns ? static_cast<ResultWriter&>(*with_columns) : *output;
  QueryRunOptions run;
  run.limit_rows = whole_number(parsed, "limit-rows", 0);
  run.limit_bytes = whole_number(parsed, "limit-bytes", 0);
  run.timeout = std::chrono::seconds(timeout);
  run.log = &log;
  run.interrupt = &cooperative_cancel();
  run.after_batch = flush;
  const auto started = std::chrono::steady_clock::now();
  QueryOutcome outcome;
  try {
    outcome = run_query(session, json::serialize(request), writer, run);
  } catch (...) {
    flush();  // the rows that came before the failure
    throw;
  }
  flush();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  print_error_line("info: " + summary(outcome, seconds));
  const bool failed = outcome.truncated && !parsed.flag("allow-truncated");
  if (pipe) {
    json::object done = query_done(failed ? "failed" : "succeeded", failed ? kExitFailure : kExitOk,
                                   failed ? "truncated" : "", "",
                                   failed ? "the result was cut by " + outcome.truncated_by + " after " +
                                                std::to_string(outcome.rows) + " rows and is incomplete"
                                          : "");
    done["records"] = outcome.rows;
    done["bytes"] = outcome.bytes;
    done["truncated"] = outcome.truncated;
    done["truncated_by"] = outcome.truncated_by;
    done["facts"] = outcome.facts;
    pipe->write_event(std::move(done));
  }
  if (outcome.truncated) {
    if (failed) {
      print_error_line("error: query: the result was cut by " + outcome.truncated_by + " after " +
                       std::to_string(outcome.rows) +
                       " rows and is incomplete; raise the limit, or pass --allow-truncated to accept part of it");
      return kExitFailure;
    }
    print_error_line("warning: query: the result was cut by " + outcome.truncated_by + ": the output holds its first " +
                     std::to_string(outcome.rows) + " rows");
  }
  return kExitOk;
}

}  // namespace

}  // namespace sluice::host::cli
