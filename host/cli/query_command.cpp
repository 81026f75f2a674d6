// `sluice query`: one read-only statement run at the source (query in
// place, docs/query.md). The statement is checked and its :name parameters
// bound by host/query before the plugin sees it; the result streams to
// stdout through a ResultWriter, so memory stays bounded whatever its size.
#include "host/cli/cancel_signal.hpp"
#include "host/cli/cli.hpp"
#include "host/cli/output.hpp"
#include "host/cli/prepared_connection.hpp"
#include "host/cli/stderr_log.hpp"
#include "host/config/config_error.hpp"
#include "host/plugin/plugin_session.hpp"
#include "host/query/query_parameters.hpp"
#include "host/query/query_run.hpp"
#include "host/query/read_only_sql.hpp"
#include "host/query/statement_parameters.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>

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
      {"verbose", "", "Also print the plugin's debug logs"},
      plugin_dir_option()};
  ParsedArgs parsed = parse_args("query", args, options, 2, 2);
  if (parsed.help) {
    print("Usage: sluice query CONNECTION \"SQL\" [--param NAME[:TYPE]=VALUE ...] [--format F]\n"
          "                    [--limit-rows N] [--limit-bytes N] [--allow-truncated] [--timeout S]\n\n"
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
  const std::string sql = parsed.positionals[1];
  const ResultFormat format = parse_result_format(
      parsed.value("format").value_or(isatty(STDOUT_FILENO) == 1 ? "table" : "ndjson"));
  const uint64_t timeout = whole_number(parsed, "timeout", 60);
  if (timeout > 7 * 24 * 3600) throw UsageError("query: --timeout is at most 604800 seconds (7 days)");
  std::vector<QueryParameterValue> given;
  for (const auto& argument : parsed.all("param")) given.push_back(parse_query_parameter(argument));

  PluginRegistry registry = load_registry(parsed);
  PreparedConnection prepared = prepare_connection(parsed.positionals[0], registry);
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
  auto writer = make_result_writer(format, [&](std::string_view text) {
    pending.append(text);
    if (pending.size() >= (1 << 16)) flush();
  });
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
    outcome = run_query(session, json::serialize(request), *writer, run);
  } catch (...) {
    flush();  // the rows that came before the failure
    throw;
  }
  flush();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  print_error_line("info: " + summary(outcome, seconds));
  if (outcome.truncated) {
    if (!parsed.flag("allow-truncated")) {
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

}  // namespace sluice::host::cli
