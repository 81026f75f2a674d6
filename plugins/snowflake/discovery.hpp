// Discovery through the database's INFORMATION_SCHEMA: every table and view
// (its description says which) of the configured schemas (all but INFORMATION_SCHEMA when none) is a
// stream in namespace DATABASE.SCHEMA, its columns typed as column_type.hpp
// says, its primary key the declared one (SHOW PRIMARY KEYS; Snowflake does
// not enforce it, so it is what the table's owner said). Two statements per
// discover, whatever the number of tables.
// https://docs.snowflake.com/en/sql-reference/info-schema/columns
// https://docs.snowflake.com/en/sql-reference/info-schema/tables
// https://docs.snowflake.com/en/sql-reference/sql/show-primary-keys
#pragma once

#include "snowflake_api.hpp"
#include "settings.hpp"

#include <sluice/sdk.hpp>

#include <string>
#include <vector>

namespace snowflake {

// The statement listing the columns of `schemas` (empty: every schema).
Statement columns_statement(const std::vector<std::string>& schemas);

// The streams of the configured database, only the `selected` ones when not empty.
std::vector<sluice::Stream> discover_streams(SnowflakeApi& api, const Settings& settings,
                                             const std::vector<sluice::StreamRef>& selected);

// The schema of namespace "DATABASE.SCHEMA"; throws sluice::Error(config)
// when it is not in the configured database.
std::string schema_of_namespace(const std::string& ns, const Settings& settings);

}  // namespace snowflake
