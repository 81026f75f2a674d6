#include "spec.hpp"

#include <sluice/support/endpoint.hpp>

#include <boost/json.hpp>

#include <string>

namespace snowflake {

const char* spec_json() {
  static const std::string text = [] {
    boost::json::value spec = boost::json::parse(kSpecBase);
    auto& properties = spec.at("config_schema").at("properties").as_object();
    for (auto& [name, schema] : sluice::support::endpoint_schema_properties(/*with_token_url=*/false, 10)) {
      properties[name] = schema;
    }
    properties["base_url"].as_object()["description"] =
        "Call this root instead of https://ACCOUNT.snowflakecomputing.com (a private-link host, a proxy or a test "
        "server); the SQL API is at {base_url}/api/v2. https:// required; plain http:// only for loopback hosts.";
    return boost::json::serialize(spec);
  }();
  return text.c_str();
}

}  // namespace snowflake
