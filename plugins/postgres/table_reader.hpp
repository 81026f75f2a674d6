// Reading one stream.
//
// Full refresh: one consistent snapshot. The first connection opens a
// repeatable-read, read-only transaction and exports its snapshot; up to
// `parallelism` connections import it and read the table's ranges (ranges
// of a single integer key, in key order; CTID block ranges for tables
// without one) with COPY TO STDOUT, each decoding its rows on its own
// thread and handing them to read()'s thread through a bounded queue. A
// range that fails fails the stream; the host swaps the staging table only
// when the read ends well.
//
// Key ranges are resumable: after each range is emitted, a resume point
// (sql_common/range_resume.hpp) says which key ranges are left, and the
// host keeps it with the staging rows; a read given one reads only those,
// in a new snapshot. CTID ranges are not (a tuple's block changes when it
// is updated): a killed read of them starts over.
//
// Incremental: the keyset rule of sluice/support/keyset.hpp on (cursor,
// primary key), values bound as $n text parameters typed by the server as
// the column's own type, rows streamed one at a time, a checkpoint after
// every `chunk_rows` rows and at the end, saving the order columns' exact
// server text.
//
// By xmin (tables chosen by xmin_tables): every row written by a
// transaction at or after the last read's snapshot xmin, then a checkpoint at
// this read's; inserts and updates, never deletes (flavor.hpp, xmin64_sql).
#pragma once

#include "catalog.hpp"

#include <sluice/sdk.hpp>

namespace postgres {

void read_full_refresh(Session& leader, const Settings& settings, const sluice::Logger& log, const Table& table,
                       sluice::ReadContext& ctx);

void read_incremental(Session& session, const Table& table, const Settings& settings, sluice::ReadContext& ctx);

// The ranges a full refresh of `table` reads, planned inside the leader's
// snapshot (exposed for tests).
std::vector<Range> plan_ranges(Session& leader, const Table& table, const Settings& settings, std::string& key_column,
                               const std::string& as_of);

}  // namespace postgres
