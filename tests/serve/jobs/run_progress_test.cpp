// A run's live per-stream view, folded from its progress events in the
// order a child writes them (parallel streams interleaved).
#include "host/serve/jobs/run_progress.hpp"

#include <catch2/catch.hpp>

using namespace sluice::host::serve;
using Kind = ProgressEvent::Kind;

namespace {

ProgressEvent event(Kind kind, const std::string& stream, uint64_t records = 0, uint64_t bytes = 0) {
  ProgressEvent e;
  e.kind = kind;
  e.stream = stream;
  e.records = records;
  e.bytes = bytes;
  return e;
}

}  // namespace

TEST_CASE("a run's progress shows each stream received, committed and finished, in start order") {
  RunProgress run;
  auto started = event(Kind::stream_started, "users");
  started.table = "users";
  started.mode = "incremental_append";
  run.apply(started);
  run.apply(event(Kind::stream_started, "orders"));
  run.apply(event(Kind::progress, "users", 2000, 180000));
  run.apply(event(Kind::progress, "orders", 500, 40000));
  run.apply(event(Kind::checkpoint, "users", 2000));
  run.apply(event(Kind::progress, "users", 4000, 360000));

  auto live = run.streams();
  REQUIRE(live.size() == 2);
  CHECK(live[0].stream == "users");
  CHECK(live[0].status == "running");
  CHECK(live[0].records_received == 4000);
  CHECK(live[0].records_committed == 2000);
  CHECK(live[1].stream == "orders");
  CHECK(live[1].records_committed == 0);
  CHECK(run.records_committed() == 2000);
  CHECK(run.bytes() == 400000);

  auto failed = event(Kind::stream_done, "orders", 0, 41000);
  failed.status = "failed";
  failed.error_kind = "rate_limited";
  failed.error = "stream orders failed: 429";
  run.apply(failed);
  auto done = event(Kind::stream_done, "users", 4100, 369000);
  done.status = "succeeded";
  run.apply(done);
  run.apply(event(Kind::sync_done, ""));  // not a stream

  CHECK(run.streams().size() == 2);
  CHECK(run.records_committed() == 4100);
  CHECK(run.bytes() == 410000);
  auto json = run.streams_json();
  CHECK(boost::json::serialize(json[1]) ==
        R"({"stream":"orders","table":"","mode":"","status":"failed","records":0,"records_received":500,)"
        R"("bytes":41000,"seconds":0E0,"error_kind":"rate_limited","error":"stream orders failed: 429"})");
  CHECK(json[0].at("status") == "succeeded");
  CHECK(json[0].at("records").to_number<int64_t>() == 4100);
  CHECK(json[0].at("records_received").to_number<int64_t>() == 4100);
}
