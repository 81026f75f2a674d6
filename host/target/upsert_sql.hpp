// The INSERT and upsert fragments every write uses, from the dialect's
// UpsertStyle: data rows (with "newest cursor wins") and metadata rows alike.
#pragma once

#include "host/target/dialect.hpp"

#include <string>
#include <vector>

namespace sluice::host {

// "INSERT INTO <table> AS t (<columns>)": the live table is "t" where the
// dialect allows an alias (the cursor condition reads it).
std::string insert_head(const Dialect& dialect, const std::string& qualified_table,
                        const std::string& column_list);

// The clause that turns the insert into an upsert on `key_list`, setting
// every column of `columns` (quoted). With a `cursor` (quoted), the incoming
// row wins only if its cursor is at least the stored one (ties: the later
// row) and a NULL cursor never beats a known one.
std::string upsert_tail(const Dialect& dialect, const std::string& key_list, const std::vector<std::string>& columns,
                        const std::string& cursor = "");

// The clause that makes an insert skip each row whose key (`key_list`) is
// stored already, keeping the stored row untouched: the first write of a
// key wins forever (push ingestion's idempotency keys). ON CONFLICT (key)
// DO NOTHING (SQLite, PostgreSQL), or ON DUPLICATE KEY UPDATE k = k on
// MySQL/MariaDB: a no-op there, where INSERT IGNORE would also turn other
// errors (a value out of range, a NOT NULL) into silent warnings. With
// `first_key` the first quoted key column.
std::string keep_existing_tail(const Dialect& dialect, const std::string& key_list, const std::string& first_key);

// Quoted names joined with ", ".
std::string quoted_list(const Dialect& dialect, const std::vector<std::string>& names);

}  // namespace sluice::host
