// Resumable full refresh: which staging table an interrupted run left is
// reused, and which are discarded. The rule, in one place for every engine:
//
//   A checkpoint a plugin emits during a full refresh is ignored, unless it
//   declares itself a resume point: a JSON object whose member "resumable"
//   is true (plugin-abi.md). Then the writer commits it together with the
//   staging rows before it, keyed by the staging table in _sluice_state, so
//   a run that ends without finishing (killed, crashed, cancelled, failed)
//   keeps its staging table and the checkpoint that says what it holds.
//
//   The next full refresh of the table reuses that staging table, and hands
//   the checkpoint back to the plugin as the stream's state, when all hold:
//     - the kept checkpoint is of the same stream;
//     - the staging table has exactly the columns this run writes (same
//       names, in order, and types): a changed schema starts over;
//     - the checkpoint is still there: `sluice state reset` (or a reset of
//       the stream) removes it, and with it any reason to resume.
//   Otherwise, and for every other leftover, the staging table and its
//   checkpoint are dropped, and the refresh starts from the beginning.
//   Incremental runs of the table discard them too (the mode changed).
//
// The live table changes only with the final swap or append, once, as for
// any full refresh; the kept checkpoint is deleted in that same transaction.
#pragma once

#include "host/sync/stream_plan.hpp"
#include "host/sync/sync_listener.hpp"
#include "host/target/target.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::host {

// Whether a checkpoint emitted during a full refresh is a resume point.
bool is_resume_point(const boost::json::value& checkpoint);

struct KeptStaging {
  TableRef table;          // the staging table to write on into
  std::string state_json;  // the plugin's checkpoint, byte for byte
  std::string sync_id;     // the run that left it
};

// Outside any transaction, holding the table's run lock: returns the staging
// table `plan` (a full refresh writing `columns`) resumes, dropping every
// other leftover of plan.table and its checkpoint. `full_refresh` false:
// drops them all and returns nullopt.
std::optional<KeptStaging> take_kept_staging(Target& target, const StreamPlan& plan,
                                             const std::vector<ColumnDef>& columns, bool full_refresh,
                                             SyncListener& listener);

}  // namespace sluice::host
