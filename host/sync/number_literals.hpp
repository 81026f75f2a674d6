// JSON number literals that a double would change (a 40-digit integer,
// 1e400, 1e-400, 0.12345678901234567890). Boost.JSON 1.81 parses every
// number that is not a 64-bit integer into a double, so such a literal is
// marked before parsing, as a string only this module produces, and
// restored to its exact digits wherever the record's JSON is written out:
// the value is never rounded on its way to _sluice_uncast, _sluice_extra or
// a JSON column.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sluice::host {

// Whether a number literal outside strings in `line` would not survive a
// parse into int64, uint64 or double exactly. Cheap: literals of up to 15
// digits without an exponent are exact and skipped at once.
bool has_inexact_number(std::string_view line);

// `line` with each inexact literal L turned into the JSON string "\u001f#L".
std::string mark_inexact_numbers(std::string_view line);

// The literal inside a parsed marked string, or nullopt for any other text.
std::optional<std::string_view> marked_number(std::string_view text);

// Turns every serialized marked string ("\u001f#L" with its quotes) inside
// `json_text` back into the bare literal L.
void unmark_numbers(std::string& json_text);

}  // namespace sluice::host
