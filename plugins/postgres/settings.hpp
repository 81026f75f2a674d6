// The connector's validated config, read once per session. The host has
// already checked it against spec.hpp's schema and filled in defaults.
#pragma once

#include "sql_common/table_filter.hpp"

#include <sluice/sdk.hpp>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace postgres {

// libpq connection keywords and values, in order (later ones win). Holds
// the password: never logged, never put in a message.
using ConnectionParams = std::vector<std::pair<std::string, std::string>>;

struct Settings {
  ConnectionParams params;  // for PQconnectdbParams, sslmode decided
  std::string where;        // "HOST:PORT/DATABASE" for messages (no user, no password)
  std::vector<std::string> schemas;  // empty: every non-system schema
  sql_common::TableFilter filter;
  int64_t chunk_rows = 200000;
  size_t parallelism = 4;
  std::chrono::seconds statement_timeout{0};
  std::vector<std::string> xmin_tables;  // patterns on SCHEMA.TABLE: the xmin pseudo-column
};

// The sslmode when neither the config nor the URL sets one: verify-full,
// except prefer for a loopback host (127.0.0.0/8, ::1, localhost, a socket
// directory), where a test or a local proxy may speak plain text.
std::string default_sslmode(const std::string& host);

// Throws sluice::Error(config) when neither url nor host, database and user
// are given, or both, or the url does not parse (the message never holds it).
Settings read_settings(const sluice::Config& config);

}  // namespace postgres
