#include "CKernels.h"

#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define SEMCACHE_X86 1
#endif

enum {
    WIDTH = SEMCACHE_PANEL_WIDTH,
    /// Rows computed together: 2 × 6 accumulators, 2 weight registers and a broadcast fill 15 of AVX2's 16.
    BLOCK_ROWS = 6,
    /// Inputs per slice of a panel: 16 × 128 floats (8 KiB) stay in L1 while every row block passes over them.
    SLICE_DEPTH = 128,
};

long semcache_packed_count(long outputs, long inputs) {
    return (outputs + WIDTH - 1) / WIDTH * WIDTH * inputs;
}

void semcache_pack_panels(const float *weight, long outputs, long inputs, float *panels) {
    long panelCount = (outputs + WIDTH - 1) / WIDTH;
    for (long p = 0; p < panelCount; p++) {
        float *panel = panels + p * inputs * WIDTH;
        for (long k = 0; k < inputs; k++) {
            for (long j = 0; j < WIDTH; j++) {
                long output = p * WIDTH + j;
                panel[k * WIDTH + j] = output < outputs ? weight[output * inputs + k] : 0;
            }
        }
    }
}

/// One block: `y[r, 0..<16] += Σₖ x[r, k] · slice[k, 0..<16]` for `rows` (≤ BLOCK_ROWS) rows and `depth`
/// inputs. `x` rows are `xStride` apart, `y` rows `yStride`. `upcoming` (as long as `slice`) is
/// prefetched into L2, so that reading the weight from memory overlaps with the arithmetic.
typedef void (*BlockKernel)(const float *x, long xStride, long rows, long depth, const float *slice,
                            float *y, long yStride, const float *upcoming);

static void block_portable(const float *x, long xStride, long rows, long depth, const float *slice,
                           float *y, long yStride, const float *upcoming) {
    (void)upcoming;
    float sums[BLOCK_ROWS][WIDTH];
    for (long r = 0; r < rows; r++) memcpy(sums[r], y + r * yStride, sizeof sums[r]);
    for (long k = 0; k < depth; k++) {
        const float *w = slice + k * WIDTH;
        for (long r = 0; r < rows; r++) {
            float value = x[r * xStride + k];
            for (long j = 0; j < WIDTH; j++) sums[r][j] += value * w[j];
        }
    }
    for (long r = 0; r < rows; r++) memcpy(y + r * yStride, sums[r], sizeof sums[r]);
}

#ifdef SEMCACHE_X86
/// The same with AVX2 and FMA; the accumulators stay in registers for the whole slice. `ROWS` is a
/// constant in each copy, so the loops over rows unroll.
#define DEFINE_BLOCK_AVX2(ROWS)                                                                              \
    __attribute__((target("avx2,fma"))) static void block_avx2_##ROWS(                                       \
        const float *x, long xStride, long depth, const float *slice, float *y, long yStride,                \
        const float *upcoming) {                                                                             \
        __m256 low[ROWS], high[ROWS];                                                                        \
        for (int r = 0; r < ROWS; r++) {                                                                     \
            low[r] = _mm256_loadu_ps(y + r * yStride);                                                       \
            high[r] = _mm256_loadu_ps(y + r * yStride + 8);                                                  \
        }                                                                                                    \
        for (long k = 0; k < depth; k++) {                                                                   \
            __m256 w0 = _mm256_loadu_ps(slice + k * WIDTH), w1 = _mm256_loadu_ps(slice + k * WIDTH + 8);     \
            _mm_prefetch((const char *)(upcoming + k * WIDTH), _MM_HINT_T1);                                 \
            for (int r = 0; r < ROWS; r++) {                                                                 \
                __m256 value = _mm256_broadcast_ss(x + r * xStride + k);                                     \
                low[r] = _mm256_fmadd_ps(value, w0, low[r]);                                                 \
                high[r] = _mm256_fmadd_ps(value, w1, high[r]);                                               \
            }                                                                                                \
        }                                                                                                    \
        for (int r = 0; r < ROWS; r++) {                                                                     \
            _mm256_storeu_ps(y + r * yStride, low[r]);                                                       \
            _mm256_storeu_ps(y + r * yStride + 8, high[r]);                                                  \
        }                                                                                                    \
    }
DEFINE_BLOCK_AVX2(1)
DEFINE_BLOCK_AVX2(2)
DEFINE_BLOCK_AVX2(3)
DEFINE_BLOCK_AVX2(4)
DEFINE_BLOCK_AVX2(5)
DEFINE_BLOCK_AVX2(6)

__attribute__((target("avx2,fma"))) static void block_avx2(const float *x, long xStride, long rows, long depth,
                                                           const float *slice, float *y, long yStride,
                                                           const float *upcoming) {
    switch (rows) {
    case 1: block_avx2_1(x, xStride, depth, slice, y, yStride, upcoming); break;
    case 2: block_avx2_2(x, xStride, depth, slice, y, yStride, upcoming); break;
    case 3: block_avx2_3(x, xStride, depth, slice, y, yStride, upcoming); break;
    case 4: block_avx2_4(x, xStride, depth, slice, y, yStride, upcoming); break;
    case 5: block_avx2_5(x, xStride, depth, slice, y, yStride, upcoming); break;
    default: block_avx2_6(x, xStride, depth, slice, y, yStride, upcoming); break;
    }
}
#endif

static BlockKernel chosen_block(void) {
#ifdef SEMCACHE_X86
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return block_avx2;
#endif
    return block_portable;
}

/// Every row against one panel, slice by slice; `y` is the panel's first output column, rows `yStride` apart.
static void panel_rows(BlockKernel block, const float *x, long rows, long inputs, const float *panel,
                       const float *upcoming, float *y, long yStride) {
    for (long k = 0; k < inputs; k += SLICE_DEPTH) {
        long depth = inputs - k < SLICE_DEPTH ? inputs - k : SLICE_DEPTH;
        for (long r = 0; r < rows; r += BLOCK_ROWS) {
            long count = rows - r < BLOCK_ROWS ? rows - r : BLOCK_ROWS;
            block(x + r * inputs + k, inputs, count, depth, panel + k * WIDTH, y + r * yStride, yStride,
                  upcoming + k * WIDTH);
        }
    }
}

static void panel_gemm(BlockKernel block, const float *x, long rows, long inputs, const float *panels, long outputs,
                       float *y) {
    long fullPanels = outputs / WIDTH;
    // Panels outermost: each panel is read from memory once, while the next one is prefetched.
    for (long p = 0; p < fullPanels; p++) {
        const float *panel = panels + p * inputs * WIDTH;
        const float *upcoming = p + 1 < fullPanels ? panel + inputs * WIDTH : panel;
        panel_rows(block, x, rows, inputs, panel, upcoming, y + p * WIDTH, outputs);
    }
    long tail = outputs - fullPanels * WIDTH;
    if (tail == 0) return;
    // A last partial panel goes through a zero-padded copy of its output columns, BLOCK_ROWS rows at a time.
    const float *panel = panels + fullPanels * inputs * WIDTH;
    float padded[BLOCK_ROWS][WIDTH];
    for (long r = 0; r < rows; r += BLOCK_ROWS) {
        long count = rows - r < BLOCK_ROWS ? rows - r : BLOCK_ROWS;
        float *columns = y + r * outputs + fullPanels * WIDTH;
        memset(padded, 0, sizeof padded);
        for (long i = 0; i < count; i++) memcpy(padded[i], columns + i * outputs, tail * sizeof(float));
        panel_rows(block, x + r * inputs, count, inputs, panel, panel, &padded[0][0], WIDTH);
        for (long i = 0; i < count; i++) memcpy(columns + i * outputs, padded[i], tail * sizeof(float));
    }
}

void semcache_panel_gemm(const float *x, long rows, long inputs, const float *panels, long outputs, float *y) {
    panel_gemm(chosen_block(), x, rows, inputs, panels, outputs, y);
}

void semcache_panel_gemm_portable(const float *x, long rows, long inputs, const float *panels, long outputs, float *y) {
    panel_gemm(block_portable, x, rows, inputs, panels, outputs, y);
}
