// Partial responses for the fake: the `fields` system parameter, applied
// as Google documents it (a comma list of paths, a/b or a.b for a member of
// a member, a(b,c) for several members of one):
// https://developers.google.com/workspace/sheets/api/guides/field-masks
// https://cloud.google.com/apis/docs/system-parameters
#pragma once

#include <boost/json.hpp>

#include <map>
#include <optional>
#include <string>

namespace gsheets_fake {

struct FieldMask {
  std::map<std::string, FieldMask> members;  // empty: the whole value
};

// nullopt for a mask that does not parse (Google: 400 INVALID_ARGUMENT).
std::optional<FieldMask> parse_field_mask(const std::string& text);

// `value` with only the masked members (arrays: each element masked).
boost::json::value apply_field_mask(const boost::json::value& value, const FieldMask& mask);

}  // namespace gsheets_fake
