// One libpq connection of a read: connected and set up read-only (the
// flavor's session statements), every wait on the server interruptible by
// the host's cancel, which reaches the server (PQcancel) before the call
// unwinds with sluice::Cancelled.
#pragma once

#include "flavor.hpp"
#include "settings.hpp"

#include <libpq-fe.h>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace postgres {

using Params = std::vector<std::optional<std::string>>;  // text values; nullopt: NULL

struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

class Session {
 public:
  // Connects and runs the session set-up (flavor.hpp). Throws sluice::Error:
  // auth for rejected credentials, config for TLS or database problems,
  // transient when the server cannot be reached. `flavor`: nullopt detects
  // it from version().
  // `stop` (optional): another reason to give up waiting, set by the
  // reader when a sibling connection failed; the statement is cancelled too.
  Session(const Settings& settings, const sluice::Logger& log, std::optional<Flavor> flavor = std::nullopt,
          const std::atomic<bool>* stop = nullptr);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  Flavor flavor() const { return flavor_; }
  // From now on also give up (cancelling the statement) once *stop is set.
  void stop_when(const std::atomic<bool>* stop) { stop_ = stop; }
  PGconn* handle() { return conn_; }

  // Runs one statement (several with no params) and returns its last result.
  // Throws sluice::Error: "WHAT: the server's primary message (SQLSTATE x)".
  Result exec(const std::string& sql, const std::string& what, const Params& params = {});

  // Runs a query, calling `row` with each row as it arrives (single-row
  // mode: memory holds one row). A `row` that throws cancels the statement
  // on the server before the exception unwinds.
  void stream_rows(const std::string& sql, const Params& params, const std::string& what,
                   const std::function<void(const PGresult& row)>& row);

  // Prepares `sql` as statement `name` with parameter types `types` (0:
  // the server infers it), and describes a prepared statement: its
  // parameters' and result columns' types (PQnfields, PQftype, PQfmod).
  Result prepare(const std::string& name, const std::string& sql, const std::vector<Oid>& types,
                 const std::string& what);
  Result describe(const std::string& name, const std::string& what);
  // Runs prepared statement `name` like stream_rows.
  void stream_prepared(const std::string& name, const Params& params, const std::string& what,
                       const std::function<void(const PGresult& row)>& row);

  // Asks the server to stop the running statement (PQcancel on a new
  // connection); harmless when none runs.
  void cancel();

  // Runs COPY ... TO STDOUT, calling `line` with each line of its text
  // format (no newline).
  void copy_out(const std::string& sql, const std::string& what, const std::function<void(std::string_view line)>& line);

 private:
  Result next_result(const std::string& what);  // nullptr when the command is done
  Result last_result(const std::string& what);  // of a command sent: its last result, or throws
  void stream_result(const std::string& what, const std::function<void(const PGresult& row)>& row);
  void wait_readable(const std::string& what);  // cancel-aware
  [[noreturn]] void fail(const PGresult* result, const std::string& what);

  const Settings& settings_;
  const sluice::Logger& log_;
  PGconn* conn_ = nullptr;
  Flavor flavor_ = Flavor::postgres;
  const std::atomic<bool>* stop_ = nullptr;
};

// The error for a failed statement, by SQLSTATE class: 28 and 42501 auth,
// 08, 40, 53, 57 transient (57014 too: the statement timeout), 42 and
// 25006 (a write in a read-only transaction) config, else source. One line:
// "WHAT: primary message (SQLSTATE 42P01)".
sluice::Error statement_error(const std::string& what, const std::string& primary, const std::string& sqlstate);

// The error for a connection that failed to open, from libpq's message.
sluice::Error connection_error(const std::string& where, const std::string& libpq_message);

}  // namespace postgres
