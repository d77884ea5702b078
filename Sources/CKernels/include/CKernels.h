#ifndef SEMCACHE_CKERNELS_H
#define SEMCACHE_CKERNELS_H

/// Floats per panel of a packed weight: the outputs one pass of the kernel computes together.
#define SEMCACHE_PANEL_WIDTH 16

/// `y[rows, outputs] += x[rows, inputs] · Wᵀ` for a linear-layer weight `W[outputs, inputs]` packed by
/// `semcache_pack_panels`. Reads the weight once, in the order it is stored, without re-packing it:
/// meant for the few rows of short prompts, where BLAS spends a third of its time packing the weight.
/// Uses AVX2 and FMA when the CPU has them, else portable C.
void semcache_panel_gemm(const float *x, long rows, long inputs, const float *panels, long outputs, float *y);

/// `semcache_panel_gemm` in portable C whatever the CPU (what CPUs without AVX2 and FMA run; for tests).
void semcache_panel_gemm_portable(const float *x, long rows, long inputs, const float *panels, long outputs, float *y);

/// Packs `weight[outputs, inputs]` (row-major, PyTorch's `Linear` layout) into panels of
/// `SEMCACHE_PANEL_WIDTH` outputs: panel `p` holds, for each input `k`, the weights of outputs
/// `p·16 … p·16+15` for that input, contiguous; a last partial panel is padded with zeros.
/// `panels` holds `semcache_packed_count(outputs, inputs)` floats.
void semcache_pack_panels(const float *weight, long outputs, long inputs, float *panels);

/// Floats `semcache_pack_panels` writes for a `[outputs, inputs]` weight.
long semcache_packed_count(long outputs, long inputs);

/// `scores[r] = matrix[r] · query` for the `rows` rows (each `dimension` floats, row-major) of `matrix`:
/// one query against many rows, streaming the matrix once. Uses AVX2 and FMA when the CPU has them
/// (one row after the other, four accumulators), else portable C.
void semcache_row_dots(const float *matrix, long rows, long dimension, const float *query, float *scores);

/// `semcache_row_dots` in portable C whatever the CPU (what CPUs without AVX2 and FMA run; for tests).
void semcache_row_dots_portable(const float *matrix, long rows, long dimension, const float *query, float *scores);

#endif
