#include "host/ingest/event_batch.hpp"

#include "host/config/schema_validator.hpp"
#include "host/sync/record_mapper.hpp"

#include <algorithm>
#include <limits>
#include <unordered_map>

namespace sluice::host {

namespace json = boost::json;

const char* to_string(EventStatus status) {
  switch (status) {
    case EventStatus::accepted: return "accepted";
    case EventStatus::duplicate: return "duplicate";
    case EventStatus::rejected: return "rejected";
  }
  return "rejected";
}

namespace {

// One event as sent: its text on one line, and its value (null when the
// text is not JSON: then `problem` says why).
struct RawEvent {
  std::string_view text;
  json::value value;
  std::string problem;
};

std::string event_path(size_t index) { return "$[" + std::to_string(index) + "]"; }

std::string kind_name(const json::value& value) {
  switch (value.kind()) {
    case json::kind::array: return "array";
    case json::kind::string: return "string";
    case json::kind::bool_: return "boolean";
    case json::kind::null: return "null";
    case json::kind::object: return "object";
    default: return value.is_double() ? "number" : "integer";
  }
}

json::parse_options options(size_t depth) {
  json::parse_options opts;
  opts.max_depth = depth;
  return opts;
}

// Parses one JSON text whole; on failure returns the reason with the byte
// where the parser stopped.
json::value parse_text(std::string_view text, size_t depth, std::string& problem) {
  json::parser parser(json::storage_ptr(), options(depth));
  json::error_code ec;
  const size_t used = parser.write(text.data(), text.size(), ec);  // the whole text, or the byte it stopped at
  if (ec) {
    problem = "not valid JSON at byte " + std::to_string(used + 1) + " (" + ec.message() + ")";
    if (ec == json::error::too_deep) {
      problem = "nested deeper than " + std::to_string(depth) + " levels at byte " + std::to_string(used + 1);
    }
    return nullptr;
  }
  return parser.release();
}

// The text of each element of a JSON array that has parsed already: split
// at the commas of depth 1, outside strings.
std::vector<std::string_view> array_elements(std::string_view body) {
  std::vector<std::string_view> out;
  int depth = 0;
  bool in_string = false;
  size_t start = 0;
  auto add = [&](size_t end) {
    std::string_view element = body.substr(start, end - start);
    const size_t first = element.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return;
    element = element.substr(first, element.find_last_not_of(" \t\r\n") - first + 1);
    out.push_back(element);
  };
  for (size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth == 1) start = i + 1;
    } else if (c == ']' || c == '}') {
      if (depth-- == 1) add(i);
    } else if (c == ',' && depth == 1) {
      add(i);
      start = i + 1;
    }
  }
  return out;
}

std::vector<RawEvent> split_body(std::string_view body, size_t max_events) {
  const size_t first = body.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) {
    throw EventBodyError(400, "invalid_json", "the request body is empty; send a JSON array of events or NDJSON");
  }
  std::vector<RawEvent> events;
  if (body[first] == '[') {
    std::string problem;
    json::value all = parse_text(body, kMaxEventDepth + 1, problem);
    if (!problem.empty()) throw EventBodyError(400, "invalid_json", "the request body is " + problem);
    if (!all.is_array()) throw EventBodyError(400, "invalid_json", "the request body must be one JSON array");
    auto& values = all.get_array();
    if (values.size() > max_events) {
      throw EventBodyError(413, "too_many_events", "a request holds at most " + std::to_string(max_events) +
                                                       " events; send the rest in another request");
    }
    events.reserve(values.size());
    for (std::string_view element : array_elements(body)) events.push_back({element, nullptr, ""});
    if (events.size() != values.size()) throw EventBodyError(400, "invalid_json", "the request body is not valid JSON");
    for (size_t i = 0; i < values.size(); ++i) events[i].value = std::move(values[i]);
    return events;
  }
  size_t start = 0;
  while (start < body.size()) {
    size_t end = body.find('\n', start);
    if (end == std::string_view::npos) end = body.size();
    std::string_view line = body.substr(start, end - start);
    start = end + 1;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    RawEvent event{line, nullptr, ""};
    event.value = parse_text(line, kMaxEventDepth, event.problem);
    events.push_back(std::move(event));
    if (events.size() > max_events) {
      throw EventBodyError(413, "too_many_events", "a request holds at most " + std::to_string(max_events) +
                                                       " events; send the rest in another request");
    }
  }
  return events;
}

// "$[4].amount: expected integer, got string" for the events in `valid`
// (their indexes among all events), rewritten to each event's own index.
void validate(const IngestStream& stream, const std::vector<RawEvent>& events, const std::vector<size_t>& valid,
              std::vector<EventOutcome>& outcomes) {
  json::object item = stream.schema;
  json::array required;
  if (const auto* have = item.if_contains("required"); have && have->is_array()) required = have->get_array();
  for (const std::string* field : {&stream.id_field, &stream.time_field, &stream.customer_field}) {
    if (!field->empty() && std::find(required.begin(), required.end(), json::value(*field)) == required.end()) {
      required.push_back(json::value(*field));
    }
  }
  item["required"] = std::move(required);
  json::array values;
  values.reserve(valid.size());
  for (size_t i : valid) values.push_back(events[i].value);
  const json::object schema{{"type", "array"}, {"items", std::move(item)}};
  for (const std::string& line : validate_config(schema, values, "$")) {
    // "$[k]..." names the k-th value validated.
    size_t k = 0;
    size_t close = std::string::npos;
    if (line.rfind("$[", 0) == 0 && (close = line.find(']')) != std::string::npos) {
      k = static_cast<size_t>(std::stoull(line.substr(2, close - 2)));
    }
    if (close == std::string::npos || k >= valid.size()) {
      // Not about one event (cannot happen with an "items" schema): all fail.
      for (size_t i : valid) outcomes[i].problems.push_back({event_path(i), line});
      continue;
    }
    const size_t sep = line.find(": ", close);
    const std::string rest = line.substr(close + 1, sep == std::string::npos ? std::string::npos : sep - close - 1);
    const std::string message = sep == std::string::npos ? "invalid" : line.substr(sep + 2);
    outcomes[valid[k]].problems.push_back({event_path(valid[k]) + rest, message});
  }
}

// The fields of a row's _sluice_uncast: values the schema accepted but no
// column of their type holds (an integer past 64 bits, a time outside
// 0001-9999).
void reject_uncast(std::string_view uncast, size_t event, const IngestTable& table, EventOutcome& outcome) {
  json::error_code ec;
  json::value fields = json::parse(uncast, ec);
  if (ec || !fields.is_object()) {
    outcome.problems.push_back({event_path(event), "a value does not fit its column"});
    return;
  }
  for (const auto& field : fields.get_object()) {
    std::string type = "its";
    for (size_t c = 0; c < table.data_width; ++c) {
      if (table.columns[c].source_name == field.key()) type = to_string(table.columns[c].type);
    }
    outcome.problems.push_back({event_path(event) + "." + std::string(field.key()),
                                "does not fit a " + type + " column exactly"});
  }
}

}  // namespace

EventBatch read_event_batch(std::string_view body, const IngestStream& stream, const IngestTable& table,
                            const std::string& request_id, support::Timestamp received_at, size_t max_events) {
  std::vector<RawEvent> events = split_body(body, max_events);
  EventBatch out;
  out.outcomes.resize(events.size());
  std::vector<size_t> parsed;
  for (size_t i = 0; i < events.size(); ++i) {
    if (!events[i].problem.empty()) {
      out.outcomes[i].problems.push_back({event_path(i), events[i].problem});
    } else if (!events[i].value.is_object()) {
      // Whatever the schema says: the mapper takes objects only.
      out.outcomes[i].problems.push_back({event_path(i), "expected object, got " + kind_name(events[i].value)});
    } else {
      parsed.push_back(i);
    }
  }
  validate(stream, events, parsed, out.outcomes);

  // The valid events through the record mapper, one line each.
  std::string ndjson;
  std::vector<size_t> mapped;
  for (size_t i : parsed) {
    if (!out.outcomes[i].problems.empty()) continue;
    // One line each: a line break in JSON text is whitespace (strings hold
    // only escaped ones).
    for (char c : events[i].text) ndjson += c == '\n' || c == '\r' ? ' ' : c;
    ndjson += '\n';
    mapped.push_back(i);
  }
  std::vector<ColumnDef> mapper_columns(table.columns.begin(), table.columns.end() - 1);  // without _sluice_late
  RecordMapper mapper(mapper_columns, request_id);
  RowBatch typed = mapper.map(ndjson, support::format_rfc3339(received_at, 6));
  if (typed.rows != mapped.size()) throw std::logic_error("the record mapper returned another number of rows");

  const size_t width = table.columns.size();
  const size_t uncast_column = table.data_width + 3;
  const int64_t horizon_micros =
      stream.late_after_seconds > 0 ? received_at.micros - stream.late_after_seconds * 1000000
                                    : std::numeric_limits<int64_t>::min();
  const std::string received_text = support::format_rfc3339(received_at, 6);
  out.rows.width = width;
  out.rows.cells.reserve(typed.rows * width);
  std::unordered_map<std::string, size_t> first_of_key;
  struct Kept {
    size_t row;    // in `typed`
    size_t event;
  };
  std::vector<Kept> kept;
  for (size_t r = 0; r < typed.rows; ++r) {
    const size_t event = mapped[r];
    EventOutcome& outcome = out.outcomes[event];
    const Cell& uncast = typed.at(r, uncast_column);
    if (uncast.kind != Cell::Kind::null) {
      reject_uncast(typed.text(uncast), event, table, outcome);
      continue;
    }
    for (size_t column : {table.id_column, table.time_column, table.customer_column}) {
      if (column != static_cast<size_t>(-1) && typed.at(r, column).kind == Cell::Kind::null) {
        outcome.problems.push_back({event_path(event) + "." + table.columns[column].source_name,
                                    "must not be null (the stream's " +
                                        std::string(column == table.id_column     ? "id"
                                                    : column == table.time_column ? "time"
                                                                                  : "customer") +
                                        " field)"});
      }
    }
    if (!outcome.problems.empty()) continue;
    const Cell& id = typed.at(r, table.id_column);
    outcome.id = id.kind == Cell::Kind::integer ? std::to_string(id.integer) : std::string(typed.text(id));
    if (!first_of_key.emplace(outcome.id, event).second) {
      outcome.status = EventStatus::duplicate;
      outcome.first_received_at = received_text;
      continue;
    }
    outcome.status = EventStatus::accepted;  // until the write says otherwise
    outcome.late = typed.at(r, table.time_column).integer < horizon_micros;
    kept.push_back({r, event});
  }
  // In key order: concurrent writers then lock the keys they share in the
  // same order, which keeps InnoDB's and PostgreSQL's row locks from
  // deadlocking on each other.
  std::sort(kept.begin(), kept.end(), [&](const Kept& a, const Kept& b) {
    return out.outcomes[a.event].id < out.outcomes[b.event].id;
  });
  for (const Kept& k : kept) {
    for (size_t c = 0; c + 1 < width; ++c) out.rows.cells.push_back(typed.at(k.row, c));
    out.rows.cells.push_back(Cell{Cell::Kind::integer, out.outcomes[k.event].late ? 1 : 0, 0, 0, 0});
    ++out.rows.rows;
    out.row_event.push_back(k.event);
    out.row_key.push_back(out.outcomes[k.event].id);
  }
  out.rows.arena = std::move(typed.arena);
  return out;
}

}  // namespace sluice::host
