#include "host/cli/cancel_signal.hpp"
#include "host/cli/cli.hpp"
#include "host/cli/probe_command.hpp"
#include "host/plugin/call_guard.hpp"
#include "host/plugin/plugin_probe.hpp"

#include <cstring>
#include <malloc.h>

int main(int argc, char** argv) {
  // A sync's big buffers (response bodies, decoded pages and partitions of
  // megabytes, on several fetching threads) are short-lived. glibc raises
  // its mmap threshold after the first such buffer is freed, so later ones
  // came from the threads' arenas and stayed in the RSS after being freed:
  // a fixed 1 MiB threshold returns them to the system. Measured with
  // bench_http (1 M rows into SQLite, load ~9): Snowflake peak RSS 100-118 MB
  // -> 70-75 MB, BigQuery 62 -> 60 MB, CPU per row unchanged within noise.
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
  // Fixing the mmap threshold also fixes the trim threshold at 128 KiB: the
  // buffers under 1 MiB (a batch's cells and text, a page body) were given
  // back to the system at each free and faulted in, zeroed, at the next
  // allocation, on every thread. Kept up to 32 MiB per arena: BigQuery into
  // SQLite (bench_http, 1 M rows, back to back, load 1.3-1.7) went from
  // 4.80-5.29 to 3.58-4.00 CPU-s per million rows, 220-256 k to 276-312 k
  // rows/s; peak RSS 58-59 -> 68-70 MB (8 MiB: 4.36-4.75 CPU-s, 68 MB).
  mallopt(M_TRIM_THRESHOLD, 32 << 20);
  // First of all: from here on Ctrl-C and SIGTERM cancel with exit code 130
  // and one line, however early they come (host/cli/cancel_signal.hpp).
  sluice::host::cli::install_cancel_handlers();
  // Before any plugin is loaded: a plugin that crashes or exits inside a
  // call gets one line naming it (host/plugin/call_guard.hpp).
  sluice::host::install_plugin_crash_report();
  // Hidden: `sluice plugins` probes each file in a child running this.
  if (argc == 3 && std::strcmp(argv[1], sluice::host::kProbeCommand) == 0) {
    sluice::host::cli::probe_command(argv[2]);
  }
  return sluice::host::cli::run(argc, argv);
}
