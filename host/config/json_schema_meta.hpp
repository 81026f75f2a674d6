// The JSON Schema draft-07 meta-schema (json-schema.org/draft-07/schema),
// against which plugin config schemas are checked when a plugin loads.
#pragma once

namespace sluice::host {

extern const char* const kDraft07MetaSchema;

}  // namespace sluice::host
