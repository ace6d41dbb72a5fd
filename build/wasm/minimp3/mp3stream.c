/*
 * linernotes: a streaming MPEG audio (layer I/II/III) decoder for WebAssembly over minimp3
 * (https://github.com/lieff/minimp3, CC0). The caller appends file bytes to the input buffer and
 * asks for planar float output; frame sync, resync after damage and the bit reservoir are
 * minimp3's. Built by build/wasm/build-wasm.js; driven by app/audio/minimp3.ts.
 */
#define MINIMP3_IMPLEMENTATION
#define MINIMP3_FLOAT_OUTPUT
#ifdef __wasm_simd128__
#define MINIMP3_ONLY_SIMD
#endif
#include "minimp3.h"

#define EXPORT(name) __attribute__((export_name(name)))

/* Input: at most this many bytes held; output: at most this many samples per channel per call. */
#define INPUT_CAPACITY (1 << 19)
#define OUTPUT_CAPACITY (1 << 16)
/* Bytes kept back for frame sync until the input ends: minimp3 wants 16 KB to be sure of a frame. */
#define LOOKAHEAD 16384

static mp3dec_t decoder;
static uint8_t input[INPUT_CAPACITY];
static int input_length, input_position;
static float frame_pcm[MINIMP3_MAX_SAMPLES_PER_FRAME];
static float left[OUTPUT_CAPACITY], right[OUTPUT_CAPACITY], mix[OUTPUT_CAPACITY];

/* A decoded frame held for the next call (its sample rate differs from the output's). */
static int held_samples, held_rate, held_channels;

/* What the last mp3s_decode call produced. */
static int out_rate, out_channels, out_skipped, out_lost_frames, out_full;

EXPORT("mp3s_reset") void mp3s_reset(void)
{
    mp3dec_init(&decoder);
    input_length = input_position = 0;
    held_samples = 0;
}

/* Moves the unread input to the front and returns where the next bytes go (mp3s_room of them). */
EXPORT("mp3s_input") uint8_t *mp3s_input(void)
{
    if (input_position > 0)
    {
        memmove(input, input + input_position, input_length - input_position);
        input_length -= input_position;
        input_position = 0;
    }
    return input + input_length;
}

EXPORT("mp3s_room") int mp3s_room(void) { return INPUT_CAPACITY - input_length; }
EXPORT("mp3s_wrote") void mp3s_wrote(int bytes) { input_length += bytes; }
EXPORT("mp3s_left") float *mp3s_left(void) { return left; }
EXPORT("mp3s_right") float *mp3s_right(void) { return right; }
/* The channel average (L + R) / 2, made while deinterleaving: the mono mix the analysis reads. */
EXPORT("mp3s_mix") float *mp3s_mix(void) { return mix; }
EXPORT("mp3s_rate") int mp3s_rate(void) { return out_rate; }
EXPORT("mp3s_channels") int mp3s_channels(void) { return out_channels; }
/* Bytes passed over that held no frame (damage, or a tag) in the last call. */
EXPORT("mp3s_skipped") int mp3s_skipped(void) { return out_skipped; }
/* Frames found whose data could not be decoded (damage): given as silence, so the timeline holds. */
EXPORT("mp3s_lost_frames") int mp3s_lost_frames(void) { return out_lost_frames; }
/* 1 when the output filled up before the input ran out: call again. */
EXPORT("mp3s_full") int mp3s_full(void) { return out_full; }

static int frame_samples(const mp3dec_frame_info_t *info)
{
    if (info->layer == 1) return 384;
    if (info->layer == 3 && info->hz < 32000) return 576;
    return 1152;
}

/* Copies a frame's interleaved output to the planar buffers at `at` (mono to both), with their average. */
static void put(int at, int samples, int channels)
{
    int i;
    if (channels == 1)
    {
        memcpy(left + at, frame_pcm, samples * sizeof(float));
        memcpy(right + at, frame_pcm, samples * sizeof(float));
        memcpy(mix + at, frame_pcm, samples * sizeof(float));
        return;
    }
    for (i = 0; i < samples; i++)
    {
        float l = frame_pcm[2*i], r = frame_pcm[2*i + 1];
        left[at + i] = l;
        right[at + i] = r;
        mix[at + i] = (l + r) * 0.5f;
    }
}

/*
 * Decodes whole frames from the input into the planar buffers; returns samples per channel.
 * Keeps LOOKAHEAD bytes back unless `at_end`. All frames of one call share a sample rate.
 */
EXPORT("mp3s_decode") int mp3s_decode(int at_end)
{
    int n = 0;
    out_skipped = out_lost_frames = out_full = 0;
    out_rate = out_channels = 0;
    if (held_samples)
    {
        put(0, held_samples, held_channels);
        n = held_samples;
        out_rate = held_rate;
        out_channels = held_channels;
        held_samples = 0;
    }
    for (;;)
    {
        mp3dec_frame_info_t info;
        int samples, available = input_length - input_position;
        if (available <= 0 || (!at_end && available < LOOKAHEAD)) break;
        if (n + MINIMP3_MAX_SAMPLES_PER_FRAME / 2 > OUTPUT_CAPACITY)
        {
            out_full = 1;
            break;
        }
        info.hz = 0;
        info.frame_bytes = 0;
        samples = mp3dec_decode_frame(&decoder, input + input_position, available, frame_pcm, &info);
        if (info.frame_bytes == 0)
        {
            /* No frame in what is left: at the end, that is the end. */
            if (at_end)
            {
                out_skipped += available;
                input_position = input_length;
            }
            break;
        }
        input_position += info.frame_bytes;
        if (info.hz == 0)
        {
            out_skipped += info.frame_bytes; /* no frame here: skipped up to the next one */
            continue;
        }
        if (samples == 0)
        {
            /* A frame whose data is gone (its bit reservoir was in damaged bytes): silence. */
            samples = frame_samples(&info);
            memset(frame_pcm, 0, samples * info.channels * sizeof(float));
            out_lost_frames++;
        }
        if (n > 0 && info.hz != out_rate)
        {
            held_samples = samples;
            held_rate = info.hz;
            held_channels = info.channels;
            /* frame_pcm keeps the held frame: it is copied out first thing next call */
            break;
        }
        put(n, samples, info.channels);
        n += samples;
        out_rate = info.hz;
        if (info.channels > out_channels) out_channels = info.channels;
    }
    return n;
}
