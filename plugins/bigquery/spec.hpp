// The BigQuery connector's config schema. The host validates configs against
// it and renders it with `sluice spec bigquery --format markdown`
// (docs/connectors/bigquery.md holds that table verbatim). base_url,
// token_url and ca_file come from the SDK's shared endpoint rule.
#pragma once

namespace bigquery {

// The full spec JSON: kSpecBase plus the SDK's endpoint properties.
const char* spec_json();

inline constexpr const char* kSpecBase = R"JSON({"config_schema": {
  "$schema": "http://json-schema.org/draft-07/schema#",
  "title": "Google BigQuery",
  "type": "object",
  "additionalProperties": false,
  "required": ["project_id", "credentials_json"],
  "properties": {
    "project_id": {"type": "string", "order": 0, "pattern": "^([a-z][a-z0-9.-]*:)?[a-z][a-z0-9-]{4,61}[a-z0-9]$",
                   "title": "Project ID", "description": "The Google Cloud project whose datasets are read; query jobs run (and are billed) in it."},
    "credentials_json": {"type": "string", "secret": true, "order": 1, "minLength": 2,
                         "title": "Service account key", "description": "The service account's JSON key, as text or as {\"$file\": \"key.json\"}. It needs BigQuery Data Viewer on the datasets and BigQuery Job User on the project."},
    "datasets": {"type": "array", "items": {"type": "string", "minLength": 1}, "default": [], "order": 2,
                 "title": "Datasets", "description": "Dataset IDs to discover; empty: every dataset of the project."},
    "location": {"type": "string", "default": "", "order": 3,
                 "title": "Location", "description": "Where query jobs run (US, EU, europe-west1...); empty: BigQuery infers it from the table. Required for datasets outside the US and EU multi-regions."},
    "page_size": {"type": "integer", "minimum": 1, "maximum": 100000, "default": 10000, "order": 4,
                  "title": "Page size", "description": "Rows per result page (maxResults), at most: the first page has at most 1000, and pages are kept near 2 MB, so memory does not grow with this setting. An incremental stream checkpoints after every page."},
    "job_timeout_seconds": {"type": "integer", "minimum": 1, "maximum": 21600, "default": 3600, "order": 5,
                            "title": "Query job timeout (seconds)", "description": "How long a stream waits for its query job to complete before it fails and cancels the job (jobs.cancel). Reading the result pages afterwards is not limited. BigQuery itself stops a query after 6 hours (21600)."},
    "concurrency": {"type": "integer", "minimum": 1, "maximum": 32, "default": 16, "order": 6,
                    "title": "Parallel result pages", "description": "Result pages fetched at once (getQueryResults by startIndex) once the query job is complete; fewer with large rows, so that about 8 MB of pages are in flight. Rows still reach the target, and checkpoints are still saved, in result order."},
    "max_bytes_billed": {"type": "integer", "minimum": 1, "default": 10737418240, "order": 7,
                         "title": "Maximum bytes billed (sluice query)", "description": "maximumBytesBilled of every sluice query job unless --max-bytes-billed says otherwise: BigQuery refuses, without charge, a query that would bill more. The default, 10 GiB, costs about 6 US cents on demand: enough for a billing question over a month of usage rows, while a mistaken scan of a whole multi-terabyte table is refused before it costs dollars."}
  }
}})JSON";

}  // namespace bigquery
