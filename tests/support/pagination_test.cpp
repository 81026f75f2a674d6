// Pagination loops stop at the end and refuse to spin.
#include <sluice/support/pagination.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace sluice::support;

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
