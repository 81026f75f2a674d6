#include "host/target/mysql_connection.hpp"

#include "host/config/config_error.hpp"
#include "host/target/error_text.hpp"
#include "host/target/identifiers.hpp"
#include "host/target/advisory_lock.hpp"
#include "host/target/mysql_insert_writer.hpp"
#include "host/target/mysql_load_writer.hpp"
#include "host/target/target.hpp"

#include <Poco/Data/MySQL/Connector.h>
#include <Poco/Data/MySQL/SessionImpl.h>
#include <Poco/Exception.h>
#include <mysql.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <mutex>

namespace sluice::host {

namespace {

// Poco's MySQL connector splits its connection string on ';' and strips
// spaces around each value, so such values cannot be passed through it.
void check_poco_value(const std::string& value, const std::string& what, const TargetUrl& url) {
  bool edge_space = !value.empty() && (value.front() == ' ' || value.back() == ' ');
  if (value.find(';') != std::string::npos || edge_space) {
    throw ConfigError("target " + url.masked() + ": the " + what +
                      " may not contain ';' or start or end with a space (a Poco::Data MySQL limit)");
  }
}

// LOAD DATA LOCAL reads its "file" through these callbacks, from memory.
struct InfileSource {
  std::string_view data;
  size_t at = 0;
};

int infile_init(void** state, const char*, void* source) {
  *state = source;
  return 0;
}

int infile_read(void* state, char* buffer, unsigned int size) {
  auto* source = static_cast<InfileSource*>(state);
  size_t count = std::min<size_t>(size, source->data.size() - source->at);
  std::memcpy(buffer, source->data.data() + source->at, count);
  source->at += count;
  return static_cast<int>(count);
}

void infile_end(void*) {}

int infile_error(void*, char* message, unsigned int size) {
  std::snprintf(message, size, "reading rows from memory failed");
  return 1;
}

// Owns a MYSQL_RES.
struct Result {
  MYSQL_RES* result;
  ~Result() { mysql_free_result(result); }
};

}  // namespace

std::string MysqlConnection::quote(const std::string& identifier) { return quote_identifier(identifier, '`'); }

MysqlConnection::MysqlConnection(const TargetUrl& url)
    : masked_url_(url.masked()), password_(url.password), database_(url.database) {
  static std::once_flag registered;
  std::call_once(registered, [] { Poco::Data::MySQL::Connector::registerConnector(); });
  if (!url.options.empty()) {
    throw ConfigError("target " + masked_url_ + ": unknown option " + url.options.begin()->first +
                      " (mysql:// URLs take none)");
  }
  check_poco_value(url.user, "user name", url);
  check_poco_value(url.password, "password", url);
  check_poco_value(url.database, "database name", url);
  check_poco_value(url.host, "host", url);
  // auto-reconnect stays off: a silent reconnect in the middle of a
  // transaction would commit half of it.
  std::string connection = "host=" + url.host + ";port=" + std::to_string(url.port ? url.port : 3306) +
                           ";db=" + url.database + ";user=" + url.user + ";password=" + url.password +
                           ";compress=false;auto-reconnect=false";
  try {
    session_ = std::make_unique<Poco::Data::Session>("MySQL", connection);
  } catch (const Poco::Exception& e) {
    throw TargetError("cannot connect to " + masked_url_ + ": " +
                      without_secret(one_line(e.message().empty() ? e.displayText() : e.message()), password_));
  }
  mysql_ = static_cast<Poco::Data::MySQL::SessionImpl*>(session_->impl())->handle();
  // utf8mb4 for every Unicode character; UTC for DATETIME; strict mode so a
  // value that does not fit fails loudly instead of being truncated.
  exec("SET NAMES utf8mb4 COLLATE utf8mb4_bin");
  exec("SET time_zone = '+00:00'");
  exec("SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION,NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO'");
  // MariaDB enables local_infile by default, MySQL 8 does not: without it
  // rows go in as multi-row INSERTs.
  auto setting = exec("SELECT @@GLOBAL.local_infile");
  local_infile_ = !setting.empty() && setting[0][0] && (*setting[0][0] == "1" || *setting[0][0] == "ON");
}

void MysqlConnection::load_data(const std::string& load_sql, std::string_view data) {
  InfileSource source{data};
  mysql_set_local_infile_handler(mysql_, infile_init, infile_read, infile_end, infile_error, &source);
  exec(load_sql, nullptr, false);
  if (unsigned count = mysql_warning_count(mysql_); count > 0) {
    auto warnings = exec("SHOW WARNINGS LIMIT 1");
    std::string first = warnings.empty() || !warnings[0][2] ? "" : *warnings[0][2];
    throw TargetError("mysql: loading rows gave " + std::to_string(count) + " warning(s), the first: " +
                      one_line(first));
  }
}

MysqlRows MysqlConnection::exec(const std::string& sql, std::vector<std::string>* column_names, bool show_sql) {
  if (mysql_real_query(mysql_, sql.data(), sql.size()) != 0) {
    unsigned error = mysql_errno(mysql_);
    std::string message = without_secret(one_line(mysql_error(mysql_)), password_);
    // 2006 server gone away, 2013 lost connection during query.
    if (error == 2006 || error == 2013) throw TargetError("lost the connection to " + masked_url_ + ": " + message);
    throw TargetError("mysql: " + message + (show_sql ? " (in: " + one_line(sql.substr(0, 160)) + ")" : ""));
  }
  MysqlRows rows;
  Result result{mysql_store_result(mysql_)};
  if (!result.result) {
    if (mysql_field_count(mysql_) != 0) throw TargetError("mysql: " + one_line(mysql_error(mysql_)));
    return rows;
  }
  unsigned width = mysql_num_fields(result.result);
  if (column_names) {
    column_names->clear();
    MYSQL_FIELD* fields = mysql_fetch_fields(result.result);
    for (unsigned c = 0; c < width; ++c) column_names->push_back(fields[c].name);
  }
  while (MYSQL_ROW row = mysql_fetch_row(result.result)) {
    unsigned long* lengths = mysql_fetch_lengths(result.result);
    auto& out = rows.emplace_back();
    for (unsigned c = 0; c < width; ++c) {
      if (row[c]) out.emplace_back(std::string(row[c], lengths[c]));
      else out.emplace_back(std::nullopt);
    }
  }
  return rows;
}

std::string MysqlConnection::render(const Sql& sql) const {
  std::string text;
  for (const auto& piece : sql.pieces()) {
    if (piece.bound) append_literal(text, piece.text);
    else text += piece.text;
  }
  return text;
}

// Messages show the statement's shape: its values are data.
SqlRows MysqlConnection::query(const Sql& sql, std::vector<std::string>* column_names) {
  try {
    return exec(render(sql), column_names, false);
  } catch (const TargetError& e) {
    if (std::string_view(e.what()).rfind("mysql: ", 0) != 0) throw;
    throw TargetError(std::string(e.what()) + " (in: " + one_line(sql.shape().substr(0, 160)) + ")");
  }
}

uint64_t MysqlConnection::execute(const Sql& sql) {
  query(sql);
  return affected_rows();
}

std::unique_ptr<TableWriter> MysqlConnection::writer(const WriteSpec& spec) {
  if (!spec.upsert && local_infile_) return std::make_unique<MysqlLoadWriter>(*this, spec);
  return std::make_unique<MysqlInsertWriter>(*this, spec);
}

// GET_LOCK names are server-wide and at most 64 characters: the key's
// number in hex, which the key's database is part of.
bool MysqlConnection::try_lock(const std::string& key) {
  char name[32];
  std::snprintf(name, sizeof name, "sluice.%016llx", static_cast<unsigned long long>(advisory_lock_id(key)));
  auto rows = exec(std::string("SELECT GET_LOCK('") + name + "', 0)");
  return !rows.empty() && rows[0][0] == std::optional<std::string>("1");
}

void MysqlConnection::unlock(const std::string& key) {
  char name[32];
  std::snprintf(name, sizeof name, "sluice.%016llx", static_cast<unsigned long long>(advisory_lock_id(key)));
  exec(std::string("SELECT RELEASE_LOCK('") + name + "')");
}

uint64_t MysqlConnection::affected_rows() const { return mysql_affected_rows(mysql_); }

void MysqlConnection::append_literal(std::string& out, std::string_view text) const {
  size_t at = out.size();
  out.resize(at + text.size() * 2 + 3);
  out[at] = '\'';
  unsigned long written = mysql_real_escape_string(mysql_, out.data() + at + 1, text.data(), text.size());
  out[at + 1 + written] = '\'';
  out.resize(at + written + 2);
}

std::string MysqlConnection::literal(std::string_view text) const {
  std::string out;
  append_literal(out, text);
  return out;
}

}  // namespace sluice::host
