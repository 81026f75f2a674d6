// Column names from a header row's text. The rule (documented in
// docs/connectors/gsheets.md, "Column names"):
//  - header: the text trimmed, each run of whitespace or control characters
//    as one space, cut to 100 bytes (never inside a UTF-8 character);
//    snake_case: also lower case, each run of characters other than letters
//    and digits as one '_', no '_' at either end;
//  - an empty result, or one starting with _sluice (the host's own
//    columns), is column_N, N the column's 1-based position;
//  - a name equal to an earlier one, ignoring ASCII case (targets compare
//    identifiers so), gets _2, _3... (the first free suffix).
// The text is data: quoting for SQL is the target's job, never done here.
#pragma once

#include <string>
#include <vector>

namespace gsheets {

enum class NameRule { header, snake_case };

// One name per position of `headers` (width entries; missing cells are empty).
std::vector<std::string> column_names(const std::vector<std::string>& headers, size_t width, NameRule rule);

}  // namespace gsheets
