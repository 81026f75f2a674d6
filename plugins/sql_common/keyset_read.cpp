#include "sql_common/keyset_read.hpp"

#include "sql_common/identifiers.hpp"

#include <algorithm>
#include <cctype>

namespace sql_common {

KeysetPlan plan_keyset(const sluice::ConfiguredStream& stream, const std::vector<std::string>& columns,
                       const std::string& table_name,
                       const std::function<std::optional<std::string>(size_t column)>& unorderable,
                       const std::function<std::string(const std::string& name)>& quote,
                       const std::function<std::string(size_t column, size_t number)>& placeholder) {
  KeysetPlan plan;
  plan.keyset = sluice::support::plan_keyset_read(stream);
  for (size_t i = 0; i < plan.keyset.order_by.size(); ++i) {
    const std::string role = i == 0 ? "cursor_field" : "primary_key column";
    const std::string& name = plan.keyset.order_by[i];
    const auto found = std::find(columns.begin(), columns.end(), name);
    if (found == columns.end()) {
      throw sluice::Error(sluice::ErrorKind::config, role + " " + printable(name) + " is not a column of " + table_name);
    }
    const auto column = static_cast<size_t>(found - columns.begin());
    if (auto type = unorderable(column)) {
      throw sluice::Error(sluice::ErrorKind::config,
                          role + " " + printable(name) + " has type " + *type + ", which cannot order rows");
    }
    plan.columns.push_back(column);
  }
  const auto& keyset = plan.keyset;
  plan.condition = sluice::support::keyset_condition(keyset, quote, [&](const std::string& param) {
    const auto found = std::find_if(keyset.params.begin(), keyset.params.end(), [&](const auto& p) { return p.name == param; });
    const auto& value = found->value;
    plan.params.push_back(value.is_string() ? std::string(value.get_string()) : boost::json::serialize(value));
    const auto position = static_cast<size_t>(std::find(keyset.order_by.begin(), keyset.order_by.end(), found->column) -
                                              keyset.order_by.begin());
    return placeholder(plan.columns[position], plan.params.size());
  });
  return plan;
}

namespace {

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::toupper(c); });
  return text;
}

}  // namespace

std::vector<size_t> locate_order_columns(const sluice::support::KeysetRead& keyset,
                                         const std::vector<std::string>& saved_types, const ResultColumns& columns,
                                         const sluice::ConfiguredStream& stream) {
  std::vector<size_t> positions;
  for (size_t i = 0; i < keyset.order_by.size(); ++i) {
    const std::string& name = keyset.order_by[i];
    const std::string role = i == 0 ? "cursor_field" : "primary_key column";
    const auto found = std::find(columns.names.begin(), columns.names.end(), name);
    if (found == columns.names.end()) {
      throw sluice::Error(sluice::ErrorKind::config, role + " " + name + " is not a column of the table");
    }
    const auto column = static_cast<size_t>(found - columns.names.begin());
    if (auto type = columns.unorderable(column)) {
      throw sluice::Error(sluice::ErrorKind::config, role + " " + name + " has type " + *type +
                                                         ", which cannot order rows (use " + columns.orderable + ")");
    }
    const std::string saved = i < saved_types.size() ? saved_types[i] : std::string();
    if (!saved.empty() && upper(saved) != upper(columns.saved_type(column))) {
      throw sluice::Error(sluice::ErrorKind::config,
                          "the saved state is for a " + saved + " " + name + ", the column is now " +
                              columns.saved_type(column) + "; reset it with `sluice state reset CONNECTION --stream " +
                              stream.ns + "." + stream.name + "`");
    }
    positions.push_back(column);
  }
  return positions;
}

std::optional<boost::json::object> typed_checkpoint(const sluice::support::KeysetRead& keyset,
                                                    const std::vector<std::optional<std::string>>& values,
                                                    std::vector<std::string> types) {
  std::vector<boost::json::value> last;
  boost::json::array saved;
  for (size_t i = 0; i < values.size(); ++i) {
    last.push_back(values[i] ? boost::json::value(*values[i]) : boost::json::value(nullptr));
    saved.push_back(boost::json::value(std::move(types[i])));
  }
  auto state = sluice::support::keyset_checkpoint(keyset, last);
  if (state) (*state)["types"] = std::move(saved);
  return state;
}

void KeysetCheckpoints::row_emitted(const std::vector<std::optional<std::string_view>>& order_values) {
  for (size_t i = 0; i < last_.size() && i < order_values.size(); ++i) {
    last_[i] = order_values[i] ? boost::json::value(boost::json::string(*order_values[i])) : boost::json::value(nullptr);
  }
  ++done_;
  if (++since_ >= every_) checkpoint();
}

void KeysetCheckpoints::checkpoint() {
  if (since_ == 0) return;
  if (auto state = sluice::support::keyset_checkpoint(keyset_, last_)) {
    ctx_.checkpoint(*state);
  } else {
    ctx_.flush();  // the last row's cursor is NULL: nothing to resume from
  }
  since_ = 0;
  ctx_.progress(done_);
}

}  // namespace sql_common
