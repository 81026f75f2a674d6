// Discovery: one stream per GRID sheet (tab), named sheet_<sheetId> so a
// renamed tab keeps its table and state; columns from the header row
// (column_names.hpp), types from the sampled rows below it (column_type.hpp)
// and config.column_types. Two requests for the whole spreadsheet: its
// properties, then the header and sample rows of the sheets asked for.
#pragma once

#include "sheets_api.hpp"
#include "settings.hpp"
#include "values_decoder.hpp"

#include <sluice/sdk.hpp>

#include <optional>
#include <string>
#include <vector>

namespace gsheets {

struct SheetSchema {
  SheetInfo sheet;
  std::string stream_name;      // sheet_<sheetId>
  std::vector<Column> columns;  // the header row's width; empty: nothing to read
  std::string spreadsheet_title;
};

std::string stream_name_of(int64_t sheet_id);
// The sheetId a stream name stands for, nullopt for a name not of that form.
std::optional<int64_t> sheet_id_of(const std::string& stream_name);

// Builds a sheet's columns from its grid data (the `sheets[i]` entry of a
// spreadsheets.get answer with the header row first), applying `settings`'
// naming rule and overrides. Throws Error(config) for an override naming a
// column the sheet lacks.
std::vector<Column> columns_from_grid(const boost::json::object& sheet_grid, const SheetInfo& sheet,
                                      const Settings& settings);

// Schemas of the GRID sheets (all, or those `wanted` names by stream name
// or title), in tab order; other sheet types are skipped with an info line.
std::vector<SheetSchema> discover_sheets(SheetsApi& api, const Settings& settings, const sluice::Logger& log,
                                         const std::vector<std::string>& wanted = {});

sluice::Stream to_stream(const SheetSchema& schema);

}  // namespace gsheets
