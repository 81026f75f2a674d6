// `sluice test-plugin`'s discover check beyond what a sync's catalog lint
// refuses (sync/catalog_lint.hpp): does each stream's declaration hang
// together? Modes offered, cursor and key are promises the sync engine
// relies on; a cursor or key the schema does not declare fails only once an
// operator picks that mode. (A stream may offer incremental reads without a
// default cursor, or dedup without a key: the operator then names them.)
#pragma once

#include <boost/json.hpp>

#include <string>
#include <vector>

namespace sluice::host {

// One line per problem, in catalog order, each naming the stream and ending
// in "; fix: ..." (empty when every stream is consistent):
//  - it offers no sync mode;
//  - its cursor or a key field is not a property of its json_schema (each
//    part of the path, as far as the schema declares "properties");
//  - source_defined_cursor without a cursor, source_defined_primary_key
//    without a key.
// `catalog` passed lint_catalog (names, schemas and mode names are valid).
std::vector<std::string> catalog_consistency_problems(const boost::json::object& catalog);

}  // namespace sluice::host
