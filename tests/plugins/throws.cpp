// A C++ plugin whose every call throws: the SDK's trampolines must turn each
// exception, standard or not, into an error the host reports.
#include <sluice/sdk.hpp>

#include <stdexcept>

namespace {

class ThrowingConnector : public sluice::Connector {
 public:
  ThrowingConnector(const sluice::Config&, const sluice::Logger&) {}
  void check() override { throw std::runtime_error("boom from plugin"); }
  std::vector<sluice::Stream> discover(const std::vector<sluice::StreamRef>&) override {
    throw std::runtime_error("boom from plugin");
  }
  void read(const sluice::ConfiguredStream&, sluice::ReadContext&) override {
    throw 42;  // not even a std::exception
  }
};

}  // namespace

SLUICE_PLUGIN(ThrowingConnector, "throws", "0.0.1", "", SLUICE_NAMESPACE_NONE, SLUICE_MODE_FULL_REFRESH_OVERWRITE,
              R"({"config_schema": {"type": "object"}})")
