#include "settings.hpp"

namespace bigquery {

Settings read_settings(const sluice::Config& config) {
  Settings settings;
  settings.project_id = config.string("project_id");
  settings.datasets = config.optional_strings("datasets");
  settings.query.location = config.optional_string("location").value_or("");
  settings.query.page_size = config.optional_integer("page_size").value_or(settings.query.page_size);
  settings.query.job_timeout =
      std::chrono::seconds(config.optional_integer("job_timeout_seconds").value_or(settings.query.job_timeout.count()));
  settings.query.concurrency = static_cast<size_t>(
      config.optional_integer("concurrency").value_or(static_cast<int64_t>(settings.query.concurrency)));
  settings.max_bytes_billed = config.optional_integer("max_bytes_billed").value_or(kDefaultMaxBytesBilled);
  settings.credentials_json = config.string("credentials_json");
  settings.endpoint = sluice::support::endpoint_from_config(config.json(), kDefaultBaseUrl);
  return settings;
}

}  // namespace bigquery
