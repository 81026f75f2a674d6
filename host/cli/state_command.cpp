#include "host/cli/cli.hpp"
#include "host/cli/json_pretty.hpp"
#include "host/cli/output.hpp"
#include "host/cli/target_url.hpp"
#include "host/config/connection.hpp"
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
      {"stream", "S", "With reset: reset only stream S"},
      {"json", "", "Print JSON"},
      plugin_dir_option()};
  ParsedArgs parsed = parse_args("state", args, options, 1, 2);
  if (parsed.help) {
    print("Usage: sluice state CONNECTION [--json]\n"
          "       sluice state reset CONNECTION [--stream S]\n\n"
          "Shows the saved state checkpoints in the connection's target and the\n"
          "history of its syncs (start, end, status, rows per stream, error).\n"
          "`reset` deletes saved state, so the next sync reads from the beginning.\n\n" +
          options_help(options));
    return kExitOk;
  }
  bool reset = parsed.positionals[0] == "reset";
  if (reset && parsed.positionals.size() != 2) throw UsageError("state reset: missing CONNECTION");
  if (!reset && parsed.positionals.size() != 1) {
    throw UsageError("state: unexpected argument " + parsed.positionals[1]);
  }
  if (!reset && parsed.value("stream")) throw UsageError("state: --stream goes with state reset");
  Connection connection = load_connection(parsed.positionals[reset ? 1 : 0]);
  auto target = open_target(choose_target_url(parsed.value("target"), connection.target));
  return reset ? reset_state(*target, parsed.value("stream")) : show_state(*target, connection, parsed.flag("json"));
}

}  // namespace sluice::host::cli
