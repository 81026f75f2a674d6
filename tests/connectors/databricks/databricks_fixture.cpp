#include "databricks_fixture.hpp"

#include <fstream>
#include <sstream>

namespace databricks_test {

DatabricksFixture::DatabricksFixture() : db(dir.file("out.db")) {
  fake = std::make_unique<FakeDatabricks>(kCatalog, kToken);
  server = std::make_unique<sluice::testkit::FakeServer>([this](const FakeRequest& request) {
    FakeResponse response = fake->handle(request);
    std::lock_guard lock(exchanges_mutex_);
    exchanges_.push_back({request, response});
    return response;
  });
  // TLS like the real cloud storage, with a certificate of its own subject
  // and serial, so the one trust store (ca_file: both PEMs) tells which
  // verifies which.
  sluice::testkit::CertificateSpec storage_certificate;
  storage_certificate.common_name = "storage.sluice-test";
  storage_certificate.serial = 2;
  storage = std::make_unique<sluice::testkit::FakeServer>([this](const FakeRequest& r) { return fake->handle_storage(r); },
                                                          storage_certificate);
  fake->set_storage_base_url(storage->base_url());
  std::ifstream workspace_pem(server->ca_file()), storage_pem(storage->ca_file());
  std::ostringstream both;
  both << workspace_pem.rdbuf() << storage_pem.rdbuf();
  ca_file = dir.write("trusted.pem", both.str());
}

std::string DatabricksFixture::write_connection(const json::array& streams, const json::object& config_overrides) {
  json::object config{{"server_hostname", "dbc-a1b2c3d4-e5f6.cloud.databricks.com"},
                      {"http_path", std::string("/sql/1.0/warehouses/") + kWarehouseId},
                      {"catalog", kCatalog},
                      {"credentials", {{"auth_type", "personal_access_token"}, {"token", kToken}}},
                      {"base_url", server->base_url()},
                      {"ca_file", ca_file}};
  for (const auto& [name, value] : config_overrides) {
    if (value.is_null()) {
      config.erase(name);
    } else {
      config[name] = value;
    }
  }
  json::object connection{{"source", {{"plugin", "databricks"}, {"config", std::move(config)}}},
                          {"target", "sqlite://" + db}};
  if (!streams.empty()) connection["streams"] = streams;
  return dir.write("conn.json", json::serialize(connection));
}

std::vector<DatabricksFixture::Exchange> DatabricksFixture::exchanges() const {
  std::lock_guard lock(exchanges_mutex_);
  return exchanges_;
}

sluice::test::ProcessResult DatabricksFixture::sluice(const std::vector<std::string>& args) {
  sluice::test::ProcessOptions options;
  options.working_dir = dir.path().string();
  return sluice::test::run_sluice(args, options);
}

json::array DatabricksFixture::discover_streams() {
  auto result = sluice({"discover", connection_path()});
  if (result.exit_code != 0) throw std::runtime_error("discover failed: " + result.all());
  return json::parse(result.out).at("streams").as_array();
}

json::object stream_selection(const std::string& schema, const std::string& name, const std::string& mode,
                              const std::string& cursor, const std::string& key) {
  json::object selection{{"name", name}, {"namespace", std::string(kCatalog) + "." + schema}, {"mode", mode}};
  if (!cursor.empty()) selection["cursor_field"] = json::array{cursor};
  if (!key.empty()) selection["primary_key"] = json::array{json::array{key}};
  return selection;
}

}  // namespace databricks_test
