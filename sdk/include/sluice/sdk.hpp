// sluice/sdk.hpp -- include this one header to write a connector.
//
// Implement sluice::Connector (connector.hpp), describe the config schema
// as JSON, and export the class once with SLUICE_PLUGIN. The SDK does the
// C side of plugin.h: one connector object per session, exceptions turned
// into ABI errors, records batched. This example is compiled by
// tests/sdk/usage_example_test.cpp:
//
//   class MyConnector : public sluice::Connector {
//    public:
//     MyConnector(const sluice::Config& config, const sluice::Logger& log)
//         : token_(config.string("token")), log_(log) {}
//     void check() override { log_.info("nothing to reach"); }
//     std::vector<sluice::Stream> discover(const std::vector<sluice::StreamRef>&) override {
//       sluice::Stream items;
//       items.name = "items";
//       items.json_schema = {{"type", "object"}, {"properties", {{"id", {{"type", "integer"}}}}}};
//       items.primary_key = {{"id"}};
//       return {items};
//     }
//     void read(const sluice::ConfiguredStream&, sluice::ReadContext& ctx) override {
//       ctx.emit_serialized(R"({"id": 1})");
//       ctx.flush();
//     }
//    private:
//     std::string token_;
//     const sluice::Logger& log_;
//   };
//   SLUICE_PLUGIN(MyConnector, "my_source", "1.0.0", "https://example.com/docs", SLUICE_NAMESPACE_NONE,
//                 SLUICE_MODE_FULL_REFRESH_OVERWRITE | SLUICE_MODE_FULL_REFRESH_APPEND,
//                 R"({"config_schema": {"type": "object", "required": ["token"],
//                     "properties": {"token": {"type": "string", "secret": true}}}})")
#ifndef SLUICE_SDK_HPP_
#define SLUICE_SDK_HPP_

#include <sluice/connector.hpp>
#include <sluice/detail/glue.hpp>

// Exports CLASS as the plugin. Use once, in one .cpp file.
//   CLASS      a sluice::Connector with a (const Config&, const Logger&) constructor
//   NAME       plugin name literal, [a-z0-9_]+; the file must be sluice-NAME.so
//   VERSION    the plugin's version literal ("1.0.0")
//   DOCS_URL   documentation URL literal
//   NS         SLUICE_NAMESPACE_NONE or SLUICE_NAMESPACE_SOURCE_DEFINED
//   MODES      bitwise OR of the SLUICE_MODE_* its streams can serve
//   SPEC_JSON  expression convertible to std::string: {"config_schema": {...}}
#define SLUICE_PLUGIN(CLASS, NAME, VERSION, DOCS_URL, NS, MODES, SPEC_JSON) \
  SLUICE_DETAIL_PLUGIN(CLASS, NAME, VERSION, DOCS_URL, NS, MODES, SPEC_JSON)

#endif  // SLUICE_SDK_HPP_
