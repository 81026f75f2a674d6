// Reading one stream.
//
// Full refresh: START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY. A
// table with a single integer primary key is split into key ranges of
// about `chunk_rows` rows. With `parallelism` 1 (the default) one connection
// reads them in one snapshot. Above 1 the connections' snapshots are
// aligned: a third connection holds FLUSH TABLES t WITH READ LOCK while each
// reader starts its snapshot, then releases it (writers to t wait those few
// milliseconds; the lock needs RELOAD, and without it the read falls back to
// one connection, saying so). Rows cross to read()'s thread through a
// bounded queue. A failure anywhere fails the stream with nothing committed.
//
// Incremental: the SDK's keyset rule on (cursor, primary key) as a prepared
// statement, values bound as text and cast to exact types
// (dialect.hpp's placeholder_for), a checkpoint every `chunk_rows` rows.
#pragma once

#include "catalog.hpp"

namespace mysql_source {

void read_full_refresh(Session& leader, const Settings& settings, const sluice::Logger& log, const Table& table,
                       sluice::ReadContext& ctx);

void read_incremental(Session& session, const Table& table, const Settings& settings, sluice::ReadContext& ctx);

}  // namespace mysql_source
