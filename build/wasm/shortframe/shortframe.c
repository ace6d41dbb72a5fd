/*
 * linernotes: the front end's short-window frame for WebAssembly, in one pass over the bins: the
 * periodic-Hann power spectrum of the frame from its unwindowed FFT (frequency-domain windowing, Harris
 * 1978), its onset flux (log mel-band flux with SuperFlux's maximum filter, Böck & Widmer 2013) and its
 * spectral shape (log-mel row, centroid, 85 % roll-off, flatness, octave-band contrast). The definitions
 * are those of SpectralFlux (app/analysis/frontend/onset.ts) and SpectralShape (shape.ts), which stay as
 * the reference this kernel is tested against; the band tables come from them. Built by
 * build/wasm/build-wasm.js; driven by app/analysis/frontend/shortFrame.ts. One instance holds one
 * stream's flux state.
 */
#include "wasmmath.h"

#define EXPORT(name) __attribute__((export_name(name)))

#define MAX_N 8192
#define MAX_BINS (MAX_N / 2 + 1)
#define FLUX_MAX_BANDS 64
#define MEL_BANDS 40
#define CONTRAST_BANDS 7
#define MAX_QUANTILE_BINS 3

/* In, once per configuration, from shape.ts and onset.ts: the mel floor (power), AMIN, SILENT_POWER,
 * ROLLOFF_SHARE, the flux's RANGE and MIN_FLOOR. */
static double params[6];
#define MEL_FLOOR params[0]
#define AMIN params[1]
#define SILENT_POWER params[2]
#define ROLLOFF_SHARE params[3]
#define FLUX_RANGE params[4]
#define FLUX_MIN_FLOOR params[5]

static float spectrum[MAX_N];
/* The frame's Hann-windowed power, unscaled (double), and scaled to the front end's unit (float, as shape.ts keeps it). */
static double windowed[MAX_BINS];
static float power[MAX_BINS];
/* Flux bands: bin k adds fluxLow[k] of its power to band fluxBand[k] and fluxHigh[k] to fluxBand[k] + 1 (band `count` is a sink). */
static int fluxBand[MAX_BINS];
static float fluxLow[MAX_BINS], fluxHigh[MAX_BINS];
/* Mel bands of the shape: bin k adds melWeight0[k] to melBand0[k] and melWeight1[k] to melBand1[k] (−1: none). */
static int melBand0[MAX_BINS], melBand1[MAX_BINS];
static float melWeight0[MAX_BINS], melWeight1[MAX_BINS];
/* First bin of each contrast band plus one past the last; bins averaged for each band's peak and valley. */
static int contrastBins[CONTRAST_BANDS + 1];
static int contrastQ[CONTRAST_BANDS];
/* fftSize, flux band count, mel band count. */
static int config[3];
/* Per frame out: 40 mel dB, 7 contrast dB. */
static float out[MEL_BANDS + CONTRAST_BANDS];
/* Per frame out: centroid (bins), roll-off (bin), mean log power and arithmetic mean power (for flatness); all 0 in silence. */
static double scalars[4];

static double fluxDb[FLUX_MAX_BANDS + 2];
static float fluxPrev[FLUX_MAX_BANDS];
static double loudest;
static double melPower[MEL_BANDS];

EXPORT("sf_spectrum") float *sf_spectrum(void) { return spectrum; }
EXPORT("sf_flux_band") int *sf_flux_band(void) { return fluxBand; }
EXPORT("sf_flux_low") float *sf_flux_low(void) { return fluxLow; }
EXPORT("sf_flux_high") float *sf_flux_high(void) { return fluxHigh; }
EXPORT("sf_mel_band0") int *sf_mel_band0(void) { return melBand0; }
EXPORT("sf_mel_band1") int *sf_mel_band1(void) { return melBand1; }
EXPORT("sf_mel_weight0") float *sf_mel_weight0(void) { return melWeight0; }
EXPORT("sf_mel_weight1") float *sf_mel_weight1(void) { return melWeight1; }
EXPORT("sf_contrast_bins") int *sf_contrast_bins(void) { return contrastBins; }
EXPORT("sf_contrast_q") int *sf_contrast_q(void) { return contrastQ; }
EXPORT("sf_config") int *sf_config(void) { return config; }
EXPORT("sf_params") double *sf_params(void) { return params; }
EXPORT("sf_out") float *sf_out(void) { return out; }
EXPORT("sf_scalars") double *sf_scalars(void) { return scalars; }
EXPORT("sf_max_n") int sf_max_n(void) { return MAX_N; }

static double db10(double x) { return 4.342944819032518 * ln(x); }

EXPORT("sf_ln") double sf_ln(double x) { return ln(x); }

/* A new stream: no previous frame, no loudest band yet (onset.ts SpectralFlux.reset). */
EXPORT("sf_reset") void sf_reset(void)
{
    const float floorDb = (float)db10(FLUX_MIN_FLOOR);
    for (int b = 0; b < FLUX_MAX_BANDS; b++) fluxPrev[b] = floorDb;
    loudest = 0;
}

/* Mean of the q largest (sign 1) or smallest (sign −1) of x[from, to), q ≤ MAX_QUANTILE_BINS (shape.ts meanOfExtremes). */
static double meanOfExtremes(int from, int to, int q, double sign)
{
    double buf[MAX_QUANTILE_BINS];
    int have = 0;
    for (int k = from; k < to; k++)
    {
        const double v = sign * power[k];
        if (have == q && v <= buf[q - 1]) continue;
        int i = have < q ? have++ : q - 1;
        while (i > 0 && buf[i - 1] < v) { buf[i] = buf[i - 1]; i--; }
        buf[i] = v;
    }
    double sum = 0;
    for (int i = 0; i < have; i++) sum += buf[i];
    return sign * sum / have;
}

/* The Hann-windowed powers |X_w[k]|² (unscaled) of bins 0 … n/2 of the spectrum in PFFFT's ordered layout
 * ([DC, Nyquist, re1, im1, …]): X_w[k] = ½X[k] − ¼(X[k−1] + X[k+1]) (spectral.ts hannPowerFull). */
static void hannPowers(int n)
{
    const float *s = spectrum;
    const int half = n / 2;
    double re = 0.5 * s[0] - 0.5 * s[2];
    windowed[0] = re * re;
    re = 0.5 * s[1] - 0.5 * s[n - 2];
    windowed[half] = re * re;
    re = 0.5 * s[2] - 0.25 * (s[0] + s[4]);
    double im = 0.5 * s[3] - 0.25 * s[5];
    windowed[1] = re * re + im * im;
    re = 0.5 * s[n - 2] - 0.25 * (s[n - 4] + s[1]);
    im = 0.5 * s[n - 1] - 0.25 * s[n - 3];
    windowed[half - 1] = re * re + im * im;
    for (int k = 2, i = 4; k < half - 1; k++, i += 2)
    {
        re = 0.5 * s[i] - 0.25 * (s[i - 2] + s[i + 2]);
        im = 0.5 * s[i + 1] - 0.25 * (s[i - 1] + s[i + 3]);
        windowed[k] = re * re + im * im;
    }
}

/* One frame: `scale` turns |X_w|² into the front end's power unit. Returns the onset flux; writes out and scalars. */
EXPORT("sf_frame") double sf_frame(double scale)
{
    const int n = config[0], bins = n / 2 + 1, fluxCount = config[1], melCount = config[2];
    for (int b = 0; b < fluxCount + 2; b++) fluxDb[b] = 0;
    for (int b = 0; b < MEL_BANDS; b++) melPower[b] = 0;
    double total = 0, magSum = 0, magMoment = 0, logSum = 0, product = 1;
    hannPowers(n);
    for (int k = 0; k < bins; k++)
    {
        const double p = windowed[k];
        const int fb = fluxBand[k];
        fluxDb[fb] += fluxLow[k] * p;
        fluxDb[fb + 1] += fluxHigh[k] * p;
        const float x = (float)(p * scale);
        const double xd = x;
        power[k] = x;
        total += xd;
        const double m = __builtin_sqrt(xd);
        magSum += m;
        magMoment += m * k;
        product *= xd > AMIN ? xd : AMIN;
        if ((k & 15) == 15) { logSum += ln(product); product = 1; }
        const int b0 = melBand0[k];
        if (b0 >= 0)
        {
            melPower[b0] += melWeight0[k] * xd;
            const int b1 = melBand1[k];
            if (b1 >= 0) melPower[b1] += melWeight1[k] * xd;
        }
    }
    logSum += ln(product);
    for (int b = 0; b < MEL_BANDS; b++)
    {
        const double x = b < melCount ? melPower[b] : 0;
        out[b] = (float)db10(x > MEL_FLOOR ? x : MEL_FLOOR);
    }

    /* Onset flux: rise of each band's level (dB) over the previous frame's maximum of it and its neighbours. */
    double loud = loudest;
    for (int b = 0; b < fluxCount; b++)
    {
        fluxDb[b] *= scale;
        if (fluxDb[b] > loud) loud = fluxDb[b];
    }
    loudest = loud;
    const double floor = loud * FLUX_RANGE > FLUX_MIN_FLOOR ? loud * FLUX_RANGE : FLUX_MIN_FLOOR;
    double flux = 0, before = -__builtin_inf();
    for (int b = 0; b < fluxCount; b++)
    {
        const double level = db10(fluxDb[b] > floor ? fluxDb[b] : floor);
        double ref = fluxPrev[b];
        if (b > 0 && before > ref) ref = before;
        if (b + 1 < fluxCount && fluxPrev[b + 1] > ref) ref = fluxPrev[b + 1];
        before = fluxPrev[b];
        fluxPrev[b] = (float)level;
        if (level > ref) flux += level - ref;
    }
    flux = fluxCount > 0 ? flux / fluxCount : 0;

    if (!(total > SILENT_POWER))
    {
        for (int i = 0; i < 4; i++) scalars[i] = 0;
        for (int b = 0; b < CONTRAST_BANDS; b++) out[MEL_BANDS + b] = 0;
        return flux;
    }
    scalars[0] = magMoment / magSum;
    const double target = ROLLOFF_SHARE * total;
    double cum = 0;
    int k = 0;
    for (; k < bins - 1; k++)
    {
        cum += power[k];
        if (cum >= target) break;
    }
    scalars[1] = k;
    scalars[2] = logSum / bins;
    scalars[3] = total / bins > AMIN ? total / bins : AMIN;
    for (int b = 0; b < CONTRAST_BANDS; b++)
    {
        const int from = contrastBins[b], to = contrastBins[b + 1], q = contrastQ[b];
        if (to - from <= 0) { out[MEL_BANDS + b] = 0; continue; }
        double valley, peak;
        if (q == 1)
        {
            valley = __builtin_inf();
            peak = -__builtin_inf();
            for (int i = from; i < to; i++)
            {
                const double x = power[i];
                if (x < valley) valley = x;
                if (x > peak) peak = x;
            }
        }
        else
        {
            valley = meanOfExtremes(from, to, q, -1.0);
            peak = meanOfExtremes(from, to, q, 1.0);
        }
        out[MEL_BANDS + b] = (float)db10((peak + AMIN) / (valley + AMIN));
    }
    return flux;
}
