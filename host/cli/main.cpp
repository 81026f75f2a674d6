#include "host/cli/cli.hpp"

int main(int argc, char** argv) { return sluice::host::cli::run(argc, argv); }
