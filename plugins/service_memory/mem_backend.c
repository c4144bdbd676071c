/* mem_backend.c — which storage the embeddings have: pgvector's vector(1024) or real[]. */
#include <string.h>

#include "mem_internal.h"

mem_backend_e mem_backend(mem_state_t *st, dsm_req_t *req)
{
    const dsm_api_t *api = st->api;
    int be = atomic_load(&st->backend);
    const char *type;
    dsm_rows_t *r;

    if (be != MEM_BACKEND_UNKNOWN)
        return (mem_backend_e)be;
    r = api->db_exec(req, MEM_DB,
                     "SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a "
                     "WHERE a.attrelid = 'agent_episodes'::regclass AND a.attname = 'embedding' "
                     "AND NOT a.attisdropped",
                     0, NULL);
    if (r == NULL)
        return MEM_BACKEND_UNKNOWN;
    type = api->rows_value(r, 0, 0);
    be = type != NULL && strncmp(type, "vector", 6) == 0 ? MEM_BACKEND_PGVECTOR : MEM_BACKEND_ARRAY;
    atomic_store(&st->backend, be);
    api->log(req, "info", "memory_backend",
             be == MEM_BACKEND_PGVECTOR ? "pgvector: search by ORDER BY embedding <=> query"
                                        : "real[]: exact search in the plugin's cache",
             NULL);
    return (mem_backend_e)be;
}

char *mem_vec_literal(mem_state_t *st, dsm_req_t *req, mem_backend_e be, const float *v)
{
    char *out = st->api->palloc(req, MEM_VEC_TEXT_MAX(MEM_DIM));

    if (out == NULL)
        return NULL;
    if (be == MEM_BACKEND_PGVECTOR)
        mem_vec_format(out, v, MEM_DIM, '[', ']');
    else
        mem_vec_format(out, v, MEM_DIM, '{', '}');
    return out;
}
