#include "host/cli/cancel_signal.hpp"
#include "host/cli/cli.hpp"
#include "host/cli/json_pretty.hpp"
#include "host/cli/output.hpp"
#include "host/cli/prepared_connection.hpp"
#include "host/cli/progress_display.hpp"
#include "host/cli/progress_pipe.hpp"
#include "host/cli/target_url.hpp"
#include "host/sync/sync_engine.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace sluice::host::cli {

namespace {

// --streams A,B: every name non-empty. An empty list used to mean "every
// stream" (`--streams ,,,` synced them all), the opposite of what was asked.
std::vector<std::string> stream_names(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    const size_t end = std::min(text.find(',', start), text.size());
    out.push_back(text.substr(start, end - start));
    if (out.back().empty()) {
      throw UsageError("sync: --streams needs stream names separated by commas, e.g. --streams users,orders "
                       "(got \"" + text + "\")");
    }
    if (end == text.size()) return out;
    start = end + 1;
  }
}

std::string summary_table(const SyncResult& result) {
  std::string out;
  char line[512];
  std::snprintf(line, sizeof line, "%-28s %-26s %12s %9s  %s\n", "STREAM", "MODE", "RECORDS", "SECONDS", "STATUS");
  out += line;
  for (const auto& s : result.streams) {
    const std::string status =
        s.error_kind.empty() || s.status == RunStatus::cancelled ? to_string(s.status)
                                                                 : std::string(to_string(s.status)) + " (" + s.error_kind + ")";
    std::snprintf(line, sizeof line, "%-28s %-26s %12llu %9.2f  %s\n", s.stream.c_str(), to_string(s.mode),
                  static_cast<unsigned long long>(s.records), s.seconds, status.c_str());
    out += line;
  }
  std::snprintf(line, sizeof line, "sync %s %s in %.2fs\n", result.sync_id.c_str(), to_string(result.status),
                result.seconds);
  return out + line;
}

boost::json::object summary_json(const SyncResult& result, const std::string& target) {
  boost::json::array streams, errors, warnings;
  for (const auto& s : result.streams) streams.push_back(outcome_json(s));
  for (const auto& e : result.errors) errors.emplace_back(e);
  for (const auto& w : result.warnings) warnings.emplace_back(w);
  return {{"sync_id", result.sync_id}, {"status", to_string(result.status)}, {"target", target},
          {"seconds", result.seconds},  {"streams", streams},                  {"errors", errors},
          {"warnings", warnings}};
}

// --wait SECONDS: a whole number from 0 to a week.
std::chrono::seconds wait_seconds(const std::optional<std::string>& text) {
  if (!text) return std::chrono::seconds(0);
  constexpr long kMax = 7 * 24 * 3600;
  long value = -1;
  bool digits = !text->empty() && text->size() <= 7;
  for (char c : *text) digits = digits && c >= '0' && c <= '9';
  if (digits) value = std::stol(*text);
  if (value < 0 || value > kMax) {
    throw UsageError("--wait: expected a whole number of seconds from 0 to " + std::to_string(kMax) + ", got \"" +
                     *text + "\"");
  }
  return std::chrono::seconds(value);
}

int run_sync_command(const ParsedArgs& parsed, SyncListener& progress, ProgressPipe* pipe);

constexpr size_t kDefaultParallel = 4;
constexpr size_t kMaxParallel = 64;

// --parallel N: a whole number from 1 to kMaxParallel.
size_t parallel_streams(const std::optional<std::string>& text) {
  if (!text) return kDefaultParallel;
  bool digits = !text->empty() && text->size() <= 2;
  for (char c : *text) digits = digits && c >= '0' && c <= '9';
  const size_t value = digits ? std::stoul(*text) : 0;
  if (value < 1 || value > kMaxParallel) {
    throw UsageError("--parallel: expected a whole number of streams from 1 to " + std::to_string(kMaxParallel) +
                     ", got \"" + *text + "\"");
  }
  return value;
}

}  // namespace

int sync_command(const std::vector<std::string>& args) {
  const std::vector<OptionSpec> options = {
      {"target", "URL", "Write into URL instead of the connection's target (default sqlite://./sluice.db)"},
      {"streams", "A,B", "Sync only these streams of the connection; others are not touched"},
      {"wait", "SECONDS", "If another sync is writing one of these tables, wait up to SECONDS for it "
                          "(default 0: fail at once, naming it)"},
      {"parallel", "N", "Read up to N streams at once, each with its own checkpoints (default " +
                            std::to_string(kDefaultParallel) + "; 1: one after another)"},
      {"json", "", "Print a machine-readable summary on stdout"},
      {"progress-fd", "N", "Also write the sync's events as JSON lines to descriptor N (for programs "
                           "running the sync, like sluice serve)"},
      {"quiet", "", "Print only errors"},
      {"verbose", "", "Also print the plugin's debug logs"},
      plugin_dir_option()};
  ParsedArgs parsed = parse_args("sync", args, options, 1, 1);
  if (parsed.help) {
    print("Usage: sluice sync CONNECTION [--target URL] [--streams A,B] [--wait SECONDS] [--parallel N]\n"
          "                   [--json] [--quiet] [--progress-fd N]\n\n"
          "Reads the selected streams from the source and writes each into its own\n"
          "table. Rows and the state checkpoint that covers them commit together, so an\n"
          "interrupted sync resumes from its last checkpoint with no duplicates and no\n"
          "gaps; a full refresh replaces a table only once the stream completes.\n"
          "Ctrl-C cancels cleanly (a second Ctrl-C kills). Two syncs never write one\n"
          "table at once: a sync that finds a table locked by another fails at once,\n"
          "naming it, unless --wait gives it time.\n"
          "Streams run up to --parallel at once when the plugin allows it (ABI 1.2\n"
          "concurrent sessions), each with its own session and target connection;\n"
          "on SQLite they take turns to write, one transaction at a time.\n\n"
          "Exits 0 only if every stream completed; 1 names each stream that did not\n"
          "(with its error kind: auth, transient, rate_limited, config, source, target,\n"
          "internal); 130 when cancelled.\n\n" +
          options_help(options));
    return kExitOk;
  }
  DisplayOptions display;
  display.quiet = parsed.flag("quiet");
  display.verbose = parsed.flag("verbose");
  display.live = stderr_is_terminal() && !display.quiet;
  ProgressDisplay progress(display);
  std::optional<ProgressPipe> pipe;
  if (auto fd = parsed.value("progress-fd")) pipe.emplace(progress_fd(*fd), progress);
  // From here on a program reading the pipe learns how the sync ended even
  // when it fails before any stream starts (its last event, sync_done).
  try {
    return run_sync_command(parsed, progress, pipe ? &*pipe : nullptr);
  } catch (const HostError& e) {
    if (pipe) pipe->sync_done(e, exit_code(e.failure()));
    throw;
  } catch (const std::exception& e) {
    if (pipe) pipe->sync_done(HostError(Failure::internal, e.what()), kExitFailure);
    throw;
  }
}

namespace {

int run_sync_command(const ParsedArgs& parsed, SyncListener& progress, ProgressPipe* pipe) {
  const std::chrono::seconds lock_wait = wait_seconds(parsed.value("wait"));
  const size_t parallel = parallel_streams(parsed.value("parallel"));
  std::vector<std::string> only_streams;  // empty: every selected stream
  if (auto streams = parsed.value("streams")) only_streams = stream_names(*streams);
  PluginRegistry registry = load_registry(parsed);
  PreparedConnection prepared = prepare_connection(parsed.positionals[0], registry);
  std::string url = choose_target_url(parsed.value("target"), prepared.connection.target);
  auto target = open_target(url);

  SyncRequest request;
  request.plugin = prepared.plugin;
  request.config = prepared.config;
  request.connection = &prepared.connection;
  request.only_streams = std::move(only_streams);
  request.target = target.get();
  request.listener = pipe ? static_cast<SyncListener*>(pipe) : &progress;
  // From here the first Ctrl-C / SIGTERM rolls back to the last checkpoint
  // (exit 130); a second one kills.
  request.cancel = &cooperative_cancel();
  request.lock_wait = lock_wait;
  request.parallel = parallel;
  request.open_target = [url] { return open_target(url); };
  SyncResult result = run_sync(request);

  if (parsed.flag("json")) {
    print(pretty_json(summary_json(result, target->display_url())));
  } else if (!parsed.flag("quiet")) {
    print(summary_table(result));
  }
  int code = kExitFailure;
  switch (result.status) {
    case RunStatus::succeeded: code = kExitOk; break;
    case RunStatus::cancelled: code = kExitCancelled; break;
    case RunStatus::running:
    case RunStatus::failed: break;
  }
  if (pipe) pipe->sync_done(result, code);
  return code;
}

}  // namespace

}  // namespace sluice::host::cli
