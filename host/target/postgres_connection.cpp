#include "host/target/postgres_connection.hpp"

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

std::string one_line(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

// Owns a PGresult.
struct Result {
  PGresult* result;
  ~Result() { PQclear(result); }
};

}  // namespace

std::string PostgresConnection::quote(const std::string& identifier) {
  std::string out = "\"";
  for (char c : identifier) {
    out += c;
    if (c == '"') out += '"';
  }
  return out + "\"";
}

PostgresConnection::PostgresConnection(const TargetUrl& url) : masked_url_(url.masked()) {
  static std::once_flag registered;
  std::call_once(registered, [] { Poco::Data::PostgreSQL::Connector::registerConnector(); });
  std::string conninfo = "host=" + conninfo_value(url.host) + " dbname=" + conninfo_value(url.database);
  if (url.port) conninfo += " port=" + std::to_string(url.port);
  if (!url.user.empty()) conninfo += " user=" + conninfo_value(url.user);
  if (!url.password.empty()) conninfo += " password=" + conninfo_value(url.password);
  for (const auto& [key, value] : url.options) conninfo += " " + key + "=" + conninfo_value(value);
  if (!url.options.count("connect_timeout")) conninfo += " connect_timeout=10";
  try {
    session_ = std::make_unique<Poco::Data::Session>("PostgreSQL", conninfo);
  } catch (const Poco::Exception& e) {
    throw TargetError("cannot connect to " + masked_url_ + ": " + one_line(e.displayText()));
  }
  conn_ = static_cast<Poco::Data::PostgreSQL::SessionImpl*>(session_->impl())->handle();
  // Timestamps without a zone are read as UTC, never as the server's zone.
  exec("SET TIME ZONE 'UTC'");
}

PgRows PostgresConnection::exec(const std::string& sql, const std::vector<std::string>& params,
                                std::vector<std::string>* column_names) {
  std::vector<const char*> values;
  for (const auto& p : params) values.push_back(p.c_str());
  Result result{PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr,
                             nullptr, 0)};
  auto status = PQresultStatus(result.result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    std::string message = result.result ? PQresultErrorMessage(result.result) : PQerrorMessage(conn_);
    if (PQstatus(conn_) != CONNECTION_OK) {
      throw TargetError("lost the connection to " + masked_url_ + ": " + one_line(message));
    }
    throw TargetError("postgresql: " + one_line(message) + " (in: " + sql.substr(0, 160) + ")");
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

void PostgresConnection::copy_in(const std::string& copy_sql, const std::string& data) {
  {
    Result start{PQexec(conn_, copy_sql.c_str())};
    if (PQresultStatus(start.result) != PGRES_COPY_IN) {
      throw TargetError("postgresql: cannot start COPY: " + one_line(PQerrorMessage(conn_)));
    }
  }
  const size_t chunk = 1 << 20;
  for (size_t at = 0; at < data.size(); at += chunk) {
    size_t size = std::min(chunk, data.size() - at);
    if (PQputCopyData(conn_, data.data() + at, static_cast<int>(size)) != 1) {
      throw TargetError("postgresql: COPY failed: " + one_line(PQerrorMessage(conn_)));
    }
  }
  if (PQputCopyEnd(conn_, nullptr) != 1) throw TargetError("postgresql: COPY failed: " + one_line(PQerrorMessage(conn_)));
  std::string failure;
  while (PGresult* result = PQgetResult(conn_)) {
    if (PQresultStatus(result) != PGRES_COMMAND_OK && failure.empty()) failure = PQresultErrorMessage(result);
    PQclear(result);
  }
  if (!failure.empty()) throw TargetError("postgresql: COPY failed: " + one_line(failure));
}

}  // namespace sluice::host
