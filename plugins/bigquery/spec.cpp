#include "spec.hpp"

#include <sluice/support/endpoint.hpp>

#include <boost/json.hpp>

#include <string>

namespace bigquery {

const char* spec_json() {
  static const std::string text = [] {
    boost::json::value spec = boost::json::parse(kSpecBase);
    auto& properties = spec.at("config_schema").at("properties").as_object();
    for (auto& [name, schema] : sluice::support::endpoint_schema_properties(/*with_token_url=*/true, 8)) {
      properties[name] = schema;
    }
    return boost::json::serialize(spec);
  }();
  return text.c_str();
}

}  // namespace bigquery
