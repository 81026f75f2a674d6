#include "sql_common/range_resume.hpp"

#include <charconv>
#include <limits>
#include <stdexcept>

namespace sql_common {

namespace json = boost::json;

namespace {

std::optional<int64_t> bound_of(const json::value& value) {
  if (value.is_null()) return std::nullopt;
  if (!value.is_int64()) throw std::invalid_argument("a range bound is not an integer or null");
  return value.get_int64();
}

json::value bound_json(const std::optional<int64_t>& bound) {
  return bound ? json::value(*bound) : json::value(nullptr);
}

}  // namespace

RangeResume::RangeResume(std::string key_column, std::vector<KeyRange> ranges)
    : key_column_(std::move(key_column)), ranges_(std::move(ranges)), done_(ranges_.size(), false) {}

std::optional<std::vector<KeyRange>> RangeResume::todo_of(const json::value& state, const std::string& key_column) {
  const auto* object = state.if_object();
  if (!object) return std::nullopt;
  const auto* key = object->if_contains("key");
  if (!key || !key->is_string() || key->get_string() != key_column) return std::nullopt;
  const auto* todo = object->if_contains("todo");
  if (!todo || !todo->is_array()) throw std::invalid_argument("the resume point has no todo list");
  std::vector<KeyRange> ranges;
  for (const auto& entry : todo->get_array()) {
    const auto* pair = entry.if_array();
    if (!pair || pair->size() != 2) throw std::invalid_argument("a range of the resume point is not [low, high]");
    ranges.push_back({bound_of((*pair)[0]), bound_of((*pair)[1])});
  }
  return ranges;
}

void RangeResume::emitted(size_t range, const std::string& position, bool range_end) {
  if (range >= ranges_.size()) return;
  if (range_end) {
    done_[range] = true;
    return;
  }
  if (position.empty()) return;
  int64_t key = 0;
  const auto [end, error] = std::from_chars(position.data(), position.data() + position.size(), key);
  if (error != std::errc() || end != position.data() + position.size()) {
    throw std::invalid_argument("a key range's record has no integer key");
  }
  if (key == std::numeric_limits<int64_t>::max()) {
    done_[range] = true;  // nothing can follow it
    return;
  }
  ranges_[range].low = key + 1;
}

json::object RangeResume::checkpoint() const {
  json::array todo;
  for (size_t i = 0; i < ranges_.size(); ++i) {
    if (!done_[i]) todo.push_back(json::array{bound_json(ranges_[i].low), bound_json(ranges_[i].high)});
  }
  return {{"resumable", true}, {"key", key_column_}, {"todo", std::move(todo)}};
}

std::optional<std::vector<KeyRange>> ranges_to_resume(const sluice::ConfiguredStream& stream,
                                                      const std::string& key_column, const std::string& name) {
  if (key_column.empty() || stream.incremental()) return std::nullopt;
  try {
    return RangeResume::todo_of(stream.state, key_column);
  } catch (const std::invalid_argument& e) {
    throw sluice::Error(sluice::ErrorKind::config, "the saved resume point of " + name +
                                                       " is not one this connector wrote (" + e.what() +
                                                       "); reset it with `sluice state reset CONNECTION --stream " +
                                                       (stream.ns.empty() ? "" : stream.ns + ".") + stream.name + "`");
  }
}

}  // namespace sql_common
