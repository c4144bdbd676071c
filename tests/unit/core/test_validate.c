/* test_validate.c — core/host/dsm_validate.c: the api->v_* helpers, Pydantic-v2-lax rules, and
 * the exact FastAPI 422 text dsm_problems_reply sends. */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "dsm_test.h"
#include "ut_core.h"

#define VD_REQ DSM_V_REQUIRED

typedef struct {
    ut_env_t e;
    dsm_req_t r;
} vd_t;

/* A request whose model body is `body` and whose URI is `uri` (query values). */
static int vd_open(vd_t *v, const char *uri, const char *body)
{
    memset(v, 0, sizeof(*v));
    if (ut_env_open(&v->e))
        return -1;
    if (ut_req(&v->e, &v->r, "POST", uri ? uri : "/v", NULL))
        return -1;
    if (body) {
        ut_req_body(&v->r, body);
        if (dsm_req_parse_body(&v->r, DSM_RF_BODY_MODEL))
            return -1;
    }
    return 0;
}

static void vd_close(vd_t *v)
{
    ut_env_close(&v->e);
}

/* Sends the collected problems; the reply must be exactly `detail` wrapped in {"detail":...}. */
static void vd_reply_is(vd_t *v, const char *detail)
{
    char want[2048];
    snprintf(want, sizeof(want), "{\"detail\":[%s]}", detail);
    CU_ASSERT_EQUAL(dsm_problems_reply(&v->r), 1);
    CU_ASSERT_EQUAL(v->r.status, 422);
    CU_ASSERT_STRING_EQUAL(v->r.ctype, "application/json");
    CU_ASSERT_STRING_EQUAL(ut_out(&v->r), want);
}

static void vd_no_problem(vd_t *v)
{
    CU_ASSERT_PTR_NULL(v->r.problems);
    CU_ASSERT_EQUAL(dsm_problems_reply(&v->r), 0);
    CU_ASSERT_FALSE(v->r.replied);
}

/* One body field through v_int: expected return, value, and problem (NULL = none). */
static void int_case(const char *body, unsigned flags, int want_rc, int64_t want,
                     const char *problem)
{
    vd_t v;
    int64_t out = -777;
    CU_ASSERT_EQUAL_FATAL(vd_open(&v, NULL, body), 0);
    CU_ASSERT_EQUAL(dsm_v_int(&v.r, "body", "n", flags, &out), want_rc);
    if (want_rc == 1)
        CU_ASSERT_EQUAL(out, want);
    if (problem)
        vd_reply_is(&v, problem);
    else
        vd_no_problem(&v);
    vd_close(&v);
}

static void test_v_int_lax_accepts(void)
{
    int_case("{\"n\":5}", VD_REQ, 1, 5, NULL);
    int_case("{\"n\":-12}", VD_REQ, 1, -12, NULL);
    int_case("{\"n\":\"5\"}", VD_REQ, 1, 5, NULL);
    int_case("{\"n\":\" 42 \"}", VD_REQ, 1, 42, NULL);
    int_case("{\"n\":5.0}", VD_REQ, 1, 5, NULL);
    int_case("{\"n\":-3.0}", 0, 1, -3, NULL);
    int_case("{\"n\":9223372036854775807}", 0, 1, INT64_MAX, NULL);
}

static void test_v_int_rejects(void)
{
    int_case("{\"n\":5.5}", VD_REQ, -1, 0,
             "{\"type\":\"int_from_float\",\"loc\":[\"body\",\"n\"],\"msg\":\"Input should be a "
             "valid integer, got a number with a fractional part\",\"input\":5.5}");
    int_case("{\"n\":\"five\"}", VD_REQ, -1, 0,
             "{\"type\":\"int_parsing\",\"loc\":[\"body\",\"n\"],\"msg\":\"Input should be a valid "
             "integer, unable to parse string as an integer\",\"input\":\"five\"}");
    int_case("{\"n\":\"5.5\"}", 0, -1, 0,
             "{\"type\":\"int_parsing\",\"loc\":[\"body\",\"n\"],\"msg\":\"Input should be a valid "
             "integer, unable to parse string as an integer\",\"input\":\"5.5\"}");
    int_case("{\"n\":\"\"}", 0, -1, 0,
             "{\"type\":\"int_parsing\",\"loc\":[\"body\",\"n\"],\"msg\":\"Input should be a valid "
             "integer, unable to parse string as an integer\",\"input\":\"\"}");
    int_case("{\"n\":[1]}", 0, -1, 0,
             "{\"type\":\"int_type\",\"loc\":[\"body\",\"n\"],\"msg\":\"Input should be a valid "
             "integer\",\"input\":[1]}");
    int_case("{\"n\":{}}", 0, -1, 0,
             "{\"type\":\"int_type\",\"loc\":[\"body\",\"n\"],\"msg\":\"Input should be a valid "
             "integer\",\"input\":{}}");
}

/* Pydantic v2 lax mode: a JSON bool is an int (pydantic-core input_json.rs validate_int:
 * `JsonValue::Bool(b) if !strict => EitherInt::I64(b.into())`), and a string with an all-zero
 * fraction is too (str_as_int → strip_decimal_zeros: "5.0" → 5). */
static void test_v_int_pydantic_lax_bool_and_zero_fraction_string(void)
{
    int_case("{\"n\":true}", VD_REQ, 1, 1, NULL);
    int_case("{\"n\":false}", VD_REQ, 1, 0, NULL);
    int_case("{\"n\":\"5.0\"}", VD_REQ, 1, 5, NULL);
}

static void test_v_int_missing_and_null(void)
{
    /* absent, not required: 0, nothing recorded, out untouched */
    vd_t v;
    int64_t out = 99;
    CU_ASSERT_EQUAL_FATAL(vd_open(&v, NULL, "{\"other\":1}"), 0);
    CU_ASSERT_EQUAL(dsm_v_int(&v.r, "body", "n", 0, &out), 0);
    CU_ASSERT_EQUAL(out, 99);
    vd_no_problem(&v);
    vd_close(&v);
    /* absent and required: "missing" with the whole body as input */
    int_case("{\"other\":1,\"s\":\"x\"}", VD_REQ, -1, 0,
             "{\"type\":\"missing\",\"loc\":[\"body\",\"n\"],\"msg\":\"Field required\","
             "\"input\":{\"other\":1,\"s\":\"x\"}}");
    /* null, not required: same as absent */
    int_case("{\"n\":null}", 0, 0, 0, NULL);
}

/* A required field given as JSON null: Pydantic reports the type error with input null
 * ({"type":"int_type",...,"input":null}), not "missing" (the key is there). */
static void test_required_null_is_a_type_error(void)
{
    int_case("{\"n\":null}", VD_REQ, -1, 0,
             "{\"type\":\"int_type\",\"loc\":[\"body\",\"n\"],\"msg\":\"Input should be a valid "
             "integer\",\"input\":null}");
    vd_t v;
    const char *s = NULL;
    CU_ASSERT_EQUAL_FATAL(vd_open(&v, NULL, "{\"s\":null}"), 0);
    CU_ASSERT_EQUAL(dsm_v_str(&v.r, "body", "s", VD_REQ, &s), -1);
    vd_reply_is(&v, "{\"type\":\"string_type\",\"loc\":[\"body\",\"s\"],\"msg\":\"Input should be a "
                    "valid string\",\"input\":null}");
    vd_close(&v);
}

static void test_v_int_query_and_path(void)
{
    vd_t v;
    int64_t out = 0;
    CU_ASSERT_EQUAL_FATAL(vd_open(&v, "/v?limit=25&bad=x1&neg=-4", NULL), 0);
    CU_ASSERT_EQUAL(dsm_v_int(&v.r, "query", "limit", VD_REQ, &out), 1);
    CU_ASSERT_EQUAL(out, 25);
    CU_ASSERT_EQUAL(dsm_v_int(&v.r, "query", "neg", 0, &out), 1);
    CU_ASSERT_EQUAL(out, -4);
    CU_ASSERT_EQUAL(dsm_v_int(&v.r, "query", "offset", 0, &out), 0);
    CU_ASSERT_EQUAL(dsm_v_int(&v.r, "query", "bad", VD_REQ, &out), -1);
    CU_ASSERT_EQUAL(dsm_v_int(&v.r, "query", "employee_id", VD_REQ, &out), -1);
    /* a path parameter, as the router leaves it */
    v.r.match.nparams = 1;
    v.r.match.names[0] = "sprint_no";
    v.r.match.values[0] = "7";
    CU_ASSERT_EQUAL(dsm_v_int(&v.r, "path", "sprint_no", VD_REQ, &out), 1);
    CU_ASSERT_EQUAL(out, 7);
    v.r.match.values[0] = "seven";
    CU_ASSERT_EQUAL(dsm_v_int(&v.r, "path", "sprint_no", VD_REQ, &out), -1);
    /* every problem, in call order, in one 422 */
    vd_reply_is(&v, "{\"type\":\"int_parsing\",\"loc\":[\"query\",\"bad\"],\"msg\":\"Input should be "
                    "a valid integer, unable to parse string as an integer\",\"input\":\"x1\"},"
                    "{\"type\":\"missing\",\"loc\":[\"query\",\"employee_id\"],\"msg\":\"Field "
                    "required\",\"input\":null},"
                    "{\"type\":\"int_parsing\",\"loc\":[\"path\",\"sprint_no\"],\"msg\":\"Input "
                    "should be a valid integer, unable to parse string as an integer\",\"input\":"
                    "\"seven\"}");
    vd_close(&v);
}

static void test_v_str(void)
{
    vd_t v;
    const char *s = NULL;
    CU_ASSERT_EQUAL_FATAL(
        vd_open(&v, "/v?q=a%20b", "{\"name\":\"S1\",\"num\":5,\"empty\":\"\",\"t\":true,\"u\":\"caf\xC3\xA9\"}"),
        0);
    CU_ASSERT_EQUAL(dsm_v_str(&v.r, "body", "name", VD_REQ, &s), 1);
    CU_ASSERT_STRING_EQUAL(s, "S1");
    CU_ASSERT_EQUAL(dsm_v_str(&v.r, "body", "u", 0, &s), 1);
    CU_ASSERT_STRING_EQUAL(s, "caf\xC3\xA9");
    CU_ASSERT_EQUAL(dsm_v_str(&v.r, "body", "empty", 0, &s), 1); /* "" is a string */
    CU_ASSERT_STRING_EQUAL(s, "");
    CU_ASSERT_EQUAL(dsm_v_str(&v.r, "query", "q", 0, &s), 1);
    CU_ASSERT_STRING_EQUAL(s, "a b");
    CU_ASSERT_EQUAL(dsm_v_str(&v.r, "body", "absent", 0, &s), 0);
    CU_ASSERT_EQUAL(dsm_v_str(&v.r, "body", "name", 0, NULL), 1); /* out may be NULL */
    vd_no_problem(&v);
    CU_ASSERT_EQUAL(dsm_v_str(&v.r, "body", "num", VD_REQ, &s), -1);
    CU_ASSERT_EQUAL(dsm_v_str(&v.r, "body", "t", 0, &s), -1);
    CU_ASSERT_EQUAL(dsm_v_str(&v.r, "body", "empty", DSM_V_NONEMPTY, &s), -1);
    vd_reply_is(&v, "{\"type\":\"string_type\",\"loc\":[\"body\",\"num\"],\"msg\":\"Input should be "
                    "a valid string\",\"input\":5},"
                    "{\"type\":\"string_type\",\"loc\":[\"body\",\"t\"],\"msg\":\"Input should be a "
                    "valid string\",\"input\":true},"
                    "{\"type\":\"string_too_short\",\"loc\":[\"body\",\"empty\"],\"msg\":\"String "
                    "should have at least 1 character\",\"input\":\"\"}");
    vd_close(&v);
}

static void float_case(const char *body, int want_rc, double want, const char *problem)
{
    vd_t v;
    double out = -1;
    CU_ASSERT_EQUAL_FATAL(vd_open(&v, NULL, body), 0);
    CU_ASSERT_EQUAL(dsm_v_float(&v.r, "body", "f", VD_REQ, &out), want_rc);
    if (want_rc == 1)
        CU_ASSERT_DOUBLE_EQUAL(out, want, 1e-12);
    if (problem)
        vd_reply_is(&v, problem);
    else
        vd_no_problem(&v);
    vd_close(&v);
}

static void test_v_float(void)
{
    float_case("{\"f\":5}", 1, 5.0, NULL);
    float_case("{\"f\":0.75}", 1, 0.75, NULL);
    float_case("{\"f\":\"2.5\"}", 1, 2.5, NULL);
    float_case("{\"f\":\" 1e3 \"}", 1, 1000.0, NULL);
    float_case("{\"f\":\"abc\"}", -1, 0,
               "{\"type\":\"float_parsing\",\"loc\":[\"body\",\"f\"],\"msg\":\"Input should be a "
               "valid number, unable to parse string as a number\",\"input\":\"abc\"}");
    float_case("{\"f\":\"\"}", -1, 0,
               "{\"type\":\"float_parsing\",\"loc\":[\"body\",\"f\"],\"msg\":\"Input should be a "
               "valid number, unable to parse string as a number\",\"input\":\"\"}");
    float_case("{\"f\":[]}", -1, 0,
               "{\"type\":\"float_type\",\"loc\":[\"body\",\"f\"],\"msg\":\"Input should be a "
               "valid number\",\"input\":[]}");
    float_case("{}", -1, 0,
               "{\"type\":\"missing\",\"loc\":[\"body\",\"f\"],\"msg\":\"Field required\","
               "\"input\":{}}");
}

static void bool_case(const char *body, int want_rc, int want, const char *problem)
{
    vd_t v;
    int out = -1;
    CU_ASSERT_EQUAL_FATAL(vd_open(&v, NULL, body), 0);
    CU_ASSERT_EQUAL(dsm_v_bool(&v.r, "body", "b", VD_REQ, &out), want_rc);
    if (want_rc == 1)
        CU_ASSERT_EQUAL(out, want);
    if (problem)
        vd_reply_is(&v, problem);
    else
        vd_no_problem(&v);
    vd_close(&v);
}

static void test_v_bool(void)
{
    static const char *const yes[] = {"1", "on", "t", "true", "y", "yes", "True", "YES"};
    static const char *const no[] = {"0", "off", "f", "false", "n", "no", "False", "OFF"};
    char body[64];
    bool_case("{\"b\":true}", 1, 1, NULL);
    bool_case("{\"b\":false}", 1, 0, NULL);
    bool_case("{\"b\":1}", 1, 1, NULL);
    bool_case("{\"b\":0}", 1, 0, NULL);
    for (size_t i = 0; i < sizeof(yes) / sizeof(*yes); i++) {
        snprintf(body, sizeof(body), "{\"b\":\"%s\"}", yes[i]);
        bool_case(body, 1, 1, NULL);
        snprintf(body, sizeof(body), "{\"b\":\"%s\"}", no[i]);
        bool_case(body, 1, 0, NULL);
    }
    bool_case("{\"b\":2}", -1, 0,
              "{\"type\":\"bool_parsing\",\"loc\":[\"body\",\"b\"],\"msg\":\"Input should be a "
              "valid boolean, unable to interpret input\",\"input\":2}");
    bool_case("{\"b\":\"maybe\"}", -1, 0,
              "{\"type\":\"bool_parsing\",\"loc\":[\"body\",\"b\"],\"msg\":\"Input should be a "
              "valid boolean, unable to interpret input\",\"input\":\"maybe\"}");
    bool_case("{\"b\":[]}", -1, 0,
              "{\"type\":\"bool_type\",\"loc\":[\"body\",\"b\"],\"msg\":\"Input should be a valid "
              "boolean\",\"input\":[]}");
}

/* One body date through v_date. On failure the problem must have `type`, and, when msg is not
 * NULL, exactly this text (msg NULL: the wording is checked elsewhere). */
static void date_case(const char *value, unsigned flags, int want_rc, const char *want,
                      const char *type, const char *msg)
{
    vd_t v;
    char body[256], out[11] = "unset";
    snprintf(body, sizeof(body), "{\"d\":\"%s\"}", value);
    CU_ASSERT_EQUAL_FATAL(vd_open(&v, NULL, body), 0);
    CU_ASSERT_EQUAL(dsm_v_date(&v.r, "body", "d", flags, out), want_rc);
    if (want_rc == 1) {
        CU_ASSERT_STRING_EQUAL(out, want);
        vd_no_problem(&v);
    } else if (msg) {
        char p[512];
        snprintf(p, sizeof(p),
                 "{\"type\":\"%s\",\"loc\":[\"body\",\"d\"],\"msg\":\"%s\",\"input\":\"%s\"}", type,
                 msg, value);
        vd_reply_is(&v, p);
        CU_ASSERT_STRING_EQUAL(out, "unset");
    } else {
        size_t n = v.r.problems ? json_object_array_length(v.r.problems) : 0;
        CU_ASSERT_EQUAL(n, 1);
        if (n == 1) {
            json_object *p0 = json_object_array_get_idx(v.r.problems, 0);
            CU_ASSERT_STRING_EQUAL(json_object_get_string(json_object_object_get(p0, "type")),
                                   type);
            CU_ASSERT_STRING_EQUAL(json_object_get_string(json_object_object_get(p0, "input")),
                                   value);
        }
        CU_ASSERT_STRING_EQUAL(out, "unset");
    }
    vd_close(&v);
}

#define VD_DTP "date_from_datetime_parsing"
#define VD_VALID "Input should be a valid date or datetime, "

static void test_v_date_dates(void)
{
    date_case("2025-02-28", VD_REQ, 1, "2025-02-28", NULL, NULL);
    date_case("2024-02-29", VD_REQ, 1, "2024-02-29", NULL, NULL);
    date_case("2000-02-29", VD_REQ, 1, "2000-02-29", NULL, NULL);
    date_case("2025-12-31", VD_REQ, 1, "2025-12-31", NULL, NULL);
    date_case("2025-1", VD_REQ, -1, NULL, VD_DTP, VD_VALID "input is too short");
    date_case("2025-01-0", VD_REQ, -1, NULL, VD_DTP, VD_VALID "input is too short");
    date_case("", VD_REQ, -1, NULL, VD_DTP, VD_VALID "input is too short");
    date_case("2025-01-01X", VD_REQ, -1, NULL, VD_DTP, NULL);
    date_case("2025-01-01T", VD_REQ, -1, NULL, VD_DTP, NULL);
}

/* speedate's own reasons, as FastAPI prints them (pydantic-core tests: '2001-02-29' →
 * "Input should be a valid date or datetime, day value is outside expected range"). */
static void test_v_date_out_of_range_messages(void)
{
    date_case("2025-02-29", VD_REQ, -1, NULL, VD_DTP, VD_VALID "day value is outside expected range");
    date_case("1900-02-29", VD_REQ, -1, NULL, VD_DTP, VD_VALID "day value is outside expected range");
    date_case("2025-04-31", VD_REQ, -1, NULL, VD_DTP, VD_VALID "day value is outside expected range");
    date_case("2025-13-01", VD_REQ, -1, NULL, VD_DTP,
              VD_VALID "month value is outside expected range of 1-12");
    date_case("31-01-2025", VD_REQ, -1, NULL, VD_DTP, VD_VALID "invalid character in year");
}

static void test_v_date_datetimes(void)
{
    /* a midnight datetime is an exact date; any other time needs DSM_V_DATETIME_OK */
    date_case("2025-03-01T00:00:00", VD_REQ, 1, "2025-03-01", NULL, NULL);
    date_case("2025-03-01T00:00:00.000Z", VD_REQ, 1, "2025-03-01", NULL, NULL);
    date_case("2025-03-01 00:00", VD_REQ, 1, "2025-03-01", NULL, NULL);
    date_case("2025-03-01T10:30:00", VD_REQ, -1, NULL, "date_from_datetime_inexact",
              "Datetimes provided to dates should have zero time - e.g. be exact dates");
    date_case("2025-03-01T00:00:00.5", VD_REQ, -1, NULL, "date_from_datetime_inexact",
              "Datetimes provided to dates should have zero time - e.g. be exact dates");
    date_case("2025-03-01T10:30:00", VD_REQ | DSM_V_DATETIME_OK, 1, "2025-03-01", NULL, NULL);
    date_case("2025-03-01T23:59:59.123456+05:30", DSM_V_DATETIME_OK, 1, "2025-03-01", NULL, NULL);
    date_case("2025-03-01t10:30Z", DSM_V_DATETIME_OK, 1, "2025-03-01", NULL, NULL);
    date_case("2025-03-01T10:30:00-0800", DSM_V_DATETIME_OK, 1, "2025-03-01", NULL, NULL);
    /* broken times are refused even with DSM_V_DATETIME_OK */
    date_case("2025-03-01T24:00:00", DSM_V_DATETIME_OK, -1, NULL, VD_DTP, NULL);
    date_case("2025-03-01T10:60", DSM_V_DATETIME_OK, -1, NULL, VD_DTP, NULL);
    date_case("2025-03-01T10:30:00+25:00", DSM_V_DATETIME_OK, -1, NULL, VD_DTP, NULL);
    date_case("2025-03-01T10:30:00.", DSM_V_DATETIME_OK, -1, NULL, VD_DTP, NULL);
    date_case("2025-02-29T00:00:00", DSM_V_DATETIME_OK, -1, NULL, VD_DTP, NULL);
}

/* Hours, minutes and offsets are two digits: no sign, no blank (sscanf's %2d takes both). */
static void test_v_date_time_digits_are_strict(void)
{
    date_case("2025-03-01T-1:00:00", DSM_V_DATETIME_OK, -1, NULL, VD_DTP, NULL);
    date_case("2025-03-01T 0:00", VD_REQ, -1, NULL, VD_DTP, NULL);
    date_case("2025-03-01T00:-0", VD_REQ, -1, NULL, VD_DTP, NULL);
    date_case("2025-03-01T10:00:00+-5", DSM_V_DATETIME_OK, -1, NULL, VD_DTP, NULL);
}

static void test_v_date_types_and_absence(void)
{
    vd_t v;
    char out[11];
    CU_ASSERT_EQUAL_FATAL(vd_open(&v, "/v?from=2025-01-31&to=2025-01", "{\"d\":[1]}"), 0);
    CU_ASSERT_EQUAL(dsm_v_date(&v.r, "query", "from", VD_REQ, out), 1);
    CU_ASSERT_STRING_EQUAL(out, "2025-01-31");
    CU_ASSERT_EQUAL(dsm_v_date(&v.r, "query", "none", 0, out), 0);
    CU_ASSERT_EQUAL(dsm_v_date(&v.r, "body", "d", VD_REQ, out), -1);
    CU_ASSERT_EQUAL(dsm_v_date(&v.r, "query", "to", 0, out), -1);
    CU_ASSERT_EQUAL(dsm_v_date(&v.r, "body", "missing", VD_REQ, out), -1);
    vd_reply_is(&v, "{\"type\":\"date_type\",\"loc\":[\"body\",\"d\"],\"msg\":\"Input should be a "
                    "valid date\",\"input\":[1]},"
                    "{\"type\":\"" VD_DTP "\",\"loc\":[\"query\",\"to\"],\"msg\":\"" VD_VALID
                    "input is too short\",\"input\":\"2025-01\"},"
                    "{\"type\":\"missing\",\"loc\":[\"body\",\"missing\"],\"msg\":\"Field "
                    "required\",\"input\":{\"d\":[1]}}");
    vd_close(&v);
}

static void test_date_valid(void)
{
    CU_ASSERT_EQUAL(dsm_date_valid("2024-02-29"), 1);
    CU_ASSERT_EQUAL(dsm_date_valid("2025-02-29"), 0);
    CU_ASSERT_EQUAL(dsm_date_valid("2000-02-29"), 1);
    CU_ASSERT_EQUAL(dsm_date_valid("2100-02-29"), 0);
    CU_ASSERT_EQUAL(dsm_date_valid("2025-01-31"), 1);
    CU_ASSERT_EQUAL(dsm_date_valid("2025-04-31"), 0);
    CU_ASSERT_EQUAL(dsm_date_valid("2025-00-10"), 0);
    CU_ASSERT_EQUAL(dsm_date_valid("2025-13-10"), 0);
    CU_ASSERT_EQUAL(dsm_date_valid("2025-01-00"), 0);
    CU_ASSERT_EQUAL(dsm_date_valid("0000-01-01"), 0);
    CU_ASSERT_EQUAL(dsm_date_valid("0001-01-01"), 1);
    CU_ASSERT_EQUAL(dsm_date_valid("2025-1-01"), 0);
    CU_ASSERT_EQUAL(dsm_date_valid("2025/01/01"), 0);
    CU_ASSERT_EQUAL(dsm_date_valid("2025-01-01 "), 0);
    CU_ASSERT_EQUAL(dsm_date_valid("2025-+1-01"), 0);
    CU_ASSERT_EQUAL(dsm_date_valid(""), 0);
    CU_ASSERT_EQUAL(dsm_date_valid(NULL), 0);
}

/* Handlers' own problems (api->v_problem) and api->reply_invalid share the list. */
static void test_problem_add_and_reply_invalid(void)
{
    vd_t v;
    json_object *in = json_object_new_int(3);
    CU_ASSERT_EQUAL_FATAL(vd_open(&v, NULL, NULL), 0);
    CU_ASSERT_EQUAL(dsm_problems_reply(&v.r), 0);
    dsm_problem_add(&v.r, "body", "end_date", "value_error",
                    "Value error, end_date must be after start_date", in);
    dsm_problem_add(&v.r, NULL, NULL, "missing", "Field required", NULL);
    json_object_put(in); /* the problem took its own reference */
    dsm_invalid_t more[] = {{"query", "x", "int_parsing", "m", NULL}};
    CU_ASSERT_EQUAL(dsm_reply_invalid(&v.r, 1, more), DSM_ERR);
    CU_ASSERT_EQUAL(v.r.status, 422);
    CU_ASSERT_STRING_EQUAL(ut_out(&v.r),
                           "{\"detail\":[{\"type\":\"value_error\",\"loc\":[\"body\",\"end_date\"],"
                           "\"msg\":\"Value error, end_date must be after start_date\",\"input\":3},"
                           "{\"type\":\"missing\",\"loc\":[\"body\"],\"msg\":\"Field required\","
                           "\"input\":null},"
                           "{\"type\":\"int_parsing\",\"loc\":[\"query\",\"x\"],\"msg\":\"m\","
                           "\"input\":null}]}");
    vd_close(&v);
}

DSM_SUITE("core/validate", NULL, NULL, DSM_TEST(test_v_int_lax_accepts), DSM_TEST(test_v_int_rejects),
          DSM_TEST(test_v_int_pydantic_lax_bool_and_zero_fraction_string),
          DSM_TEST(test_v_int_missing_and_null), DSM_TEST(test_required_null_is_a_type_error),
          DSM_TEST(test_v_int_query_and_path), DSM_TEST(test_v_str), DSM_TEST(test_v_float),
          DSM_TEST(test_v_bool), DSM_TEST(test_v_date_dates),
          DSM_TEST(test_v_date_out_of_range_messages), DSM_TEST(test_v_date_datetimes),
          DSM_TEST(test_v_date_time_digits_are_strict), DSM_TEST(test_v_date_types_and_absence),
          DSM_TEST(test_date_valid), DSM_TEST(test_problem_add_and_reply_invalid));
