#include "session.hpp"

#include <errmsg.h>
#include <mysqld_error.h>

#include "sql_common/cancel_watch.hpp"

#include <memory>

namespace mysql_source {

namespace {

std::string one_line(std::string text) {
  for (auto& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

// A new connection with the settings' TLS and timeouts; nullptr (and the
// error in `error` / `message`) when it fails.
MYSQL* connect(const Settings& settings, unsigned& error, std::string& message) {
  MYSQL* conn = mysql_init(nullptr);
  if (!conn) {
    error = CR_OUT_OF_MEMORY;
    message = "out of memory";
    return nullptr;
  }
  const unsigned timeout = 30;
  mysql_options(conn, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
  mysql_options(conn, MYSQL_SET_CHARSET_NAME, "utf8mb4");
  if (settings.tls != TlsMode::disabled) {
    const my_bool enforce = 1;
    mysql_options(conn, MYSQL_OPT_SSL_ENFORCE, &enforce);
    const my_bool verify = settings.tls == TlsMode::verify_identity ? 1 : 0;
    mysql_options(conn, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify);
    if (!settings.ca_file.empty()) mysql_options(conn, MYSQL_OPT_SSL_CA, settings.ca_file.c_str());
  }
  if (!mysql_real_connect(conn, settings.host.c_str(), settings.user.c_str(), settings.password.c_str(),
                          settings.database.c_str(), settings.port, nullptr, 0)) {
    error = mysql_errno(conn);
    message = mysql_error(conn);
    mysql_close(conn);
    return nullptr;
  }
  // Connector/C 3.3 connects in plain text to a server without TLS even
  // with MYSQL_OPT_SSL_ENFORCE set: refuse such a connection ourselves.
  if (settings.tls != TlsMode::disabled && !mysql_get_ssl_cipher(conn)) {
    error = CR_SSL_CONNECTION_ERROR;
    message = "TLS is required (ssl_mode), but the server did not use it";
    mysql_close(conn);
    return nullptr;
  }
  return conn;
}

}  // namespace

sluice::Error client_error(const std::string& what, unsigned error, const std::string& message) {
  using sluice::ErrorKind;
  ErrorKind kind = ErrorKind::source;
  switch (error) {
    case ER_ACCESS_DENIED_ERROR:
    case ER_DBACCESS_DENIED_ERROR:
    case ER_TABLEACCESS_DENIED_ERROR:
    case ER_COLUMNACCESS_DENIED_ERROR:
    case ER_SPECIFIC_ACCESS_DENIED_ERROR: kind = ErrorKind::auth; break;
    case CR_CONNECTION_ERROR:
    case CR_CONN_HOST_ERROR:
    case CR_SERVER_GONE_ERROR:
    case CR_SERVER_LOST:
    case ER_QUERY_INTERRUPTED:
    case ER_LOCK_WAIT_TIMEOUT:
    case ER_LOCK_DEADLOCK:
    case ER_SERVER_SHUTDOWN:
    case ER_STATEMENT_TIMEOUT:  // MariaDB's max_statement_time
    case 3024:                  // MySQL's max_execution_time (ER_QUERY_TIMEOUT)
    case ER_CON_COUNT_ERROR: kind = ErrorKind::transient; break;
    case ER_NO_SUCH_TABLE:
    case ER_BAD_DB_ERROR:
    case ER_BAD_FIELD_ERROR:
    case ER_PARSE_ERROR:
    case ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION:  // a query that writes (sluice query)
    case CR_SSL_CONNECTION_ERROR: kind = ErrorKind::config; break;
    default: break;
  }
  return sluice::Error(kind, what + ": " + one_line(message) + " (error " + std::to_string(error) + ")");
}

Session::Session(const Settings& settings, const sluice::Logger& log, const std::atomic<bool>* stop)
    : settings_(settings), log_(log), stop_(stop) {
  unsigned error = 0;
  std::string message;
  conn_ = connect(settings, error, message);
  if (!conn_) throw client_error("cannot connect to " + settings.where(), error, message);
  flavor_ = detect_flavor(mysql_get_server_info(conn_));
  thread_id_ = mysql_thread_id(conn_);
  // No destructor runs for a constructor that throws: a set-up statement
  // that fails or is cancelled must close the connection here.
  try {
    for (const auto& sql : session_setup_sql(flavor_, settings.statement_timeout)) exec(sql, "setting up the session");
  } catch (...) {
    mysql_close(conn_);
    conn_ = nullptr;
    throw;
  }
}

Session::~Session() { mysql_close(conn_); }

sql_common::CancelWatch Session::cancel_watch() {
  return sql_common::CancelWatch([this] { return log_.cancelled() || (stop_ && stop_->load()); },
                                 [this] { kill_query(); });
}

std::string Session::server_version() const { return mysql_get_server_info(conn_); }

void Session::kill_query() {
  unsigned error = 0;
  std::string message;
  MYSQL* killer = connect(settings_, error, message);
  if (!killer) return;  // the statement then runs on until it ends; nothing else to do
  killed_ = true;
  const std::string sql = "KILL QUERY " + std::to_string(thread_id_);
  mysql_real_query(killer, sql.data(), sql.size());
  mysql_close(killer);
}

void Session::fail(const std::string& what, unsigned error, const std::string& message) {
  if (killed_ && log_.cancelled()) throw sluice::Cancelled();
  if (killed_) throw sluice::Error(sluice::ErrorKind::transient, what + ": stopped (another connection of the read failed)");
  if (error == CR_SERVER_LOST || error == CR_SERVER_GONE_ERROR) {
    throw sluice::Error(sluice::ErrorKind::transient, what + ": the connection to " + settings_.where() +
                                                          " was lost: " + one_line(message) + " (error " +
                                                          std::to_string(error) + ")");
  }
  throw client_error(what, error, message);
}

void Session::exec(const std::string& sql, const std::string& what) {
  if (mysql_real_query(conn_, sql.data(), sql.size())) fail(what, mysql_errno(conn_), mysql_error(conn_));
  if (MYSQL_RES* result = mysql_store_result(conn_)) mysql_free_result(result);
  if (mysql_errno(conn_)) fail(what, mysql_errno(conn_), mysql_error(conn_));
}

void Session::stream_text(const std::string& sql, const std::string& what, const RowFn& row) {
  const sql_common::CancelWatch watch = cancel_watch();
  if (mysql_real_query(conn_, sql.data(), sql.size())) fail(what, mysql_errno(conn_), mysql_error(conn_));
  std::unique_ptr<MYSQL_RES, decltype(&mysql_free_result)> result(mysql_use_result(conn_), mysql_free_result);
  if (!result) fail(what, mysql_errno(conn_), mysql_error(conn_));
  const unsigned width = mysql_num_fields(result.get());
  Row values(width);
  try {
    while (MYSQL_ROW cells = mysql_fetch_row(result.get())) {
      const unsigned long* lengths = mysql_fetch_lengths(result.get());
      for (unsigned i = 0; i < width; ++i) {
        values[i] = cells[i] ? std::optional<std::string_view>(std::string_view(cells[i], lengths[i])) : std::nullopt;
      }
      row(values);
    }
  } catch (...) {
    // Freeing an unread streamed result reads it to its end: stop the statement first.
    kill_query();
    throw;
  }
  if (mysql_errno(conn_)) fail(what, mysql_errno(conn_), mysql_error(conn_));
}

void Session::stream_prepared(const std::string& sql, const std::vector<std::string>& params, const std::string& what,
                              const RowFn& row) {
  std::vector<MYSQL_BIND> in(params.size());
  for (size_t i = 0; i < params.size(); ++i) {
    in[i] = {};
    in[i].buffer_type = MYSQL_TYPE_STRING;
    in[i].buffer = const_cast<char*>(params[i].data());
    in[i].buffer_length = params[i].size();
  }
  stream_statement(sql, in, what, nullptr, row);
}

void Session::stream_statement(const std::string& sql, std::vector<MYSQL_BIND>& params, const std::string& what,
                               const FieldsFn& fields, const RowFn& row) {
  const sql_common::CancelWatch watch = cancel_watch();
  std::unique_ptr<MYSQL_STMT, decltype(&mysql_stmt_close)> stmt(mysql_stmt_init(conn_), mysql_stmt_close);
  auto stmt_fail = [&] {
    // An error packet read by an unbuffered fetch (the statement timeout, a
    // KILL) is kept on the connection, not the statement.
    if (mysql_stmt_errno(stmt.get()) == 0 && mysql_errno(conn_) != 0) fail(what, mysql_errno(conn_), mysql_error(conn_));
    fail(what, mysql_stmt_errno(stmt.get()), mysql_stmt_error(stmt.get()));
  };
  if (!stmt) fail(what, mysql_errno(conn_), mysql_error(conn_));
  if (mysql_stmt_prepare(stmt.get(), sql.data(), sql.size())) stmt_fail();
  if (mysql_stmt_param_count(stmt.get()) != params.size()) {
    throw sluice::Error(sluice::ErrorKind::internal, what + ": the statement has " +
                                                         std::to_string(mysql_stmt_param_count(stmt.get())) +
                                                         " placeholders for " + std::to_string(params.size()) +
                                                         " parameters");
  }
  if (!params.empty() && mysql_stmt_bind_param(stmt.get(), params.data())) stmt_fail();
  if (mysql_stmt_execute(stmt.get())) stmt_fail();

  const unsigned width = mysql_stmt_field_count(stmt.get());
  if (fields) {
    std::unique_ptr<MYSQL_RES, decltype(&mysql_free_result)> metadata(mysql_stmt_result_metadata(stmt.get()),
                                                                     mysql_free_result);
    if (!metadata && width) stmt_fail();
    try {
      fields(metadata ? mysql_fetch_fields(metadata.get()) : nullptr, width);
    } catch (...) {
      kill_query();
      throw;
    }
  }
  std::vector<std::string> buffers(width, std::string(256, '\0'));
  std::vector<unsigned long> lengths(width);
  std::vector<my_bool> nulls(width), errors(width);
  std::vector<MYSQL_BIND> out(width);
  auto bind = [&] {
    for (unsigned i = 0; i < width; ++i) {
      out[i] = {};
      out[i].buffer_type = MYSQL_TYPE_STRING;
      out[i].buffer = buffers[i].data();
      out[i].buffer_length = buffers[i].size();
      out[i].length = &lengths[i];
      out[i].is_null = &nulls[i];
      out[i].error = &errors[i];
    }
    if (width && mysql_stmt_bind_result(stmt.get(), out.data())) stmt_fail();
  };
  bind();
  Row values(width);
  try {
    for (;;) {
      const int status = mysql_stmt_fetch(stmt.get());
      if (status == MYSQL_NO_DATA) break;
      if (status == 1) stmt_fail();
      if (status == MYSQL_DATA_TRUNCATED) {
        bool grew = false;
        for (unsigned i = 0; i < width; ++i) {
          if (!errors[i] || nulls[i]) continue;
          buffers[i].assign(lengths[i] + 1, '\0');
          MYSQL_BIND whole = out[i];
          whole.buffer = buffers[i].data();
          whole.buffer_length = buffers[i].size();
          if (mysql_stmt_fetch_column(stmt.get(), &whole, i, 0)) stmt_fail();
          grew = true;
        }
        if (grew) bind();  // the next rows go into the larger buffers
      }
      for (unsigned i = 0; i < width; ++i) {
        values[i] = nulls[i] ? std::nullopt : std::optional<std::string_view>(std::string_view(buffers[i].data(), lengths[i]));
      }
      row(values);
    }
  } catch (...) {
    kill_query();
    throw;
  }
}

}  // namespace mysql_source
