// Fuzz target, differential: a typed record batch (ABI 1.4) built from the
// input must become, cell for cell, the rows its NDJSON meaning becomes
// (plugin.h: a batch means the NDJSON of one JSON object per record), or
// both must be refused. Batches that break the layout contract are refused
// by copy_record_batch first, as the host does; JSON cells must each be
// one JSON document (otherwise their text could splice extra members into
// the NDJSON, which is the plugin's bug, not a meaning); DOUBLE cells must
// hold values Boost.JSON 1.81 reads back exactly (boost_reads_back).
//
// Input: byte 0 picks the number of fields (1-4) and which of eight names
// (seven columns, one of each type, and one unknown field); then cells, each
// a kind byte and its value: 8 bytes (INT64, DOUBLE, TIMESTAMP), 1 (BOOL),
// or a length byte and that many bytes (STRING, JSON).
#include "host/plugin/plugin_error.hpp"
#include "host/plugin/record_batch.hpp"
#include "host/sync/record_mapper.hpp"
#include "tests/fuzz/mapper_columns.hpp"

#include <boost/json.hpp>

#include <cstddef>
#include <cstdint>
#include <cmath>
#include <cstring>
#include <string>
#include <cstdio>

using namespace sluice::host;

namespace {

struct Mapped {
  bool refused = false;
  RowBatch batch;
};

template <typename Map>
Mapped map_or_refuse(Map&& map) {
  Mapped out;
  try {
    out.batch = map();
  } catch (const BadRecord&) {
    out.refused = true;
  }
  return out;
}

bool same_cell(const RowBatch& a, const Cell& x, const RowBatch& b, const Cell& y) {
  if (x.kind != y.kind) return false;
  switch (x.kind) {
    case Cell::Kind::null: return true;
    case Cell::Kind::integer:
    case Cell::Kind::timestamp: return x.integer == y.integer;
    case Cell::Kind::real: return std::memcmp(&x.real, &y.real, sizeof x.real) == 0;
    case Cell::Kind::text: return a.text(x) == b.text(y);
  }
  return false;
}

// Boost.JSON 1.81 reads some literals one unit in the last place off
// (1.2368893018390183e-142 as ...185e-142, -7706481310892348.0 as
// ...349.0; its exact number parsing came in 1.83), so the NDJSON form of
// such a double means another value.
// The typed cell keeps the exact double; those inputs are not compared.
bool boost_reads_back(double value) {
  RecordBatchCopy one;  // the cell's NDJSON exactly as a batch writes it
  one.fields = {"v"};
  sluice_cell cell{};
  cell.kind = SLUICE_CELL_DOUBLE;
  cell.value.real = value;
  one.cells = {cell};
  one.records = 1;
  boost::json::error_code ec;
  const boost::json::value parsed = boost::json::parse(records_as_ndjson(one), ec);
  return !ec && parsed.at("v").to_number<double>() == value;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::vector<ColumnDef>& columns = every_type_columns();
  static const char* const kNames[] = {"id", "amount", "ok", "at", "day", "name", "doc", "unknown"};
  if (size < 1) return 0;
  const size_t width = (data[0] & 3) + 1;
  const size_t first = (data[0] >> 2) & 7;
  std::vector<sluice_str> names;
  for (size_t f = 0; f < width; ++f) {
    const char* name = kNames[(first + f) % 8];
    names.push_back({name, std::strlen(name)});
  }
  std::vector<sluice_cell> cells;
  std::string text;
  size_t at = 1;
  auto take = [&](size_t n) -> const uint8_t* {
    if (at + n > size) return nullptr;
    const uint8_t* p = data + at;
    at += n;
    return p;
  };
  while (at < size) {
    sluice_cell cell{};
    cell.kind = *take(1) % 7;
    if (cell.kind == SLUICE_CELL_INT64 || cell.kind == SLUICE_CELL_DOUBLE || cell.kind == SLUICE_CELL_TIMESTAMP) {
      const uint8_t* p = take(8);
      if (!p) break;
      std::memcpy(&cell.value.integer, p, 8);
      if (cell.kind == SLUICE_CELL_DOUBLE && std::isfinite(cell.value.real) && !boost_reads_back(cell.value.real)) {
        return 0;  // the NDJSON side would hold another double (below)
      }
    } else if (cell.kind == SLUICE_CELL_BOOL) {
      const uint8_t* p = take(1);
      if (!p) break;
      cell.value.integer = *p & 1;
    } else if (cell.kind == SLUICE_CELL_STRING || cell.kind == SLUICE_CELL_JSON) {
      const uint8_t* n = take(1);
      const uint8_t* p = n ? take(*n) : nullptr;
      if (!p) break;
      if (cell.kind == SLUICE_CELL_JSON) {
        boost::json::error_code ec;
        boost::json::parse(std::string_view(reinterpret_cast<const char*>(p), *n), ec);
        if (ec) cell.kind = SLUICE_CELL_STRING;  // not one document: kept as a string
      }
      cell.value.offset = text.size();
      cell.size = *n;
      text.append(reinterpret_cast<const char*>(p), *n);
    }
    cells.push_back(cell);
  }
  sluice_record_batch view{};
  view.struct_size = sizeof(view);
  view.field_count = static_cast<uint32_t>(width);
  view.fields = names.data();
  view.record_count = cells.size() / width;
  view.cells = cells.data();
  view.text = {text.data(), text.size()};
  RecordBatchCopy copy;
  try {
    copy = copy_record_batch(&view);
  } catch (const PluginError&) {
    return 0;  // a layout the host refuses before reading it
  }
  RecordMapper from_cells(columns, "2026-12-01T00:00:00Z-00000000");
  RecordMapper from_text(columns, "2026-12-01T00:00:00Z-00000000");
  const Mapped typed = map_or_refuse([&] { return from_cells.map_cells(copy, "2026-12-01T00:00:00.000000Z"); });
  const Mapped ndjson =
      map_or_refuse([&] { return from_text.map(records_as_ndjson(copy), "2026-12-01T00:00:00.000000Z"); });
  if (typed.refused != ndjson.refused) { fprintf(stderr,"refused %d %d\n%s\n",typed.refused,ndjson.refused,records_as_ndjson(copy).c_str()); __builtin_trap(); }
  if (typed.refused) return 0;
  if (typed.batch.rows != ndjson.batch.rows || typed.batch.width != ndjson.batch.width) __builtin_trap();
  for (size_t r = 0; r < typed.batch.rows; ++r) {
    for (size_t c = 0; c < typed.batch.width; ++c) {
      if (!same_cell(typed.batch, typed.batch.at(r, c), ndjson.batch, ndjson.batch.at(r, c))) { fprintf(stderr,"cell %zu %zu kinds %d %d\n",r,c,(int)typed.batch.at(r,c).kind,(int)ndjson.batch.at(r,c).kind); if (typed.batch.at(r,c).kind==Cell::Kind::text) fprintf(stderr,"[%s] [%s]\n", std::string(typed.batch.text(typed.batch.at(r,c))).c_str(), std::string(ndjson.batch.text(ndjson.batch.at(r,c))).c_str()); __builtin_trap(); }
    }
  }
  if (from_cells.uncast_fields() != from_text.uncast_fields()) { fprintf(stderr,"uncast counts\n"); __builtin_trap(); }
  return 0;
}
