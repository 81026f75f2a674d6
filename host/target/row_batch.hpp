// Typed rows ready for a target, built from a batch of records on the
// reading thread and written on the writer thread. Cells are flat and texts
// live in one arena string, so a batch costs a handful of allocations
// whatever its size.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::host {

// A value decided once by the record mapper; writers only encode it.
struct Cell {
  // timestamp: a UTC instant, microseconds since the epoch in `integer`
  // (support::Timestamp). Booleans are integers 0/1 in boolean columns.
  enum class Kind : uint8_t { null, integer, real, text, timestamp };
  Kind kind = Kind::null;
  int64_t integer = 0;
  double real = 0;
  uint32_t text_offset = 0;  // into RowBatch::arena
  uint32_t text_size = 0;
};

// Rows of one table, all with the same columns (stream columns followed by
// the metadata columns, see column.hpp). Row r's cell c is cells[r*width+c].
struct RowBatch {
  size_t width = 0;
  size_t rows = 0;
  std::vector<Cell> cells;
  std::string arena;

  std::string_view text(const Cell& cell) const {
    return std::string_view(arena).substr(cell.text_offset, cell.text_size);
  }
  const Cell& at(size_t row, size_t column) const { return cells[row * width + column]; }
};

}  // namespace sluice::host
