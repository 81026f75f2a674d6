// Splitting a response body into the raw text of one array's elements: the
// exact bytes the API sent, only from a valid document, only the named array.
#include <sluice/error.hpp>
#include <sluice/support/json_elements.hpp>

#include <boost/json.hpp>

#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

using namespace sluice::support;
namespace json = boost::json;

namespace {

std::vector<std::string> elements(std::string_view body, std::string_view key) {
  std::vector<std::string> out;
  const size_t count = for_each_element(body, key, [&](std::string_view element) { out.emplace_back(element); });
  CHECK(count == out.size());
  return out;
}

// The source error for_each_element throws, or "" (and fn was never called
// on a refused body).
std::string refusal(std::string_view body, std::string_view key) {
  size_t calls = 0;
  try {
    for_each_element(body, key, [&](std::string_view) { ++calls; });
  } catch (const sluice::Error& e) {
    CHECK(e.kind() == sluice::ErrorKind::source);
    CHECK(calls == 0);
    return e.what();
  }
  return "";
}

// A random JSON value with the characters that trip scanners: quotes,
// escapes, brackets and commas inside strings, nesting, every scalar kind.
json::value random_value(std::mt19937& rng, int depth) {
  const char* tricky[] = {"", "plain", "a\"b", "back\\slash", "]}", "[{", ",", "\\\"]", "caf\u00e9 \U0001F600",
                          "tab\there", "\x01"};
  switch (std::uniform_int_distribution<int>(0, depth > 3 ? 4 : 6)(rng)) {
    case 0: return nullptr;
    case 1: return std::uniform_int_distribution<int>(0, 1)(rng) == 1;
    case 2: return std::uniform_int_distribution<int64_t>(-1'000'000, 1'000'000)(rng);
    case 3: return std::uniform_real_distribution<double>(-1e6, 1e6)(rng);
    case 4: return tricky[std::uniform_int_distribution<size_t>(0, std::size(tricky) - 1)(rng)];
    case 5: {
      json::array a;
      for (int n = std::uniform_int_distribution<int>(0, 4)(rng); n > 0; --n) a.push_back(random_value(rng, depth + 1));
      return a;
    }
    default: {
      json::object o;
      for (int n = std::uniform_int_distribution<int>(0, 4)(rng); n > 0; --n) {
        o[tricky[std::uniform_int_distribution<size_t>(0, std::size(tricky) - 1)(rng)]] = random_value(rng, depth + 1);
      }
      return o;
    }
  }
}

// `value` as JSON with blanks between every token, as pretty printers do.
std::string spaced(const json::value& value) {
  if (const auto* a = value.if_array()) {
    std::string out = "[ ";
    for (size_t i = 0; i < a->size(); ++i) out += (i ? " ,\n " : "") + spaced((*a)[i]);
    return out + "\t]";
  }
  if (const auto* o = value.if_object()) {
    std::string out = "{\r\n";
    bool first = true;
    for (const auto& member : *o) {
      out += (first ? "  " : " , ") + json::serialize(json::value(member.key())) + " : " + spaced(member.value());
      first = false;
    }
    return out + " }";
  }
  return json::serialize(value);
}

}  // namespace

TEST_CASE("the elements of a named top-level array come out as the exact text the API sent") {
  const std::string body =
      R"({"start":0,"note":"users: [not this]","meta":{"users":[0]},"users": [ {"id":"a\"]},","tags":["x",{"y":[1]}]},)"
      "\n  2.5e3 , \"s,]\" ,null,[1,[2]], { \"spaced\" : true } ,-0,false],\"total\":5,\"more\":[9]}";
  CHECK(elements(body, "users") == std::vector<std::string>{R"({"id":"a\"]},","tags":["x",{"y":[1]}]})", "2.5e3",
                                                            R"("s,]")", "null", "[1,[2]]", R"({ "spaced" : true })",
                                                            "-0", "false"});
  CHECK(elements(body, "more") == std::vector<std::string>{"9"});
}

TEST_CASE("a pretty-printed element comes out on one line, the same JSON, ready for emit_serialized") {
  const std::string body = "{\"users\": [\n  {\n    \"id\": \"a\\nb\",\r\n    \"tags\": [1,\n 2]\n  }\n]}";
  CHECK(elements(body, "users") == std::vector<std::string>{R"({     "id": "a\nb",      "tags": [1,  2]   })"});
  // A raw line break inside a string is not JSON, so none can hide there.
  CHECK_THAT(refusal("[\"a\nb\"]", ""), Catch::Contains("not valid JSON"));
}

TEST_CASE("a top-level array is read with an empty key, and an empty array calls nothing") {
  CHECK(elements(" [1,{\"a\":[]},\"x\"]\n", "") == std::vector<std::string>{"1", R"({"a":[]})", R"("x")"});
  CHECK(elements("[]", "").empty());
  CHECK(elements(R"({"users":[ ],"total":0})", "users").empty());
}

TEST_CASE("a member name written with escapes still names the array, and a repeated name means the last") {
  CHECK(elements(R"({"us\u0065rs":[1,2]})", "users") == std::vector<std::string>{"1", "2"});
  CHECK(elements(R"({"a\"b":[3]})", "a\"b") == std::vector<std::string>{"3"});
  const std::string repeated = R"({"users":[1],"users":[2,3]})";
  CHECK(elements(repeated, "users") == std::vector<std::string>{"2", "3"});  // as boost::json::parse keeps it
  CHECK(boost::json::parse(repeated).at("users") == json::array{2, 3});
  CHECK(member_json(repeated, "users") == std::optional<std::string_view>("[2,3]"));
}

TEST_CASE("every element of random documents, pretty or compact, is one line that parses back to its value") {
  std::mt19937 rng(20240501);
  for (int round = 0; round < 300; ++round) {
    json::array items;
    for (int n = std::uniform_int_distribution<int>(0, 6)(rng); n > 0; --n) items.push_back(random_value(rng, 0));
    const json::object page{{"total", 1}, {"items", items}, {"after", random_value(rng, 0)}};
    for (const std::string& body : {json::serialize(page), spaced(page)}) {
      INFO(body);
      const auto texts = elements(body, "items");
      REQUIRE(texts.size() == items.size());
      // Both sides through the same parser: doubles compare exactly.
      for (size_t i = 0; i < texts.size(); ++i) {
        CHECK(texts[i].find_first_of("\r\n") == std::string::npos);
        CHECK(json::parse(texts[i]) == json::parse(json::serialize(items[i])));
      }
    }
  }
}

TEST_CASE("a malformed or truncated body is a source error and emits nothing") {
  CHECK_THAT(refusal(R"({"users":[{"id":1},{"id":2})", "users"), Catch::Contains("not valid JSON (incomplete JSON"));
  CHECK_THAT(refusal(R"({"users":[{"id":1},{"b":}]})", "users"), Catch::Contains("not valid JSON (syntax error at byte"));
  CHECK_THAT(refusal(R"([1,2] [3])", ""), Catch::Contains("extra data after the document at byte 6"));
  CHECK_THAT(refusal("[1,2,]", ""), Catch::Contains("not valid JSON"));
  CHECK_THAT(refusal("[1] // comment", ""), Catch::Contains("not valid JSON"));
  CHECK_THAT(refusal("[\"\xff\"]", ""), Catch::Contains("not valid JSON"));
  CHECK_THAT(refusal("", ""), Catch::Contains("not valid JSON"));
}

TEST_CASE("a body without the named array is a source error naming it") {
  CHECK(refusal(R"({"total":0})", "users") == R"(the response has no "users" array)");
  CHECK(refusal(R"({"users":{"id":1}})", "users") == R"(the response has no "users" array)");
  CHECK(refusal(R"({"meta":{"users":[1]}})", "users") == R"(the response has no "users" array)");
  CHECK(refusal(R"([{"users":[1]}])", "users") == R"(the response has no "users" array)");
  CHECK(refusal(R"({"users":[1]})", "") == "the response is not a JSON array");
  CHECK(refusal("42", "") == "the response is not a JSON array");
}

TEST_CASE("member_json finds a top-level member's text and nothing nested") {
  const std::string body = R"({"users":[{"total":1}], "total" : 12 ,"next":"a\"b","nested":{"cursor":"x"}})";
  CHECK(member_json(body, "total") == std::optional<std::string_view>("12"));
  CHECK(member_json(body, "next") == std::optional<std::string_view>(R"("a\"b")"));
  CHECK(member_json(body, "cursor") == std::nullopt);
  CHECK(member_json("[1]", "total") == std::nullopt);
  CHECK_THROWS_AS(member_json(R"({"total":1)", "total"), sluice::Error);
}
