#include "cursor.hpp"

#include "identifiers.hpp"
#include "row_decoder.hpp"

#include "sql_common/keyset_read.hpp"

#include <algorithm>

namespace databricks {

namespace {

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
  sql_common::ResultColumns result;
  for (const auto& column : columns) result.names.push_back(column.name);
  result.unorderable = [&](size_t i) -> std::optional<std::string> {
    if (orderable(columns[i].kind)) return std::nullopt;
    return columns[i].type_text;
  };
  result.saved_type = [&](size_t i) { return parameter_type(columns[i]); };
  result.orderable = "a timestamp, date, number or string column";
  return sql_common::locate_order_columns(read.keyset, read.saved_types, result, stream);
}

std::optional<json::object> checkpoint_after(const IncrementalRead& read, const std::vector<Column>& columns,
                                             const std::vector<size_t>& positions, const sql_common::SentRow& row) {
  std::vector<std::optional<std::string>> values;
  std::vector<std::string> types;
  for (size_t position : positions) {
    values.push_back(position < row.size() ? cell_text(row[position], columns[position]) : std::nullopt);
    types.push_back(parameter_type(columns[position]));
  }
  return sql_common::typed_checkpoint(read.keyset, values, std::move(types));
}

}  // namespace databricks
