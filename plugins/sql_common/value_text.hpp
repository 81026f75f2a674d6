// The text of record values that SQL servers send in forms JSON cannot hold
// as is: binary strings (as base64), JSON documents with layout whitespace
// (records are one line each) and text that is not UTF-8; and the checks of
// number text that decide whether a value is written as a JSON number.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sql_common {

// Appends `bytes` as standard base64 with padding (RFC 4648, section 4).
void append_base64(std::string& out, std::string_view bytes);

// Appends the bytes of PostgreSQL's hex form of a binary string ("\x48656c")
// as base64; false (nothing appended) when `hex` is not that form.
bool append_base64_of_hex(std::string& out, std::string_view hex);

// Appends `text` as a JSON string. Text a server sends is UTF-8, except
// from a database that stores bytes unchecked (PostgreSQL's SQL_ASCII): each
// byte that does not start a valid UTF-8 sequence (RFC 3629) becomes U+FFFD,
// so the record stays JSON (the connector docs say so).
void append_text(std::string& out, std::string_view text);

// Appends the JSON text `json` without the whitespace between tokens (the
// insides of strings are kept byte for byte). The text must be valid JSON:
// the server checked it.
void append_compact_json(std::string& out, std::string_view json);

// One or more ASCII digits, nothing else.
bool all_digits(std::string_view text);

// RFC 8259's number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
bool is_json_number(std::string_view text);

// A number within a double's range (1e400 is a JSON number no parser keeps).
bool is_finite(std::string_view text);

}  // namespace sql_common
