// A1 notation for the ranges the connector asks for.
// https://developers.google.com/workspace/sheets/api/guides/concepts#cell
// A sheet title is single-quoted unless it is plain letters, digits and '_'
// that cannot be read as a cell (A1, AB12) or an R1C1 reference; a quote
// inside is doubled: 'Jon''s Data'!A1.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace gsheets {

std::string quoted_sheet_title(std::string_view title);

// The column letters of 1-based column `index`: 1 A, 26 Z, 27 AA, 703 AAA.
std::string column_letters(int64_t index);

// 'Title'!A{first}:{last column}{last}: rows first..last (1-based,
// inclusive) of columns 1..columns.
std::string row_range(std::string_view title, int64_t first, int64_t last, int64_t columns);

}  // namespace gsheets
