#include "page_decoder.hpp"

#include "cell_decoder.hpp"

#include <sluice/detail/rfc3339_format.hpp>
#include <sluice/sdk.hpp>
#include <sluice/support/json_elements.hpp>
#include <sluice/support/timestamp.hpp>

#include <boost/json/basic_parser_impl.hpp>

#include <charconv>
#include <cmath>
#include <exception>
#include <utility>

namespace bigquery {

namespace {

using json::string_view;
using json::error_code;

using sluice::support::append_json_string;

// The instants a TIMESTAMP cell holds (plugin.h): years 0001-9999.
using sluice::support::detail::kEndMicros;
using sluice::support::detail::kFirstMicros;

template <typename Number>
void append_number(std::string& out, Number value) {
  char text[32];
  auto [end, ec] = std::to_chars(text, text + sizeof text, value);
  out.append(text, static_cast<size_t>(end - text));
}

// Writes a JSON document compactly (no whitespace, so it fits one NDJSON
// line) as it is parsed: a JSON column's text is checked and copied in one
// pass. Numbers keep their text; strings are re-escaped.
class CompactWriter {
 public:
  static constexpr size_t max_object_size = size_t(-1), max_array_size = size_t(-1),
                          max_key_size = size_t(-1), max_string_size = size_t(-1);
  explicit CompactWriter(std::string& out) : out_(out) {}

  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }
  bool on_object_begin(error_code&) { return open('{'); }
  bool on_object_end(size_t, error_code&) { return close('}'); }
  bool on_array_begin(error_code&) { return open('['); }
  bool on_array_end(size_t, error_code&) { return close(']'); }
  bool on_key_part(string_view s, size_t, error_code&) { return text_part(s); }
  bool on_key(string_view s, size_t, error_code&) {
    text_part(s);
    text_end();
    out_.push_back(':');
    after_key_ = true;
    return true;
  }
  bool on_string_part(string_view s, size_t, error_code&) { return text_part(s); }
  bool on_string(string_view s, size_t, error_code&) {
    text_part(s);
    text_end();
    return true;
  }
  bool on_number_part(string_view s, error_code&) { return number_part(s); }
  bool on_int64(int64_t, string_view s, error_code&) { return number_end(s); }
  bool on_uint64(uint64_t, string_view s, error_code&) { return number_end(s); }
  bool on_double(double, string_view s, error_code&) { return number_end(s); }
  bool on_bool(bool b, error_code&) { return literal(b ? "true" : "false"); }
  bool on_null(error_code&) { return literal("null"); }
  bool on_comment_part(string_view, error_code&) { return true; }
  bool on_comment(string_view, error_code&) { return true; }

 private:
  // A comma before every member and element but the first of its container.
  void separate() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (!first_.empty()) {
      if (!first_.back()) out_.push_back(',');
      first_.back() = false;
    }
  }
  bool open(char c) {
    separate();
    out_.push_back(c);
    first_.push_back(true);
    return true;
  }
  bool close(char c) {
    out_.push_back(c);
    first_.pop_back();
    return true;
  }
  bool literal(const char* text) {
    separate();
    out_ += text;
    return true;
  }
  bool text_part(string_view s) {
    if (!in_text_) {
      separate();
      out_.push_back('"');
      in_text_ = true;
    }
    const size_t at = out_.size();
    append_json_string(out_, s);
    out_.erase(at, 1);    // the opening quote
    out_.pop_back();      // and the closing one: the text goes on
    return true;
  }
  void text_end() {
    out_.push_back('"');
    in_text_ = false;
  }
  bool number_part(string_view s) {
    if (!in_number_) {
      separate();
      in_number_ = true;
    }
    out_.append(s.data(), s.size());
    return true;
  }
  bool number_end(string_view s) {
    number_part(s);
    in_number_ = false;
    return true;
  }

  std::string& out_;
  std::vector<bool> first_;  // per open container: nothing written in it yet
  bool after_key_ = false, in_text_ = false, in_number_ = false;
};

// A JSON column's text written as JSON; false (and nothing written) when it
// is not one JSON document as json::parse would accept it.
bool append_json_document(std::string& out, std::string_view text) {
  const size_t at = out.size();
  json::basic_parser<CompactWriter> parser(json::parse_options{}, out);
  error_code ec;
  const size_t used = parser.write_some(false, text.data(), text.size(), ec);
  if (ec || used != text.size() || !parser.done()) {
    out.resize(at);
    return false;
  }
  return true;
}

// One scalar cell ("v" a string) as cell_decoder.cpp's decode_scalar
// decodes it, written as JSON.
void append_scalar(std::string& out, std::string_view text, const Field& field) {
  switch (field.type) {
    case FieldType::int64: {
      int64_t value = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (ec == std::errc() && end == text.data() + text.size()) return append_number(out, value);
      break;  // kept exactly as text; the host reports it as uncast
    }
    case FieldType::float64: {
      double value = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
      // NaN and ±Infinity have no JSON number: they stay strings.
      if (ec == std::errc() && end == text.data() + text.size() && std::isfinite(value)) {
        const size_t at = out.size();
        append_number(out, value);
        // Always a fraction or an exponent, so the value reads back as a double.
        if (out.find_first_of(".e", at) == std::string::npos) out += ".0";
        return;
      }
      break;
    }
    case FieldType::boolean:
      if (text == "true" || text == "false") {
        out.append(text);
        return;
      }
      break;
    case FieldType::timestamp:
      if (auto micros = parse_timestamp_micros(text)) {
        out.push_back('"');
        sluice::support::append_rfc3339(out, {*micros});
        out.push_back('"');
        return;
      }
      break;  // already ISO-8601 (timestampOutputFormat)
    case FieldType::json:
      if (append_json_document(out, text)) return;
      break;
    default: break;
  }
  append_json_string(out, text);
}

// One top-level scalar cell ("v" a string) as a typed cell: the value
// append_scalar would write as its JSON.
void typed_scalar(sluice::ReadContext& cells, std::string_view text, const Field& field, std::string& scratch) {
  switch (field.type) {
    case FieldType::int64: {
      int64_t value = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (ec == std::errc() && end == text.data() + text.size()) return cells.int_cell(value);
      break;
    }
    case FieldType::float64: {
      double value = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (ec == std::errc() && end == text.data() + text.size() && std::isfinite(value)) return cells.real_cell(value);
      break;
    }
    case FieldType::boolean:
      if (text == "true" || text == "false") return cells.bool_cell(text == "true");
      break;
    case FieldType::timestamp:
      if (auto micros = parse_timestamp_micros(text)) {
        if (*micros >= kFirstMicros && *micros < kEndMicros) return cells.timestamp_cell(*micros);
        scratch.clear();  // outside a TIMESTAMP cell's years: its text, as append_scalar writes it
        sluice::support::append_rfc3339(scratch, {*micros});
        return cells.text_cell(scratch);
      }
      break;
    case FieldType::json:
      scratch.clear();
      if (append_json_document(scratch, text)) return cells.json_cell(scratch);
      break;
    default: break;
  }
  cells.text_cell(text);
}

// The streaming handler. A stack of frames says where in the page the
// parser is; `key_next_` says what the value after a key is.
class PageHandler {
 public:
  static constexpr size_t max_object_size = size_t(-1), max_array_size = size_t(-1),
                          max_key_size = size_t(-1), max_string_size = size_t(-1);

  PageHandler(const std::vector<Field>* fields, const std::vector<std::string>& capture, const RecordSink& sink,
              const DecodeOptions& options)
      : fields_(fields), capture_names_(capture), sink_(sink), options_(options) {}

  // What the parse found: set once it ends.
  DecodedPage page;
  bool rows_skipped = false;                 // rows came before the schema and were not decoded
  std::string error;                         // a source error, when the handler stopped the parse
  std::exception_ptr thrown;                 // what the sink threw

  bool on_document_begin(error_code&) {
    meta_.reset();
    return true;
  }
  bool on_document_end(error_code&) { return true; }

  bool on_object_begin(error_code& ec) { return begin(Event::object, ec); }
  bool on_array_begin(error_code& ec) { return begin(Event::array, ec); }
  bool on_object_end(size_t n, error_code& ec) { return end(n, ec); }
  bool on_array_end(size_t n, error_code& ec) { return end(n, ec); }

  bool on_key_part(string_view s, size_t, error_code&) {
    if (top().kind == Kind::meta) current_stack().push_chars(s);
    else text_.append(s.data(), s.size());
    return true;
  }
  bool on_key(string_view s, size_t, error_code& ec) {
    Frame& frame = top();
    if (frame.kind == Kind::meta) {
      current_stack().push_key(s);
      return true;
    }
    std::string_view key = s;
    if (!text_.empty()) key = text_.append(s.data(), s.size());
    bool ok = true;
    switch (frame.kind) {
      case Kind::page: ok = page_key(key, ec); break;
      case Kind::row:
        key_next_ = key == "f" ? Next::cells : Next::skip;
        if (key == "f" && std::exchange(frame.seen, true)) ok = fail("a result row names its cells (f) twice", ec);
        break;
      case Kind::cell:
        key_next_ = key == "v" ? Next::value : Next::skip;
        if (key == "v" && std::exchange(frame.seen, true)) ok = fail("a result cell names its value (v) twice", ec);
        break;
      default: key_next_ = Next::skip;
    }
    text_.clear();
    return ok;
  }

  bool on_string_part(string_view s, size_t, error_code&) {
    const Next next = expected();
    if (next == Next::meta) current_stack().push_chars(s);
    else if (next == Next::value) text_.append(s.data(), s.size());
    return true;
  }
  bool on_string(string_view s, size_t, error_code& ec) {
    std::string_view text = s;
    if (!text_.empty()) text = text_.append(s.data(), s.size());
    const bool ok = scalar(Event::string, ec, text);
    text_.clear();
    return ok;
  }
  bool on_number_part(string_view, error_code&) { return true; }
  bool on_int64(int64_t i, string_view, error_code& ec) {
    if (expected() == Next::meta) {
      current_stack().push_int64(i);
      return member_done(ec);
    }
    return scalar(Event::other, ec);
  }
  bool on_uint64(uint64_t u, string_view, error_code& ec) {
    if (expected() == Next::meta) {
      current_stack().push_uint64(u);
      return member_done(ec);
    }
    return scalar(Event::other, ec);
  }
  bool on_double(double d, string_view, error_code& ec) {
    if (expected() == Next::meta) {
      current_stack().push_double(d);
      return member_done(ec);
    }
    return scalar(Event::other, ec);
  }
  bool on_bool(bool b, error_code& ec) {
    if (expected() == Next::meta) {
      current_stack().push_bool(b);
      return member_done(ec);
    }
    return scalar(Event::other, ec);
  }
  bool on_null(error_code& ec) { return scalar(Event::null, ec); }
  bool on_comment_part(string_view, error_code&) { return true; }
  bool on_comment(string_view, error_code&) { return true; }

 private:
  enum class Kind : uint8_t { page, meta, skip, rows, row, cells, cell, repeated };
  enum class Next : uint8_t { document, meta, skip, rows, row, cells, cell, value, element };
  enum class Event : uint8_t { object, array, string, null, other };

  struct Frame {
    Kind kind;
    bool array = false;                        // meta, skip: which container
    const std::vector<Field>* fields = nullptr;  // row, cells: the record's fields
    const Field* field = nullptr;              // cell, repeated: whose value
    bool element = false;                      // cell: an element of a REPEATED value
    bool top = false;                          // row, cells, cell: of a row of "rows", not a RECORD value
    bool seen = false;                         // row: "f" seen; cell: "v" seen
    size_t count = 0;                          // cells, repeated: written so far
  };

  Frame& top() { return frames_.back(); }
  bool array_rows() const { return options_.shape == RowShape::array; }
  bool typed() const { return options_.cells != nullptr; }

  // Runs a call into the read context (typed rows), which may throw
  // (the host refused a batch, or cancelled): the parse stops with it.
  template <typename Call>
  bool to_context(error_code& ec, Call&& call) {
    try {
      call(*options_.cells);
      return true;
    } catch (...) {
      thrown = std::current_exception();
      ec = json::error::exception;
      return false;
    }
  }
  // A top-level cell's value, in typed mode.
  template <typename Call>
  bool top_value(error_code& ec, Call&& call) {
    top_value_given_ = true;
    return to_context(ec, std::forward<Call>(call));
  }
  json::value_stack& current_stack() { return in_schema_ ? schema_stack_ : meta_; }

  Next expected() const {
    if (frames_.empty()) return Next::document;
    const Frame& frame = frames_.back();
    switch (frame.kind) {
      case Kind::meta: return Next::meta;
      case Kind::skip: return Next::skip;
      case Kind::rows: return Next::row;
      case Kind::cells: return Next::cell;
      case Kind::repeated: return Next::element;
      default: return key_next_;  // page, row, cell: objects
    }
  }

  bool fail(std::string message, error_code& ec) {
    error = std::move(message);
    ec = json::error::exception;
    return false;
  }
  bool shape_error(const std::vector<Field>& fields, error_code& ec) {
    return fail("a result row does not have the " + std::to_string(fields.size()) + " cells of its schema", ec);
  }

  bool page_key(std::string_view key, error_code& ec) {
    if (key == "rows") {
      if (std::exchange(rows_seen_, true)) return fail("a result page lists its rows twice", ec);
      key_next_ = Next::rows;
      return true;
    }
    if (key == "schema") {
      if (std::exchange(schema_seen_, true)) return fail("a result page carries its schema twice", ec);
      in_schema_ = true;
      schema_stack_.reset();
    } else {
      meta_.push_key(key);
      ++meta_members_;
    }
    key_next_ = Next::meta;
    return true;
  }

  // A page member kept as DOM is complete when the parse is back at the page.
  bool member_done(error_code& ec) {
    if (frames_.size() != 1 || !in_schema_) return true;
    in_schema_ = false;
    json::value value = schema_stack_.release();
    try {
      page.schema = parse_table_schema(value);  // Error(source) for a field without a name
    } catch (...) {
      thrown = std::current_exception();
      ec = json::error::exception;
      return false;
    }
    if (!fields_) {
      fields_ = &*page.schema;
      if (options_.on_schema) {
        try {
          options_.on_schema(*fields_);
        } catch (...) {
          thrown = std::current_exception();
          ec = json::error::exception;
          return false;
        }
      }
    }
    return true;
  }

  // The start of a record: a row of "rows" or a RECORD value.
  void begin_record(const std::vector<Field>& fields, bool top_row) {
    if (top_row) {
      out_.clear();
      std::fill(capture_set_.begin(), capture_set_.end(), false);
    }
    if (!(top_row && typed())) out_.push_back(top_row && array_rows() ? '[' : '{');
    frames_.push_back({Kind::row, false, &fields, nullptr, false, top_row});
  }

  // Writes the key of the next cell of a record and returns its field.
  const Field* next_cell(Frame& cells, error_code& ec) {
    const auto& fields = *cells.fields;
    if (cells.count >= fields.size()) {
      shape_error(fields, ec);
      return nullptr;
    }
    if (cells.top && typed()) {  // a cell of its own: nothing written
      top_value_given_ = false;
      return &fields[cells.count++];
    }
    if (cells.count > 0) out_.push_back(',');
    const Field& field = fields[cells.count++];
    if (cells.top && array_rows()) return &field;  // a query row: values only
    append_json_string(out_, field.name);
    out_.push_back(':');
    return &field;
  }

  // Starts a container, or refuses it where the schema wants something else.
  bool begin(Event event, error_code& ec) {
    const Next next = expected();
    const bool object = event == Event::object;
    switch (next) {
      case Next::document:
        if (!object) return fail("the result page is not a JSON object", ec);
        frames_.push_back({Kind::page});
        return true;
      case Next::meta:
        frames_.push_back({Kind::meta, !object});
        return true;
      case Next::skip:
        frames_.push_back({Kind::skip, !object});
        return true;
      case Next::rows:
        if (!fields_ && object == false) {  // rows before the schema: read again once it is known
          rows_skipped = true;
          frames_.push_back({Kind::skip, true});
          return true;
        }
        if (object) {  // not an array: no rows (as the DOM decoder reads it)
          frames_.push_back({Kind::skip, false});
          return true;
        }
        if (!rows_begin(ec)) return false;
        frames_.push_back({Kind::rows});
        return true;
      case Next::row:
        if (!object) return shape_error(*fields_, ec);
        begin_record(*fields_, true);
        return true;
      case Next::cells: {
        if (object) return shape_error(*top().fields, ec);
        const Frame& row = top();
        frames_.push_back({Kind::cells, false, row.fields, nullptr, false, row.top});
        return true;
      }
      case Next::cell: {
        Frame& cells = top();
        const bool top_row = cells.top;
        const Field* field = next_cell(cells, ec);
        if (!field) return false;
        if (object) {
          frames_.push_back({Kind::cell, false, nullptr, field, false, top_row});
        } else {  // a cell that is not an object: NULL
          if (top_row && typed()) {
            if (!top_value(ec, [](sluice::ReadContext& c) { c.null_cell(); })) return false;
          } else {
            out_ += "null";
          }
          frames_.push_back({Kind::skip, true});
        }
        return true;
      }
      case Next::element: {
        Frame& repeated = top();
        if (repeated.count++ > 0) out_.push_back(',');
        if (object) {
          frames_.push_back({Kind::cell, false, nullptr, repeated.field, true});
        } else {
          out_ += "null";
          frames_.push_back({Kind::skip, true});
        }
        return true;
      }
      case Next::value: {
        const Frame& cell = top();
        const Field& field = *cell.field;
        if (field.repeated && !cell.element) {
          if (object) return fail("the value of REPEATED field " + field.name + " is not an array", ec);
          out_.push_back('[');
          frames_.push_back({Kind::repeated, true, nullptr, &field});
          return true;
        }
        if (field.type == FieldType::record) {
          if (!object) return fail("the value of RECORD field " + field.name + " is not an object", ec);
          begin_record(field.fields, false);
          return true;
        }
        return fail("the value of field " + field.name + " is not a string", ec);
      }
    }
    return true;
  }

  bool end(size_t n, error_code& ec) {
    Frame frame = frames_.back();
    frames_.pop_back();
    switch (frame.kind) {
      case Kind::page:
        page.members = meta_stack_object();
        return true;
      case Kind::meta:
        if (frame.array) current_stack().push_array(n);
        else current_stack().push_object(n);
        return member_done(ec);
      case Kind::skip: return true;
      case Kind::rows:
        if (page.rows > 0) {  // the captures hold the last row's values
          page.last.clear();
          for (size_t c = 0; c < capture_text_.size(); ++c) {
            page.last.push_back(capture_set_[c] ? std::optional<std::string>(capture_text_[c]) : std::nullopt);
          }
        }
        return true;
      case Kind::row:
        if (!frame.seen) return shape_error(*frame.fields, ec);
        if (frame.top && typed()) return row_done(ec);
        out_.push_back(frame.top && array_rows() ? ']' : '}');
        if (frame.top) return row_done(ec);
        return true;
      case Kind::cells:
        if (frame.count != frame.fields->size()) return shape_error(*frame.fields, ec);
        return true;
      case Kind::cell:
        if (frame.top && typed()) {
          // A RECORD or REPEATED value was written as JSON; nothing at all
          // was a cell without "v": NULL.
          if (top_value_given_) return true;
          const bool nested = !out_.empty();
          const bool ok = top_value(ec, [&](sluice::ReadContext& cells) {
            if (nested) cells.json_cell(out_);
            else cells.null_cell();
          });
          out_.clear();
          return ok;
        }
        if (!frame.seen) out_ += "null";  // a cell without "v"
        return true;
      case Kind::repeated:
        out_.push_back(']');
        return true;
    }
    return true;
  }

  json::object meta_stack_object() {
    meta_.push_object(meta_members_);
    json::value value = meta_.release();
    return std::move(value.as_object());
  }

  // A scalar event: a page member's value, a cell's value, or one to skip.
  bool scalar(Event event, error_code& ec, std::string_view text = {}) {
    const Next next = expected();
    switch (next) {
      case Next::document: return fail("the result page is not a JSON object", ec);
      case Next::meta:
        if (event == Event::string) current_stack().push_string(text);
        else current_stack().push_null();
        return member_done(ec);
      case Next::skip: return true;
      case Next::rows: return true;  // not an array: no rows
      case Next::row: return shape_error(*fields_, ec);
      case Next::cells: return shape_error(*top().fields, ec);
      case Next::cell: {
        Frame& cells = top();
        if (!next_cell(cells, ec)) return false;
        if (cells.top && typed()) return top_value(ec, [](sluice::ReadContext& c) { c.null_cell(); });
        out_ += "null";  // a cell that is not an object
        return true;
      }
      case Next::element:
        if (top().count++ > 0) out_.push_back(',');
        out_ += "null";
        return true;
      case Next::value: {
        const Frame& cell = top();
        const Field& field = *cell.field;
        const bool repeated = field.repeated && !cell.element;
        const bool typed_cell = cell.top && typed();
        if (event == Event::null) {
          if (typed_cell) {
            return top_value(ec, [&](sluice::ReadContext& c) { repeated ? c.json_cell("[]") : c.null_cell(); });
          }
          out_ += repeated ? "[]" : "null";  // REPEATED is never NULL: an empty array
          return true;
        }
        if (repeated) return fail("the value of REPEATED field " + field.name + " is not an array", ec);
        if (field.type == FieldType::record) {
          return fail("the value of RECORD field " + field.name + " is not an object", ec);
        }
        if (event != Event::string) return fail("the value of field " + field.name + " is not a string", ec);
        if (cell.top) capture(field, text);
        if (typed_cell) {
          return top_value(ec, [&](sluice::ReadContext& c) { typed_scalar(c, text, field, scratch_); });
        }
        append_scalar(out_, text, field);
        return true;
      }
    }
    return true;
  }

  // At the start of "rows": what each row holds is known.
  bool rows_begin(error_code& ec) {
    resolve_captures();
    if (!typed()) return true;
    std::vector<std::string> names;
    names.reserve(fields_->size());
    for (const Field& field : *fields_) names.push_back(field.name);
    return to_context(ec, [&](sluice::ReadContext& cells) { cells.set_fields(std::move(names)); });
  }

  void resolve_captures() {
    capture_slot_.assign(fields_->size(), -1);
    for (size_t c = 0; c < capture_names_.size(); ++c) {
      for (size_t i = 0; i < fields_->size(); ++i) {
        if ((*fields_)[i].name == capture_names_[c]) capture_slot_[i] = static_cast<int>(c);
      }
    }
    capture_text_.assign(capture_names_.size(), std::string());
    capture_set_.assign(capture_names_.size(), false);
  }

  void capture(const Field& field, std::string_view text) {
    if (capture_names_.empty()) return;
    const size_t index = static_cast<size_t>(&field - fields_->data());
    if (index < capture_slot_.size() && capture_slot_[index] >= 0) {
      const auto slot = static_cast<size_t>(capture_slot_[index]);
      capture_text_[slot].assign(text);
      capture_set_[slot] = true;
    }
  }

  bool row_done(error_code& ec) {
    ++page.rows;
    if (typed()) return to_context(ec, [](sluice::ReadContext& cells) { cells.end_record(); });
    try {
      sink_(out_);
    } catch (...) {
      thrown = std::current_exception();
      ec = json::error::exception;
      return false;
    }
    return true;
  }

  const std::vector<Field>* fields_;
  const std::vector<std::string>& capture_names_;
  const RecordSink& sink_;
  const DecodeOptions& options_;
  std::vector<Frame> frames_;
  Next key_next_ = Next::skip;
  std::string text_;  // a key or string arriving in parts
  std::string out_;   // the record being written (typed: a top-level cell's nested JSON)
  std::string scratch_;  // a typed cell's text being built
  bool top_value_given_ = false;  // typed: the current top-level cell's value went to the context
  json::value_stack meta_, schema_stack_;
  size_t meta_members_ = 0;
  bool in_schema_ = false, rows_seen_ = false, schema_seen_ = false;
  std::vector<int> capture_slot_;  // per field: index into capture_names_, or -1
  std::vector<std::string> capture_text_;  // the row's captured wire values...
  std::vector<bool> capture_set_;          // ...or NULL
};

}  // namespace

DecodedPage decode_page(std::string_view body, const std::vector<Field>* fields,
                        const std::vector<std::string>& capture, const RecordSink& sink,
                        const DecodeOptions& options) {
  // Deep enough for BigQuery's 15 levels of RECORD (three per level).
  json::parse_options parse;
  parse.max_depth = 128;
  json::basic_parser<PageHandler> parser(parse, fields, capture, sink, options);
  error_code ec;
  const size_t used = parser.write_some(false, body.data(), body.size(), ec);
  PageHandler& handler = parser.handler();
  if (handler.thrown) std::rethrow_exception(handler.thrown);
  if (!handler.error.empty()) throw sluice::Error(sluice::ErrorKind::source, handler.error);
  if (ec || used != body.size() || !parser.done()) {
    throw sluice::Error(sluice::ErrorKind::source, "a result page is not one JSON document (" + ec.message() + ")");
  }
  if (handler.rows_skipped) {
    // The rows came before the schema: read the page again with it.
    static const std::vector<Field> kNoFields;
    const auto schema = std::move(handler.page.schema);
    return decode_page(body, schema ? &*schema : &kNoFields, capture, sink, options);
  }
  return std::move(handler.page);
}

std::string encode_row(const json::value& row, const std::vector<Field>& fields) {
  std::string record;
  const std::string body = "{\"rows\":[" + json::serialize(row) + "]}";
  decode_page(body, &fields, {}, [&](std::string_view text) { record = text; });
  return record;
}

}  // namespace bigquery
