/*
 * mem_embed_logic.h — the deterministic local embedder (pure C, no host API, no state).
 *
 * Feature hashing of the canonical text (mem_text_logic.h) into MEM_DIM dimensions:
 *   - tokens are maximal runs of ASCII letters/digits, '_' and bytes >= 0x80 (UTF-8 letters),
 *     ASCII lower-cased; a '.' between two digits stays inside a number ("0.75");
 *   - every token adds 1.0, and every pair of neighbouring tokens of the same part (parts are
 *     separated by '|') adds 0.5, to one dimension chosen by a 64-bit hash (FNV-1a + the
 *     splitmix64 finaliser), with a sign taken from another bit of the same hash;
 *   - the vector is L2-normalised; a text without any token maps to one fixed dimension.
 * Same text → bit-identical vector on every platform with IEEE floats; texts sharing words
 * (especially "key value" pairs) get a high cosine similarity.
 */
#ifndef MEM_EMBED_LOGIC_H
#define MEM_EMBED_LOGIC_H

#include <stddef.h>

#define MEM_DIM 1024
#define MEM_LOCAL_MODEL "dsm-feature-hash-v1"

/* out[MEM_DIM] = the normalised local embedding of text. */
void mem_embed_local(const char *text, float *out);

/* Scale v to unit L2 length. Returns 0, or -1 (v unchanged) when v is zero or not finite. */
int mem_vec_normalize(float *v, size_t dim);

#endif /* MEM_EMBED_LOGIC_H */
