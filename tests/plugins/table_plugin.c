/* A plugin table spoiled one way per build (see CMakeLists.txt):
 *   TEST_BAD_MAGIC                 wrong magic number in the info block
 *   TEST_SPEC=<text>               what spec() returns (not JSON, not a schema, ...)
 *   TEST_CRASH_IN_CONSTRUCTOR      a static constructor dereferences NULL (SIGSEGV at dlopen)
 *   TEST_SPEC_ABORTS               spec() calls abort()
 *   TEST_SPEC_HANGS                spec() never returns
 *   TEST_QUERY_DIALECT=<literal>   declares ABI 1.3 query in place in that dialect ...
 *   TEST_WITH_SESSION_QUERY        ... with a session_query (never called: no sessions either) */
#include "broken_plugins.h"

#include <unistd.h>

#ifndef TEST_PLUGIN_NAME
#define TEST_PLUGIN_NAME "broken"
#endif
#ifndef TEST_SPEC
#define TEST_SPEC "{\"config_schema\": {\"type\": \"object\"}}"
#endif
#ifndef TEST_QUERY_DIALECT
#define TEST_QUERY_DIALECT NULL
#endif
#ifdef TEST_WITH_SESSION_QUERY
static sluice_status test_session_query(sluice_session* session, sluice_str request, sluice_buffer* out,
                                        sluice_error* err) {
  (void)session, (void)request, (void)out, (void)err;
  return SLUICE_ERROR;
}
#define TEST_SESSION_QUERY test_session_query
#else
#define TEST_SESSION_QUERY NULL
#endif
#ifdef TEST_BAD_MAGIC
#define TEST_MAGIC 0xDEADBEEFu
#else
#define TEST_MAGIC SLUICE_PLUGIN_MAGIC
#endif

#ifdef TEST_CRASH_IN_CONSTRUCTOR
/* Volatile, so the compiler cannot prove the store is through NULL. */
static int* volatile g_nowhere = NULL;
__attribute__((constructor)) static void test_crash_at_load(void) { *g_nowhere = 1; }
#endif

static sluice_status test_spec(sluice_buffer* out, sluice_error* err) {
  (void)err;
#ifdef TEST_SPEC_ABORTS
  abort();
#endif
#ifdef TEST_SPEC_HANGS
  for (;;) pause(); /* only a signal (the prober's SIGKILL) ends it */
#endif
  test_set_buffer(out, TEST_SPEC);
  return SLUICE_OK;
}

static const sluice_plugin_info kInfo = {
    sizeof(sluice_plugin_info), TEST_MAGIC, SLUICE_ABI_MAJOR, SLUICE_ABI_MINOR, 0, (uint16_t)sizeof(void*),
    TEST_PLUGIN_NAME, "0.0.1", "", SLUICE_MODE_FULL_REFRESH_OVERWRITE, SLUICE_NAMESPACE_NONE, "test"};

static const sluice_plugin_api kApi = {sizeof(sluice_plugin_api), SLUICE_ABI_MAJOR, SLUICE_ABI_MINOR, &kInfo,
                                       test_spec, test_check, test_discover, test_read,
                                       NULL, NULL, NULL, NULL, NULL, 0, /* no sessions, so no concurrent ones */
                                       TEST_QUERY_DIALECT, TEST_SESSION_QUERY};

TEST_PLUGIN_ENTRY(kApi)
