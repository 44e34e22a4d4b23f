/*
 * Drop-Activation for .NET: the native part of the fast CPU ReLU kernel.
 *
 * One OpenMP loop over fixed blocks of 65,536 elements: ReLU chunk by chunk, then, while the
 * chunk is in L1, the identity at the chunk's dropped positions (geometric gaps from the
 * table built in C#, GeometricGaps.cs; SplitMix64 streams seeded from (seed, block), as in
 * SplitMix64.cs). The mask is therefore the one the managed code (KeepMask) gives for the same
 * seed, whatever the number of threads.
 *
 * The parallel loops run on libtorch's own OpenMP runtime: the library is not linked against
 * any OpenMP library (linking would load the system's libgomp beside libtorch's bundled copy,
 * two thread pools competing for the cores); it finds the libgomp already loaded in the process
 * and calls its GOMP_parallel, so the work lands on libtorch's worker threads (the ones that
 * just wrote the input and spin, waiting for the next parallel region) and follows
 * torch.set_num_threads. Without a loaded libgomp the loops run on the calling thread.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <stdint.h>
#include <string.h>

/* The dense loops get an AVX2 version too, chosen at load time where the CPU has it. */
#if defined(__x86_64__) && defined(__GNUC__)
#define VECTOR_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define VECTOR_CLONES
#endif

#define BLOCK_SHIFT 16
#define BLOCK_SIZE (1LL << BLOCK_SHIFT)
#define CHUNK 2048
#define CELL_BITS 16

typedef struct
{
    const int32_t *cell; /* 65,536 cells: k >= 0 answers at once, ~k0 starts a search at k0 */
    const double *cdf;   /* F(k) = 1 - p^(k+1) */
    int32_t length;
} gaps_t;

typedef struct
{
    uint64_t state;
    uint64_t word;
    int left;
} stream_t;

static inline uint64_t mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static inline uint64_t next_word(uint64_t *state)
{
    *state += 0x9E3779B97F4A7C15ULL;
    return mix(*state);
}

static inline void stream_init(stream_t *s, uint64_t seed, uint64_t block)
{
    s->state = mix(seed ^ mix(block + 0x632BE59BD9B4E019ULL));
    s->word = 0;
    s->left = 0;
}

static int64_t gap_search(const gaps_t *g, uint64_t *state, uint64_t r, int32_t k)
{
    int64_t offset = 0;
    for (;;)
    {
        double u = (double)(r >> 11) * (1.0 / 9007199254740992.0);
        while (k < g->length && u >= g->cdf[k]) k++;
        if (k < g->length) return offset + k;
        offset += g->length; /* beyond the table: the distribution is memoryless */
        r = next_word(state);
        int32_t e = g->cell[r >> (64 - CELL_BITS)];
        if (e >= 0) return offset + e;
        k = ~e;
    }
}

static inline int64_t next_gap(const gaps_t *g, stream_t *s)
{
    if (s->left == 0)
    {
        s->word = next_word(&s->state);
        s->left = 64 / CELL_BITS;
    }
    int32_t cell = (int32_t)(s->word >> (64 - CELL_BITS));
    s->word <<= CELL_BITS;
    s->left--;
    int32_t e = g->cell[cell];
    if (e >= 0) return e;
    uint64_t low = next_word(&s->state) >> CELL_BITS;
    return gap_search(g, &s->state, ((uint64_t)cell << (64 - CELL_BITS)) | low, ~e);
}

/* ---- libtorch's OpenMP runtime, found at run time ---- */

typedef void (*gomp_parallel_fn)(void (*fn)(void *), void *data, unsigned num_threads, unsigned flags);
typedef int (*omp_query_fn)(void);

static gomp_parallel_fn gomp_parallel;
static omp_query_fn omp_thread_num, omp_num_threads, omp_max_threads;

static int find_libgomp(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    const char **found = (const char **)data;
    const char *name = info->dlpi_name;
    if (name == NULL || strstr(name, "libgomp") == NULL) return 0;
    /* libtorch's bundled copy carries a hash (libgomp-98b21ff3.so.1): prefer it. */
    if (*found == NULL || strstr(name, "libgomp-") != NULL) *found = name;
    return strstr(name, "libgomp-") != NULL;
}

static int runtime_ready(void)
{
    if (gomp_parallel != NULL) return 1;
    const char *path = NULL;
    dl_iterate_phdr(find_libgomp, &path);
    if (path == NULL) return 0;
    void *lib = dlopen(path, RTLD_LAZY | RTLD_NOLOAD);
    if (lib == NULL) return 0;
    omp_query_fn thread_num = (omp_query_fn)dlsym(lib, "omp_get_thread_num");
    omp_query_fn num_threads = (omp_query_fn)dlsym(lib, "omp_get_num_threads");
    omp_query_fn max_threads = (omp_query_fn)dlsym(lib, "omp_get_max_threads");
    gomp_parallel_fn parallel = (gomp_parallel_fn)dlsym(lib, "GOMP_parallel");
    dlclose(lib); /* RTLD_NOLOAD took a reference of its own; libtorch keeps the library loaded */
    if (thread_num == NULL || num_threads == NULL || max_threads == NULL || parallel == NULL) return 0;
    omp_thread_num = thread_num;
    omp_num_threads = num_threads;
    omp_max_threads = max_threads;
    __atomic_store_n(&gomp_parallel, parallel, __ATOMIC_RELEASE);
    return 1;
}

/* Runs body(data, first, end) over [0, count) split statically in contiguous ranges, one per thread. */
typedef void (*range_body)(void *data, int64_t first, int64_t end);

typedef struct
{
    range_body body;
    void *data;
    int64_t count;
} range_job;

static void range_worker(void *arg)
{
    const range_job *job = (const range_job *)arg;
    int64_t threads = omp_num_threads(), t = omp_thread_num();
    int64_t first = job->count * t / threads, end = job->count * (t + 1) / threads;
    if (first < end) job->body(job->data, first, end);
}

static void parallel_ranges(range_body body, void *data, int64_t count)
{
    if (count > 1 && runtime_ready() && omp_max_threads() > 1)
    {
        range_job job = {body, data, count};
        gomp_parallel(range_worker, &job, 0, 0);
    }
    else if (count > 0)
        body(data, 0, count);
}

/* Element rules: ReLU keeps NaN and -0, as libtorch does in float32; bfloat16 works on its 16-bit words, where relu
 * zeroes the words 0x8001..0xFF80 (negative, non-zero, not NaN) and keeps a NaN's bits (libtorch's own bf16 relu
 * does not always), and a zero is a zero magnitude: no rounding anywhere. */
#define RELU_FLOAT(v) ((v) < 0 ? 0 : (v))
#define ZERO_FLOAT(v) ((v) == 0)
#define RELU_BF16(v) ((uint16_t)((v) - 0x8001u) < 0x7F80u ? 0u : (v))
#define ZERO_BF16(v) (((v) & 0x7FFFu) == 0)

#define DEFINE_FORWARD(NAME, T, RELU, ZERO)                                                  \
    typedef struct                                                                           \
    {                                                                                        \
        const T *x;                                                                          \
        T *y;                                                                                \
        int64_t n;                                                                           \
        uint64_t seed;                                                                       \
        gaps_t gaps;                                                                         \
        int64_t zeros;                                                                       \
    } NAME##_job;                                                                            \
                                                                                             \
    VECTOR_CLONES static void NAME##_blocks(void *data, int64_t first, int64_t end)          \
    {                                                                                        \
        NAME##_job *job = (NAME##_job *)data;                                                \
        const T *x = job->x;                                                                 \
        T *y = job->y;                                                                       \
        const gaps_t *g = &job->gaps;                                                        \
        int64_t zeros = 0;                                                                   \
        for (int64_t b = first; b < end; b++)                                                \
        {                                                                                    \
            int64_t start = b << BLOCK_SHIFT;                                                \
            int64_t stop = start + BLOCK_SIZE < job->n ? start + BLOCK_SIZE : job->n;        \
            stream_t s;                                                                      \
            stream_init(&s, job->seed, (uint64_t)b);                                         \
            int64_t next = start + next_gap(g, &s);                                          \
            for (int64_t c0 = start; c0 < stop; c0 += CHUNK)                                 \
            {                                                                                \
                int64_t c1 = c0 + CHUNK < stop ? c0 + CHUNK : stop;                          \
                for (int64_t i = c0; i < c1; i++)                                            \
                {                                                                            \
                    T v = x[i];                                                              \
                    y[i] = (T)RELU(v);                                                       \
                }                                                                            \
                for (; next < c1; next += 1 + next_gap(g, &s))                               \
                {                                                                            \
                    T v = x[next];                                                           \
                    y[next] = v;                                                             \
                    zeros += ZERO(v);                                                        \
                }                                                                            \
            }                                                                                \
        }                                                                                    \
        __atomic_fetch_add(&job->zeros, zeros, __ATOMIC_RELAXED);                            \
    }                                                                                        \
                                                                                             \
    int64_t NAME(const void *x, void *y, int64_t n, uint64_t seed,                           \
                 const int32_t *cell, const double *cdf, int32_t length)                     \
    {                                                                                        \
        NAME##_job job = {(const T *)x, (T *)y, n, seed, {cell, cdf, length}, 0};            \
        parallel_ranges(NAME##_blocks, &job, (n + BLOCK_SIZE - 1) >> BLOCK_SHIFT);           \
        return job.zeros;                                                                    \
    }

/* y = relu(x) except y = x at the dropped positions; returns how many of those hold x = ±0. */
DEFINE_FORWARD(dropact_relu_forward_f32, float, RELU_FLOAT, ZERO_FLOAT)
DEFINE_FORWARD(dropact_relu_forward_f64, double, RELU_FLOAT, ZERO_FLOAT)
DEFINE_FORWARD(dropact_relu_forward_bf16, uint16_t, RELU_BF16, ZERO_BF16)

/* The library's interface version, checked by the managed side before use. */
int32_t dropact_native_version(void) { return 3; }

/* Threads a parallel loop here uses: libtorch's setting, or 1 without an OpenMP runtime. */
int32_t dropact_native_threads(void) { return runtime_ready() ? omp_max_threads() : 1; }

#define BACKWARD_GRAIN (1 << 15)

#define DEFINE_BACKWARD(NAME, T, ZERO)                                                       \
    typedef struct                                                                           \
    {                                                                                        \
        const T *grad;                                                                       \
        const T *y;                                                                          \
        T *out;                                                                              \
        int64_t n;                                                                           \
    } NAME##_job;                                                                            \
                                                                                             \
    VECTOR_CLONES static void NAME##_pieces(void *data, int64_t first, int64_t end)          \
    {                                                                                        \
        const NAME##_job *job = (const NAME##_job *)data;                                    \
        int64_t lo = first * BACKWARD_GRAIN;                                                 \
        int64_t hi = end * BACKWARD_GRAIN < job->n ? end * BACKWARD_GRAIN : job->n;          \
        const T *restrict grad = job->grad;                                                  \
        const T *restrict y = job->y;                                                        \
        T *restrict out = job->out;                                                          \
        for (int64_t i = lo; i < hi; i++)                                                    \
        {                                                                                    \
            T gv = grad[i]; /* loaded unconditionally, so the select vectorises */          \
            out[i] = ZERO(y[i]) ? (T)0 : gv;                                                 \
        }                                                                                    \
    }                                                                                        \
                                                                                             \
    void NAME(const void *grad, const void *y, void *out, int64_t n)                         \
    {                                                                                        \
        NAME##_job job = {(const T *)grad, (const T *)y, (T *)out, n};                       \
        parallel_ranges(NAME##_pieces, &job, (n + BACKWARD_GRAIN - 1) / BACKWARD_GRAIN);     \
    }

/* out = grad where y != 0 (a kept x > 0, or any dropped x but ±0), else 0. */
DEFINE_BACKWARD(dropact_relu_backward_f32, float, ZERO_FLOAT)
DEFINE_BACKWARD(dropact_relu_backward_f64, double, ZERO_FLOAT)
DEFINE_BACKWARD(dropact_relu_backward_bf16, uint16_t, ZERO_BF16)
