#include <sluice/support/keyset.hpp>

#include <algorithm>

namespace sluice::support {

namespace json = boost::json;

namespace {

[[noreturn]] void refuse_state(const ConfiguredStream& stream, const std::string& why) {
  const std::string name = stream.ns.empty() ? stream.name : stream.ns + "." + stream.name;
  throw Error(ErrorKind::config, why + "; reset it with `sluice state reset CONNECTION --stream " + name + "`");
}

std::string top_level(const FieldPath& path, const char* what) {
  if (path.size() != 1 || path[0].empty()) {
    throw Error(ErrorKind::config, std::string(what) + " must be a top-level field for an incremental read");
  }
  return path[0];
}

json::array key_names(const std::vector<std::string>& order_by) {
  return json::array(order_by.begin() + 1, order_by.end());
}

}  // namespace

KeysetRead plan_keyset_read(const ConfiguredStream& stream) {
  if (stream.cursor_field.empty()) throw Error(ErrorKind::config, "an incremental read needs a cursor_field");
  KeysetRead read{{top_level(stream.cursor_field, "cursor_field")}, {}};
  for (const auto& part : stream.primary_key) read.order_by.push_back(top_level(part, "every primary_key part"));
  const json::object* state = stream.state.if_object();
  if (stream.state.is_null() || (state && state->empty())) return read;

  const json::value* field = state ? state->if_contains("cursor_field") : nullptr;
  const json::value* cursor = state ? state->if_contains("cursor") : nullptr;
  if (!field || !field->is_string() || !cursor || cursor->is_null()) {
    refuse_state(stream, "the saved state is not a cursor checkpoint");
  }
  if (field->get_string() != read.order_by[0]) {
    refuse_state(stream, "the saved state is for cursor " + std::string(field->get_string()) +
                             ", the connection now uses " + read.order_by[0]);
  }
  read.params.push_back({"cursor", read.order_by[0], *cursor});

  // Without the same key in the state (an older cursor-only state, or the
  // key changed), the inclusive bound is the one that misses nothing.
  const json::value* saved_key = state->if_contains("primary_key");
  if (read.order_by.size() == 1 || !saved_key || *saved_key != json::value(key_names(read.order_by))) return read;
  const json::value* values = state->if_contains("key");
  const json::array* list = values ? values->if_array() : nullptr;
  if (!list || list->size() + 1 != read.order_by.size() ||
      std::any_of(list->begin(), list->end(), [](const json::value& v) { return v.is_null(); })) {
    refuse_state(stream, "the saved state's key does not match its primary_key");
  }
  for (size_t i = 0; i < list->size(); ++i) {
    read.params.push_back({"key_" + std::to_string(i + 1), read.order_by[i + 1], (*list)[i]});
  }
  return read;
}

std::string keyset_condition(const KeysetRead& read, const SqlNamer& quote, const SqlNamer& placeholder) {
  if (read.params.empty()) return "";
  const auto compare = [&](const KeysetParam& param, const char* op) {
    return quote(param.column) + " " + op + " " + placeholder(param.name);
  };
  std::string sql = compare(read.params[0], ">=");
  if (read.params.size() == 1) return sql;
  // (cursor, k1, k2...) > (@cursor, @key_1, ...), expanded term by term for
  // engines without row comparison; the leading >= keeps it a range scan.
  sql += " AND (" + compare(read.params[0], ">");
  for (size_t i = 1; i < read.params.size(); ++i) {
    std::string term;
    for (size_t j = 1; j < i; ++j) term += compare(read.params[j], "=") + " AND ";
    term += compare(read.params[i], ">");
    sql += " OR " + (i == 1 ? term : "(" + term + ")");
  }
  return sql + ")";
}

std::optional<json::object> keyset_checkpoint(const KeysetRead& read, const std::vector<json::value>& last) {
  if (last.size() != read.order_by.size()) {
    throw Error(ErrorKind::internal, "keyset_checkpoint: " + std::to_string(last.size()) + " values for " +
                                         std::to_string(read.order_by.size()) + " order_by columns");
  }
  if (last[0].is_null()) return std::nullopt;
  json::object state{{"cursor_field", read.order_by[0]}, {"cursor", last[0]}};
  if (read.order_by.size() == 1 || std::any_of(last.begin() + 1, last.end(), [](const json::value& v) { return v.is_null(); })) {
    return state;
  }
  state["primary_key"] = key_names(read.order_by);
  state["key"] = json::array(last.begin() + 1, last.end());
  return state;
}

}  // namespace sluice::support
