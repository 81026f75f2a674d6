#include "sheets_fixture.hpp"

namespace gsheets_test {

const sluice::testkit::RsaKeyPair& test_key() {
  static const auto key = sluice::testkit::generate_rsa_key();
  return key;
}

SheetsFixture::SheetsFixture() : db(dir.file("out.db")) {
  const auto& key = test_key();
  fake = std::make_unique<FakeSheets>(kServiceAccount, key.public_pem, kApiKey);
  server = std::make_unique<sluice::testkit::FakeServer>([this](const FakeRequest& request) {
    FakeResponse response = fake->handle(request);
    std::lock_guard lock(exchanges_mutex_);
    exchanges_.push_back({request, response});
    return response;
  });
  fake->set_token_url(server->base_url() + "/token");
  key_json = sluice::testkit::service_account_json(kServiceAccount, key, server->base_url() + "/token", "my-proj");
}

SheetsFixture::~SheetsFixture() {
  server.reset();
  std::lock_guard lock(exchanges_mutex_);
  exchanges_.clear();
}

json::object SheetsFixture::base_config() const {
  return {{"spreadsheet", kSpreadsheetId}, {"base_url", server->base_url()}, {"ca_file", server->ca_file()},
          {"retry_backoff_ms", 1}};
}

std::string SheetsFixture::write_connection(const json::array& streams, const json::object& config_overrides) {
  const std::string key_path = dir.write("key.json", key_json);
  json::object config = base_config();
  config["credentials"] = {{"auth_type", "service_account"}, {"service_account_json", {{"$file", key_path}}}};
  for (const auto& [name, value] : config_overrides) config[name] = value;
  json::object connection{{"source", {{"plugin", "gsheets"}, {"config", std::move(config)}}}, {"target", "sqlite://" + db}};
  if (!streams.empty()) connection["streams"] = streams;
  return dir.write("conn.json", json::serialize(connection));
}

std::string SheetsFixture::write_api_key_connection(const json::array& streams) {
  json::object config = base_config();
  config["credentials"] = {{"auth_type", "api_key"}, {"api_key", kApiKey}};
  json::object connection{{"source", {{"plugin", "gsheets"}, {"config", std::move(config)}}}, {"target", "sqlite://" + db}};
  if (!streams.empty()) connection["streams"] = streams;
  return dir.write("conn.json", json::serialize(connection));
}

sluice::test::ProcessResult SheetsFixture::sluice(const std::vector<std::string>& args) {
  sluice::test::ProcessOptions options;
  options.working_dir = dir.path().string();
  return sluice::test::run_sluice(args, options);
}

json::array SheetsFixture::discover_streams() {
  auto result = sluice({"discover", connection_path()});
  if (result.exit_code != 0) throw std::runtime_error("discover failed: " + result.all());
  return json::parse(result.out).at("streams").as_array();
}

std::vector<SheetsFixture::Exchange> SheetsFixture::exchanges() const {
  std::lock_guard lock(exchanges_mutex_);
  return exchanges_;
}

std::vector<FakeRequest> SheetsFixture::requests_ending(const std::string& suffix) const {
  std::vector<FakeRequest> out;
  for (const auto& request : server->requests()) {
    if (request.path.size() >= suffix.size() && request.path.compare(request.path.size() - suffix.size(), suffix.size(), suffix) == 0) {
      out.push_back(request);
    }
  }
  return out;
}

json::object stream_selection(const std::string& name, const std::string& mode, const std::string& cursor,
                              const std::string& key) {
  json::object selection{{"name", name}, {"mode", mode}};
  if (!cursor.empty()) selection["cursor_field"] = json::array{cursor};
  if (!key.empty()) selection["primary_key"] = json::array{json::array{key}};
  return selection;
}

Spreadsheet shared_spreadsheet(std::vector<Sheet> sheets) {
  Spreadsheet spreadsheet;
  spreadsheet.id = kSpreadsheetId;
  spreadsheet.title = "Q2 Orders";
  spreadsheet.sheets = std::move(sheets);
  spreadsheet.shared_with = {kServiceAccount};
  return spreadsheet;
}

Sheet sheet(int64_t id, std::string title, std::vector<Cell> header_cells, std::vector<std::vector<Cell>> rows) {
  Sheet s;
  s.sheet_id = id;
  s.title = std::move(title);
  s.rows.push_back(std::move(header_cells));
  for (auto& row : rows) s.rows.push_back(std::move(row));
  return s;
}

std::vector<Cell> header(const std::vector<std::string>& names) {
  std::vector<Cell> cells;
  for (const auto& name : names) cells.push_back(name.empty() ? empty() : text(name));
  return cells;
}

}  // namespace gsheets_test
