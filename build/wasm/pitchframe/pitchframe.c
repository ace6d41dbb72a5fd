/*
 * linernotes: the front end's long-window (pitch) frame for WebAssembly: the Hann-windowed power of the
 * bins up to 2 kHz from the frame's unwindowed FFT (frequency-domain windowing, Harris 1978), its spectral
 * peaks refined by quadratic interpolation of the log power (Smith & Serra 1987), the 5th and 10th
 * partials of low peaks explained away (greedy harmonic subtraction, Klapuri 2003), and the peaks added
 * to the fine (36-bin) treble and bass chroma rows. The definitions are those of hannPowerLow and
 * spectralPeaks (app/analysis/frontend/spectral.ts), partialResiduals (partials.ts), addToFineChroma
 * (chroma.ts) and PitchPeaks.analyse (pitch.ts), which stay as the reference this kernel is tested
 * against. The peaks that count towards the tuning are handed back (MIDI pitch, amplitude): the tuning's
 * circular mean stays in JavaScript. Built by build/wasm/build-wasm.js; driven by
 * app/analysis/frontend/pitchFrame.ts.
 */
#include "wasmmath.h"

#define EXPORT(name) __attribute__((export_name(name)))

#define MAX_N 65536
#define MAX_POWER 8192
#define MAX_PEAKS 256
#define FINE_BINS 36
#define MAX_PARTIALS 4

static float spectrum[MAX_N];
static float power[MAX_POWER];
static float peakBin[MAX_PEAKS], peakAmp[MAX_PEAKS], residual[MAX_PEAKS];
/* Out: the fine treble and bass rows of the frame; the tuning peaks' MIDI pitches and amplitudes. */
static float treble[FINE_BINS], bass[FINE_BINS];
static double tuningMidi[MAX_PEAKS], tuningAmp[MAX_PEAKS];
/* In, once per configuration: fftSize, lowBin, highBin (the power is computed for bins 0 … highBin + 1),
 * partial count; then the partials themselves. */
static int config[4 + MAX_PARTIALS];
/* In: binHz, peak floor (power), relative floor, tuning relative floor, treble lo/hi, bass lo/hi, tuning
 * lo/hi (Hz), partial decay, tolerance (ratio − 1), highest fundamental (fractional bin). */
static double params[13];

EXPORT("pf_spectrum") float *pf_spectrum(void) { return spectrum; }
EXPORT("pf_treble") float *pf_treble(void) { return treble; }
EXPORT("pf_bass") float *pf_bass(void) { return bass; }
EXPORT("pf_tuning_midi") double *pf_tuning_midi(void) { return tuningMidi; }
EXPORT("pf_tuning_amp") double *pf_tuning_amp(void) { return tuningAmp; }
EXPORT("pf_config") int *pf_config(void) { return config; }
EXPORT("pf_params") double *pf_params(void) { return params; }
EXPORT("pf_max_n") int pf_max_n(void) { return MAX_N; }
EXPORT("pf_max_power") int pf_max_power(void) { return MAX_POWER; }
EXPORT("pf_max_peaks") int pf_max_peaks(void) { return MAX_PEAKS; }
EXPORT("pf_max_partials") int pf_max_partials(void) { return MAX_PARTIALS; }

EXPORT("pf_ln") double pf_ln(double x) { return ln(x); }
EXPORT("pf_exp") double pf_exp(double x) { return expo(x); }

/* power[0 … highBin + 1]: |X_w[k]|²·scale of the spectrum in PFFFT's ordered layout (spectral.ts hannPowerLow). */
static void hannPowerLow(int kMax, double scale)
{
    const float *s = spectrum;
    double re = 0.5 * s[0] - 0.5 * s[2];
    power[0] = (float)(re * re * scale);
    if (kMax >= 1)
    {
        re = 0.5 * s[2] - 0.25 * (s[0] + s[4]);
        const double im = 0.5 * s[3] - 0.25 * s[5];
        power[1] = (float)((re * re + im * im) * scale);
    }
    for (int k = 2, i = 4; k <= kMax; k++, i += 2)
    {
        re = 0.5 * s[i] - 0.25 * (s[i - 2] + s[i + 2]);
        const double im = 0.5 * s[i + 1] - 0.25 * (s[i - 1] + s[i + 3]);
        power[k] = (float)((re * re + im * im) * scale);
    }
}

/* Local maxima of power[lo … hi] above `floor`, interpolated (spectral.ts spectralPeaks); returns their count. */
static int spectralPeaks(int lo, int hi, int length, double floor)
{
    int n = 0;
    const int first = lo > 1 ? lo : 1;
    const int last = hi < length - 2 ? hi : length - 2;
    for (int k = first; k <= last && n < MAX_PEAKS; k++)
    {
        const double m = power[k];
        if (m <= floor || m <= power[k - 1] || m < power[k + 1]) continue;
        const double a = ln(power[k - 1] + 1e-24), b = ln(m + 1e-24), c = ln(power[k + 1] + 1e-24);
        const double den = a - 2 * b + c;
        double p = 0;
        if (den < 0)
        {
            p = (0.5 * (a - c)) / den;
            p = p < -0.5 ? -0.5 : p > 0.5 ? 0.5 : p;
        }
        peakBin[n] = (float)(k + p);
        peakAmp[n] = (float)expo(0.5 * (b - 0.25 * (a - c) * p));
        n++;
    }
    return n;
}

/* Residual amplitudes after the lower peaks' partials (partials.ts partialResiduals). */
static void partialResiduals(int count)
{
    const int partials = config[3];
    const double decay = params[10], tolerance = params[11], maxFundamental = params[12];
    for (int j = 0; j < count; j++) residual[j] = peakAmp[j];
    for (int j = 0; j < count; j++)
    {
        const double f0 = peakBin[j];
        if (f0 > maxFundamental) break;
        const double r = residual[j];
        if (!(r > 0) || !(f0 > 0)) continue;
        for (int i = 0; i < partials; i++)
        {
            const int h = config[4 + i];
            const double target = h * f0, tol = target * tolerance;
            int lo = j + 1, hi = count;
            while (lo < hi)
            {
                const int mid = (lo + hi) >> 1;
                if (peakBin[mid] < target - tol) lo = mid + 1;
                else hi = mid;
            }
            int best = -1;
            double bestDistance = tol;
            for (int q = lo; q < count && peakBin[q] <= target + tol; q++)
            {
                const double d = __builtin_fabs(peakBin[q] - target);
                if (d <= bestDistance) { best = q; bestDistance = d; }
            }
            if (best >= 0)
            {
                double weight = 1;
                for (int e = 1; e < h; e++) weight *= decay;
                const double v = residual[best] - r * weight;
                residual[best] = (float)(v > 0 ? v : 0);
            }
        }
    }
}

/* Adds amp at fractional MIDI pitch `midi` to a fine chroma row, split between the two nearest bins (chroma.ts addToFineChroma). */
static void addToFine(float *row, double midi, double amp)
{
    /* midi % 12 as JavaScript's % (sign of the dividend), exactly: 12·trunc(midi / 12) is within a factor 2 of midi. */
    double u = (midi - 12.0 * __builtin_trunc(midi / 12.0)) * 3;
    if (u < 0) u += FINE_BINS;
    const double j = __builtin_floor(u);
    const double frac = u - j;
    const int j0 = (int)j;
    row[j0 % FINE_BINS] = (float)(row[j0 % FINE_BINS] + amp * (1 - frac));
    row[(j0 + 1) % FINE_BINS] = (float)(row[(j0 + 1) % FINE_BINS] + amp * frac);
}

/* One frame (pitch.ts PitchPeaks.analyse after hannPowerLow): fills treble and bass; returns the number of tuning peaks. */
EXPORT("pf_frame") int pf_frame(double scale)
{
    const int lowBin = config[1], highBin = config[2];
    for (int i = 0; i < FINE_BINS; i++) treble[i] = bass[i] = 0;
    hannPowerLow(highBin + 1, scale);
    const double binHz = params[0];
    const int count = spectralPeaks(lowBin, highBin, highBin + 2, params[1]);
    if (count == 0) return 0;
    double max = 0;
    for (int p = 0; p < count; p++) if (peakAmp[p] > max) max = peakAmp[p];
    const double floor = max * params[2], tuningFloor = max * params[3];
    partialResiduals(count);
    int tuning = 0;
    for (int p = 0; p < count; p++)
    {
        const double amp = peakAmp[p];
        if (amp < floor) continue;
        const double hz = peakBin[p] * binHz;
        const double midi = 69 + 12 * (ln(hz / 440) * 1.4426950408889634);
        if (hz >= params[4] && hz <= params[5] && residual[p] > 0) addToFine(treble, midi, residual[p]);
        if (hz >= params[6] && hz <= params[7]) addToFine(bass, midi, amp);
        if (amp >= tuningFloor && hz >= params[8] && hz <= params[9])
        {
            tuningMidi[tuning] = midi;
            tuningAmp[tuning] = amp;
            tuning++;
        }
    }
    return tuning;
}
