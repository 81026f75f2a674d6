// Column model shared by the sync engine and the targets: what a stream's
// JSON Schema turns into, and the metadata columns every table carries.
#pragma once

#include <boost/json.hpp>

#include <string>
#include <vector>

namespace sluice::host {

// Logical column types; each target maps them to its own SQL types.
enum class ColumnType { text, integer, number, boolean, timestamp, date, json };

const char* to_string(ColumnType type);

// The column type for one property schema: "integer", "number", "boolean",
// "string" (with "format": "date-time" / "date"), "object" / "array" (JSON).
// A type list with "null" uses the non-null member; several non-null types or
// no type at all give JSON.
ColumnType column_type_for(const boost::json::value& property_schema);

struct ColumnDef {
  std::string source_name;  // the field name in records ("" for metadata)
  std::string name;         // normalised, unique in its table
  ColumnType type = ColumnType::text;
};

// Metadata columns, appended after the stream's own columns in this order.
inline constexpr const char* kExtractedAtColumn = "_sluice_extracted_at";  // timestamp
inline constexpr const char* kSyncIdColumn = "_sluice_sync_id";            // text
inline constexpr const char* kExtraColumn = "_sluice_extra";    // JSON: fields not in the schema
inline constexpr const char* kUncastColumn = "_sluice_uncast";  // JSON: values that did not fit

std::vector<ColumnDef> metadata_columns();

struct TableRef {
  std::string ns;    // normalised namespace; "" = the target's default
  std::string name;  // normalised table name
  bool operator<(const TableRef& other) const {
    return ns != other.ns ? ns < other.ns : name < other.name;
  }
  bool operator==(const TableRef& other) const = default;
  std::string display() const { return ns.empty() ? name : ns + "." + name; }
};

}  // namespace sluice::host
