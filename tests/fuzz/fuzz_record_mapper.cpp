// Fuzz target: a plugin's NDJSON batch through the record mapper, with a
// column of every type. BadRecord is the documented refusal of a batch; any
// other exception or crash is a finding.
#include "host/sync/record_mapper.hpp"
#include "tests/fuzz/mapper_columns.hpp"

#include <cstddef>
#include <cstdint>

using namespace sluice::host;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::vector<ColumnDef>& columns = every_type_columns();
  RecordMapper mapper(columns, "2026-12-01T00:00:00Z-00000000");
  try {
    RowBatch batch = mapper.map(std::string_view(reinterpret_cast<const char*>(data), size),
                                "2026-12-01T00:00:00.000000Z");
    // Every text cell must lie inside the arena.
    for (const Cell& cell : batch.cells) {
      if (cell.kind == Cell::Kind::text && size_t{cell.text_offset} + cell.text_size > batch.arena.size()) {
        __builtin_trap();
      }
    }
  } catch (const BadRecord&) {
  }
  return 0;
}
