#include "bigquery_fixture.hpp"

namespace bigquery_test {

BigQueryFixture::BigQueryFixture() : db(dir.file("out.db")) {
  const auto key = sluice::testkit::generate_rsa_key();
  private_key_pem = key.private_pem;
  fake = std::make_unique<FakeBigQuery>(kProject, kServiceAccount, key.public_pem);
  server = std::make_unique<sluice::testkit::FakeServer>([this](const FakeRequest& request) {
    FakeResponse response = fake->handle(request);
    if (!keep_exchanges) return response;
    std::lock_guard lock(exchanges_mutex_);
    exchanges_.push_back({request, response});
    return response;
  });
  fake->set_token_url(server->base_url() + "/token");
  key_json = sluice::testkit::service_account_json(kServiceAccount, key, server->base_url() + "/token", kProject);
}

BigQueryFixture::~BigQueryFixture() {
  server.reset();
  std::lock_guard lock(exchanges_mutex_);
  exchanges_.clear();
}

std::string BigQueryFixture::write_connection(const json::array& streams, const json::object& config_overrides) {
  const std::string key_path = dir.write("key.json", key_json);
  json::object config{{"project_id", kProject},
                      {"credentials_json", {{"$file", key_path}}},
                      {"base_url", server->base_url()},
                      {"ca_file", server->ca_file()}};
  for (const auto& [name, value] : config_overrides) config[name] = value;
  json::object connection{{"source", {{"plugin", "bigquery"}, {"config", std::move(config)}}},
                          {"target", "sqlite://" + db}};
  if (!streams.empty()) connection["streams"] = streams;
  return dir.write("conn.json", json::serialize(connection));
}

sluice::test::ProcessResult BigQueryFixture::sluice(const std::vector<std::string>& args) {
  sluice::test::ProcessOptions options;
  options.working_dir = dir.path().string();
  return sluice::test::run_sluice(args, options);
}

std::vector<BigQueryFixture::Exchange> BigQueryFixture::exchanges() const {
  std::lock_guard lock(exchanges_mutex_);
  return exchanges_;
}

size_t BigQueryFixture::requests_to(const std::string& method, const std::string& path) const {
  size_t count = 0;
  for (const auto& request : server->requests()) count += request.method == method && request.path == path;
  return count;
}

json::array BigQueryFixture::discover_streams() {
  auto result = sluice({"discover", connection_path()});
  if (result.exit_code != 0) throw std::runtime_error("discover failed: " + result.all());
  return json::parse(result.out).at("streams").as_array();
}

json::object stream_selection(const std::string& ns, const std::string& name, const std::string& mode,
                              const std::string& cursor, const std::string& key) {
  json::object selection{{"name", name}, {"namespace", ns}, {"mode", mode}};
  if (!cursor.empty()) selection["cursor_field"] = json::array{cursor};
  if (!key.empty()) selection["primary_key"] = json::array{json::array{key}};
  return selection;
}

}  // namespace bigquery_test
