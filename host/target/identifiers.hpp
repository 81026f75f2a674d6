// Identifiers that come from sources (stream names, field names, sheet
// headers) are untrusted input. They are normalised by one documented rule
// (docs/targets.md#identifiers) and always quoted by the target's dialect;
// they are never pasted into SQL unquoted.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sluice::host {

// The normalisation rule, applied to a UTF-8 name:
//  1. ASCII letters are lower-cased; ASCII digits and non-ASCII characters
//     (valid UTF-8 sequences) are kept as they are;
//  2. every other byte (space, punctuation, quotes, control characters,
//     invalid UTF-8) becomes '_'; runs of '_' collapse into one and leading
//     or trailing '_' are dropped;
//  3. an empty result becomes "_"; a result starting with a digit gets a
//     leading '_' (so no source name can collide with the "_sluice_"
//     metadata columns, whose leading '_' rule 2 always strips);
//  4. a name longer than max_bytes is cut on a character boundary and ends
//     with '_' plus 8 hex digits of a hash of the original name, so two long
//     names stay distinct.
// Examples: "Amount (USD)" -> "amount_usd"; "select" -> "select";
// "\"; DROP TABLE t; --" -> "drop_table_t"; "Prénom" -> "prénom".
std::string normalize_identifier(std::string_view name, size_t max_bytes);

// Normalises a list of names in order and makes the results unique: a name
// equal to an earlier one (or to one of `reserved`) gets "_2", "_3", ...
std::vector<std::string> unique_identifiers(const std::vector<std::string>& names,
                                            const std::vector<std::string>& reserved,
                                            size_t max_bytes);

// `identifier` between two `quote` characters, each `quote` inside it
// doubled: the quoting rule of SQLite and PostgreSQL ('"') and MySQL ('`').
std::string quote_identifier(const std::string& identifier, char quote);

// A name built from normalised parts (a staging table "_sluice_tmp_" + name,
// an index name) made to fit an engine's limit the same way rule 4 does:
// returned unchanged when it fits, else cut with '_' + 8 hex digits of its
// hash. Engines must never truncate silently (PostgreSQL does, MySQL fails).
std::string fit_identifier(const std::string& name, size_t max_bytes);

}  // namespace sluice::host
