// Private to host/config: the JSON Schema that every plugin's config_schema
// must satisfy.
#pragma once

#include <string_view>

namespace sluice::host::detail {

// The draft-07 meta-schema (json-schema.org/draft-07/schema) plus Sluice's two
// extension keywords, as JSON text.
extern const std::string_view kConfigMetaSchema;

}  // namespace sluice::host::detail
