#include "snowflake_fixture.hpp"

namespace snowflake_test {

SnowflakeFixture::SnowflakeFixture() : db(dir.file("out.db")), key(sluice::testkit::generate_rsa_key()) {
  fake = std::make_unique<FakeSnowflake>(kAccount, kUser, key.public_pem, kDatabase);
  server = std::make_unique<sluice::testkit::FakeServer>([this](const FakeRequest& request) {
    FakeResponse response = fake->handle(request);
    std::lock_guard lock(exchanges_mutex_);
    exchanges_.push_back({request, response});
    return response;
  });
}

std::string SnowflakeFixture::write_connection(const json::array& streams, const json::object& config_overrides) {
  const std::string key_path = dir.write("rsa_key.p8", key.private_pem);
  json::object config{{"account", kAccount},
                      {"user", kUser},
                      {"database", kDatabase},
                      {"warehouse", "SLUICE_WH"},
                      {"role", "SLUICE_READER"},
                      {"credentials", {{"auth_type", "key_pair"}, {"private_key", {{"$file", key_path}}}}},
                      {"base_url", server->base_url()},
                      {"ca_file", server->ca_file()}};
  for (const auto& [name, value] : config_overrides) config[name] = value;
  json::object connection{{"source", {{"plugin", "snowflake"}, {"config", std::move(config)}}},
                          {"target", "sqlite://" + db}};
  if (!streams.empty()) connection["streams"] = streams;
  return dir.write("conn.json", json::serialize(connection));
}

sluice::test::ProcessResult SnowflakeFixture::sluice(const std::vector<std::string>& args) {
  sluice::test::ProcessOptions options;
  options.working_dir = dir.path().string();
  return sluice::test::run_sluice(args, options);
}

std::vector<SnowflakeFixture::Exchange> SnowflakeFixture::exchanges() const {
  std::lock_guard lock(exchanges_mutex_);
  return exchanges_;
}

json::array SnowflakeFixture::discover_streams() {
  auto result = sluice({"discover", connection_path()});
  if (result.exit_code != 0) throw std::runtime_error("discover failed: " + result.all());
  return json::parse(result.out).at("streams").as_array();
}

json::object stream_selection(const std::string& schema, const std::string& name, const std::string& mode,
                              const std::string& cursor, const std::string& key) {
  json::object selection{{"name", name}, {"namespace", std::string(kDatabase) + "." + schema}, {"mode", mode}};
  if (!cursor.empty()) selection["cursor_field"] = json::array{cursor};
  if (!key.empty()) selection["primary_key"] = json::array{json::array{key}};
  return selection;
}

}  // namespace snowflake_test
