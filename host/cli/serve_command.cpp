// `sluice serve`: the daemon (host/serve/, docs/daemon.md).
#include "host/cli/cli.hpp"
#include "host/cli/output.hpp"
#include "host/serve/child_launcher.hpp"
#include "host/serve/daemon.hpp"
#include "host/sync/clock.hpp"

#include <signal.h>

#include <fstream>

namespace sluice::host::cli {

namespace {

const char* kServeUsage = R"(Usage: sluice serve [--config serve.json] [--plugin-dir DIR]
       sluice serve keys create --role admin|operator|viewer|ingest [--name TEXT] [--config serve.json]
       sluice serve keys list [--config serve.json]
       sluice serve keys revoke ID [--config serve.json]

Runs the Sluice daemon: a REST API (/v1, documented at /v1/openapi.json)
that stores connections, runs their syncs each in its own process, and keeps
their history and logs. Without --config it listens on 127.0.0.1:8080 and
keeps its store in ./sluice-server.db. It prints one line
"sluice serve: listening on URL" on stdout once it accepts requests, and
stops on SIGTERM or Ctrl-C, letting running syncs commit their last
checkpoint.

`keys create` adds an API key to the store and prints it once: the store
keeps only a salted hash. viewer reads; operator also triggers and cancels
syncs and resets state; admin also manages connections and keys.
`keys list` prints each key's id, role, creation time, name and whether it
is revoked (never the key itself). `keys revoke ID` refuses the key at once
on every daemon sharing the store; the row stays, for the record.

)";

serve::ServeConfig serve_config(const ParsedArgs& parsed) {
  serve::ServeConfig config = serve::load_serve_config(parsed.value("config").value_or(""));
  for (const auto& dir : parsed.all("plugin-dir")) config.plugin_dirs.push_back(dir);
  return config;
}

int keys_create(const ParsedArgs& parsed) {
  auto role_text = parsed.value("role");
  if (!role_text) throw UsageError("serve keys create: --role is required (admin, operator, viewer or ingest)");
  auto role = serve::parse_role(*role_text);
  if (!role) throw UsageError("serve keys create: --role must be admin, operator, viewer or ingest (got " + *role_text + ")");
  serve::Store store(serve_config(parsed).store_url);
  serve::NewKey key = serve::make_api_key();
  store.add_key({key.id, std::string(serve::to_string(*role)), key.salt, key.hash, utc_now_iso(),
                 parsed.value("name").value_or(""), ""});
  // The one time the key is shown: stdout carries it alone, for scripts.
  std::fwrite((key.token + "\n").data(), 1, key.token.size() + 1, stdout);
  std::fflush(stdout);
  print_error_line("created " + std::string(serve::to_string(*role)) + " key " + key.id +
                   " in " + store.display_url() + "; it is shown only now");
  return kExitOk;
}

// One key per line, tab-separated: id, role, created, revoked ("-" when live), name.
int keys_list(serve::Store& store) {
  std::string out;
  for (const auto& key : store.keys()) {
    out += key.id + "\t" + key.role + "\t" + key.created_at + "\t" +
           (key.revoked_at.empty() ? "-" : "revoked " + key.revoked_at) + "\t" + key.name + "\n";
  }
  print(out);
  return kExitOk;
}

int keys_revoke(const std::string& id, serve::Store& store) {
  if (!store.revoke_key(id, utc_now_iso())) {
    throw UsageError("serve keys revoke: no live key " + id + " in " + store.display_url() +
                     " (`sluice serve keys list` shows them)");
  }
  print_error_line("revoked key " + id + " in " + store.display_url());
  return kExitOk;
}

int keys_command(const ParsedArgs& parsed) {
  const auto& p = parsed.positionals;
  const std::string verb = p.size() >= 2 ? p[1] : "";
  const size_t want = verb == "revoke" ? 3 : 2;
  if ((verb != "create" && verb != "list" && verb != "revoke") || p.size() != want) {
    throw UsageError(
        "serve keys: expected `sluice serve keys create --role admin|operator|viewer|ingest`, `keys list` or `keys revoke ID`");
  }
  if (verb == "create") return keys_create(parsed);
  serve::Store store(serve_config(parsed).store_url);
  if (verb == "list") return keys_list(store);
  return keys_revoke(p[2], store);
}

int run_daemon(const ParsedArgs& parsed) {
  // Blocked before any thread starts, so every thread inherits the mask and
  // only sigwait below sees them (children get a clean mask: child_process).
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  serve::ServeConfig config = serve_config(parsed);
  serve::Daemon daemon(config, serve::make_child_launcher(config));
  daemon.start();
  const std::string url = std::string(daemon.tls() ? "https" : "http") + "://" + config.listen_host + ":" +
                          std::to_string(daemon.port());
  if (!config.port_file.empty()) {
    std::ofstream(config.port_file) << daemon.port() << "\n";
  }
  print("sluice serve: listening on " + url + " (store " + daemon.store().display_url() + ", schema version " +
        std::to_string(daemon.store().schema_version()) + ", host " + daemon.host_id() + ")\n");
  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  print_error_line(std::string("sluice serve: ") + (signal_number == SIGTERM ? "SIGTERM" : "SIGINT") +
                   ": stopping (running syncs stop at their last checkpoint)");
  daemon.shutdown();
  print_error_line("sluice serve: stopped");
  return kExitOk;
}

}  // namespace

int serve_command(const std::vector<std::string>& args) {
  const std::vector<OptionSpec> options = {
      {"config", "FILE", "The daemon's settings (JSON; docs/daemon.md)"},
      {"role", "ROLE", "keys create: admin, operator, viewer or ingest"},
      {"name", "TEXT", "keys create: a note naming the key's holder"},
      plugin_dir_option()};
  ParsedArgs parsed = parse_args("serve", args, options, 0, 3);
  if (parsed.help) {
    print(kServeUsage + options_help(options));
    return kExitOk;
  }
  if (!parsed.positionals.empty()) {
    if (parsed.positionals[0] != "keys") throw UsageError("serve: unknown subcommand " + parsed.positionals[0]);
    return keys_command(parsed);
  }
  try {
    return run_daemon(parsed);
  } catch (const HostError&) {
    throw;
  } catch (const std::runtime_error& e) {
    throw UsageError(std::string("serve: ") + e.what());
  }
}

}  // namespace sluice::host::cli
