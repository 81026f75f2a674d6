// The Google Sheets source connector: one stream per tab (sheet_<sheetId>),
// columns from the header row, typed values through values.batchGet. See
// docs/connectors/gsheets.md.
#include "discovery.hpp"
#include "settings.hpp"
#include "sheet_reader.hpp"
#include "sheets_api.hpp"
#include "spec.hpp"

#include <sluice/sdk.hpp>

#include <map>

namespace gsheets {

// One per session: one HTTP client and credential for every call; each
// sheet described once.
class GoogleSheetsConnector : public sluice::Connector {
 public:
  GoogleSheetsConnector(const sluice::Config& config, const sluice::Logger& log)
      : settings_(read_settings(config)), log_(log), api_(settings_, log) {}

  // Reads the spreadsheet's properties (one request): proves the
  // credential, the sharing and the ID.
  void check() override {
    const SpreadsheetInfo info = api_.spreadsheet();
    log_.info("spreadsheet '" + info.title + "' has " + std::to_string(info.sheets.size()) + " sheets, read by " +
              api_.principal());
  }

  std::vector<sluice::Stream> discover(const std::vector<sluice::StreamRef>& selected) override {
    std::vector<std::string> wanted;
    for (const auto& ref : selected) wanted.push_back(ref.name);
    std::vector<sluice::Stream> streams;
    for (auto& schema : discover_sheets(api_, settings_, log_, wanted)) {
      streams.push_back(to_stream(schema));
      schemas_[schema.stream_name] = std::move(schema);
    }
    return streams;
  }

  void read(const sluice::ConfiguredStream& stream, sluice::ReadContext& ctx) override {
    if (!sheet_id_of(stream.name)) {
      throw sluice::Error(sluice::ErrorKind::config, "stream " + stream.name + " is not of the form sheet_<sheetId>; rerun discover");
    }
    auto found = schemas_.find(stream.name);
    if (found == schemas_.end()) {
      for (auto& schema : discover_sheets(api_, settings_, log_, {stream.name})) schemas_[schema.stream_name] = schema;
      found = schemas_.find(stream.name);
    }
    if (found == schemas_.end()) {
      throw sluice::Error(sluice::ErrorKind::config, "spreadsheet " + settings_.spreadsheet_id + " has no grid sheet with sheetId " +
                                                         std::to_string(*sheet_id_of(stream.name)) + " (deleted?)");
    }
    read_sheet(api_, settings_, found->second, stream, ctx);
  }

 private:
  Settings settings_;
  const sluice::Logger& log_;
  SheetsApi api_;
  std::map<std::string, SheetSchema> schemas_;
};

}  // namespace gsheets

SLUICE_PLUGIN(gsheets::GoogleSheetsConnector, "gsheets", "1.0.0",
              "https://github.com/sluice-dev/sluice/blob/main/docs/connectors/gsheets.md", SLUICE_NAMESPACE_NONE,
              SLUICE_MODE_FULL_REFRESH_OVERWRITE | SLUICE_MODE_FULL_REFRESH_APPEND | SLUICE_MODE_INCREMENTAL_APPEND |
                  SLUICE_MODE_INCREMENTAL_APPEND_DEDUP,
              gsheets::spec_json())
