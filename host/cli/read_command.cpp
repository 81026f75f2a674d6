// `sluice read`: a connection's records as NDJSON on stdout, without a
// target. The plugin session, config validation and secret masking are the
// ones sync uses (prepare_connection, PluginSession, print); nothing is
// written anywhere and the checkpoints the plugin emits are dropped.
#include "host/cli/cancel_signal.hpp"
#include "host/cli/cli.hpp"
#include "host/cli/output.hpp"
#include "host/cli/prepared_connection.hpp"
#include "host/cli/stderr_log.hpp"
#include "host/config/config_error.hpp"
#include "host/plugin/plugin_error.hpp"
#include "host/plugin/plugin_session.hpp"
#include "host/sync/catalog_lint.hpp"
#include "host/sync/stream_plan.hpp"

#include <algorithm>
#include <mutex>

namespace sluice::host::cli {

namespace {

namespace json = boost::json;

// --limit N: a whole number of records from 1 on.
uint64_t record_limit(const std::optional<std::string>& text) {
  if (!text) return 0;  // no limit
  bool digits = !text->empty() && text->size() <= 18;
  for (char c : *text) digits = digits && c >= '0' && c <= '9';
  const uint64_t value = digits ? std::stoull(*text) : 0;
  if (value == 0) throw UsageError("read: --limit expects a whole number of records from 1 on, got \"" + *text + "\"");
  return value;
}

// Prints each record line of each batch, masked, and refuses every batch
// after the limit: the plugin's next emit fails as cancelled, so its read()
// ends at once instead of paging through the rest of the source.
class RecordPrinter : public HostCallbacks {
 public:
  RecordPrinter(uint64_t limit, const std::atomic<bool>& interrupt, StderrLog& log)
      : limit_(limit), interrupt_(interrupt), log_(log) {}

  void begin_stream(std::string name) {
    std::lock_guard lock(mutex_);
    stream_ = std::move(name);
  }
  bool limit_reached() const { return limit_ && printed_.load() >= limit_; }

  void records(std::string_view, std::string_view, std::string_view ndjson) override {
    std::lock_guard lock(mutex_);
    if (limit_reached() || interrupt_.load()) throw RunCancelled{};
    std::string out;
    size_t start = 0;
    while (start < ndjson.size() && !limit_reached()) {
      size_t end = std::min(ndjson.find('\n', start), ndjson.size());
      std::string_view line = ndjson.substr(start, end - start);
      start = end + 1;
      if (line.empty()) continue;
      json::error_code ec;
      json::value record = json::parse(line, ec);
      if (ec || !record.is_object()) {
        throw std::runtime_error("stream " + stream_ + ": record " + std::to_string(printed_.load() + 1) +
                                 " is not a JSON object");
      }
      out.append(line);
      out += '\n';
      ++printed_;
    }
    print(out);
  }
  void state(std::string_view, std::string_view, std::string_view) override {
    if (limit_reached() || interrupt_.load()) throw RunCancelled{};
  }
  void log(int32_t level, std::string_view message) override { log_.log(level, message); }
  void progress(std::string_view, std::string_view, int64_t, int64_t) override {}
  bool cancelled() override { return limit_reached() || interrupt_.load(); }

 private:
  const uint64_t limit_;  // 0: none
  const std::atomic<bool>& interrupt_;
  StderrLog& log_;
  std::mutex mutex_;
  std::string stream_;
  std::atomic<uint64_t> printed_{0};
};

// The configured catalog of one catalog stream, read from the beginning:
// full refresh where the stream offers it, else incremental from no state
// with the connection's cursor, or the stream's default one.
std::string read_catalog(const json::object& stream, const Connection& connection) {
  const auto name = stream.at("name").as_string();
  const json::value ns = stream.contains("namespace") ? stream.at("namespace") : json::value(nullptr);
  bool full_refresh = true;
  if (const auto* modes = stream.if_contains("supported_sync_modes"); modes && modes->is_array()) {
    const auto& list = modes->get_array();
    full_refresh = std::find(list.begin(), list.end(), json::value("full_refresh_overwrite")) != list.end();
  }
  json::value cursor = json::array{};
  if (!full_refresh) {
    if (const auto* fallback = stream.if_contains("default_cursor_field")) cursor = *fallback;
    for (const auto& selected : connection.streams.value_or(std::vector<StreamSelection>{})) {
      if (selected.name == name && selected.cursor_field) cursor = field_path_to_json(*selected.cursor_field);
    }
  }
  json::object configured{{"name", name},
                          {"namespace", ns},
                          {"sync_mode", full_refresh ? "full_refresh_overwrite" : "incremental_append"},
                          {"cursor_field", cursor},
                          {"primary_key", json::array{}}};
  return json::serialize(json::object{{"streams", json::array{configured}}});
}

}  // namespace

int read_command(const std::vector<std::string>& args) {
  const std::vector<OptionSpec> options = {
      {"stream", "S", "Read only stream S (default: every stream the connection selects)"},
      {"limit", "N", "Stop after N records: the plugin's read is cancelled, the exit code is 0"},
      {"verbose", "", "Also print the plugin's debug logs"},
      plugin_dir_option()};
  ParsedArgs parsed = parse_args("read", args, options, 1, 1);
  if (parsed.help) {
    print("Usage: sluice read CONNECTION [--stream S] [--limit N]\n\n"
          "Prints the records of the connection's streams on stdout, one JSON object\n"
          "per line (NDJSON), without a target: nothing is written and no state is\n"
          "saved. Each stream is read from the beginning (full refresh where it offers\n"
          "it), one after another in catalog order. Secrets are masked as in every\n"
          "output; plugin logs go to stderr.\n\n"
          "Exits 0 when every stream was read (or --limit was reached), 1 when the\n"
          "source failed, 2 for a bad connection file or option, 130 when cancelled.\n\n" +
          options_help(options));
    return kExitOk;
  }
  const uint64_t limit = record_limit(parsed.value("limit"));
  std::vector<std::string> only;
  if (auto stream = parsed.value("stream")) only.push_back(*stream);
  PluginRegistry registry = load_registry(parsed);
  PreparedConnection prepared = prepare_connection(parsed.positionals[0], registry);
  StderrLog log(parsed.flag("verbose") ? SLUICE_LOG_DEBUG : SLUICE_LOG_INFO);
  PluginSession session(*prepared.plugin, prepared.config, log);
  std::vector<StreamName> hint;
  if (!only.empty()) hint.push_back({"", only.front()});
  json::object catalog = session.discover(hint, log);
  lint_catalog(catalog, prepared.plugin->name(), prepared.plugin->sync_modes(), prepared.connection, only);
  auto streams = selected_catalog_streams(catalog, prepared.connection, only);
  if (streams.empty()) {
    throw ConfigError(prepared.connection.file.filename().string() + ": " +
                      (only.empty() ? std::string("the connection selects no stream of the catalog")
                                    : "--stream " + only.front() + ": no such stream in the connection's catalog "
                                                                   "(see sluice discover)"));
  }

  RecordPrinter printer(limit, cooperative_cancel(), log);
  for (const json::object* stream : streams) {
    const std::string name(stream->at("name").as_string());
    printer.begin_stream(name);
    try {
      session.read(read_catalog(*stream, prepared.connection), R"({"streams":[]})", printer);
    } catch (const RunCancelled&) {
      if (!printer.limit_reached()) {
        print_error_line("error: cancelled");
        return kExitCancelled;
      }
    } catch (const PluginError&) {
      // A plugin that reports the refused emit as its own error rather than
      // as a cancel: the records asked for are out all the same.
      if (!printer.limit_reached()) throw;
    }
    if (printer.limit_reached()) break;
  }
  return kExitOk;
}

}  // namespace sluice::host::cli
