#include "host/sync/kept_staging.hpp"

#include <map>

namespace sluice::host {

namespace {

// The staging table holds what this run would write: same columns in
// order, same types (a JSON column reads back as text where the engine
// stores JSON as text).
bool same_columns(const std::vector<ColumnDef>& have, const std::vector<ColumnDef>& want) {
  if (have.size() != want.size()) return false;
  for (size_t i = 0; i < have.size(); ++i) {
    if (have[i].name != want[i].name) return false;
    if (have[i].type != want[i].type && !(have[i].type == ColumnType::text && want[i].type == ColumnType::json)) {
      return false;
    }
  }
  return true;
}

}  // namespace

bool is_resume_point(const boost::json::value& checkpoint) {
  const auto* object = checkpoint.if_object();
  const auto* flag = object ? object->if_contains("resumable") : nullptr;
  return flag && flag->is_bool() && flag->get_bool();
}

std::optional<KeptStaging> take_kept_staging(Target& target, const StreamPlan& plan,
                                             const std::vector<ColumnDef>& columns, bool full_refresh,
                                             SyncListener& listener) {
  const auto leftovers = target.staging_leftovers(plan.table);
  std::map<TableRef, StateRecord> kept;
  if (!leftovers.empty()) {
    for (auto& state : target.store().states()) kept.emplace(state.table, std::move(state));
  }
  std::optional<KeptStaging> chosen;
  for (const auto& leftover : leftovers) {
    const auto state = kept.find(leftover);
    std::string why;
    if (state == kept.end()) {
      why = "";  // a plain leftover of a killed run: nothing to resume
    } else if (!full_refresh) {
      why = "the stream is now incremental";
    } else if (state->second.stream != plan.display_name()) {
      why = "it was left by stream " + state->second.stream;
    } else if (chosen) {
      why = "another one is resumed";
    } else if (auto have = target.table_columns(leftover); !have || !same_columns(*have, columns)) {
      why = "the stream's columns changed";
    } else {
      chosen = KeptStaging{leftover, state->second.state_json, state->second.sync_id};
      continue;
    }
    if (!why.empty()) {
      listener.log(SLUICE_LOG_INFO, "stream " + plan.display_name() + ": the interrupted full refresh of sync " +
                                        state->second.sync_id + " is discarded (" + why + "); starting over");
    }
    if (state != kept.end()) target.store().reset_states(leftover);
    target.drop_table(leftover);
  }
  return chosen;
}

}  // namespace sluice::host
