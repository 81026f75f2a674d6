// The values of a query's :name parameters (`sluice query --param`, the
// daemon's "parameters"), typed and checked before anything reaches the
// source, then put in the bind order the statement's dialect needs
// (statement_parameters.hpp).
//   --param day=2026-11-30                 a string
//   --param day:date=2026-11-30            typed: string, integer, number,
//                                          boolean, date, timestamp
// A value that is not of its type, an unknown type, a name given twice, a
// parameter the statement does not use and one it uses but was not given
// are usage errors (HostError, Failure::usage) with one line naming it.
#pragma once

#include "host/query/statement_parameters.hpp"

#include <boost/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace sluice::host {

struct QueryParameterValue {
  std::string name;
  std::string type;          // string, integer, number, boolean, date, timestamp
  boost::json::value value;  // int64, double, bool, or text (a timestamp in UTC: 2026-11-30T00:00:00.000000Z)
};

// One "name[:type]=value" argument.
QueryParameterValue parse_query_parameter(std::string_view argument);

// `value`, a JSON value given for `name` with `type` (the daemon's form):
// the same checks and normal form as parse_query_parameter.
QueryParameterValue typed_query_parameter(const std::string& name, const std::string& type,
                                          const boost::json::value& value);

// The request's "parameters" array (plugin.h): one {"name", "type",
// "value"} per entry of statement.order.
boost::json::array parameters_in_bind_order(const BoundStatement& statement,
                                            const std::vector<QueryParameterValue>& given);

}  // namespace sluice::host
