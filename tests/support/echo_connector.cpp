// A small connector built on the support library, used end to end through
// the sluice CLI against a FakeServer: client-credentials auth, a paginated
// listing whose records go to the host as the API sent them (get_json_text +
// for_each_element + emit_serialized), retries, the shared endpoint fields. It is the smallest complete example of an HTTP connector.
//
// The API it reads (the fake in support_e2e_test.cpp):
//   POST {base}/oauth/token            client credentials -> access_token
//   GET  {base}/items?page=N&per_page=M -> {"items":[{"id":..,"name":..}], "total": T}
#include <sluice/sdk.hpp>
#include <sluice/support/auth.hpp>
#include <sluice/support/endpoint.hpp>
#include <sluice/support/http_client.hpp>
#include <sluice/support/json_elements.hpp>
#include <sluice/support/pagination.hpp>

namespace echo {

namespace json = boost::json;
using namespace sluice::support;

std::string spec_json() {
  json::object properties{
      {"client_id", {{"type", "string"}, {"title", "Client ID"}, {"order", 0}}},
      {"client_secret", {{"type", "string"}, {"title", "Client secret"}, {"secret", true}, {"order", 1}}},
      {"page_size", {{"type", "integer"}, {"minimum", 1}, {"maximum", 100}, {"default", 10}, {"order", 2}}}};
  for (auto& field : endpoint_schema_properties(false, 10)) properties[field.key()] = field.value();
  json::object config_schema{{"type", "object"},
                             {"required", json::array{"client_id", "client_secret"}},
                             {"additionalProperties", false},
                             {"properties", properties}};
  return json::serialize(json::object{{"config_schema", config_schema}});
}

class EchoConnector : public sluice::Connector {
 public:
  EchoConnector(const sluice::Config& config, const sluice::Logger& log)
      : endpoint_(endpoint_from_config(config.json(), "https://api.example.com")),
        page_size_(static_cast<size_t>(config.integer("page_size"))),
        client_(connect(config, endpoint_, log)) {}

  void check() override { client_->get_json(endpoint_.base_url + "/items?page=0&per_page=1"); }

  std::vector<sluice::Stream> discover(const std::vector<sluice::StreamRef>&) override {
    sluice::Stream items;
    items.name = "items";
    items.json_schema = {{"type", "object"},
                         {"properties", {{"id", {{"type", "integer"}}}, {"name", {{"type", "string"}}}}}};
    items.primary_key = {{"id"}};
    return {items};
  }

  void read(const sluice::ConfiguredStream&, sluice::ReadContext& ctx) override {
    for_each_page(page_size_, [&](size_t page) {
      const std::string body = client_->get_json_text(endpoint_.base_url + "/items?page=" + std::to_string(page) +
                                                      "&per_page=" + std::to_string(page_size_));
      return Page{for_each_element(body, "items", [&](std::string_view item) { ctx.emit_serialized(item); }),
                  std::nullopt};
    });
  }

 private:
  static std::unique_ptr<HttpClient> connect(const sluice::Config& config, const Endpoint& endpoint,
                                             const sluice::Logger& log) {
    HttpOptions options = options_for(log);
    options.ca_file = endpoint.ca_file;
    options.retry.initial_backoff = std::chrono::milliseconds(20);
    auto client = std::make_unique<HttpClient>(std::move(options));
    client->set_auth(client_credentials_auth(
        endpoint.base_url + "/oauth/token", config.string("client_id"), config.string("client_secret"),
        endpoint.base_url + "/"));
    return client;
  }

  Endpoint endpoint_;
  size_t page_size_;
  std::unique_ptr<HttpClient> client_;
};

}  // namespace echo

SLUICE_PLUGIN(echo::EchoConnector, "support_echo", "1.0.0", "https://example.com/echo", SLUICE_NAMESPACE_NONE,
              SLUICE_MODE_FULL_REFRESH_OVERWRITE | SLUICE_MODE_FULL_REFRESH_APPEND, echo::spec_json())
