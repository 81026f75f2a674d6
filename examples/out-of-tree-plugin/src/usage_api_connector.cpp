// usage_api: a small REST connector, the out-of-tree example
// (docs/writing-a-connector.md walks through it).
//
// The API it reads (a usage-metering service; the fake is tests/fake_usage_api.cpp):
//   GET {base}/v1/usage_events?after=ID&limit=N
//       Authorization: Bearer <api_key>
//   -> {"data": [{"id": 1, "customer": "c-1", "metric": "api_calls",
//                 "quantity": 3, "ts": "2026-12-01T00:00:00Z"}, ...],
//       "has_more": true}
//   events in ascending id; `after` excludes that id.
// One stream, usage_events: incremental by id (the checkpoint is the last id
// of each page), deduplicated on id, or a full refresh.
#include <sluice/sdk.hpp>
#include <sluice/support/auth.hpp>
#include <sluice/support/endpoint.hpp>
#include <sluice/support/http_client.hpp>
#include <sluice/support/json_elements.hpp>

namespace usage_api {

namespace json = boost::json;
using namespace sluice::support;

std::string spec_json() {
  json::object properties{
      {"api_key", {{"type", "string"}, {"title", "API key"}, {"secret", true}, {"order", 0},
                   {"description", "A key from the service's settings page; sent as a bearer token."}}},
      {"page_size", {{"type", "integer"}, {"title", "Page size"}, {"minimum", 1}, {"maximum", 1000},
                     {"default", 100}, {"order", 1}, {"description", "Events per request."}}}};
  for (auto& field : endpoint_schema_properties(false, 10)) properties[field.key()] = field.value();
  json::object config_schema{{"type", "object"},
                             {"required", json::array{"api_key"}},
                             {"additionalProperties", false},
                             {"properties", properties}};
  return json::serialize(json::object{{"config_schema", config_schema}});
}

class UsageApiConnector : public sluice::Connector {
 public:
  UsageApiConnector(const sluice::Config& config, const sluice::Logger& log)
      : endpoint_(endpoint_from_config(config.json(), "https://api.usage.example.com")),
        page_size_(config.integer("page_size")),
        client_(options(endpoint_, log)) {
    client_.set_auth(bearer_token_auth(config.string("api_key")));
  }

  void check() override { client_.get_json(endpoint_.base_url + "/v1/usage_events?limit=1"); }

  std::vector<sluice::Stream> discover(const std::vector<sluice::StreamRef>&) override {
    sluice::Stream events;
    events.name = "usage_events";
    events.json_schema = json::parse(R"({"type": "object", "properties": {
        "id": {"type": "integer"}, "customer": {"type": "string"}, "metric": {"type": "string"},
        "quantity": {"type": "integer"}, "ts": {"type": "string", "format": "date-time"}}})").as_object();
    events.sync_modes = sluice::all_sync_modes();
    events.primary_key = {{"id"}};
    events.default_cursor_field = {"id"};
    events.source_defined_cursor = true;
    return {events};
  }

  void read(const sluice::ConfiguredStream& stream, sluice::ReadContext& ctx) override {
    int64_t after = 0;
    if (stream.incremental() && stream.state.is_object()) {
      if (const auto* saved = stream.state.as_object().if_contains("after"); saved && saved->is_int64()) {
        after = saved->as_int64();
      }
    }
    for (bool more = true; more;) {
      const std::string body = client_.get_json_text(endpoint_.base_url + "/v1/usage_events?after=" +
                                                     std::to_string(after) + "&limit=" + std::to_string(page_size_));
      int64_t last = after;
      for_each_element(body, "data", [&](std::string_view event) {
        // Records go to the host as the API sent them; only the id is read here.
        last = json::parse(event).at("id").to_number<int64_t>();
        ctx.emit_serialized(event);
      });
      const json::value has_more = json::parse(member_json(body, "has_more").value_or("false"));
      more = has_more.is_bool() && has_more.get_bool() && last > after;
      after = last;
      if (stream.incremental()) ctx.checkpoint(json::object{{"after", after}});
    }
  }

 private:
  static HttpOptions options(const Endpoint& endpoint, const sluice::Logger& log) {
    HttpOptions options = options_for(log);  // retries, backoff, cancel and logs wired to the host
    options.ca_file = endpoint.ca_file;
    return options;
  }

  Endpoint endpoint_;
  int64_t page_size_;
  HttpClient client_;
};

}  // namespace usage_api

SLUICE_PLUGIN(usage_api::UsageApiConnector, "usage_api", "1.0.0", "https://example.com/usage-api",
              SLUICE_NAMESPACE_NONE,
              SLUICE_MODE_FULL_REFRESH_OVERWRITE | SLUICE_MODE_FULL_REFRESH_APPEND | SLUICE_MODE_INCREMENTAL_APPEND |
                  SLUICE_MODE_INCREMENTAL_APPEND_DEDUP,
              usage_api::spec_json())
