// The connector's validated config, read once per session. The host has
// already checked it against spec.hpp's schema and filled in defaults.
#pragma once

#include "sql_common/table_filter.hpp"

#include <sluice/sdk.hpp>

#include <chrono>
#include <string>

namespace mysql_source {

enum class TlsMode { disabled, required, verify_identity };

struct Settings {
  std::string host;
  unsigned port = 3306;
  std::string database, user;
  std::string password;  // secret: never logged, never in a message
  TlsMode tls = TlsMode::verify_identity;
  std::string ca_file;
  sql_common::TableFilter filter;
  int64_t chunk_rows = 200000;
  size_t parallelism = 1;
  std::chrono::seconds statement_timeout{0};
  std::string where() const { return host + ":" + std::to_string(port) + "/" + database; }
};

// verify_identity, except disabled for a loopback host.
TlsMode default_tls(const std::string& host);

Settings read_settings(const sluice::Config& config);

}  // namespace mysql_source
