#include "CKernels.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define SEMCACHE_X86 1
#endif

enum {
    /// Rows scored together: each query load feeds this many independent FMA chains, which hides FMA latency
    /// and keeps four streams from memory in flight.
    ROWS_IN_FLIGHT = 4,
    /// How far ahead (in rows) the AVX2 loop asks for rows to be brought into cache.
    PREFETCH_ROWS = 8,
};

/// `row · query` over `dimension` components in portable C.
static float dot_portable(const float *row, const float *query, long dimension) {
    float total = 0;
    for (long k = 0; k < dimension; k++) total += row[k] * query[k];
    return total;
}

void semcache_row_dots_portable(const float *matrix, long rows, long dimension, const float *query, float *scores) {
    for (long r = 0; r < rows; r++) scores[r] = dot_portable(matrix + r * dimension, query, dimension);
}

#ifdef SEMCACHE_X86
/// The eight lanes of `v` added up.
__attribute__((target("avx2,fma"))) static float horizontal_sum(__m256 v) {
    __m128 sum = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    sum = _mm_add_ps(sum, _mm_movehl_ps(sum, sum));
    sum = _mm_add_ss(sum, _mm_movehdup_ps(sum));
    return _mm_cvtss_f32(sum);
}

/// Prefetches the row `row` (`bytes` long) into L1, one request per 64-byte line.
__attribute__((target("avx2,fma"))) static void prefetch_row(const float *row, long bytes) {
    for (long offset = 0; offset < bytes; offset += 64) _mm_prefetch((const char *)row + offset, _MM_HINT_T0);
}

__attribute__((target("avx2,fma"))) static void row_dots_avx2(const float *matrix, long rows, long dimension,
                                                              const float *query, float *scores) {
    long vectorEnd = dimension - dimension % 8;
    long rowBytes = dimension * (long)sizeof(float);
    long r = 0;
    for (; r + ROWS_IN_FLIGHT <= rows; r += ROWS_IN_FLIGHT) {
        const float *row = matrix + r * dimension;
        if (r + PREFETCH_ROWS + ROWS_IN_FLIGHT <= rows) {
            for (int i = 0; i < ROWS_IN_FLIGHT; i++) prefetch_row(row + (PREFETCH_ROWS + i) * dimension, rowBytes);
        }
        __m256 sums[ROWS_IN_FLIGHT];
        for (int i = 0; i < ROWS_IN_FLIGHT; i++) sums[i] = _mm256_setzero_ps();
        for (long k = 0; k < vectorEnd; k += 8) {
            __m256 q = _mm256_loadu_ps(query + k);
            for (int i = 0; i < ROWS_IN_FLIGHT; i++)
                sums[i] = _mm256_fmadd_ps(_mm256_loadu_ps(row + i * dimension + k), q, sums[i]);
        }
        for (int i = 0; i < ROWS_IN_FLIGHT; i++) {
            const float *tail = row + i * dimension + vectorEnd;
            scores[r + i] = horizontal_sum(sums[i]) + dot_portable(tail, query + vectorEnd, dimension - vectorEnd);
        }
    }
    for (; r < rows; r++) {
        const float *row = matrix + r * dimension;
        __m256 sum = _mm256_setzero_ps();
        for (long k = 0; k < vectorEnd; k += 8)
            sum = _mm256_fmadd_ps(_mm256_loadu_ps(row + k), _mm256_loadu_ps(query + k), sum);
        scores[r] = horizontal_sum(sum) + dot_portable(row + vectorEnd, query + vectorEnd, dimension - vectorEnd);
    }
}
#endif

void semcache_row_dots(const float *matrix, long rows, long dimension, const float *query, float *scores) {
#ifdef SEMCACHE_X86
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
        row_dots_avx2(matrix, rows, dimension, query, scores);
        return;
    }
#endif
    semcache_row_dots_portable(matrix, rows, dimension, query, scores);
}
