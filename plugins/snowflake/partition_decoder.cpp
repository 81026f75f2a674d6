#include "partition_decoder.hpp"

#include <sluice/sdk.hpp>

#include <boost/json/basic_parser_impl.hpp>

#include <exception>
#include <utility>

namespace snowflake {

namespace {

using json::error_code;

// The parser's events, as a position in {"data": [[cell, ...], ...]}:
// depth 1 inside the answer, 2 inside "data", 3 inside a row; skip_ counts
// the containers open inside a member that is not "data".
class PartitionHandler {
 public:
  static constexpr size_t max_object_size = size_t(-1), max_array_size = size_t(-1),
                          max_key_size = size_t(-1), max_string_size = size_t(-1);

  PartitionHandler(const std::vector<Column>& columns) : columns_(columns), keys_(record_keys(columns)) {
    row_.resize(columns.size());
    last_.resize(columns.size());
  }

  DecodedPartition result;
  std::exception_ptr thrown;
  enum class Refusal { none, no_data, two_data } refusal = Refusal::none;
  bool data_seen = false;
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
      data_next_ = text_ == "data";
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

  // Numbers and booleans are never cells of jsonv2 (every value is a string).
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

  bool open(bool array, error_code& ec) {
    if (skip_ > 0) {
      ++skip_;
      return true;
    }
    switch (depth_) {
      case 0:
        if (array) return refuse(Refusal::no_data, ec);
        depth_ = 1;
        return true;
      case 1:
        if (!data_next_) {
          skip_ = 1;
          return true;
        }
        if (!array) return refuse(Refusal::no_data, ec);
        if (data_seen) return refuse(Refusal::two_data, ec);
        data_seen = true;
        depth_ = 2;
        return true;
      case 2:
        if (!array) return guard(ec, [&] { row_shape_error(columns_.size()); });
        depth_ = 3;
        cells_ = 0;
        result.rows.text.push_back('{');
        return true;
      default: {  // a container as a cell
        const size_t at = cells_;
        return guard(ec, [&] {
          if (at >= columns_.size()) row_shape_error(columns_.size());
          bad_cell(columns_[at], array ? "[...]" : "{...}");
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
        if (cells_ != columns_.size()) return guard(ec, [&] { row_shape_error(columns_.size()); });
        result.rows.text.push_back('}');
        result.rows.ends.push_back(result.rows.text.size());
        std::swap(row_, last_);
        any_row = true;
        depth_ = 2;
        return true;
      default: --depth_; return true;
    }
  }

  // A scalar outside a row: a member's value (refused when it is "data"),
  // or something in "data" that is not a row.
  bool scalar(error_code& ec, std::string_view text) {
    number_.clear();
    if (skip_ > 0 || depth_ == 0) return depth_ == 0 ? refuse(Refusal::no_data, ec) : true;
    if (depth_ == 1) return data_next_ ? refuse(Refusal::no_data, ec) : true;
    if (depth_ == 2) return guard(ec, [&] { row_shape_error(columns_.size()); });
    const size_t at = cells_;
    return guard(ec, [&] {  // a number or boolean as a cell
      if (at >= columns_.size()) row_shape_error(columns_.size());
      bad_cell(columns_[at], text);
    });
  }

  bool number(json::string_view last_part, error_code& ec) {
    number_.append(last_part.data(), last_part.size());
    const std::string text = std::move(number_);
    number_.clear();
    return scalar(ec, text);
  }

  void cell(std::optional<std::string_view> value) {
    if (cells_ >= columns_.size()) row_shape_error(columns_.size());
    std::string& out = result.rows.text;
    if (cells_ > 0) out.push_back(',');
    out += keys_[cells_];
    append_cell_value(out, value, columns_[cells_]);
    auto& kept = row_[cells_];
    if (value) {
      if (!kept) kept.emplace();
      kept->assign(*value);
    } else {
      kept.reset();
    }
    ++cells_;
  }

  const std::vector<Column>& columns_;
  const std::vector<std::string> keys_;
  size_t depth_ = 0, skip_ = 0, cells_ = 0;
  bool data_next_ = false;
  std::string text_, number_;
  std::vector<std::optional<std::string>> row_, last_;  // this row's cells, the last complete row's
};

}  // namespace

DecodedPartition decode_partition_answer(std::string_view body, const std::vector<Column>& columns,
                                         const std::string& what) {
  json::parse_options options;
  options.max_depth = 256;
  json::basic_parser<PartitionHandler> parser(options, columns);
  error_code ec;
  const size_t used = parser.write_some(false, body.data(), body.size(), ec);
  PartitionHandler& handler = parser.handler();
  if (handler.thrown) std::rethrow_exception(handler.thrown);
  if (handler.refusal == PartitionHandler::Refusal::two_data) {
    throw sluice::Error(sluice::ErrorKind::source, what + ": the answer holds two data arrays");
  }
  if (handler.refusal == PartitionHandler::Refusal::no_data) {
    throw sluice::Error(sluice::ErrorKind::source, what + ": the answer holds no data array");
  }
  if (ec || used != body.size() || !parser.done()) {
    throw sluice::Error(sluice::ErrorKind::source, what + ": the answer is not one JSON document (" + ec.message() + ")");
  }
  if (!handler.data_seen) throw sluice::Error(sluice::ErrorKind::source, what + ": the answer holds no data array");
  handler.finish();
  return std::move(handler.result);
}

}  // namespace snowflake
