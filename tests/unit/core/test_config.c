/* test_config.c — core/host/dsm_config.c: `key = value` files, each refusal with its message,
 * defaults, the threads > keepalive_conns rule and the environment overrides. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dsm_test.h"
#include "ut_core.h"

/* The variables dsm_config_finish reads, saved around each test that touches them. */
static const char *const cf_vars[] = {"DATABASE_URL", "REDIS_HOST", "REDIS_PORT"};
static char *cf_saved[3];

static void cf_env_clear(void)
{
    for (int i = 0; i < 3; i++) {
        const char *v = getenv(cf_vars[i]);
        free(cf_saved[i]);
        cf_saved[i] = v ? strdup(v) : NULL;
        unsetenv(cf_vars[i]);
    }
}

static void cf_env_restore(void)
{
    for (int i = 0; i < 3; i++) {
        if (cf_saved[i])
            setenv(cf_vars[i], cf_saved[i], 1);
        else
            unsetenv(cf_vars[i]);
        free(cf_saved[i]);
        cf_saved[i] = NULL;
    }
}

/* Writes text to a fresh temporary file; path receives its name. */
static int cf_file(char path[64], const char *text)
{
    snprintf(path, 64, "/tmp/dsm-ut-config-XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    size_t n = strlen(text);
    int rc = write(fd, text, n) == (ssize_t)n ? 0 : -1;
    close(fd);
    return rc;
}

static void test_full_file(void)
{
    char path[64], err[512] = "";
    dsm_config_t cfg = {0};
    cf_env_clear();
    CU_ASSERT_EQUAL_FATAL(cf_file(path, "# instance file\n"
                                        "instance = project-1\n"
                                        "listen = 127.0.0.1:9101   # inline comment\n"
                                        "\n"
                                        "   threads=16\n"
                                        "keepalive_conns = 8\n"
                                        "max_body = 2048\n"
                                        "plugin = project /abs/service_project.so\n"
                                        "plugin = echo\t/abs/intel echo.so\n"
                                        "plugin_dir = /abs/run/plugins\n"
                                        "db.main = host=127.0.0.1 port=5544 password=a#b\n"
                                        "db.main = host=db2\n"
                                        "redis = 127.0.0.1:6380\n"
                                        "admin = 1\n"
                                        "health_pools = project backlog\n"
                                        "health_base = http://127.0.0.1:8080\n"
                                        "conf.project.service_name = project-service\n"),
                          0);
    CU_ASSERT_EQUAL(dsm_config_load(&cfg, path, err, sizeof(err)), 0);
    CU_ASSERT_STRING_EQUAL(err, "");
    CU_ASSERT_EQUAL(dsm_config_finish(&cfg, err, sizeof(err)), 0);
    CU_ASSERT_STRING_EQUAL(cfg.file, path);
    CU_ASSERT_STRING_EQUAL(cfg.instance, "project-1");
    CU_ASSERT_STRING_EQUAL(cfg.listen, "127.0.0.1:9101");
    CU_ASSERT_EQUAL(cfg.threads, 16);
    CU_ASSERT_EQUAL(cfg.keepalive_conns, 8);
    CU_ASSERT_EQUAL(cfg.max_body, 2048);
    CU_ASSERT_EQUAL_FATAL(cfg.nplugins, 2);
    CU_ASSERT_STRING_EQUAL(cfg.plugins[0].name, "project");
    CU_ASSERT_STRING_EQUAL(cfg.plugins[0].path, "/abs/service_project.so");
    CU_ASSERT_STRING_EQUAL(cfg.plugins[1].name, "echo");
    CU_ASSERT_STRING_EQUAL(cfg.plugins[1].path, "/abs/intel echo.so");
    CU_ASSERT_STRING_EQUAL(cfg.plugin_dir, "/abs/run/plugins");
    /* '#' only starts a comment at the line start or after a space; a later line replaces */
    CU_ASSERT_STRING_EQUAL(dsm_config_get(&cfg, "db.main"), "host=db2");
    CU_ASSERT_STRING_EQUAL(dsm_config_get(&cfg, "conf.project.service_name"), "project-service");
    CU_ASSERT_PTR_NULL(dsm_config_get(&cfg, "conf.project.other"));
    CU_ASSERT_EQUAL(cfg.nkv, 2);
    CU_ASSERT_STRING_EQUAL(cfg.redis_host, "127.0.0.1");
    CU_ASSERT_EQUAL(cfg.redis_port, 6380);
    CU_ASSERT_TRUE(cfg.admin);
    CU_ASSERT_STRING_EQUAL(cfg.health_pools, "project backlog");
    CU_ASSERT_STRING_EQUAL(cfg.health_base, "http://127.0.0.1:8080");
    dsm_config_free(&cfg);
    CU_ASSERT_EQUAL(cfg.nplugins, 0);
    CU_ASSERT_PTR_NULL(cfg.plugins);
    unlink(path);
    cf_env_restore();
}

static void test_password_hash_kept(void)
{
    char path[64], err[512] = "";
    dsm_config_t cfg = {0};
    CU_ASSERT_EQUAL_FATAL(cf_file(path, "db.main = host=x password=a#b\n"), 0);
    CU_ASSERT_EQUAL(dsm_config_load(&cfg, path, err, sizeof(err)), 0);
    CU_ASSERT_STRING_EQUAL(dsm_config_get(&cfg, "db.main"), "host=x password=a#b");
    dsm_config_free(&cfg);
    unlink(path);
}

static void load_fails(const char *text, int line, const char *what)
{
    char path[64], err[512] = "", want[640];
    dsm_config_t cfg = {0};
    CU_ASSERT_EQUAL_FATAL(cf_file(path, text), 0);
    CU_ASSERT_EQUAL(dsm_config_load(&cfg, path, err, sizeof(err)), -1);
    snprintf(want, sizeof(want), "%s:%d: %s", path, line, what);
    CU_ASSERT_STRING_EQUAL(err, want);
    dsm_config_free(&cfg);
    unlink(path);
}

static void test_load_errors_name_file_and_line(void)
{
    load_fails("threads = 4\nbogus = 1\n", 2, "unknown configuration key 'bogus'");
    load_fails("# c\n\njust words\n", 3, "expected 'key = value'");
    load_fails("plugin = project\n", 1, "plugin: expected 'NAME PATH', got 'project'");
    load_fails("plugin = Project /x.so\n", 1, "plugin name 'Project' must match [a-z0-9_]+");
    load_fails("plugin = a /x.so\nplugin = a /y.so\n", 2, "plugin 'a' configured twice");
    load_fails("threads = many\n", 1, "threads: 'many' is not an integer in [1, 1024]");
    load_fails("redis = localhost\n", 1, "redis: expected host:port, got 'localhost'");
}

static void test_load_missing_file(void)
{
    char err[512] = "";
    dsm_config_t cfg = {0};
    CU_ASSERT_EQUAL(dsm_config_load(&cfg, "/nonexistent/dsm.conf", err, sizeof(err)), -1);
    CU_ASSERT_STRING_EQUAL(err, "/nonexistent/dsm.conf: No such file or directory");
    dsm_config_free(&cfg);
}

static void set_fails(const char *key, const char *value, const char *want)
{
    char err[512] = "";
    dsm_config_t cfg = {0};
    CU_ASSERT_EQUAL(dsm_config_set(&cfg, key, value, err, sizeof(err)), -1);
    CU_ASSERT_STRING_EQUAL(err, want);
    dsm_config_free(&cfg);
}

static void test_set_refusals(void)
{
    set_fails("unknown", "1", "unknown configuration key 'unknown'");
    set_fails("db", "x", "unknown configuration key 'db'");
    set_fails("plugin", "", "plugin: expected 'NAME PATH', got ''");
    set_fails("plugin", "echo ", "plugin: expected 'NAME PATH', got 'echo '");
    set_fails("plugin", " /x.so", "plugin: expected 'NAME PATH', got ' /x.so'");
    set_fails("plugin", "my-plugin /x.so", "plugin name 'my-plugin' must match [a-z0-9_]+");
    set_fails("threads", "0", "threads: '0' is not an integer in [1, 1024]");
    set_fails("threads", "1025", "threads: '1025' is not an integer in [1, 1024]");
    set_fails("threads", "8x", "threads: '8x' is not an integer in [1, 1024]");
    set_fails("threads", "", "threads: '' is not an integer in [1, 1024]");
    set_fails("keepalive_conns", "-1", "keepalive_conns: '-1' is not an integer in [0, 1024]");
    set_fails("max_body", "1073741825",
              "max_body: '1073741825' is not an integer in [0, 1073741824]");
    set_fails("redis", "host:0", "redis: expected host:port, got 'host:0'");
    set_fails("redis", "host:65536", "redis: expected host:port, got 'host:65536'");
}

static void test_set_values(void)
{
    char err[512] = "";
    dsm_config_t cfg = {0};
    CU_ASSERT_EQUAL(dsm_config_set(&cfg, "plugin", "echo=/p/echo.so", err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(dsm_config_set(&cfg, "plugin", "a_1 \t /p/a.so", err, sizeof(err)), 0);
    CU_ASSERT_EQUAL_FATAL(cfg.nplugins, 2);
    CU_ASSERT_STRING_EQUAL(cfg.plugins[0].name, "echo");
    CU_ASSERT_STRING_EQUAL(cfg.plugins[0].path, "/p/echo.so");
    CU_ASSERT_STRING_EQUAL(cfg.plugins[1].name, "a_1");
    CU_ASSERT_STRING_EQUAL(cfg.plugins[1].path, "/p/a.so");
    CU_ASSERT_EQUAL(dsm_config_set(&cfg, "admin", "yes", err, sizeof(err)), 0);
    CU_ASSERT_TRUE(cfg.admin);
    CU_ASSERT_EQUAL(dsm_config_set(&cfg, "admin", "0", err, sizeof(err)), 0);
    CU_ASSERT_FALSE(cfg.admin);
    CU_ASSERT_EQUAL(dsm_config_set(&cfg, "redis", "[::1]:6390", err, sizeof(err)), 0);
    CU_ASSERT_STRING_EQUAL(cfg.redis_host, "[::1]");
    CU_ASSERT_EQUAL(cfg.redis_port, 6390);
    CU_ASSERT_EQUAL(dsm_config_set(&cfg, "max_body", "0", err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(dsm_config_set(&cfg, "instance", "a", err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(dsm_config_set(&cfg, "instance", "b", err, sizeof(err)), 0);
    CU_ASSERT_STRING_EQUAL(cfg.instance, "b");
    dsm_config_free(&cfg);
}

static void test_finish_defaults(void)
{
    char err[512] = "";
    dsm_config_t cfg = {0};
    cf_env_clear();
    CU_ASSERT_EQUAL(dsm_config_set(&cfg, "plugin", "p /p.so", err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(dsm_config_finish(&cfg, err, sizeof(err)), 0);
    CU_ASSERT_STRING_EQUAL(cfg.instance, "dsm-host");
    CU_ASSERT_EQUAL(cfg.threads, 16);
    CU_ASSERT_EQUAL(cfg.keepalive_conns, 0);
    CU_ASSERT_EQUAL(cfg.max_body, 1048576);
    CU_ASSERT_STRING_EQUAL(cfg.plugin_dir, "var/run/plugins");
    CU_ASSERT_STRING_EQUAL(cfg.redis_host, "127.0.0.1");
    CU_ASSERT_EQUAL(cfg.redis_port, 6379);
    CU_ASSERT_FALSE(cfg.admin);
    CU_ASSERT_PTR_NULL(dsm_config_get(&cfg, "db.main"));
    dsm_config_free(&cfg);
    cf_env_restore();
}

static void test_finish_needs_a_plugin(void)
{
    char err[512] = "";
    dsm_config_t cfg = {0};
    cf_env_clear();
    CU_ASSERT_EQUAL(dsm_config_finish(&cfg, err, sizeof(err)), -1);
    CU_ASSERT_STRING_EQUAL(err, "no plugin configured (plugin = NAME PATH)");
    dsm_config_free(&cfg);
    cf_env_restore();
}

static int finish_with(const char *threads, const char *keepalive, char *err, size_t errlen)
{
    dsm_config_t cfg = {0};
    int rc;
    dsm_config_set(&cfg, "plugin", "p /p.so", err, errlen);
    if (threads)
        dsm_config_set(&cfg, "threads", threads, err, errlen);
    dsm_config_set(&cfg, "keepalive_conns", keepalive, err, errlen);
    err[0] = '\0';
    rc = dsm_config_finish(&cfg, err, errlen);
    dsm_config_free(&cfg);
    return rc;
}

static void test_threads_must_exceed_keepalive_conns(void)
{
    char err[512];
    cf_env_clear();
    CU_ASSERT_EQUAL(finish_with("8", "8", err, sizeof(err)), -1);
    CU_ASSERT_STRING_EQUAL(err, "threads (8) must exceed keepalive_conns (8): libfcgi pins a "
                                "thread to each kept-alive nginx connection, so fewer threads "
                                "starve requests");
    CU_ASSERT_EQUAL(finish_with("4", "8", err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "threads (4) must exceed keepalive_conns (8)"));
    CU_ASSERT_EQUAL(finish_with("9", "8", err, sizeof(err)), 0);
    CU_ASSERT_STRING_EQUAL(err, "");
    /* the default of 16 threads counts too */
    CU_ASSERT_EQUAL(finish_with(NULL, "16", err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "threads (16) must exceed keepalive_conns (16)"));
    CU_ASSERT_EQUAL(finish_with(NULL, "15", err, sizeof(err)), 0);
    /* keepalive_conns = 0 (unset) is no constraint */
    CU_ASSERT_EQUAL(finish_with("1", "0", err, sizeof(err)), 0);
    cf_env_restore();
}

static void test_env_overrides(void)
{
    char err[512] = "";
    dsm_config_t cfg = {0};
    cf_env_clear();
    setenv("DATABASE_URL", "postgresql://u:p@h:1/db", 1);
    setenv("REDIS_HOST", "redis.local", 1);
    setenv("REDIS_PORT", "6390", 1);
    CU_ASSERT_EQUAL(dsm_config_set(&cfg, "plugin", "p /p.so", err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(dsm_config_set(&cfg, "db.main", "host=file", err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(dsm_config_set(&cfg, "db.other", "host=other", err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(dsm_config_set(&cfg, "redis", "file:1234", err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(dsm_config_finish(&cfg, err, sizeof(err)), 0);
    CU_ASSERT_STRING_EQUAL(dsm_config_get(&cfg, "db.main"), "postgresql://u:p@h:1/db");
    CU_ASSERT_STRING_EQUAL(dsm_config_get(&cfg, "db.other"), "host=other");
    CU_ASSERT_STRING_EQUAL(cfg.redis_host, "redis.local");
    CU_ASSERT_EQUAL(cfg.redis_port, 6390);
    dsm_config_free(&cfg);

    /* DATABASE_URL also creates db.main when the file has none; empty values are ignored */
    setenv("REDIS_HOST", "", 1);
    setenv("REDIS_PORT", "", 1);
    CU_ASSERT_EQUAL(dsm_config_set(&cfg, "plugin", "p /p.so", err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(dsm_config_finish(&cfg, err, sizeof(err)), 0);
    CU_ASSERT_STRING_EQUAL(dsm_config_get(&cfg, "db.main"), "postgresql://u:p@h:1/db");
    CU_ASSERT_STRING_EQUAL(cfg.redis_host, "127.0.0.1");
    CU_ASSERT_EQUAL(cfg.redis_port, 6379);
    dsm_config_free(&cfg);
    cf_env_restore();
}

/* api->conf_num_checked: conf.<plugin>.<key> read as a number in range; a malformed or
 * out-of-range value keeps the default and marks *bad (the plugin's init then refuses). */
static void test_conf_num_checked(void)
{
    dsm_config_t cfg;
    char err[256];
    const dsm_api_t *api = dsm_api_table();
    dsm_conf_t conf = {&cfg, "episodes"};
    int bad = 0;

    memset(&cfg, 0, sizeof(cfg));
    CU_ASSERT_EQUAL_FATAL(dsm_config_set(&cfg, "conf.episodes.k", "7", err, sizeof err), 0);
    CU_ASSERT_EQUAL_FATAL(dsm_config_set(&cfg, "conf.episodes.scale", " 1 ", err, sizeof err), 0);
    CU_ASSERT_EQUAL_FATAL(dsm_config_set(&cfg, "conf.episodes.timeout_ms", "fast", err, sizeof err), 0);
    CU_ASSERT_EQUAL_FATAL(dsm_config_set(&cfg, "conf.episodes.min_similarity", "1.5", err, sizeof err), 0);
    CU_ASSERT_DOUBLE_EQUAL(api->conf_num_checked(&conf, "k", 10, 1, 100, &bad), 7, 0);
    CU_ASSERT_DOUBLE_EQUAL(api->conf_num_checked(&conf, "scale", 0, 0, 1, &bad), 1, 0);
    CU_ASSERT_DOUBLE_EQUAL(api->conf_num_checked(&conf, "absent", 42, 0, 100, &bad), 42, 0);
    CU_ASSERT_EQUAL(bad, 0);
    CU_ASSERT_DOUBLE_EQUAL(api->conf_num_checked(&conf, "timeout_ms", 2000, 1, 600000, &bad), 2000, 0);
    CU_ASSERT_EQUAL(bad, 1);
    bad = 0;
    CU_ASSERT_DOUBLE_EQUAL(api->conf_num_checked(&conf, "min_similarity", 0.6, -1, 1, &bad), 0.6, 0);
    CU_ASSERT_EQUAL(bad, 1);
    /* the lenient reader takes the default silently */
    CU_ASSERT_DOUBLE_EQUAL(api->conf_num(&conf, "timeout_ms", 2000, 1, 600000), 2000, 0);
    dsm_config_free(&cfg);
}

DSM_SUITE("core/config", NULL, NULL, DSM_TEST(test_conf_num_checked), DSM_TEST(test_full_file),
          DSM_TEST(test_password_hash_kept),
          DSM_TEST(test_load_errors_name_file_and_line), DSM_TEST(test_load_missing_file),
          DSM_TEST(test_set_refusals), DSM_TEST(test_set_values), DSM_TEST(test_finish_defaults),
          DSM_TEST(test_finish_needs_a_plugin), DSM_TEST(test_threads_must_exceed_keepalive_conns),
          DSM_TEST(test_env_overrides));
