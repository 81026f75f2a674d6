// A BigQuery fake to sync from by hand (not a test): serves `rows` rows of
// ten mixed columns (id, email, name, two TIMESTAMPs, an INT64, a BOOL, a
// FLOAT64, a STRING, a small JSON object: ~300 bytes a row on the wire)
// over TLS, writes DIR/conn.json (source: this fake with `page_size`,
// target: sqlite://DIR/out.db) and serves until its stdin closes:
//   bigquery_load_server 1000000 10000 /tmp/bq &   then   sluice sync /tmp/bq/conn.json
// Optional: the most bytes of a getQueryResults page (default BigQuery's
// 20 MB; 0 keeps it), then milliseconds of latency added to each answer.
#include "fake_bigquery.hpp"

#include <testkit/fake_server.hpp>
#include <testkit/keys.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

namespace json = boost::json;
using namespace bigquery_fake;

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: bigquery_load_server ROWS PAGE_SIZE DIR [PAGE_BYTES [LATENCY_MS]]\n";
    return 2;
  }
  const size_t rows = std::stoul(argv[1]);
  const long page_size = std::stol(argv[2]);
  const std::filesystem::path dir = argv[3];
  std::filesystem::create_directories(dir);
  const char* email = "sluice-reader@my-proj.iam.gserviceaccount.com";
  const auto key = sluice::testkit::generate_rsa_key();

  FakeBigQuery fake("my-proj", email, key.public_pem);
  FakeTable table;
  table.fields = {field("id", "INTEGER", "REQUIRED"), field("email", "STRING"), field("name", "STRING"),
                  field("created_at", "TIMESTAMP"), field("updated_at", "TIMESTAMP"), field("visits", "INTEGER"),
                  field("active", "BOOLEAN"), field("score", "FLOAT"), field("country", "STRING"),
                  field("attrs", "JSON")};
  const int64_t may1 = 1714521600000000;
  static const char* kCountries[] = {"FR", "DE", "US", "JP", "BR", "IN", "NG", "CA"};
  table.rows.reserve(rows);
  for (size_t i = 1; i <= rows; ++i) {
    const std::string id = std::to_string(i);
    table.rows.push_back(row({cell(id), cell("user" + id + "@example.com"), cell("User Number " + id),
                              cell(std::to_string(may1 + static_cast<int64_t>(i) * 1'000'123)),
                              cell(std::to_string(may1 + static_cast<int64_t>(i) * 2'000'321)),
                              cell(std::to_string(i * 7 % 1000)), cell(i % 3 == 0 ? "true" : "false"),
                              cell(std::to_string(static_cast<double>(i) / 7.0)), cell(kCountries[i % 8]),
                              cell(R"({"plan":"pro","seats":)" + std::to_string(i % 50) + R"(,"tags":["a","b"]})")}));
  }
  fake.add_table("bench", "users", std::move(table));
  if (argc > 4 && std::stoul(argv[4]) > 0) fake.set_page_bytes(10 << 20, std::stoul(argv[4]));
  const std::chrono::milliseconds latency(argc > 5 ? std::stol(argv[5]) : 0);

  // The latency is waited out after the handler, so answers overlap as a
  // real API's do.
  sluice::testkit::FakeServer server([&](const sluice::testkit::FakeRequest& r) {
    auto response = fake.handle(r);
    if (latency.count() > 0 && response.fault == sluice::testkit::Fault::none) {
      response.fault = sluice::testkit::Fault::delay;
      response.delay = latency;
    }
    return response;
  });
  fake.set_token_url(server.base_url() + "/token");
  const auto key_path = dir / "key.json";
  std::ofstream(key_path) << sluice::testkit::service_account_json(email, key, server.base_url() + "/token", "my-proj");
  json::object connection{
      {"source",
       {{"plugin", "bigquery"},
        {"config",
         {{"project_id", "my-proj"}, {"credentials_json", {{"$file", key_path.string()}}},
          {"base_url", server.base_url()}, {"ca_file", server.ca_file()}, {"page_size", page_size}}}}},
      {"target", "sqlite://" + (dir / "out.db").string()},
      {"streams", json::array{{{"name", "users"}, {"namespace", "bench"}, {"mode", "full_refresh_overwrite"}}}}};
  std::ofstream(dir / "conn.json") << json::serialize(connection);
  std::cout << "ready " << (dir / "conn.json").string() << std::endl;
  std::string line;
  while (std::getline(std::cin, line)) {
  }
  return 0;
}
