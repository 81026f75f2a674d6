// Pagination loops stop at the end and refuse to spin.
#include <sluice/support/pagination.hpp>

#include <sluice/connector.hpp>

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

TEST_CASE("token and checkpoint pagination follow the API to its end") {
  std::vector<std::string> tokens;
  for_each_token_page([&](const std::string& token) {
    tokens.push_back(token);
    return token.empty() ? std::string("t1") : token == "t1" ? std::string("t2") : std::string();
  });
  CHECK(tokens == std::vector<std::string>{"", "t1", "t2"});

  std::vector<std::string> froms;
  for_each_checkpoint_page("90", [&](const std::string& from) -> std::optional<std::string> {
    froms.push_back(from);
    if (from == "90") return "95";
    return std::nullopt;
  });
  CHECK(froms == std::vector<std::string>{"90", "95"});
}

TEST_CASE("a token that never changes is refused after one repeat, the message naming pages and not the token") {
  std::vector<std::string> asked;
  CHECK_THROWS_WITH(for_each_token_page(
                        [&](const std::string& token) {
                          asked.push_back(token);
                          return std::string("secret-token");
                        },
                        "tables.list on dataset p:d"),
                    "tables.list on dataset p:d: pagination did not advance: page 2 returned the page token of "
                    "page 1 again");
  CHECK(asked == std::vector<std::string>{"", "secret-token"});  // fetched once with it, never twice
}

TEST_CASE("tokens that cycle through several values are refused before any page is fetched twice") {
  std::vector<std::string> asked;
  const std::vector<std::string> answers{"a", "b", "c", "a", "b"};
  try {
    for_each_token_page([&](const std::string& token) {
      asked.push_back(token);
      return answers.at(asked.size() - 1);
    });
    FAIL("a cycle was followed to its end");
  } catch (const sluice::Error& e) {
    CHECK(e.kind() == sluice::ErrorKind::source);
    CHECK(std::string(e.what()) == "pagination did not advance: page 4 returned the page token of page 1 again");
  }
  CHECK(asked == std::vector<std::string>{"", "a", "b", "c"});
}

TEST_CASE("a checkpoint that does not move, or comes back to where the read started, is refused") {
  CHECK_THROWS_WITH(for_each_checkpoint_page("5", [](const std::string& f) -> std::optional<std::string> { return f; },
                                             "GET /api/v2/logs"),
                    "GET /api/v2/logs: pagination did not advance: page 1 returned the checkpoint it started from again");
  int calls = 0;
  CHECK_THROWS_WITH(for_each_checkpoint_page("5",
                                             [&](const std::string&) -> std::optional<std::string> {
                                               ++calls;
                                               return "6";
                                             }),
                    "pagination did not advance: page 2 returned the checkpoint of page 1 again");
  CHECK(calls == 2);
}
