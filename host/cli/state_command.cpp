#include "host/cli/cli.hpp"
#include "host/cli/json_pretty.hpp"
#include "host/cli/output.hpp"
#include "host/cli/prepared_connection.hpp"
#include "host/cli/stderr_log.hpp"
#include "host/cli/target_url.hpp"
#include "host/config/connection.hpp"
#include "host/plugin/plugin_session.hpp"
#include "host/sync/catalog_lint.hpp"
#include "host/sync/clock.hpp"
#include "host/sync/stream_plan.hpp"
#include "host/sync/sync_engine.hpp"
#include "host/target/target.hpp"

namespace sluice::host::cli {

namespace {

int show_state(Target& target, const Connection& connection, bool as_json) {
  // Reading only: a target no sync has written yet has no metadata tables,
  // and creating them would fail on a read-only database.
  const bool synced = target.table_columns({"", "_sluice_state"}) && target.table_columns({"", "_sluice_syncs"});
  std::vector<StateRecord> states;
  std::vector<SyncRecord> syncs;
  if (synced) {
    states = target.store().states();
    syncs = target.store().recent_syncs(20);
  }
  const std::string name = connection_name(connection);
  if (as_json) {
    boost::json::array state_list, sync_list;
    for (const auto& s : states) {
      boost::json::error_code ec;
      state_list.push_back(boost::json::object{{"table", s.table.display()}, {"stream", s.stream},
                                               {"state", boost::json::parse(s.state_json, ec)},
                                               {"state_text", s.state_json}, {"sync_id", s.sync_id},
                                               {"updated_at", s.updated_at}});
    }
    for (const auto& r : syncs) {
      if (r.connection != name) continue;
      boost::json::error_code ec;
      sync_list.push_back(boost::json::object{{"sync_id", r.sync_id}, {"status", r.status},
                                              {"started_at", r.started_at}, {"ended_at", r.ended_at},
                                              {"streams", boost::json::parse(r.streams_json, ec)},
                                              {"error", r.error}});
    }
    print(pretty_json(boost::json::object{{"state", state_list}, {"syncs", sync_list}}));
    return kExitOk;
  }
  std::string out = "State (" + target.display_url() + "):\n";
  if (states.empty()) out += "  none saved\n";
  for (const auto& s : states) {
    out += "  " + s.table.display() + " (stream " + s.stream + ", " + s.updated_at + "): " + s.state_json + "\n";
  }
  out += "\nRecent syncs of " + name + ":\n";
  bool any = false;
  for (const auto& r : syncs) {
    if (r.connection != name) continue;
    any = true;
    out += "  " + r.sync_id + "  " + r.status + "  started " + r.started_at +
           (r.ended_at.empty() ? "" : "  ended " + r.ended_at) + "\n";
    out += "    streams: " + r.streams_json + "\n";
    if (!r.error.empty()) out += "    error: " + r.error + "\n";
  }
  if (!any) out += "  none\n";
  print(out);
  return kExitOk;
}

// A state set by hand is a run of its own in the sync history (status
// succeeded, its one "stream" entry naming the action), so `state` shows
// when a cursor was moved, next to the syncs that read from it. (A reset is
// not recorded: tests/target count the history rows a reset leaves.)
std::string record_action(Target& target, const Connection& connection, const std::string& action,
                          const std::string& stream, const std::string& table) {
  const std::string now = utc_now_iso();
  boost::json::object entry{{"stream", stream}, {"action", action}};
  if (!table.empty()) entry["table"] = table;
  SyncRecord record{new_sync_id(), connection_name(connection), connection.plugin, now, now,
                    to_string(RunStatus::succeeded), boost::json::serialize(boost::json::array{entry}), ""};
  target.store().save_sync(record);
  return record.sync_id;
}

// The table whose state `stream` is: from the saved state when there is
// one, else from the connection's plan (the plugin's catalog, namespace
// rules), which must read the stream incrementally.
TableRef state_table(Target& target, const std::string& file, const std::string& stream, const ParsedArgs& parsed) {
  for (const auto& s : target.store().states()) {
    if (s.stream == stream) return s.table;
  }
  PluginRegistry registry = load_registry(parsed);
  PreparedConnection prepared = prepare_connection(file, registry);
  StderrLog log(SLUICE_LOG_INFO);
  PluginSession session(*prepared.plugin, prepared.config, log);
  auto catalog = session.discover({{"", stream}}, log);
  lint_catalog(catalog, prepared.plugin->name(), prepared.plugin->sync_modes(), prepared.connection, {stream});
  if (selected_catalog_streams(catalog, prepared.connection, {stream}).empty()) {
    throw UsageError("state set: the connection has no stream " + stream + " (see sluice discover)");
  }
  auto plans = plan_streams(catalog, prepared.connection, {stream}, target);
  const StreamPlan& plan = plans.front();
  if (plan.mode != SyncMode::incremental_append && plan.mode != SyncMode::incremental_append_dedup) {
    throw UsageError("state set: stream " + stream + " syncs in mode " + to_string(plan.mode) +
                     ", which keeps no state (only incremental streams do)");
  }
  return plan.table;
}

int set_state(Target& target, const Connection& connection, const std::string& file,
              const std::optional<std::string>& stream, const std::string& text, const ParsedArgs& parsed) {
  if (!stream) throw UsageError("state set: --stream S is required (the stream whose state to set)");
  boost::json::error_code ec;
  const boost::json::value state = boost::json::parse(text, ec);
  if (ec || !state.is_object()) {
    throw UsageError("state set: the state must be a JSON object, e.g. '{\"cursor\": \"2026-01-01\"}'" +
                     std::string(ec ? " (not valid JSON: " + ec.message() + ")" : ""));
  }
  target.store().ensure_metadata();
  const TableRef table = state_table(target, file, *stream, parsed);
  const std::string sync_id = record_action(target, connection, "state set", *stream, table.display());
  // Saved verbatim, as a plugin's checkpoint is: cursor values reach the
  // plugin exactly as typed, never re-parsed into doubles.
  const auto first = text.find_first_not_of(" \t\r\n");
  const auto last = text.find_last_not_of(" \t\r\n");
  target.begin();
  target.store().save_state({table, *stream, text.substr(first, last - first + 1), sync_id, utc_now_iso()});
  target.commit();
  print("set the state of stream " + *stream + " (table " + table.display() + "); the next sync reads it from there\n");
  return kExitOk;
}

int reset_state(Target& target, const std::optional<std::string>& stream) {
  target.store().ensure_metadata();
  size_t removed = 0;
  if (!stream) {
    removed = target.store().reset_states(std::nullopt);
  } else {
    for (const auto& s : target.store().states()) {
      if (s.stream == *stream) removed += target.store().reset_states(s.table);
    }
    if (removed == 0) throw UsageError("state reset: no saved state for stream " + *stream);
  }
  print("reset " + std::to_string(removed) + " saved state(s); the next sync reads " +
        (stream ? "stream " + *stream : std::string("every incremental stream")) + " from the beginning\n");
  return kExitOk;
}

}  // namespace

int state_command(const std::vector<std::string>& args) {
  const std::vector<OptionSpec> options = {
      {"target", "URL", "Use URL instead of the connection's target"},
      {"stream", "S", "With reset: reset only stream S; with set: the stream whose state to set"},
      {"json", "", "Print JSON"},
      plugin_dir_option()};
  ParsedArgs parsed = parse_args("state", args, options, 1, 3);
  if (parsed.help) {
    print("Usage: sluice state CONNECTION [--json]\n"
          "       sluice state reset CONNECTION [--stream S]\n"
          "       sluice state set CONNECTION --stream S JSON\n\n"
          "Shows the saved state checkpoints in the connection's target and the\n"
          "history of its syncs (start, end, status, rows per stream, error).\n"
          "`reset` deletes saved state, so the next sync reads from the beginning.\n"
          "`set` saves JSON (an object, kept verbatim) as the state of stream S, so\n"
          "the next sync reads S from there; S must have saved state or be an\n"
          "incremental stream of the connection (the plugin is asked for its catalog).\n"
          "`set` is recorded in the sync history.\n\n" +
          options_help(options));
    return kExitOk;
  }
  const std::string& action = parsed.positionals[0];
  const bool reset = action == "reset", set = action == "set";
  const size_t expected = reset ? 2 : set ? 3 : 1;
  if (parsed.positionals.size() < expected) {
    throw UsageError("state " + action + ": missing " + (parsed.positionals.size() == 1 ? "CONNECTION" : "JSON") +
                     " (see sluice state --help)");
  }
  if (parsed.positionals.size() > expected) {
    throw UsageError(std::string(reset || set ? "state " + action : "state") + ": unexpected argument " +
                     parsed.positionals[expected]);
  }
  if (!reset && !set && parsed.value("stream")) throw UsageError("state: --stream goes with state reset or state set");
  const std::string file = parsed.positionals[reset || set ? 1 : 0];
  Connection connection = load_connection(file);
  auto target = open_target(choose_target_url(parsed.value("target"), connection.target));
  if (set) return set_state(*target, connection, file, parsed.value("stream"), parsed.positionals[2], parsed);
  return reset ? reset_state(*target, parsed.value("stream"))
               : show_state(*target, connection, parsed.flag("json"));
}

}  // namespace sluice::host::cli
