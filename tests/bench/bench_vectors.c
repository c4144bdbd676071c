/*
 * tests/bench/bench_vectors.c — request bodies with random 1024-number embeddings for the
 * agent-memory benchmark (tests/bench/bench_memory.sh). Compiled by that script into
 * $DSM_VAR/bench/bench_vectors; not part of the build.
 *
 *   bench_vectors bulk SEED N PROJECT   {"episodes":[N episodes of PROJECT, each with "embedding"]}
 *   bench_vectors query SEED K          {"embedding":[...],"k":K,"min_similarity":-1}
 *
 * Components are uniform in [-1, 1) with 4 decimals (the server normalises), from a
 * splitmix64 stream seeded by SEED, so a batch is reproducible and two seeds never repeat a
 * vector. 100 episodes are about 790 KB: under nginx's and the host's 1 MiB body limit.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BV_DIM 1024

static uint64_t bv_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);

    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* "[c0,c1,...]" — each component -1.0000..0.9999, formatted by hand (printf is the cost). */
static void bv_vector(FILE *out, uint64_t *s)
{
    char buf[BV_DIM * 8 + 4];
    size_t n = 0;

    buf[n++] = '[';
    for (int i = 0; i < BV_DIM; i++) {
        int v = (int)(bv_next(s) % 20000) - 10000; /* -10000..9999 → v / 10000 */
        unsigned a;

        if (i > 0)
            buf[n++] = ',';
        if (v < 0) {
            buf[n++] = '-';
            v = -v;
        }
        if (v == 10000) {
            memcpy(buf + n, "1.0", 3);
            n += 3;
            continue;
        }
        a = (unsigned)v;
        buf[n++] = '0';
        buf[n++] = '.';
        buf[n++] = (char)('0' + a / 1000);
        buf[n++] = (char)('0' + a / 100 % 10);
        buf[n++] = (char)('0' + a / 10 % 10);
        buf[n++] = (char)('0' + a % 10);
    }
    buf[n++] = ']';
    fwrite(buf, 1, n, out);
}

static int bv_bulk(uint64_t seed, long count, const char *project)
{
    uint64_t s = seed * 0x2545F4914F6CDD1DULL + 1;

    fputs("{\"episodes\":[", stdout);
    for (long i = 0; i < count; i++) {
        uint64_t r = bv_next(&s);

        printf("%s{\"project_id\":\"%s\",\"episode_type\":\"orchestration_decision\","
               "\"context\":{\"project_data\":{\"project_id\":\"%s\",\"team_size\":%u,"
               "\"backlog_tasks\":%u,\"unassigned_tasks\":%u,\"active_sprints\":0},"
               "\"tag\":\"bench-%llu-%ld\"},"
               "\"decision\":{\"decision_rationale\":\"bench load\",\"tasks_to_assign\":%u},"
               "\"actions\":{\"sprint_created\":true,\"tasks_assigned\":%u},\"embedding\":",
               i > 0 ? "," : "", project, project, (unsigned)(r % 9 + 2),
               (unsigned)((r >> 8) % 40) + 5, (unsigned)(r >> 16) % 20, (unsigned long long)seed, i,
               (unsigned)(r >> 24) % 10 + 1, (unsigned)(r >> 32) % 10 + 1);
        bv_vector(stdout, &s);
        fputc('}', stdout);
    }
    fputs("]}\n", stdout);
    return ferror(stdout) ? 1 : 0;
}

static int bv_query(uint64_t seed, long k)
{
    uint64_t s = seed * 0x2545F4914F6CDD1DULL + 7;

    fputs("{\"embedding\":", stdout);
    bv_vector(stdout, &s);
    printf(",\"k\":%ld,\"min_similarity\":-1}\n", k);
    return ferror(stdout) ? 1 : 0;
}

int main(int argc, char **argv)
{
    char *end;
    uint64_t seed;
    long n;

    if (argc >= 4 && (strcmp(argv[1], "bulk") == 0 || strcmp(argv[1], "query") == 0)) {
        seed = strtoull(argv[2], &end, 10);
        if (*end == '\0') {
            n = strtol(argv[3], &end, 10);
            if (*end == '\0' && n > 0 && n <= 1000) {
                if (strcmp(argv[1], "bulk") == 0 && argc == 5)
                    return bv_bulk(seed, n, argv[4]);
                if (strcmp(argv[1], "query") == 0 && argc == 4)
                    return bv_query(seed, n);
            }
        }
    }
    fprintf(stderr, "usage: %s bulk SEED N(1..1000) PROJECT | query SEED K(1..1000)\n", argv[0]);
    return 2;
}
