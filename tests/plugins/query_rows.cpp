// A C++ SDK connector that runs "queries" without a source, for the tests
// of `sluice query` and the SDK's query glue (ABI 1.3). Its dialect is
// postgresql, so the host checks and rewrites statements as for PostgreSQL;
// the plugin then answers any statement with `rows` generated rows of five
// typed columns, and reports what it received (the rewritten SQL, the bound
// parameters, the timeout) in its facts, so tests see what a real source
// would have been sent.
//   config: {"rows": N (default 3), "mode": "ok" | "hang" | "fail" | "fail_late",
//            "ready_file": PATH, "token": SECRET}
//   token:  a secret (unused): the daemon's tests check it is masked
//   hang:   columns, then no row until the host cancels (a slow statement);
//           ready_file is created once it waits, for tests to signal then,
//           and removed once it sees the cancel
// It logs "query_rows: running SQL" when a statement reaches it.
//   fail:   the statement fails at the "source"
//   fail_late: `rows` rows, then the source fails (transient)
#include <sluice/sdk.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

namespace {

class QueryRows : public sluice::Connector {
 public:
  static constexpr const char* kQueryDialect = "postgresql";

  QueryRows(const sluice::Config& config, const sluice::Logger& log)
      : rows_(config.optional_integer("rows").value_or(3)),
        mode_(config.optional_string("mode").value_or("ok")),
        ready_file_(config.optional_string("ready_file").value_or("")),
        log_(log) {}

  void check() override {}
  std::vector<sluice::Stream> discover(const std::vector<sluice::StreamRef>&) override { return {}; }
  void read(const sluice::ConfiguredStream&, sluice::ReadContext&) override {}

  void query(const sluice::QueryRequest& request, sluice::QueryContext& ctx) {
    log_.info("query_rows: running " + request.sql);
    boost::json::array parameters;
    for (const auto& p : request.parameters) {
      parameters.push_back(boost::json::object{{"name", p.name}, {"type", p.type}, {"value", p.value}});
    }
    ctx.facts = {{"statement_id", "q-1"},
                 {"sql", request.sql},
                 {"parameters", std::move(parameters)},
                 {"timeout_seconds", request.timeout_seconds}};
    if (mode_ == "fail") throw sluice::Error(sluice::ErrorKind::config, "relation \"missing\" does not exist");
    ctx.columns({{"n", {{"type", "integer"}}, "int8"},
                 {"label", {{"type", boost::json::array{"string", "null"}}}, "text"},
                 {"at", {{"type", "string"}, {"format", "date-time"}}, "timestamptz"},
                 {"even", {{"type", "boolean"}}, "bool"},
                 {"amount", {{"type", "number"}}, "numeric"}});
    try {
      if (mode_ == "hang") {
        // A statement that never answers: the source's wait, polled as a
        // real connector polls is_cancelled while its statement runs.
        if (!ready_file_.empty()) std::ofstream(ready_file_) << "waiting\n";
        while (!ctx.cancelled()) std::this_thread::sleep_for(std::chrono::milliseconds(2));
        std::error_code ignored;
        if (!ready_file_.empty()) std::filesystem::remove(ready_file_, ignored);
        throw sluice::Cancelled();
      }
      for (int64_t i = 1; i <= rows_; ++i) {
        const std::string label = i % 5 == 0 ? "null" : "\"row " + std::to_string(i) + ", \\\"quoted\\\"\"";
        ctx.row_serialized("[" + std::to_string(i) + "," + label + ",\"2026-11-30T00:00:00Z\"," +
                           (i % 2 == 0 ? "true" : "false") + "," + std::to_string(i) + ".5]");
      }
      if (mode_ == "fail_late") {
        ctx.flush();  // the rows reach the host before the failure
        throw sluice::Error(sluice::ErrorKind::transient, "connection reset by the source after " +
                                                             std::to_string(rows_) + " rows");
      }
    } catch (const sluice::Cancelled&) {
      log_.info("query_rows: statement q-1 cancelled at the source");
      throw;
    }
  }

 private:
  int64_t rows_;
  std::string mode_;
  std::string ready_file_;
  const sluice::Logger& log_;
};

}  // namespace

SLUICE_PLUGIN(QueryRows, "query_rows", "1.0.0", "https://example.com/query_rows", SLUICE_NAMESPACE_NONE,
              SLUICE_MODE_FULL_REFRESH_OVERWRITE,
              R"({"config_schema": {"type": "object", "properties": {
                  "rows": {"type": "integer", "minimum": 0},
                  "mode": {"type": "string", "enum": ["ok", "hang", "fail", "fail_late"]},
                  "ready_file": {"type": "string"},
                  "token": {"type": "string", "secret": true}}}})")
