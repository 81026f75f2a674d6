#include "discovery.hpp"

#include "a1_notation.hpp"

#include <algorithm>

namespace gsheets {

namespace json = boost::json;

std::string stream_name_of(int64_t sheet_id) { return "sheet_" + std::to_string(sheet_id); }

std::optional<int64_t> sheet_id_of(const std::string& stream_name) {
  const std::string prefix = "sheet_";
  if (stream_name.rfind(prefix, 0) != 0 || stream_name.size() == prefix.size() || stream_name.size() > prefix.size() + 18) {
    return std::nullopt;
  }
  int64_t id = 0;
  for (size_t i = prefix.size(); i < stream_name.size(); ++i) {
    if (stream_name[i] < '0' || stream_name[i] > '9') return std::nullopt;
    id = id * 10 + (stream_name[i] - '0');
  }
  return id;
}

namespace {

// One CellData of a grid answer as a type sample.
SampleCell sample_of(const json::value& cell) {
  SampleCell sample;
  const auto* object = cell.if_object();
  const auto* value = object ? object->if_contains("effectiveValue") : nullptr;
  if (!value || !value->is_object()) return sample;
  const auto& v = value->get_object();
  if (const auto* number = v.if_contains("numberValue"); number && number->is_number()) {
    sample.kind = SampleCell::Kind::number;
    sample.number = number->to_number<double>();
  } else if (const auto* text = v.if_contains("stringValue"); text && text->is_string()) {
    sample.kind = text->get_string().empty() ? SampleCell::Kind::empty : SampleCell::Kind::string;
  } else if (v.contains("boolValue")) {
    sample.kind = SampleCell::Kind::boolean;
  } else if (v.contains("errorValue")) {
    sample.kind = SampleCell::Kind::string;  // #N/A, #DIV/0!: UNFORMATTED_VALUE gives their text
  }
  const auto* format = object->if_contains("effectiveFormat");
  const auto* number_format = format && format->is_object() ? format->get_object().if_contains("numberFormat") : nullptr;
  const auto* type = number_format && number_format->is_object() ? number_format->get_object().if_contains("type") : nullptr;
  if (type && type->is_string()) sample.format = std::string(type->get_string());
  return sample;
}

const json::array* values_of(const json::value& row) {
  const auto* object = row.if_object();
  const auto* values = object ? object->if_contains("values") : nullptr;
  return values ? values->if_array() : nullptr;
}

bool overrides_sheet(const ColumnOverride& o, const SheetInfo& sheet) {
  return o.sheet == sheet.title || o.sheet == stream_name_of(sheet.sheet_id);
}

}  // namespace

std::vector<Column> columns_from_grid(const json::object& sheet_grid, const SheetInfo& sheet, const Settings& settings) {
  const json::array* rows = nullptr;
  if (const auto* data = sheet_grid.if_contains("data"); data && data->is_array() && !data->get_array().empty()) {
    const auto* first = data->get_array()[0].if_object();
    const auto* row_data = first ? first->if_contains("rowData") : nullptr;
    rows = row_data ? row_data->if_array() : nullptr;
  }
  std::vector<std::string> headers;
  size_t width = 0;
  if (rows && !rows->empty()) {
    if (const auto* cells = values_of((*rows)[0])) {
      for (const auto& cell : *cells) {
        const auto* object = cell.if_object();
        const auto* text = object ? object->if_contains("formattedValue") : nullptr;
        headers.push_back(text && text->is_string() ? std::string(text->get_string()) : std::string());
      }
    }
    while (!headers.empty() && headers.back().empty()) headers.pop_back();
    width = headers.size();
    for (size_t r = 1; r < rows->size(); ++r) {
      if (const auto* cells = values_of((*rows)[r])) {
        size_t last = cells->size();
        while (last > 0 && sample_of((*cells)[last - 1]).kind == SampleCell::Kind::empty) --last;
        width = std::max(width, last);
      }
    }
  }
  std::vector<TypeVote> votes(width);
  for (size_t r = 1; rows && r < rows->size(); ++r) {
    if (const auto* cells = values_of((*rows)[r])) {
      for (size_t c = 0; c < cells->size() && c < width; ++c) votes[c].add(sample_of((*cells)[c]));
    }
  }
  const auto names = column_names(headers, width, settings.names);
  std::vector<Column> columns;
  for (size_t c = 0; c < width; ++c) columns.push_back({names[c], votes[c].result()});
  for (size_t i = 0; i < settings.overrides.size(); ++i) {
    const auto& o = settings.overrides[i];
    if (!overrides_sheet(o, sheet)) continue;
    auto found = std::find_if(columns.begin(), columns.end(), [&](const Column& c) { return c.name == o.column; });
    if (found == columns.end()) {
      throw sluice::Error(sluice::ErrorKind::config, "config.column_types[" + std::to_string(i) + "]: sheet '" +
                                                         sheet.title + "' has no column '" + o.column + "'");
    }
    found->type = o.type;
  }
  return columns;
}

std::vector<SheetSchema> discover_sheets(SheetsApi& api, const Settings& settings, const sluice::Logger& log,
                                         const std::vector<std::string>& wanted) {
  const SpreadsheetInfo spreadsheet = api.spreadsheet();
  std::vector<SheetSchema> schemas;
  std::vector<std::string> ranges;
  for (const auto& sheet : spreadsheet.sheets) {
    const std::string name = stream_name_of(sheet.sheet_id);
    if (!wanted.empty() && std::find(wanted.begin(), wanted.end(), name) == wanted.end() &&
        std::find(wanted.begin(), wanted.end(), sheet.title) == wanted.end()) {
      continue;
    }
    if (sheet.type != "GRID") {
      log.info("sheet '" + sheet.title + "' is a " + sheet.type + " sheet, not a grid of cells: no stream");
      continue;
    }
    if (sheet.row_count < settings.header_row) {
      log.info("sheet '" + sheet.title + "' has " + std::to_string(sheet.row_count) + " rows, none at header row " +
               std::to_string(settings.header_row) + ": no stream");
      continue;
    }
    schemas.push_back({sheet, name, {}, spreadsheet.title});
    ranges.push_back(quoted_sheet_title(sheet.title) + "!" + std::to_string(settings.header_row) + ":" +
                     std::to_string(settings.header_row + settings.sample_rows));
  }
  if (schemas.empty()) return schemas;
  const json::object grid = api.grid_data(ranges);
  const auto* sheets = grid.if_contains("sheets");
  for (auto& schema : schemas) {
    const json::object* match = nullptr;
    for (size_t i = 0; sheets && sheets->is_array() && i < sheets->get_array().size(); ++i) {
      const auto* sheet = sheets->get_array()[i].if_object();
      const auto* properties = sheet ? sheet->if_contains("properties") : nullptr;
      const auto* id = properties && properties->is_object() ? properties->get_object().if_contains("sheetId") : nullptr;
      const int64_t sheet_id = id && id->is_int64() ? id->get_int64() : 0;  // sheetId 0 may be omitted
      if (sheet_id == schema.sheet.sheet_id) match = sheet;
    }
    static const json::object kEmpty;
    schema.columns = columns_from_grid(match ? *match : kEmpty, schema.sheet, settings);
  }
  std::erase_if(schemas, [&](const SheetSchema& s) {
    if (!s.columns.empty()) return false;
    log.info("sheet '" + s.sheet.title + "' has no header and no data: no stream");
    return true;
  });
  return schemas;
}

sluice::Stream to_stream(const SheetSchema& schema) {
  sluice::Stream stream;
  stream.name = schema.stream_name;
  json::object properties;
  for (const auto& column : schema.columns) properties[column.name] = json_schema(column.type);
  stream.json_schema = {{"type", "object"}, {"properties", std::move(properties)}};
  stream.sync_modes = sluice::all_sync_modes();
  stream.description = "tab '" + schema.sheet.title + "' (sheetId " + std::to_string(schema.sheet.sheet_id) +
                       ") of spreadsheet '" + schema.spreadsheet_title + "'";
  return stream;
}

}  // namespace gsheets
