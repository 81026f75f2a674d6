#include "host/target/postgres_connection.hpp"

#include "host/config/config_error.hpp"
#include "host/target/error_text.hpp"
#include "host/target/identifiers.hpp"
#include "host/target/advisory_lock.hpp"
#include "host/target/postgres_copy_writer.hpp"
#include "host/target/target.hpp"

#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/PostgreSQL/SessionImpl.h>
#include <Poco/Exception.h>
#include <libpq-fe.h>

#include <mutex>

namespace sluice::host {

namespace {

std::string conninfo_value(const std::string& value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

// Server NOTICEs ("table does not exist, skipping") are expected chatter
// for IF [NOT] EXISTS statements; libpq would print them to stderr.
void ignore_notice(void*, const char*) {}

// Owns a PGresult.
struct Result {
  PGresult* result;
  ~Result() { PQclear(result); }
};

}  // namespace

std::string PostgresConnection::quote(const std::string& identifier) { return quote_identifier(identifier, '"'); }

PostgresConnection::PostgresConnection(const TargetUrl& url) : masked_url_(url.masked()), password_(url.password) {
  static std::once_flag registered;
  std::call_once(registered, [] { Poco::Data::PostgreSQL::Connector::registerConnector(); });
  std::string conninfo = "host=" + conninfo_value(url.host) + " dbname=" + conninfo_value(url.database);
  if (url.port) conninfo += " port=" + std::to_string(url.port);
  if (!url.user.empty()) conninfo += " user=" + conninfo_value(url.user);
  if (!url.password.empty()) conninfo += " password=" + conninfo_value(url.password);
  for (const auto& [key, value] : url.options) {
    // libpq parameter names are lower-case words: anything else would be
    // read as more of the connection string.
    bool word = !key.empty();
    for (char c : key) word = word && ((c >= 'a' && c <= 'z') || c == '_');
    if (!word) throw ConfigError("target " + masked_url_ + ": \"" + key + "\" is not a libpq connection parameter");
    conninfo += " " + key + "=" + conninfo_value(value);
  }
  if (!url.options.count("connect_timeout")) conninfo += " connect_timeout=10";
  try {
    session_ = std::make_unique<Poco::Data::Session>("PostgreSQL", conninfo);
  } catch (const Poco::Exception& e) {
    throw TargetError("cannot connect to " + masked_url_ + ": " + without_secret(one_line(e.message()), password_));
  }
  conn_ = static_cast<Poco::Data::PostgreSQL::SessionImpl*>(session_->impl())->handle();
  PQsetNoticeProcessor(conn_, ignore_notice, nullptr);
  // Timestamps without a zone are read as UTC, never as the server's zone.
  exec("SET TIME ZONE 'UTC'");
}

TargetError PostgresConnection::failure(const std::string& what, const std::string& message,
                                        const std::string& context) const {
  // libpq's own texts run over several lines ("FATAL:  ...\nserver closed
  // the connection unexpectedly\n\tThis probably means..."): the first
  // line, without its severity, says it.
  std::string first = message.substr(0, message.find('\n'));
  for (const char* severity : {"FATAL:  ", "ERROR:  "}) {
    if (first.rfind(severity, 0) == 0) first = first.substr(std::string(severity).size());
  }
  std::string text = what + without_secret(one_line(first), password_);
  if (PQstatus(conn_) != CONNECTION_OK) return TargetError("lost the connection to " + masked_url_ + ": " + text);
  return TargetError("postgresql: " + text + context);
}

PgRows PostgresConnection::exec(const std::string& sql, const std::vector<std::string>& params,
                                std::vector<std::string>* column_names, uint64_t* changed) {
  std::vector<const char*> values;
  for (const auto& p : params) values.push_back(p.c_str());
  Result result{PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr,
                             nullptr, 0)};
  auto status = PQresultStatus(result.result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    // The primary message alone: libpq's full text adds a "LINE 1: ... ^"
    // excerpt of the statement, which the context below already names.
    const char* primary = result.result ? PQresultErrorField(result.result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    std::string message = primary ? primary : PQerrorMessage(conn_);
    throw failure("", message, " (in: " + one_line(sql.substr(0, 160)) + ")");
  }
  if (changed) {
    const char* count = PQcmdTuples(result.result);
    *changed = *count ? std::stoull(count) : 0;
  }
  PgRows rows;
  int width = PQnfields(result.result);
  if (column_names) {
    column_names->clear();
    for (int c = 0; c < width; ++c) column_names->push_back(PQfname(result.result, c));
  }
  for (int r = 0; r < PQntuples(result.result); ++r) {
    auto& row = rows.emplace_back();
    for (int c = 0; c < width; ++c) {
      if (PQgetisnull(result.result, r, c)) row.emplace_back(std::nullopt);
      else row.emplace_back(std::string(PQgetvalue(result.result, r, c),
                                        static_cast<size_t>(PQgetlength(result.result, r, c))));
    }
  }
  return rows;
}

namespace {

// "$1, $2, ..." in place of the bound values.
std::string render(const Sql& sql, std::vector<std::string>& params) {
  std::string text;
  for (const auto& piece : sql.pieces()) {
    if (!piece.bound) {
      text += piece.text;
      continue;
    }
    params.push_back(piece.text);
    text += "$" + std::to_string(params.size());
  }
  return text;
}

}  // namespace

SqlRows PostgresConnection::query(const Sql& sql, std::vector<std::string>* column_names) {
  std::vector<std::string> params;
  return exec(render(sql, params), params, column_names);
}

uint64_t PostgresConnection::execute(const Sql& sql) {
  std::vector<std::string> params;
  uint64_t changed = 0;
  exec(render(sql, params), params, nullptr, &changed);
  return changed;
}

std::unique_ptr<TableWriter> PostgresConnection::writer(const WriteSpec& spec) {
  return std::make_unique<PostgresCopyWriter>(*this, spec);
}

bool PostgresConnection::try_lock(const std::string& key) {
  auto id = static_cast<int64_t>(advisory_lock_id(key));
  auto rows = exec("SELECT pg_try_advisory_lock($1::bigint)", {std::to_string(id)});
  return !rows.empty() && rows[0][0] == std::optional<std::string>("t");
}

void PostgresConnection::unlock(const std::string& key) {
  auto id = static_cast<int64_t>(advisory_lock_id(key));
  exec("SELECT pg_advisory_unlock($1::bigint)", {std::to_string(id)});
}

bool PostgresConnection::copy_in(const std::string& copy_sql, const std::string& data, bool tolerate_duplicate_key) {
  {
    Result start{PQexec(conn_, copy_sql.c_str())};
    if (PQresultStatus(start.result) != PGRES_COPY_IN) {
      throw failure("cannot start COPY: ", PQerrorMessage(conn_));
    }
  }
  const size_t chunk = 1 << 20;
  for (size_t at = 0; at < data.size(); at += chunk) {
    size_t size = std::min(chunk, data.size() - at);
    if (PQputCopyData(conn_, data.data() + at, static_cast<int>(size)) != 1) {
      throw failure("COPY failed: ", PQerrorMessage(conn_));
    }
  }
  if (PQputCopyEnd(conn_, nullptr) != 1) throw failure("COPY failed: ", PQerrorMessage(conn_));
  std::string message;
  bool duplicate_key = false;
  while (PGresult* result = PQgetResult(conn_)) {
    if (PQresultStatus(result) != PGRES_COMMAND_OK && message.empty()) {
      message = PQresultErrorMessage(result);
      const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
      duplicate_key = state && std::string(state) == "23505";  // unique_violation
    }
    PQclear(result);
  }
  if (message.empty()) return true;
  if (duplicate_key && tolerate_duplicate_key) return false;
  throw failure("COPY failed: ", message);
}

}  // namespace sluice::host
