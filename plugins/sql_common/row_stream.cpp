#include "sql_common/row_stream.hpp"

#include <sluice/sdk.hpp>
#include <sluice/support/json_elements.hpp>

#include <boost/json/basic_parser_impl.hpp>

#include <exception>
#include <utility>

namespace sql_common {

namespace json = boost::json;

RowFormat::RowFormat(const std::vector<std::string>& column_names, RowShape shape)
    : open_(shape == RowShape::record ? '{' : '['), close_(shape == RowShape::record ? '}' : ']') {
  keys_.reserve(column_names.size());
  for (const auto& name : column_names) {
    if (shape == RowShape::array) {
      keys_.emplace_back();
      continue;
    }
    std::string key;
    sluice::support::append_json_string(key, name);
    key.push_back(':');
    keys_.push_back(std::move(key));
  }
}

void decode_row_array(const json::array& rows, const RowFormat& format, DecodedRows& out) {
  const size_t columns = format.columns();
  out.ends.reserve(out.ends.size() + rows.size());
  for (const auto& row : rows) {
    const auto* cells = row.if_array();
    if (!cells || cells->size() != columns) format.refuse_row();
    out.text.push_back(format.open());
    for (size_t i = 0; i < columns; ++i) {
      if (i) out.text.push_back(',');
      out.text += format.key(i);
      const json::value& cell = (*cells)[i];
      if (cell.is_null()) {
        format.append_cell(out.text, std::nullopt, i);
      } else if (const auto* text = cell.if_string()) {
        format.append_cell(out.text, std::string_view(*text), i);
      } else {
        format.refuse_cell(i, json::serialize(cell));
      }
    }
    out.text.push_back(format.close());
    out.ends.push_back(out.text.size());
  }
}

SentRow sent_row(const json::array& row) {
  SentRow sent;
  sent.reserve(row.size());
  for (const auto& cell : row) {
    if (cell.is_null()) sent.emplace_back(std::nullopt);
    else if (const auto* text = cell.if_string()) sent.emplace_back(std::string(*text));
    else sent.emplace_back(json::serialize(cell));
  }
  return sent;
}

namespace {

using json::error_code;

// The parser's events, as a position in the body: depth 1 inside the
// answer object (with a member), 2 inside the rows array, 3 inside a row;
// skip_ counts the containers open inside a member that is not the rows'.
class RowsHandler {
 public:
  static constexpr size_t max_object_size = size_t(-1), max_array_size = size_t(-1),
                          max_key_size = size_t(-1), max_string_size = size_t(-1);

  RowsHandler(const RowFormat& format, std::string_view member) : format_(format), member_(member) {
    row_.resize(format.columns());
    last_.resize(format.columns());
  }

  RowBatch result;
  std::exception_ptr thrown;
  enum class Refusal { none, not_array, no_rows, two_rows } refusal = Refusal::none;
  bool rows_seen = false;
  bool any_row = false;

  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }

  bool on_object_begin(error_code& ec) { return open(false, ec); }
  bool on_array_begin(error_code& ec) { return open(true, ec); }
  bool on_object_end(size_t, error_code& ec) { return close(ec); }
  bool on_array_end(size_t, error_code& ec) { return close(ec); }

  bool on_key_part(json::string_view s, size_t, error_code&) {
    if (skip_ == 0 && depth_ == 1) text_.append(s.data(), s.size());
    return true;
  }
  bool on_key(json::string_view s, size_t, error_code&) {
    if (skip_ == 0 && depth_ == 1) {
      text_.append(s.data(), s.size());
      rows_next_ = text_ == member_;
      text_.clear();
    }
    return true;
  }

  bool on_string_part(json::string_view s, size_t, error_code&) {
    if (skip_ == 0 && depth_ == 3) text_.append(s.data(), s.size());
    return true;
  }
  bool on_string(json::string_view s, size_t, error_code& ec) {
    if (skip_ != 0 || depth_ != 3) return scalar(ec, s);
    text_.append(s.data(), s.size());
    const bool ok = guard(ec, [&] { cell(std::string_view(text_)); });
    text_.clear();
    return ok;
  }
  bool on_null(error_code& ec) {
    if (skip_ != 0 || depth_ != 3) return scalar(ec, "null");
    return guard(ec, [&] { cell(std::nullopt); });
  }

  // Numbers and booleans are never cells (every value is a string).
  bool on_number_part(json::string_view s, error_code&) {
    number_.append(s.data(), s.size());
    return true;
  }
  bool on_int64(int64_t, json::string_view s, error_code& ec) { return number(s, ec); }
  bool on_uint64(uint64_t, json::string_view s, error_code& ec) { return number(s, ec); }
  bool on_double(double, json::string_view s, error_code& ec) { return number(s, ec); }
  bool on_bool(bool b, error_code& ec) { return scalar(ec, b ? "true" : "false"); }

  bool on_comment_part(json::string_view, error_code&) { return true; }
  bool on_comment(json::string_view, error_code&) { return true; }

  // After the document: the last row as sent.
  void finish() {
    if (any_row) result.last = std::move(last_);
  }

 private:
  bool top_level() const { return member_.empty(); }

  template <class Action>
  bool guard(error_code& ec, Action action) {
    try {
      action();
      return true;
    } catch (...) {
      thrown = std::current_exception();
      ec = json::error::exception;
      return false;
    }
  }

  bool refuse(Refusal why, error_code& ec) {
    refusal = why;
    ec = json::error::exception;
    return false;
  }

  Refusal not_found() const { return top_level() ? Refusal::not_array : Refusal::no_rows; }

  bool open(bool array, error_code& ec) {
    if (skip_ > 0) {
      ++skip_;
      return true;
    }
    switch (depth_) {
      case 0:
        if (top_level()) {
          if (!array) return refuse(Refusal::not_array, ec);
          rows_seen = true;
          depth_ = 2;
          return true;
        }
        if (array) return refuse(Refusal::no_rows, ec);
        depth_ = 1;
        return true;
      case 1:
        if (!rows_next_) {
          skip_ = 1;
          return true;
        }
        if (!array) return refuse(Refusal::no_rows, ec);
        if (rows_seen) return refuse(Refusal::two_rows, ec);
        rows_seen = true;
        depth_ = 2;
        return true;
      case 2:
        if (!array) return guard(ec, [&] { format_.refuse_row(); });
        depth_ = 3;
        cells_ = 0;
        result.rows.text.push_back(format_.open());
        return true;
      default: {  // a container as a cell
        const size_t at = cells_;
        return guard(ec, [&] {
          if (at >= format_.columns()) format_.refuse_row();
          format_.refuse_cell(at, array ? "[...]" : "{...}");
        });
      }
    }
  }

  bool close(error_code& ec) {
    if (skip_ > 0) {
      --skip_;
      return true;
    }
    switch (depth_) {
      case 3:
        if (cells_ != format_.columns()) return guard(ec, [&] { format_.refuse_row(); });
        result.rows.text.push_back(format_.close());
        result.rows.ends.push_back(result.rows.text.size());
        std::swap(row_, last_);
        any_row = true;
        depth_ = 2;
        return true;
      case 2: depth_ = top_level() ? 0 : 1; return true;
      default: --depth_; return true;
    }
  }

  // A scalar outside a row: the body itself, a member's value (refused when
  // it is the rows'), or something among the rows that is not a row.
  bool scalar(error_code& ec, std::string_view text) {
    number_.clear();
    if (skip_ > 0) return true;
    if (depth_ == 0) return refuse(not_found(), ec);
    if (depth_ == 1) return rows_next_ ? refuse(Refusal::no_rows, ec) : true;
    if (depth_ == 2) return guard(ec, [&] { format_.refuse_row(); });
    const size_t at = cells_;
    return guard(ec, [&] {  // a number or boolean as a cell
      if (at >= format_.columns()) format_.refuse_row();
      format_.refuse_cell(at, text);
    });
  }

  bool number(json::string_view last_part, error_code& ec) {
    number_.append(last_part.data(), last_part.size());
    const std::string text = std::move(number_);
    number_.clear();
    return scalar(ec, text);
  }

  void cell(std::optional<std::string_view> value) {
    if (cells_ >= format_.columns()) format_.refuse_row();
    std::string& out = result.rows.text;
    if (cells_ > 0) out.push_back(',');
    out += format_.key(cells_);
    format_.append_cell(out, value, cells_);
    auto& kept = row_[cells_];
    if (value) {
      if (!kept) kept.emplace();
      kept->assign(*value);
    } else {
      kept.reset();
    }
    ++cells_;
  }

  const RowFormat& format_;
  const std::string_view member_;
  size_t depth_ = 0, skip_ = 0, cells_ = 0;
  bool rows_next_ = false;
  std::string text_, number_;
  SentRow row_, last_;  // this row's cells, the last complete row's
};

}  // namespace

RowBatch decode_rows_text(std::string_view body, const RowFormat& format, std::string_view member,
                          const std::string& what) {
  json::parse_options options;
  options.max_depth = 256;
  json::basic_parser<RowsHandler> parser(options, format, member);
  error_code ec;
  const size_t used = parser.write_some(false, body.data(), body.size(), ec);
  RowsHandler& handler = parser.handler();
  if (handler.thrown) std::rethrow_exception(handler.thrown);
  const std::string rows_array = std::string(member) + " array";
  switch (handler.refusal) {
    case RowsHandler::Refusal::not_array:
      throw sluice::Error(sluice::ErrorKind::source, what + ": the answer is not a JSON array of rows");
    case RowsHandler::Refusal::two_rows:
      throw sluice::Error(sluice::ErrorKind::source, what + ": the answer holds two " + rows_array + "s");
    case RowsHandler::Refusal::no_rows:
      throw sluice::Error(sluice::ErrorKind::source, what + ": the answer holds no " + rows_array);
    case RowsHandler::Refusal::none: break;
  }
  if (ec || used != body.size() || !parser.done()) {
    throw sluice::Error(sluice::ErrorKind::source, what + ": the answer is not one JSON document (" + ec.message() + ")");
  }
  if (!handler.rows_seen) throw sluice::Error(sluice::ErrorKind::source, what + ": the answer holds no " + rows_array);
  handler.finish();
  return std::move(handler.result);
}

}  // namespace sql_common
