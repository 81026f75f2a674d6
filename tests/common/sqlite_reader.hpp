// Reads a SQLite database the way a user would, independently of the code
// under test: straight through the sqlite3 C API.
#pragma once

#include <string>
#include <vector>

namespace sluice::test {

using Rows = std::vector<std::vector<std::string>>;

// Every row of `sql`, each value as text; SQL NULL reads as "NULL". Throws
// std::runtime_error on any SQLite error.
Rows sqlite_rows(const std::string& db_path, const std::string& sql);
// The single value of a one-row, one-column query.
std::string sqlite_value(const std::string& db_path, const std::string& sql);
// Whether a table of that exact name exists.
bool sqlite_has_table(const std::string& db_path, const std::string& table);

}  // namespace sluice::test
