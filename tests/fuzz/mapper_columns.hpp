// The columns the record mapper's fuzz targets map into: one of every
// column type, then the metadata columns.
#pragma once

#include "host/target/column.hpp"

#include <vector>

inline const std::vector<sluice::host::ColumnDef>& every_type_columns() {
  using sluice::host::ColumnType;
  static const std::vector<sluice::host::ColumnDef> columns = [] {
    std::vector<sluice::host::ColumnDef> c{{"id", "id", ColumnType::integer},  {"amount", "amount", ColumnType::number},
                                           {"ok", "ok", ColumnType::boolean},  {"at", "at", ColumnType::timestamp},
                                           {"day", "day", ColumnType::date},   {"name", "name", ColumnType::text},
                                           {"doc", "doc", ColumnType::json}};
    for (const auto& m : sluice::host::metadata_columns()) c.push_back(m);
    return c;
  }();
  return columns;
}
