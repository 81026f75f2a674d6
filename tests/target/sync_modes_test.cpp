// Every sync mode end to end through the CLI, on every target, including
// what a failure in the middle of a stream leaves behind.
#include "target/target_fixture.hpp"

#include <catch2/catch.hpp>

using namespace sluice::test;

TEMPLATE_TEST_CASE("full_refresh_overwrite replaces the table only when the stream completes", "[target]",
                   SLUICE_ALL_TARGETS) {
  TargetFixture f(TestType::engine);
  f.write_scripted({scripted_stream("items", numbered_properties(), numbered_records(1, 3))},
                   {mode("items", "full_refresh_overwrite")});
  auto first = f.sync();
  INFO(first.all());
  REQUIRE(first.exit_code == 0);
  REQUIRE(f.count("items") == 3);

  auto failing = scripted_stream("items", numbered_properties(), numbered_records(10, 19));
  failing["fail_after_batches"] = 2;
  f.write_scripted({failing}, {mode("items", "full_refresh_overwrite")});
  auto failed = f.sync();
  CHECK(failed.exit_code == 1);
  CHECK_THAT(failed.err, Catch::Contains("stream items failed") && Catch::Contains("scripted failure after 2 batches"));
  // The previous table is intact and readable; no staging table is left.
  CHECK(f.rows("SELECT id FROM items ORDER BY id") == Rows{{"1"}, {"2"}, {"3"}});
  CHECK(f.db->tables() == std::vector<std::string>{"items"});

  f.write_scripted({scripted_stream("items", numbered_properties(), numbered_records(10, 14))},
                   {mode("items", "full_refresh_overwrite")});
  REQUIRE(f.sync().exit_code == 0);
  CHECK(f.rows("SELECT id FROM items ORDER BY id") == Rows{{"10"}, {"11"}, {"12"}, {"13"}, {"14"}});
  CHECK(f.db->tables() == std::vector<std::string>{"items"});
}

TEMPLATE_TEST_CASE("full_refresh_append adds every completed run, told apart by _sluice_sync_id", "[target]",
                   SLUICE_ALL_TARGETS) {
  TargetFixture f(TestType::engine);
  f.write_scripted({scripted_stream("items", numbered_properties(), numbered_records(1, 3))},
                   {mode("items", "full_refresh_append")});
  REQUIRE(f.sync().exit_code == 0);

  auto failing = scripted_stream("items", numbered_properties(), numbered_records(1, 3));
  failing["fail_after_batches"] = 1;
  f.write_scripted({failing}, {mode("items", "full_refresh_append")});
  REQUIRE(f.sync().exit_code == 1);
  CHECK(f.count("items") == 3);  // a failed append run adds nothing
  CHECK(f.db->tables() == std::vector<std::string>{"items"});

  f.write_scripted({scripted_stream("items", numbered_properties(), numbered_records(1, 3))},
                   {mode("items", "full_refresh_append")});
  REQUIRE(f.sync().exit_code == 0);
  CHECK(f.count("items") == 6);
  CHECK(f.value("SELECT COUNT(DISTINCT _sluice_sync_id) FROM items") == "2");
  CHECK(f.value("SELECT COUNT(*) FROM items WHERE _sluice_extracted_at IS NOT NULL") == "6");
}

TEMPLATE_TEST_CASE("incremental_append resumes from the last committed checkpoint after a source failure",
                   "[target]", SLUICE_ALL_TARGETS) {
  TargetFixture f(TestType::engine);
  auto failing = scripted_stream("items", numbered_properties(), numbered_records(1, 10));
  failing["fail_after_batches"] = 3;
  f.write_scripted({failing}, {mode("items", "incremental_append")});
  auto failed = f.sync();
  CHECK(failed.exit_code == 1);
  CHECK(f.count("items") == 6);  // three committed batches of two
  CHECK(f.value("SELECT state FROM _sluice_state WHERE table_name = 'items'") == R"({"offset":6})");

  f.write_scripted({scripted_stream("items", numbered_properties(), numbered_records(1, 10))},
                   {mode("items", "incremental_append")});
  auto resumed = f.sync();
  INFO(resumed.all());
  REQUIRE(resumed.exit_code == 0);
  CHECK(f.count("items") == 10);
  CHECK(f.value("SELECT COUNT(DISTINCT id) FROM items") == "10");

  // A third run finds nothing new.
  REQUIRE(f.sync().exit_code == 0);
  CHECK(f.count("items") == 10);
}

TEMPLATE_TEST_CASE("a state past 1 MB is kept whole but warned about, once per stream", "[target]",
                   SLUICE_ALL_TARGETS) {
  TargetFixture f(TestType::engine);
  auto stream = scripted_stream("items", numbered_properties(), numbered_records(1, 6));
  stream["state_padding"] = 1100 * 1024;
  f.write_scripted({stream}, {mode("items", "incremental_append")});
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  const std::string warning = "stream items: state is 1100 KiB";
  const auto first = run.all().find(warning);
  CHECK(first != std::string::npos);
  CHECK(run.all().find(warning, first + 1) == std::string::npos);  // three checkpoints, one warning
  const std::string empty_padded = R"({"offset":6,"pad":""})";
  CHECK(f.value("SELECT LENGTH(state) FROM _sluice_state WHERE table_name = 'items'") ==
        std::to_string(empty_padded.size() + 1100 * 1024));
}

TEMPLATE_TEST_CASE("incremental_append_dedup keeps the record with the newest cursor, across batches and runs",
                   "[target]", SLUICE_ALL_TARGETS) {
  TargetFixture f(TestType::engine);
  json::object properties{{"a", {{"type", "string"}}}, {"b", {{"type", "integer"}}},
                          {"ts", {{"type", "string"}, {"format", "date-time"}}}, {"v", {{"type", "string"}}}};
  // Composite key (a, b); the newer version of (x,1) arrives first, the stale
  // one after it, in a later batch; keys differing only in case stay apart.
  json::array records{
      json::object{{"a", "x"}, {"b", 1}, {"ts", "2026-01-03T00:00:00Z"}, {"v", "newest"}},
      json::object{{"a", "x"}, {"b", 2}, {"ts", "2026-01-01T00:00:00Z"}, {"v", "only"}},
      json::object{{"a", "x"}, {"b", 1}, {"ts", "2026-01-01T00:00:00Z"}, {"v", "stale"}},
      json::object{{"a", "y"}, {"b", 1}, {"ts", "2026-01-02T00:00:00Z"}, {"v", "first"}},
      json::object{{"a", "X"}, {"b", 1}, {"ts", "2026-01-01T00:00:00Z"}, {"v", "upper"}},
      json::object{{"a", "y"}, {"b", 1}, {"ts", "2026-01-02T00:00:00Z"}, {"v", "tie, later wins"}},
  };
  auto stream = scripted_stream("items", properties, records);
  stream["primary_key"] = json::array{json::array{"a"}, json::array{"b"}};
  f.write_scripted({stream}, {mode("items", "incremental_append_dedup")});
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  CHECK(f.rows("SELECT a, b, v FROM items ORDER BY a, b") ==
        Rows{{"X", "1", "upper"}, {"x", "1", "newest"}, {"x", "2", "only"}, {"y", "1", "tie, later wins"}});

  // Next run (state reset so the script replays): an update of (y,1) and a
  // stale copy of (x,1) from an older cursor.
  json::array later{
      json::object{{"a", "y"}, {"b", 1}, {"ts", "2026-01-05T00:00:00Z"}, {"v", "updated"}},
      json::object{{"a", "x"}, {"b", 1}, {"ts", "2026-01-02T00:00:00Z"}, {"v", "stale again"}},
  };
  auto stream2 = scripted_stream("items", properties, later);
  stream2["primary_key"] = json::array{json::array{"a"}, json::array{"b"}};
  f.write_scripted({stream2}, {mode("items", "incremental_append_dedup")});
  REQUIRE(f.sluice({"state", "reset", f.dir.file("conn.json")}).exit_code == 0);
  REQUIRE(f.sync().exit_code == 0);
  CHECK(f.rows("SELECT a, b, v FROM items ORDER BY a, b") ==
        Rows{{"X", "1", "upper"}, {"x", "1", "newest"}, {"x", "2", "only"}, {"y", "1", "updated"}});
}

TEMPLATE_TEST_CASE("sync --streams syncs only the named streams and leaves the others' tables and state alone",
                   "[target]", SLUICE_ALL_TARGETS) {
  TargetFixture f(TestType::engine);
  f.write_scripted({scripted_stream("alpha", numbered_properties(), numbered_records(1, 4)),
                    scripted_stream("beta", numbered_properties(), numbered_records(1, 4))},
                   {mode("alpha", "incremental_append"), mode("beta", "incremental_append")});
  REQUIRE(f.sync({"--streams", "alpha"}).exit_code == 0);
  CHECK(f.count("alpha") == 4);
  CHECK_FALSE(f.db->has_table("beta"));
  CHECK(f.value("SELECT COUNT(*) FROM _sluice_state") == "1");
}

TEMPLATE_TEST_CASE("a record that is not JSON fails its stream, and committed rows stay", "[target]",
                   SLUICE_ALL_TARGETS) {
  TargetFixture f(TestType::engine);
  auto stream = scripted_stream("items", numbered_properties(), numbered_records(1, 6));
  stream["bad_line_after_batches"] = 2;
  f.write_scripted({stream}, {mode("items", "incremental_append")});
  auto run = f.sync();
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.err, Catch::Contains("stream items") && Catch::Contains("not valid JSON"));
  CHECK(f.count("items") == 2);  // batch one committed; batch two shared the bad batch's transaction
}

TEMPLATE_TEST_CASE("a record that is not JSON in the plugin's last emit fails its stream in the same words",
                   "[target]", SLUICE_ALL_TARGETS) {
  // The host maps records on its own thread, after the plugin's emit has
  // returned: a bad last batch is found once read() has already succeeded.
  auto failure_line = [](const std::string& err) {
    auto at = err.find("stream items failed");
    return at == std::string::npos ? std::string() : err.substr(at, err.find('\n', at) - at);
  };
  TargetFixture mid(TestType::engine);
  auto stream = scripted_stream("items", numbered_properties(), numbered_records(1, 6));
  stream["bad_line_after_batches"] = 2;
  mid.write_scripted({stream}, {mode("items", "incremental_append")});
  auto mid_run = mid.sync();

  TargetFixture last(TestType::engine);
  stream["records"] = numbered_records(1, 4);  // two batches: the bad line ends the last one
  last.write_scripted({stream}, {mode("items", "incremental_append")});
  auto last_run = last.sync();
  INFO(last_run.all());
  CHECK(last_run.exit_code == 1);
  CHECK_THAT(last_run.err, Catch::Contains("record 3 of the batch is not valid JSON"));
  CHECK(failure_line(last_run.err) == failure_line(mid_run.err));
  CHECK_FALSE(failure_line(last_run.err).empty());
  CHECK(last.count("items") == 2);
  CHECK(last.value("SELECT state FROM _sluice_state") == R"({"offset":2})");
}

TEMPLATE_TEST_CASE("state and history commands read what the sync wrote", "[target]", SLUICE_ALL_TARGETS) {
  TargetFixture f(TestType::engine);
  f.write_scripted({scripted_stream("alpha", numbered_properties(), numbered_records(1, 3)),
                    scripted_stream("beta", numbered_properties(), numbered_records(1, 3))},
                   {mode("alpha", "incremental_append"), mode("beta", "incremental_append")});
  REQUIRE(f.sync().exit_code == 0);
  auto shown = f.sluice({"state", f.dir.file("conn.json")});
  REQUIRE(shown.exit_code == 0);
  CHECK_THAT(shown.out, Catch::Contains(R"({"offset":3})") && Catch::Contains("succeeded"));

  REQUIRE(f.sluice({"state", "reset", f.dir.file("conn.json"), "--stream", "alpha"}).exit_code == 0);
  CHECK(f.rows("SELECT table_name FROM _sluice_state") == Rows{{"beta"}});
  auto as_json = f.sluice({"state", f.dir.file("conn.json"), "--json"});
  auto doc = json::parse(as_json.out).as_object();
  CHECK(doc.at("state").as_array().size() == 1);
  CHECK(doc.at("syncs").as_array().at(0).at("streams").as_array().size() == 2);
}

TEMPLATE_TEST_CASE("incremental_append_dedup: a NULL cursor never replaces a known one, and any cursor replaces NULL",
                   "[target]", SLUICE_ALL_TARGETS) {
  TargetFixture f(TestType::engine);
  json::array records{
      json::object{{"id", 1}, {"ts", "2026-01-02T00:00:00Z"}, {"v", "known"}},
      json::object{{"id", 2}, {"ts", nullptr}, {"v", "unknown"}},
      json::object{{"id", 1}, {"ts", nullptr}, {"v", "null after known"}},
      json::object{{"id", 2}, {"ts", "2026-01-01T00:00:00Z"}, {"v", "known after null"}},
      json::object{{"id", 3}, {"ts", nullptr}, {"v", "first null"}},
      json::object{{"id", 3}, {"ts", nullptr}, {"v", "second null"}},
  };
  f.write_scripted({scripted_stream("items", numbered_properties(), records)},
                   {mode("items", "incremental_append_dedup")});
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  CHECK(f.rows("SELECT id, v FROM items ORDER BY id") ==
        Rows{{"1", "known"}, {"2", "known after null"}, {"3", "second null"}});
}

TEMPLATE_TEST_CASE("incremental_append_dedup refuses a record without its primary key, keeping what the last "
                   "checkpoint covers",
                   "[target]", SLUICE_ALL_TARGETS) {
  TargetFixture f(TestType::engine);
  json::array records = numbered_records(1, 6);
  records.at(4).as_object().erase("id");  // the fifth record, in the third batch of two
  f.write_scripted({scripted_stream("items", numbered_properties(), records)},
                   {mode("items", "incremental_append_dedup")});
  auto run = f.sync();
  INFO(run.all());
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.err, Catch::Contains("error: stream items failed: ") &&
                          Catch::Contains("record 5 of this run has no usable primary key: field id is missing"));
  CHECK(f.rows("SELECT id FROM items ORDER BY id") == Rows{{"1"}, {"2"}, {"3"}, {"4"}});
  CHECK(f.value("SELECT state FROM _sluice_state WHERE table_name = 'items'") == R"({"offset":4})");
}

TEMPLATE_TEST_CASE("newest cursor wins by instant and by number, whatever the precision, offset or digit count",
                   "[target]", SLUICE_ALL_TARGETS) {
  TargetFixture f(TestType::engine);
  // Each id arrives newest first, then an older version that must not replace it.
  json::array by_time{
      json::object{{"id", 1}, {"ts", "2026-01-01T00:00:00.5Z"}, {"v", "half a second later"}},
      json::object{{"id", 1}, {"ts", "2026-01-01T00:00:00Z"}, {"v", "stale"}},
      json::object{{"id", 2}, {"ts", "2026-01-01T01:00:00Z"}, {"v", "one hour later"}},
      json::object{{"id", 2}, {"ts", "2026-01-01T02:00:00+02:00"}, {"v", "stale"}},
      json::object{{"id", 3}, {"ts", "2026-01-01T00:00:00.000001Z"}, {"v", "a microsecond later"}},
      json::object{{"id", 3}, {"ts", "2026-01-01T00:00:00.000Z"}, {"v", "stale"}}};
  json::object numbered{{"id", {{"type", "integer"}}}, {"n", {{"type", "integer"}}}, {"v", {{"type", "string"}}}};
  json::array by_number{json::object{{"id", 1}, {"n", 10}, {"v", "ten"}},
                        json::object{{"id", 1}, {"n", 9}, {"v", "stale"}}};
  auto counters = scripted_stream("counters", numbered, by_number);
  counters["cursor"] = json::array{"n"};
  f.write_scripted({scripted_stream("events", numbered_properties(), by_time), counters},
                   {mode("events", "incremental_append_dedup"), mode("counters", "incremental_append_dedup")});
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  CHECK(f.rows("SELECT id, v FROM events ORDER BY id") ==
        Rows{{"1", "half a second later"}, {"2", "one hour later"}, {"3", "a microsecond later"}});
  CHECK(f.rows("SELECT id, v FROM counters ORDER BY id") == Rows{{"1", "ten"}});
}

TEMPLATE_TEST_CASE("a field whose type changes between runs never fails: values that do not fit the existing column "
                   "go to _sluice_uncast with a warning",
                   "[target]", SLUICE_ALL_TARGETS) {
  TargetFixture f(TestType::engine);
  json::object as_number{{"id", {{"type", "integer"}}}, {"ts", {{"type", "string"}, {"format", "date-time"}}},
                         {"amount", {{"type", "number"}}}};
  json::object as_string = as_number;
  as_string["amount"] = json::object{{"type", "string"}};
  json::array first{json::object{{"id", 1}, {"ts", "2026-01-01T00:00:01Z"}, {"amount", 1.5}}};
  json::array second{json::object{{"id", 1}, {"ts", "2026-01-01T00:00:01Z"}, {"amount", 1.5}},
                     json::object{{"id", 2}, {"ts", "2026-01-01T00:00:02Z"}, {"amount", "abc"}}};
  f.write_scripted({scripted_stream("items", as_number, first)}, {mode("items", "incremental_append")});
  REQUIRE(f.sync().exit_code == 0);

  f.write_scripted({scripted_stream("items", as_string, second)}, {mode("items", "incremental_append")});
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  CHECK_THAT(run.err, Catch::Contains("stream items: field amount is now text but its column amount holds number"));
  CHECK(f.rows("SELECT id, amount FROM items WHERE id = 2") == Rows{{"2", "NULL"}});
  CHECK_THAT(f.value("SELECT _sluice_uncast FROM items WHERE id = 2"), Catch::Contains("abc"));
}

TEMPLATE_TEST_CASE("numbers inside JSON columns keep the plugin's spelling (-122.35, not -1.2235E2)", "[target]",
                   SLUICE_ALL_TARGETS) {
  TargetFixture f(TestType::engine);
  json::object properties{{"id", {{"type", "integer"}}}, {"geo", {{"type", "object"}}}};
  // The plugin emits the record's text as is: the host's only parse must
  // not respell its numbers (Boost.JSON would write doubles in E notation).
  auto stream = scripted_stream(
      "places", properties,
      json::array{json::object{{"raw", R"({"id":1,"geo":{"type":"Point","coordinates":[-122.35,47.6],"n":3.5}})"}}});
  stream["raw_records"] = true;
  f.write_scripted({stream}, {mode("places", "full_refresh_overwrite")});
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  const std::string geo = f.value("SELECT geo FROM places");
  CHECK_THAT(geo, Catch::Contains("-122.35") && Catch::Contains("47.6") && Catch::Contains("3.5"));
  CHECK(geo.find('E') == std::string::npos);  // no upper-case E in the keys either
}
