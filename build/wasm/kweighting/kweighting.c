/*
 * linernotes: BS.1770-4 K-weighting of a stereo pair for WebAssembly SIMD: the same arithmetic as
 * KWeighting.stereoSpanSums in app/analysis/loudness/kWeighting.ts (two biquads in cascade per channel,
 * transposed direct form II, double precision, the same operations in the same order), with left and
 * right in the two lanes of one f64x2 vector. Built by build/wasm/build-wasm.js; driven by
 * app/analysis/loudness/kWeightingWasm.ts.
 */
#define EXPORT(name) __attribute__((export_name(name)))

typedef double d2 __attribute__((vector_size(16), aligned(16)));

/* Samples per channel per call; the caller splits longer chunks at span ends. */
#define CAPACITY 16384

static float left[CAPACITY], right[CAPACITY];
/* Per span: Σy² left, Σy² right, Σ(l + r)², Σ(l − r)². At most one span per sample, plus the first. */
static double sums[4 * (CAPACITY + 1)];
/* b0 b1 b2 a1 a2 of the pre-filter, a1 a2 of the high-pass; then the state s1 s2 t1 t2 of left, then of right. */
static double params[7];
static double state[8];

EXPORT("kw_left") float *kw_left(void) { return left; }
EXPORT("kw_right") float *kw_right(void) { return right; }
EXPORT("kw_sums") double *kw_sums(void) { return sums; }
EXPORT("kw_params") double *kw_params(void) { return params; }
EXPORT("kw_state") double *kw_state(void) { return state; }
EXPORT("kw_capacity") int kw_capacity(void) { return CAPACITY; }

static inline d2 splat(double x) { d2 v = { x, x }; return v; }

/* Filters left/right[0..length): sums of the span x[0..first), then of each `span` samples; returns the span count. */
EXPORT("kw_stereo") int kw_stereo(int length, int first, int span)
{
    const d2 b0 = splat(params[0]), b1 = splat(params[1]), b2 = splat(params[2]), a1 = splat(params[3]), a2 = splat(params[4]);
    const d2 d1 = splat(params[5]), dd2 = splat(params[6]), minus2 = splat(-2.0);
    d2 s1 = { state[0], state[4] }, s2 = { state[1], state[5] }, t1 = { state[2], state[6] }, t2 = { state[3], state[7] };
    int i = 0, k = 0, end = first < length ? first : length;
    while (i < length)
    {
        d2 sum = splat(0.0);
        double mid = 0.0, side = 0.0;
        for (; i < end; i++)
        {
            const double l = left[i], r = right[i];
            const d2 v = { l, r };
            const d2 u = b0 * v + s1;
            s1 = b1 * v - a1 * u + s2;
            s2 = b2 * v - a2 * u;
            const d2 y = u + t1;
            t1 = minus2 * u - d1 * y + t2;
            t2 = u - dd2 * y;
            sum += y * y;
            mid += (l + r) * (l + r);
            side += (l - r) * (l - r);
        }
        sums[4 * k] = sum[0];
        sums[4 * k + 1] = sum[1];
        sums[4 * k + 2] = mid;
        sums[4 * k + 3] = side;
        k++;
        end = end + span < length ? end + span : length;
    }
    state[0] = s1[0]; state[1] = s2[0]; state[2] = t1[0]; state[3] = t2[0];
    state[4] = s1[1]; state[5] = s2[1]; state[6] = t1[1]; state[7] = t2[1];
    return k;
}
