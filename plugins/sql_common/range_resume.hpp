// A full refresh read in integer key ranges, resumable at the range: what
// is left to read, as the checkpoint the host keeps with the staging rows
// it covers (host/sync/kept_staging.hpp: a full refresh checkpoint is a
// resume point when its "resumable" member is true).
//
//   {"resumable": true, "key": "id", "todo": [[low, high], ...]}
//
// `todo` are the [low, high) key ranges not yet emitted (null: unbounded).
// A range being read when the checkpoint is taken is in it from just past
// the key of its last emitted record: ranges are read in key order, so
// every record emitted so far is outside `todo` and none that was not is.
// A resumed read reads `todo` in a new snapshot: each range is consistent
// in itself, rows changed meanwhile in ranges already read are read as they
// were (the connector docs say so).
#pragma once

#include "sql_common/key_ranges.hpp"

#include <sluice/sdk.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sql_common {

class RangeResume {
 public:
  RangeResume(std::string key_column, std::vector<KeyRange> ranges);

  // The ranges a resume point of `key_column` left to read; nullopt when
  // `state` is not one (no state, or another key: the read starts over).
  // Throws std::invalid_argument for a resume point that is not well formed.
  static std::optional<std::vector<KeyRange>> todo_of(const boost::json::value& state, const std::string& key_column);

  // On read()'s thread, after range `range`'s records up to the one whose
  // key text is `position` were emitted ("" : none this time); `range_end`:
  // all of it was.
  void emitted(size_t range, const std::string& position, bool range_end);
  boost::json::object checkpoint() const;

 private:
  std::string key_column_;
  std::vector<KeyRange> ranges_;
  std::vector<bool> done_;
};

// The key ranges the resume point in `stream`'s state left to read of
// `name` (printable) by `key_column`, or nullopt: plan from the start.
// Throws sluice::Error(config), naming the reset command, for a resume point
// that is not well formed.
std::optional<std::vector<KeyRange>> ranges_to_resume(const sluice::ConfiguredStream& stream,
                                                      const std::string& key_column, const std::string& name);

}  // namespace sql_common
