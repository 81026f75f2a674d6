#include "host/config/schema_validator.hpp"
#include "host/serve/routes.hpp"

namespace sluice::host::serve {

void add_plugin_routes(Router& router, Daemon& daemon) {
  router.add("GET", "/v1/plugins", Role::viewer,
             [&daemon](const ApiRequest&) { return ApiResponse::json(200, daemon.plugins().list()); });
  router.add("GET", "/v1/plugins/{name}", Role::viewer, [&daemon](const ApiRequest& request) {
    return ApiResponse::json(200, daemon.plugins().spec(request.params[0]));
  });
  // Like Kafka Connect's PUT /connector-plugins/{name}/config/validate: the
  // answer is 200 whether or not the config is valid, listing each problem
  // with the JSON path of its field ("config.auth.domain").
  router.add("PUT", "/v1/plugins/{name}/config/validate", Role::viewer, [&daemon](const ApiRequest& request) {
    const boost::json::object config = request.json_body();
    const boost::json::object schema = daemon.plugins().schema(request.params[0]);
    boost::json::array errors;
    for (const auto& line : validate_config(schema, config, "config")) {
      FieldError e = field_error(line);
      errors.push_back(boost::json::object{{"path", e.path}, {"message", e.message}});
    }
    const bool valid = errors.empty();
    return ApiResponse::json(200, boost::json::object{{"plugin", request.params[0]}, {"valid", valid},
                                                      {"errors", std::move(errors)}});
  });
}

}  // namespace sluice::host::serve
