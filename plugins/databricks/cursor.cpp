#include "cursor.hpp"

#include "identifiers.hpp"
#include "row_decoder.hpp"

#include <algorithm>
#include <cctype>

namespace databricks {

namespace {

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::toupper(c); });
  return text;
}

std::string saved_text(const json::value& value) {
  return value.is_string() ? std::string(value.get_string()) : json::serialize(value);
}

}  // namespace

IncrementalRead plan_incremental_read(const sluice::ConfiguredStream& stream) {
  IncrementalRead read;
  read.keyset = sluice::support::plan_keyset_read(stream);
  read.saved_types.assign(read.keyset.order_by.size(), "");
  const auto* state = stream.state.if_object();
  const auto* types = state ? state->if_contains("types") : nullptr;
  if (types && types->is_array() && types->get_array().size() == read.saved_types.size()) {
    for (size_t i = 0; i < read.saved_types.size(); ++i) read.saved_types[i] = saved_text(types->get_array()[i]);
  }
  const auto& order_by = read.keyset.order_by;
  read.condition = sluice::support::keyset_condition(
      read.keyset, [](const std::string& column) { return quote_identifier(column, "column"); },
      [&](const std::string& name) {
        const auto param = std::find_if(read.keyset.params.begin(), read.keyset.params.end(),
                                        [&](const auto& p) { return p.name == name; });
        const size_t column =
            static_cast<size_t>(std::find(order_by.begin(), order_by.end(), param->column) - order_by.begin());
        const std::string& type = read.saved_types[column];
        // A name used twice in the condition is one parameter.
        if (std::none_of(read.parameters.begin(), read.parameters.end(), [&](const auto& p) { return p.name == name; })) {
          read.parameters.push_back({name, type.empty() ? "STRING" : type, saved_text(param->value)});
        }
        return ":" + name;
      });
  return read;
}

std::vector<size_t> locate_order_columns(const IncrementalRead& read, const std::vector<Column>& columns,
                                         const sluice::ConfiguredStream& stream) {
  std::vector<size_t> positions;
  for (size_t i = 0; i < read.keyset.order_by.size(); ++i) {
    const std::string& name = read.keyset.order_by[i];
    const std::string role = i == 0 ? "cursor_field" : "primary_key column";
    const auto found = std::find_if(columns.begin(), columns.end(), [&](const Column& c) { return c.name == name; });
    if (found == columns.end()) {
      throw sluice::Error(sluice::ErrorKind::config, role + " " + name + " is not a column of the table");
    }
    if (!orderable(found->kind)) {
      throw sluice::Error(sluice::ErrorKind::config, role + " " + name + " has type " + found->type_text +
                                                         ", which cannot order rows (use a timestamp, date, number or "
                                                         "string column)");
    }
    if (!read.saved_types[i].empty() && upper(read.saved_types[i]) != upper(parameter_type(*found))) {
      throw sluice::Error(sluice::ErrorKind::config,
                          "the saved state is for a " + read.saved_types[i] + " " + name + ", the column is now " +
                              parameter_type(*found) + "; reset it with `sluice state reset CONNECTION --stream " +
                              stream.ns + "." + stream.name + "`");
    }
    positions.push_back(static_cast<size_t>(found - columns.begin()));
  }
  return positions;
}

std::optional<json::object> checkpoint_after(const IncrementalRead& read, const std::vector<Column>& columns,
                                             const std::vector<size_t>& positions, const json::array& row) {
  std::vector<json::value> last;
  json::array types;
  for (size_t position : positions) {
    auto text = position < row.size() ? cell_text(row[position], columns[position]) : std::nullopt;
    last.push_back(text ? json::value(*text) : json::value(nullptr));
    types.push_back(json::value(parameter_type(columns[position])));
  }
  auto state = sluice::support::keyset_checkpoint(read.keyset, last);
  if (!state) return std::nullopt;
  (*state)["types"] = std::move(types);
  return state;
}

}  // namespace databricks
