// sluice/sdk.hpp -- include this one header to write a connector: implement
// sluice::Connector (connector.hpp) and export it with SLUICE_PLUGIN, which
// does plugin.h's C side (a connector per session, exceptions to ABI errors,
// batches). tests/sdk builds and syncs this example:
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
//   VERSION, DOCS_URL  literals: the plugin's version ("1.0.0"), its documentation
//   NS         SLUICE_NAMESPACE_NONE or SLUICE_NAMESPACE_SOURCE_DEFINED
//   MODES      bitwise OR of the SLUICE_MODE_* its streams can serve
//   SPEC_JSON  expression convertible to std::string: {"config_schema": {...}}
#define SLUICE_PLUGIN(CLASS, NAME, VERSION, DOCS_URL, NS, MODES, SPEC_JSON) \
  SLUICE_DETAIL_PLUGIN(CLASS, NAME, VERSION, DOCS_URL, NS, MODES, SPEC_JSON)

#endif  // SLUICE_SDK_HPP_
