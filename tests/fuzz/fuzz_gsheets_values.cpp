// Fuzz target: Sheets values.batchGet answers through the connector's values
// decoder, with a fixed column of every type (and the cursor on each in
// turn). The documented refusal is sluice::Error; anything else (a crash, an
// overflow, a record that is not a JSON object) is a finding.
// https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets.values/batchGet
#include "values_decoder.hpp"

#include <sluice/error.hpp>

#include <cstddef>
#include <cstdint>
#include <stdexcept>

namespace json = boost::json;

namespace {

const std::vector<gsheets::Column>& columns() {
  using gsheets::ColumnType;
  static const std::vector<gsheets::Column> all{{"s", ColumnType::string},  {"n", ColumnType::number},
                                                {"i", ColumnType::integer}, {"b", ColumnType::boolean},
                                                {"d", ColumnType::date},    {"t", ColumnType::time},
                                                {"dt", ColumnType::date_time}};
  return all;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  const int cursor = size == 0 ? -1 : static_cast<int>(data[0] % 8) - 1;
  gsheets::DecodedRows rows;
  try {
    gsheets::decode_value_range(body, columns(), cursor, 2, 100'000, "values.batchGet of fuzz", rows);
  } catch (const sluice::Error&) {
    if (!rows.ends.empty()) throw std::logic_error("a refused answer left records behind");
    return 0;
  }
  for (size_t i = 0; i < rows.ends.size(); ++i) {
    json::error_code ec;
    const json::value record = json::parse(rows.record(i), ec);
    if (ec || !record.is_object() || record.as_object().size() != columns().size()) {
      throw std::logic_error("a decoded record is not a JSON object of every column");
    }
  }
  if (cursor >= 0 && rows.cursors.size() != rows.ends.size()) throw std::logic_error("a record without its cursor");
  return 0;
}
