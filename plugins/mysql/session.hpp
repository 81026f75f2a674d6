// One client connection of a read (MariaDB Connector/C, which speaks to
// MySQL 8 and MariaDB alike): connected with the configured TLS, set up
// read-only, results streamed row by row (memory holds one row). A cancel
// from the host (or `stop`, set when a sibling connection failed) reaches
// the server: a watcher opens a second connection and sends KILL QUERY for
// this one's statement, which then ends at once.
#pragma once

#include "dialect.hpp"
#include "settings.hpp"

#include "sql_common/cancel_watch.hpp"

#include <mysql.h>

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mysql_source {

using Row = std::vector<std::optional<std::string_view>>;  // nullopt: NULL; valid for the call
using RowFn = std::function<void(const Row& row)>;
using FieldsFn = std::function<void(const MYSQL_FIELD* fields, unsigned count)>;

class Session {
 public:
  // Throws sluice::Error: auth for rejected credentials, config for TLS or
  // an unknown database, transient when the server cannot be reached.
  Session(const Settings& settings, const sluice::Logger& log, const std::atomic<bool>* stop = nullptr);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  Flavor flavor() const { return flavor_; }
  // From now on also give up (cancelling the statement) once *stop is set.
  void stop_when(const std::atomic<bool>* stop) { stop_ = stop; }
  std::string server_version() const;

  // A statement whose result (if any) is discarded.
  void exec(const std::string& sql, const std::string& what);
  // A query over the text protocol, rows streamed (mysql_use_result).
  void stream_text(const std::string& sql, const std::string& what, const RowFn& row);
  // A prepared statement with text parameters, rows streamed; every result
  // column must be a string or binary type (dialect.hpp's select lists).
  void stream_prepared(const std::string& sql, const std::vector<std::string>& params, const std::string& what,
                       const RowFn& row);
  // A prepared statement with `params` bound as they are (their buffers
  // borrowed for the call), unbuffered: `fields` (optional) gets the
  // result's columns before the first row, then each row arrives as text
  // (Connector/C writes each binary-protocol value as text: numbers, dates).
  // A row function that throws stops the statement on the server first.
  void stream_statement(const std::string& sql, std::vector<MYSQL_BIND>& params, const std::string& what,
                        const FieldsFn& fields, const RowFn& row);

 private:
  sql_common::CancelWatch cancel_watch();  // KILL QUERY when the host cancels or *stop_ is set
  [[noreturn]] void fail(const std::string& what, unsigned error, const std::string& message);
  void kill_query();

  const Settings& settings_;
  const sluice::Logger& log_;
  const std::atomic<bool>* stop_;
  MYSQL* conn_ = nullptr;
  Flavor flavor_ = Flavor::mysql;
  unsigned long thread_id_ = 0;  // read once: the watcher's thread must not touch conn_
  std::atomic<bool> killed_{false};
};

// The error for a client error number: access denied auth, server gone,
// timed out or over the statement timeout transient, unknown table or
// column, a syntax error or a write in a read-only transaction config, else
// source. One
// line: "WHAT: the server's message (error 1146)".
sluice::Error client_error(const std::string& what, unsigned error, const std::string& message);

}  // namespace mysql_source
