// Incremental reads of SQL sources by cursor (and primary key): the rows a
// read asks for and its checkpoint. Dialect neutral: the connector quotes,
// binds the parameters and renders ORDER BY itself.
#pragma once

#include <sluice/connector.hpp>

#include <functional>

namespace sluice::support {

// ORDER BY `order_by` (cursor, then key) ascending, bounded by `params`
// ("cursor", "key_1"...; none on a first run). With a unique key the bound is
// exclusive on (cursor, key...): no row twice, but a row written later at the
// checkpoint's cursor with a lower key is missed. Without a key it is
// cursor >= @cursor: rows at the checkpoint's cursor are read again.
struct KeysetParam { std::string name, column; boost::json::value value; };
struct KeysetRead { std::vector<std::string> order_by; std::vector<KeysetParam> params; };

// The read from stream.state: null or {}; a keyset_checkpoint; or cursor-only
// {"cursor_field", "cursor"} (older, or the key changed: inclusive). Other
// members are the connector's. Throws Error(config) for a missing or nested
// cursor or key, or a state for another cursor (saying how to reset it).
KeysetRead plan_keyset_read(const ConfiguredStream& stream);

// The WHERE condition, "" without params: `c >= @cursor`, with a key
// `c >= @cursor AND (c > @cursor OR k1 > @key_1 OR (k1 = @key_1 AND ...))`,
// via quote(column) and placeholder(param), called in order of appearance.
using SqlNamer = std::function<std::string(const std::string&)>;
std::string keyset_condition(const KeysetRead& read, const SqlNamer& quote, const SqlNamer& placeholder);

// The checkpoint after the row whose order_by values (as bound) are `last`:
// {"cursor_field","cursor","primary_key","key"}, cursor-only if a key is null,
// nullopt if the cursor is.
std::optional<boost::json::object> keyset_checkpoint(const KeysetRead& read,
                                                      const std::vector<boost::json::value>& last);

}  // namespace sluice::support
