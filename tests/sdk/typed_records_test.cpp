// ReadContext's typed records (ABI 1.4), against an in-process host: cells
// reach a 1.4 host as record batches and an older host as the NDJSON that
// means the same; emits keep their order when both forms are mixed; batches
// are cut at the SDK's limits; a record with the wrong number of cells is
// refused before anything is sent.
#include "common/read_host.hpp"

#include <sluice/sdk.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

using sluice::test::ReadHost;

namespace {

sluice::ConfiguredStream stream_named(const char* name) {
  sluice::ConfiguredStream stream;
  stream.name = name;
  return stream;
}

// One record of every kind of cell.
void every_kind(sluice::ReadContext& ctx) {
  ctx.set_fields({"n", "i", "r", "b", "s", "t", "j", "whole", "nan", "inf"});
  ctx.null_cell();
  ctx.int_cell(std::numeric_limits<int64_t>::min());
  ctx.real_cell(-0.125);
  ctx.bool_cell(true);
  ctx.text_cell("tab\there \"q\" \\ ☃");
  ctx.timestamp_cell(-1);
  ctx.json_cell(R"({"k":[1,2.50]})");
  ctx.real_cell(3.0);
  ctx.real_cell(std::nan(""));
  ctx.real_cell(-std::numeric_limits<double>::infinity());
  ctx.end_record();
}

constexpr const char* kEveryKind =
    R"({"n":null,"i":-9223372036854775808,"r":-0.125,"b":true,"s":"tab\there \"q\" \\ ☃",)"
    R"("t":"1969-12-31T23:59:59.999999Z","j":{"k":[1,2.50]},"whole":3.0,"nan":"NaN","inf":"-Infinity"})";

}  // namespace

TEST_CASE("typed records reach a 1.4 host as one record batch of cells, and mean the JSON record an older host gets") {
  const auto stream = stream_named("usage");
  ReadHost host;
  sluice::ReadContext ctx(host.api(), stream);
  every_kind(ctx);
  ctx.flush();
  CHECK(host.events == std::vector<std::string>{"cells 1"});
  REQUIRE(host.batches.size() == 1);
  const auto& batch = host.batches[0];
  CHECK(batch.fields == std::vector<std::string>{"n", "i", "r", "b", "s", "t", "j", "whole", "nan", "inf"});
  REQUIRE(batch.cells.size() == 10);
  CHECK(batch.cells[0].kind == SLUICE_CELL_NULL);
  CHECK(batch.cells[1].kind == SLUICE_CELL_INT64);
  CHECK(batch.cells[2].kind == SLUICE_CELL_DOUBLE);
  CHECK(batch.cells[3].kind == SLUICE_CELL_BOOL);
  CHECK(batch.cells[3].value.integer == 1);
  CHECK(batch.cells[4].kind == SLUICE_CELL_STRING);
  CHECK(batch.text.substr(batch.cells[4].value.offset, batch.cells[4].size) == "tab\there \"q\" \\ ☃");
  CHECK(batch.cells[5].kind == SLUICE_CELL_TIMESTAMP);
  CHECK(batch.cells[6].kind == SLUICE_CELL_JSON);
  CHECK(batch.cells[8].kind == SLUICE_CELL_STRING);  // NaN: JSON has no such number
  CHECK(host.lines == std::vector<std::string>{kEveryKind});

  ReadHost old_host;
  old_host.as_host_minor(3);
  sluice::ReadContext old_ctx(old_host.api(), stream);
  every_kind(old_ctx);
  old_ctx.flush();
  CHECK(old_host.events == std::vector<std::string>{"records 1"});
  CHECK(old_host.lines == std::vector<std::string>{kEveryKind});
}

TEST_CASE("a JSON cell written over several lines still means one NDJSON line to an older host") {
  const auto stream = stream_named("usage");
  ReadHost old_host;
  old_host.as_host_minor(3);
  sluice::ReadContext ctx(old_host.api(), stream);
  ctx.set_fields({"doc", "id"});
  ctx.json_cell("{\n  \"a\": [1,\r\n 2],\n  \"s\": \"x\\ny\"\n}");
  ctx.int_cell(1);
  ctx.end_record();
  ctx.flush();
  CHECK(old_host.lines == std::vector<std::string>{R"({"doc":{   "a": [1,   2],   "s": "x\ny" },"id":1})"});
  CHECK(boost::json::parse(old_host.lines[0]).at("doc").at("s") == "x\ny");
}

TEST_CASE("typed and text records and checkpoints reach the host in the order they were emitted") {
  const auto stream = stream_named("usage");
  ReadHost host;
  sluice::ReadContext ctx(host.api(), stream);
  ctx.emit_serialized(R"({"id":1})");
  ctx.set_fields({"id"});
  ctx.int_cell(2);
  ctx.end_record();
  ctx.int_cell(3);
  ctx.end_record();
  ctx.emit_serialized(R"({"id":4})");
  ctx.int_cell(5);
  ctx.end_record();
  ctx.checkpoint(boost::json::value(5));
  ctx.set_fields({"id", "name"});  // new fields: a new batch
  ctx.int_cell(6);
  ctx.text_cell("six");
  ctx.end_record();
  ctx.set_fields({"id", "name"});  // the same fields: nothing is handed over
  ctx.flush();
  CHECK(host.events ==
        std::vector<std::string>{"records 1", "cells 2", "records 1", "cells 1", "state 5", "cells 1"});
  CHECK(host.lines == std::vector<std::string>{R"({"id":1})", R"({"id":2})", R"({"id":3})", R"({"id":4})",
                                               R"({"id":5})", R"({"id":6,"name":"six"})"});
}

TEST_CASE("typed records are handed over every 2,000 records or 1 MiB, like text records") {
  const auto stream = stream_named("usage");
  ReadHost host;
  sluice::ReadContext ctx(host.api(), stream);
  ctx.set_fields({"id"});
  for (int i = 0; i < 4500; ++i) {
    ctx.int_cell(i);
    ctx.end_record();
  }
  CHECK(host.events == std::vector<std::string>{"cells 2000", "cells 2000"});
  ctx.set_fields({"blob"});
  const std::string blob(300 * 1024, 'x');
  for (int i = 0; i < 4; ++i) {
    ctx.text_cell(blob);
    ctx.end_record();
  }
  ctx.flush();
  // 500 ids left when the fields changed; the 1 MiB limit is reached by the
  // fourth 300 KiB text.
  CHECK(host.events == std::vector<std::string>{"cells 2000", "cells 2000", "cells 500", "cells 4"});
  REQUIRE(host.lines.size() == 4504);
  CHECK(host.lines[4499] == R"({"id":4499})");
}

TEST_CASE("a typed record with more or fewer cells than fields is refused as the connector's bug, and nothing of it "
          "is sent") {
  const auto stream = stream_named("usage");
  ReadHost host;
  sluice::ReadContext ctx(host.api(), stream);
  ctx.set_fields({"a", "b"});
  ctx.int_cell(1);
  CHECK_THROWS_WITH(ctx.end_record(), "a typed record has 1 cells for the 2 fields named by set_fields()");
  ctx.int_cell(2);
  CHECK_THROWS_WITH(ctx.int_cell(3), "a typed record has more cells than the 2 fields named by set_fields()");
  ctx.set_fields({"a"});
  ctx.int_cell(7);
  ctx.end_record();
  ctx.flush();
  CHECK(host.events == std::vector<std::string>{"cells 1"});
  CHECK(host.lines == std::vector<std::string>{R"({"a":7})"});
}

TEST_CASE("a host that refuses a typed batch stops the read with its words") {
  const auto stream = stream_named("usage");
  ReadHost host;
  host.answer = SLUICE_CANCELLED;
  sluice::ReadContext ctx(host.api(), stream);
  ctx.set_fields({"a"});
  ctx.int_cell(1);
  ctx.end_record();
  CHECK_THROWS_AS(ctx.flush(), sluice::Cancelled);
}
