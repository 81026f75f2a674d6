// Reading members of BigQuery's REST resources (Table, Job, QueryResponse):
// the API omits empty members, so absence is normal, not an error.
#pragma once

#include <boost/json.hpp>

#include <string>

namespace bigquery {

// The string member `key` of `object`, or "" when it is absent or not a string.
inline std::string string_member(const boost::json::object& object, const char* key) {
  const auto* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

}  // namespace bigquery
