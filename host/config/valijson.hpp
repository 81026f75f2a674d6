// Private to host/config (and the test suite's OpenAPI checker, which uses
// the same library): the one place that includes valijson, so every
// translation unit sees it configured the same way (ODR) and its warnings stay
// out of our warning-clean build.
#pragma once

// Without this valijson prints and calls abort() on a bad schema; we need an
// exception to turn into a one-line error.
#define VALIJSON_USE_EXCEPTIONS 1

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wold-style-cast"
#pragma GCC diagnostic ignored "-Wnull-dereference"
#pragma GCC diagnostic ignored "-Wnon-virtual-dtor"
#pragma GCC diagnostic ignored "-Woverloaded-virtual"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wcast-align"
#pragma GCC diagnostic ignored "-Wpedantic"
#pragma GCC diagnostic ignored "-Wdeprecated-copy"
// GCC 12 at -O2/-O3 (Release) reports a bogus overlapping memcpy inside
// std::string::replace as inlined into valijson's JSON-pointer code
// (json_pointer.hpp's replaceAllInPlace with a one-character literal): GCC
// bug 105329, "Bogus restrict warning when assigning 1-char string literal to
// std::string". Our own code keeps -Wrestrict. (GCC only: clang, used by
// the fuzz build, has no such warning.)
#if !defined(__clang__)
#pragma GCC diagnostic ignored "-Wrestrict"
#endif
#include <valijson/adapters/boost_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>
#pragma GCC diagnostic pop
