// Rows as tab-separated text with backslash escapes and \N for NULL: the
// bulk-load format PostgreSQL's COPY (text) and MySQL's LOAD DATA share.
// Cells are encoded, never re-decided: a timestamp cell is written as its
// UTC instant, so both engines receive exactly the instants the mapper chose.
#pragma once

#include "host/target/column.hpp"
#include "host/target/row_batch.hpp"

#include <string>
#include <vector>

namespace sluice::host {

struct TsvDialect {
  const char* true_text;        // "t" (PostgreSQL) or "1" (MySQL)
  const char* false_text;
  const char* timestamp_zone;   // appended to "YYYY-MM-DD HH:MM:SS.ffffff": "+00" or ""
};

inline constexpr TsvDialect kPostgresTsv{"t", "f", "+00"};
inline constexpr TsvDialect kMysqlTsv{"1", "0", ""};

// Appends every row of `batch` to `out`, one line each.
void append_tsv_rows(std::string& out, const RowBatch& batch, const std::vector<ColumnDef>& columns,
                     const TsvDialect& dialect);

}  // namespace sluice::host
