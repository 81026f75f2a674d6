#include "spec.hpp"

#include <sluice/support/endpoint.hpp>

#include <boost/json.hpp>

#include <string>

namespace databricks {

const char* spec_json() {
  static const std::string text = [] {
    boost::json::value spec = boost::json::parse(kSpecBase);
    auto& properties = spec.at("config_schema").at("properties").as_object();
    for (auto& [name, schema] : sluice::support::endpoint_schema_properties(/*with_token_url=*/false, 9)) {
      properties[name] = schema;
    }
    properties["base_url"].as_object()["description"] =
        "Call this root instead of https://SERVER_HOSTNAME:PORT (a proxy or a test server); the APIs are at "
        "{base_url}/api/2.0/sql and {base_url}/api/2.1/unity-catalog, the OAuth token at {base_url}/oidc/v1/token. "
        "https:// required; plain http:// only for loopback hosts.";
    return boost::json::serialize(spec);
  }();
  return text.c_str();
}

}  // namespace databricks
