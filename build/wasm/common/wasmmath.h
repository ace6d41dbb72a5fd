/*
 * linernotes: the elementary functions our WebAssembly kernels need (they are built without libc):
 * natural log and exponential in double precision, within 2 ulp of Math.log / Math.exp over the
 * positive normal numbers and |x| < 700 (tested in test/analysis/frontend/pitchFrame.test.ts and
 * shortFrame.test.ts). Included by build/wasm/shortframe/shortframe.c and pitchframe/pitchframe.c.
 */
#ifndef LINERNOTES_WASM_MATH_H
#define LINERNOTES_WASM_MATH_H

/* Natural log of a positive normal x: x = m·2^e with m in [√½, √2), log m = 2·atanh(s), s = (m − 1)/(m + 1),
 * by its series to s^25 (|s| ≤ 0.1716: the next term is below 1e-17 of the sum). */
static inline double ln(double x)
{
    union { double d; unsigned long long u; } v = { x };
    int e = (int)((v.u >> 52) & 0x7ff) - 1023;
    v.u = (v.u & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL;
    double m = v.d;
    if (m > 1.4142135623730951) { m *= 0.5; e += 1; }
    const double s = (m - 1.0) / (m + 1.0), s2 = s * s;
    double p = 1.0 / 25;
    p = p * s2 + 1.0 / 23; p = p * s2 + 1.0 / 21; p = p * s2 + 1.0 / 19; p = p * s2 + 1.0 / 17;
    p = p * s2 + 1.0 / 15; p = p * s2 + 1.0 / 13; p = p * s2 + 1.0 / 11; p = p * s2 + 1.0 / 9;
    p = p * s2 + 1.0 / 7; p = p * s2 + 1.0 / 5; p = p * s2 + 1.0 / 3; p = p * s2 + 1.0;
    return e * 0.6931471805599453 + 2.0 * s * p;
}

/* e^x for |x| < 700: x = k·ln 2 + r with |r| ≤ ½ ln 2 (ln 2 split in two for an exact product), e^r by
 * its Taylor series to r^14 (the next term is below 1e-17 of e^r), scaled by 2^k in the exponent bits. */
static inline double expo(double x)
{
    const double k = __builtin_nearbyint(x * 1.4426950408889634);
    const double r = (x - k * 0.693147180369123816490) - k * 1.90821492927058770002e-10;
    double p = 1.0 / 87178291200.0;
    p = p * r + 1.0 / 6227020800.0; p = p * r + 1.0 / 479001600.0; p = p * r + 1.0 / 39916800.0;
    p = p * r + 1.0 / 3628800.0; p = p * r + 1.0 / 362880.0; p = p * r + 1.0 / 40320.0; p = p * r + 1.0 / 5040.0;
    p = p * r + 1.0 / 720.0; p = p * r + 1.0 / 120.0; p = p * r + 1.0 / 24.0; p = p * r + 1.0 / 6.0;
    p = p * r + 0.5; p = p * r + 1.0; p = p * r + 1.0;
    union { double d; unsigned long long u; } scale = { 0 };
    scale.u = (unsigned long long)((long long)k + 1023) << 52;
    return p * scale.d;
}

#endif
