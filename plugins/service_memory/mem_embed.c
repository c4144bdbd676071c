/*
 * mem_embed.c — the embedder: the local feature-hashing model (default) or an
 * Ollama-compatible server (conf.memory.embed_url), always fed the canonical context text.
 *
 * Server protocol (Ollama /api/embed): POST <embed_url>/api/embed {"model": M, "input": TEXT}
 * → {"embeddings": [[1024 floats]]} (the older {"embedding": [...]} shape is accepted too).
 * A refused connection, a timeout (conf.memory.embed_timeout_ms, 5000 by default, clamped to
 * the request's deadline), a non-200 status or a vector of another size is a failure with a
 * precise reason; the handlers answer 503 {"detail": "Embedding service unavailable: <reason>"}
 * or, with conf.memory.embed_fallback = defer, store the episode without embedding and flag it
 * for the backfill.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem_internal.h"

const char *mem_embed_provider(const mem_state_t *st)
{
    return st->embed_url != NULL ? "ollama" : "local";
}

const char *mem_embed_model(const mem_state_t *st)
{
    return st->embed_url != NULL ? st->embed_model : MEM_LOCAL_MODEL;
}

static int ollama_embed(mem_state_t *st, dsm_req_t *req, const char *text, float *out,
                        const char **err)
{
    const dsm_api_t *api = st->api;
    const char *url = api->psprintf(req, "%s/api/embed", st->embed_url);
    struct json_object *body = json_object_new_object(), *reply = NULL, *vec = NULL, *arr;
    const char *why = NULL;
    int status, rc = -1;

    json_object_object_add(body, "model", json_object_new_string(st->embed_model));
    json_object_object_add(body, "input", json_object_new_string(text));
    status = api->http_call(req, "POST", url, body, st->embed_timeout_ms, &reply, &why);
    json_object_put(body);
    if (status < 0) {
        *err = api->psprintf(req, "%s: %s", url, why != NULL ? why : "no answer");
        goto done;
    }
    if (status != 200) {
        *err = api->psprintf(req, "%s answered HTTP %d", url, status);
        goto done;
    }
    if (json_object_object_get_ex(reply, "embeddings", &arr) &&
        json_object_is_type(arr, json_type_array) && json_object_array_length(arr) > 0)
        vec = json_object_array_get_idx(arr, 0);
    else if (json_object_object_get_ex(reply, "embedding", &arr))
        vec = arr;
    if (!json_object_is_type(vec, json_type_array)) {
        *err = api->psprintf(req, "%s answered without an embedding", url);
        goto done;
    }
    if (json_object_array_length(vec) != MEM_DIM) {
        *err = api->psprintf(req, "%s returned %zu dimensions, expected %d (model %s)", url,
                             json_object_array_length(vec), MEM_DIM, st->embed_model);
        goto done;
    }
    for (size_t i = 0; i < MEM_DIM; i++) {
        struct json_object *e = json_object_array_get_idx(vec, i);

        if (!json_object_is_type(e, json_type_double) && !json_object_is_type(e, json_type_int)) {
            *err = api->psprintf(req, "%s returned a non-numeric embedding", url);
            goto done;
        }
        out[i] = (float)json_object_get_double(e);
    }
    if (mem_vec_normalize(out, MEM_DIM) != 0) {
        *err = api->psprintf(req, "%s returned a zero embedding", url);
        goto done;
    }
    rc = 0;
done:
    json_object_put(reply);
    return rc;
}

int mem_embed(mem_state_t *st, dsm_req_t *req, const char *text, float *out, const char **err)
{
    *err = NULL;
    if (st->embed_url == NULL) {
        mem_embed_local(text, out);
        return 0;
    }
    return ollama_embed(st, req, text, out, err);
}

int mem_embed_context(mem_state_t *st, dsm_req_t *req, struct json_object *ctx, float *out,
                      const char **err)
{
    char *text = mem_text_context(ctx);
    char *copy;

    if (text == NULL) {
        *err = "out of memory";
        return -1;
    }
    copy = st->api->pstrdup(req, text); /* the arena owns it: no leak on any path */
    free(text);
    if (copy == NULL) {
        *err = "out of memory";
        return -1;
    }
    return mem_embed(st, req, copy, out, err);
}

int mem_embed_fail(mem_state_t *st, dsm_req_t *req, const char *err)
{
    st->api->log(req, "error", "embedding", err, NULL);
    return st->api->reply_error(req, 503, "Embedding service unavailable: %s",
                                err != NULL ? err : "unknown error");
}

int mem_embed_ping(mem_state_t *st, dsm_req_t *req, const char **err)
{
    const dsm_api_t *api = st->api;
    struct json_object *reply = NULL;
    const char *why = NULL;
    int status;

    *err = NULL;
    if (st->embed_url == NULL)
        return 1;
    status = api->http_call(req, "GET", api->psprintf(req, "%s/api/tags", st->embed_url), NULL,
                            1000, &reply, &why);
    json_object_put(reply);
    if (status == 200)
        return 1;
    *err = status < 0 ? (why != NULL ? why : "no answer")
                      : api->psprintf(req, "HTTP %d", status);
    return 0;
}
