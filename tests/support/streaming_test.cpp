// Streaming a large response: the array's elements arrive in batches while
// the body is still coming, whatever the chunking; pagination loops stop at
// the end and refuse to spin.
#include "support_test_helpers.hpp"

#include <sluice/support/json_stream.hpp>
#include <sluice/support/pagination.hpp>

#include <catch2/catch.hpp>

using namespace sluice;
using namespace sluice::support;
using testkit::FakeRequest;
using testkit::FakeResponse;
using testkit::FakeServer;
namespace json = boost::json;

namespace {

std::vector<std::string> stream_in_chunks(const std::string& doc, const std::string& key, size_t chunk,
                                          size_t batch_size, std::vector<size_t>* batch_sizes = nullptr) {
  std::vector<std::string> out;
  JsonArrayStream stream(key, batch_size, [&](std::vector<json::value>& batch) {
    if (batch_sizes) batch_sizes->push_back(batch.size());
    for (auto& v : batch) out.push_back(json::serialize(v));
  });
  for (size_t at = 0; at < doc.size(); at += chunk) stream.write(std::string_view(doc).substr(at, chunk));
  stream.finish();
  return out;
}

}  // namespace

TEST_CASE("the elements of a named array come out whole, whatever the chunk size") {
  const std::string doc =
      R"({"start":0,"note":"users: [not this]","users":[{"id":"a\"]},","tags":["x",{"y":[1]}]},)"
      R"( 2 , "s,]" ,null,[1,[2]]],"total":5,"more":[9]})";
  const std::vector<std::string> expected{R"({"id":"a\"]},","tags":["x",{"y":[1]}]})", "2", R"("s,]")", "null",
                                          "[1,[2]]"};
  for (size_t chunk : {1u, 2u, 7u, 1000u}) {
    INFO("chunk " << chunk);
    CHECK(stream_in_chunks(doc, "users", chunk, 2) == expected);
  }
}

TEST_CASE("a top-level array streams with an empty key, in batches of the given size") {
  std::vector<size_t> sizes;
  CHECK(stream_in_chunks(R"([1,2,3,4,5])", "", 3, 2, &sizes).size() == 5);
  CHECK(sizes == std::vector<size_t>{2, 2, 1});
  CHECK(stream_in_chunks(R"({"users":[]})", "users", 4, 2).empty());
}

TEST_CASE("a truncated array is an error, and so is a malformed element") {
  JsonArrayStream cut("rows", 10, [](std::vector<json::value>&) {});
  cut.write(R"({"rows":[{"f":[{"v":"1"}]},{"f":)");
  CHECK_THROWS_WITH(cut.finish(), Catch::Contains("ended before its closing bracket"));
  JsonArrayStream bad("rows", 10, [](std::vector<json::value>&) {});
  CHECK_THROWS_WITH(bad.write(R"({"rows":[{"a":1},{"b":}]})"), Catch::Contains("element 1 is not valid JSON"));
}

TEST_CASE("send_streaming hands a large body on in chunks, with memory bounded by the batch") {
  std::string body = R"({"kind":"bigquery#getQueryResultsResponse","rows":[)";
  const int rows = 20000;
  for (int i = 0; i < rows; ++i) body += (i ? "," : "") + std::string(R"({"f":[{"v":")") + std::to_string(i) + R"("}]})";
  body += R"(],"pageToken":"next"})";
  FakeServer server([&](const FakeRequest&) {
    FakeResponse r;
    r.body = body;
    return r;
  });
  sluice::test::LoggedClient c(server);
  size_t seen = 0, largest_batch = 0, chunks = 0;
  std::string last;
  JsonArrayStream stream("rows", 500, [&](std::vector<json::value>& batch) {
    seen += batch.size();
    largest_batch = std::max(largest_batch, batch.size());
    last = json::serialize(batch.back());
  });
  HttpRequest request;
  request.url = server.base_url() + "/queries/job1";
  auto response = c.client->send_streaming(request, [&](std::string_view chunk) {
    ++chunks;
    stream.write(chunk);
  });
  stream.finish();
  CHECK(response.status == 200);
  CHECK(seen == rows);
  CHECK(largest_batch == 500);
  CHECK(last == R"({"f":[{"v":"19999"}]})");
  CHECK(chunks > 1);
}

TEST_CASE("a streamed body cut off after delivery is not retried") {
  FakeServer server([](const FakeRequest&) {
    FakeResponse r;
    r.body = R"({"rows":[)" + std::string(300000, ' ') + "]}";
    r.fault = testkit::Fault::truncate_body;
    return r;
  });
  sluice::test::LoggedClient c(server);
  HttpRequest request;
  request.url = server.base_url() + "/x";
  try {
    c.client->send_streaming(request, [](std::string_view) {});
    FAIL("no error");
  } catch (const HttpError& e) {
    CHECK(e.failure() == HttpFailure::transient);
    CHECK(std::string(e.what()).find("not retried") != std::string::npos);
  }
  CHECK(server.request_count() == 1);
}

TEST_CASE("page/offset pagination stops at a short page or at the reported total") {
  std::vector<size_t> asked;
  CHECK(for_each_page(10, [&](size_t page) {
          asked.push_back(page);
          return Page{page < 2 ? 10u : 3u, std::nullopt};
        }) == 23);
  CHECK(asked == std::vector<size_t>{0, 1, 2});
  asked.clear();
  for_each_page(10, [&](size_t page) {
    asked.push_back(page);
    return Page{10, 30};
  });
  CHECK(asked == std::vector<size_t>{0, 1, 2});
}

TEST_CASE("token and checkpoint pagination follow the API and refuse to spin") {
  std::vector<std::string> tokens;
  for_each_token_page([&](const std::string& token) {
    tokens.push_back(token);
    return token.empty() ? std::string("t1") : token == "t1" ? std::string("t2") : std::string();
  });
  CHECK(tokens == std::vector<std::string>{"", "t1", "t2"});
  CHECK_THROWS_WITH(for_each_token_page([](const std::string&) { return std::string("same"); }),
                    Catch::Contains("did not advance"));
  CHECK_THROWS_WITH(for_each_token_page([](const std::string&) { return std::string("same"); }, "tables.list on d"),
                    Catch::StartsWith("tables.list on d: pagination did not advance"));

  std::vector<std::string> froms;
  for_each_checkpoint_page("90", [&](const std::string& from) -> std::optional<std::string> {
    froms.push_back(from);
    if (from == "90") return "95";
    return std::nullopt;
  });
  CHECK(froms == std::vector<std::string>{"90", "95"});
  CHECK_THROWS_WITH(for_each_checkpoint_page("5", [](const std::string& f) -> std::optional<std::string> { return f; }),
                    Catch::Contains("did not advance past checkpoint 5"));
}
