// A plugin's config schema as a Markdown table, for documentation. Connector
// docs embed this table verbatim; tests compare them byte for byte.
#pragma once

#include <boost/json.hpp>

#include <string>

namespace sluice::host {

// | Field | Type | Required | Default | Secret | Description |
// One row per property in "order" (then schema) order; nested objects as
// dotted paths; each oneOf alternative's fields as rows marked "(when
// <field> is <alternative title>)". Pipes and newlines in texts escaped.
std::string render_config_table_markdown(const boost::json::object& config_schema);

}  // namespace sluice::host
