// The fake's own reading of A1 notation (written from Google's guide, apart
// from the connector's writer, so the two check each other):
// https://developers.google.com/workspace/sheets/api/guides/concepts#cell
//   Sheet1!A1:B2, Sheet1!A:A, Sheet1!1:2, Sheet1!A5:A, Sheet1 (the whole
//   sheet), A1:B2 (the first visible sheet), 'My Custom Sheet'!A:A,
//   'Jon''s Data'!A1 (a quote in a title is doubled).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace gsheets_fake {

struct A1Range {
  std::string sheet;       // the title, unquoted; "" when the range named none
  bool whole_sheet = false;
  // 1-based, inclusive; 0 for an open end (A:A has no rows, 1:2 no columns).
  int64_t first_row = 0, last_row = 0, first_column = 0, last_column = 0;
};

// nullopt when `text` is not A1 notation (Google: 400 "Unable to parse range").
// `is_sheet` says whether a bare text is a sheet's title.
std::optional<A1Range> parse_a1(const std::string& text, bool (*is_sheet)(const std::string&, const void*),
                                const void* context);

std::string column_name(int64_t column);  // 1 -> A, 27 -> AA
// 'Title' quoted when it needs it, as Google echoes ranges.
std::string echo_title(const std::string& title);

}  // namespace gsheets_fake
