// ganc's CPU kernels on OpenBLAS: the matrix products and convolutions of the wasm
// backend, its leaky ReLU with its gradient, its sums over leading axes, its element-wise
// arithmetic and its exponential, computed in place on its heap (the caller
// passes Float32Array views of it).
// A convolution is im2col / col2im around one sgemm per chunk of images, NHWC, with the
// filter as [KH, KW, CI, CO] (tfjs's layouts). The loops and the products are split between
// a small pool of threads, never along a summed axis: a fixed thread count gives the same
// bits on every run.
#include <cblas.h>
#include <node_api.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

extern "C" {
void openblas_set_num_threads(int);
char* openblas_get_config(void);
}

namespace {

// Geometry of one convolution (x: [n, h, w, ci], filter: [kh, kw, ci, co], y: [n, oh, ow, co]).
struct Conv {
  long n, h, w, ci, kh, kw, co, oh, ow, sh, sw, dh, dw, top, left;
  long rows() const { return oh * ow; }       // im2col rows per image
  long cols() const { return kh * kw * ci; }  // im2col columns
};

// A small pool for the loops and products: `run(f)` calls f(i) on every thread, i = 0 on the
// calling thread. Between tasks a worker spins briefly (the next kernel usually comes within
// microseconds; waking a sleeping thread takes longer than many of them), then sleeps, so it
// does not hold a core from XNNPACK's threads for long.
class Pool {
 public:
  void resize(int threads) {
    stop();
    // A new worker starts at the current generation: the tasks before it are gone.
    for (int i = 1; i < threads; i++) workers_.emplace_back([this, i, g = generation_.load()] { work(i, g); });
  }
  int size() const { return static_cast<int>(workers_.size()) + 1; }
  void run(const std::function<void(int)>& f) {
    if (workers_.empty()) return f(0);
    task_ = &f;
    pending_.store(static_cast<int>(workers_.size()));
    {
      std::lock_guard<std::mutex> lock(m_);
      generation_.fetch_add(1);
    }
    wake_.notify_all();
    f(0);
    for (int k = 0; pending_.load() != 0; k++) {
      if (k < kSpins) {
        pause();
        continue;
      }
      std::unique_lock<std::mutex> lock(m_);
      done_.wait(lock, [this] { return pending_.load() == 0; });
    }
  }
  ~Pool() { stop(); }

 private:
  static constexpr int kSpins = 1 << 12;
  static void pause() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  }
  void work(int i, long seen) {
    for (;;) {
      long g = generation_.load();
      for (int k = 0; g == seen && !quit_.load() && k < kSpins; k++, g = generation_.load()) pause();
      if (g == seen) {
        std::unique_lock<std::mutex> lock(m_);
        wake_.wait(lock, [&] { return quit_.load() || generation_.load() != seen; });
        g = generation_.load();
      }
      if (quit_.load()) return;
      seen = g;
      (*task_)(i);
      if (pending_.fetch_sub(1) == 1) {
        std::lock_guard<std::mutex> lock(m_);
        done_.notify_one();
      }
    }
  }
  void stop() {
    {
      std::lock_guard<std::mutex> lock(m_);
      quit_.store(true);
    }
    wake_.notify_all();
    for (auto& t : workers_) t.join();
    workers_.clear();
    quit_.store(false);
  }
  std::vector<std::thread> workers_;
  std::mutex m_;
  std::condition_variable wake_, done_;
  const std::function<void(int)>* task_ = nullptr;
  std::atomic<int> pending_{0};
  std::atomic<long> generation_{0};
  std::atomic<bool> quit_{false};
};

Pool pool;

/** [begin, end) of part `i` of `n` items split into `parts`. */
std::pair<long, long> share(long n, int i, int parts) { return {n * i / parts, n * (i + 1) / parts}; }

// Workspace for im2col, kept between calls (only the JavaScript thread calls in).
std::vector<float> work;
constexpr long kWorkFloats = 16L << 20;  // 64 MiB: images per chunk are bounded by this

long imagesPerChunk(const Conv& c) { return std::max(1L, std::min(c.n, kWorkFloats / std::max(1L, c.rows() * c.cols()))); }

void im2col(const Conv& c, const float* x, long n0, long nb, float* col) {
  const long cols = c.cols();
  pool.run([&](int part) {
    const auto [begin, end] = share(nb * c.oh, part, pool.size());  // (image, output row) pairs
    for (long r = begin; r < end; r++) {
      const long n = r / c.oh, oy = r % c.oh;
      const float* img = x + (n0 + n) * c.h * c.w * c.ci;
      for (long ox = 0; ox < c.ow; ox++) {
        float* row = col + ((n * c.oh + oy) * c.ow + ox) * cols;
        for (long ky = 0; ky < c.kh; ky++) {
          const long iy = oy * c.sh - c.top + ky * c.dh;
          for (long kx = 0; kx < c.kw; kx++) {
            const long ix = ox * c.sw - c.left + kx * c.dw;
            float* dst = row + (ky * c.kw + kx) * c.ci;
            if (iy < 0 || iy >= c.h || ix < 0 || ix >= c.w) std::memset(dst, 0, c.ci * sizeof(float));
            else std::memcpy(dst, img + (iy * c.w + ix) * c.ci, c.ci * sizeof(float));
          }
        }
      }
    }
  });
}

// Scatter-adds into x: parts split the images, or the channels when there are fewer images
// than parts, so no two parts write the same value.
void col2im(const Conv& c, const float* col, long n0, long nb, float* x) {
  const long cols = c.cols();
  const bool byImage = nb >= pool.size() || c.ci < pool.size();
  pool.run([&](int part) {
    const auto [i0, i1] = byImage ? share(nb, part, pool.size()) : std::pair<long, long>{0, nb};
    const auto [c0, c1] = byImage ? std::pair<long, long>{0, c.ci} : share(c.ci, part, pool.size());
    for (long n = i0; n < i1; n++) {
      float* img = x + (n0 + n) * c.h * c.w * c.ci;
      for (long p = 0; p < c.h * c.w; p++) std::memset(img + p * c.ci + c0, 0, (c1 - c0) * sizeof(float));
      for (long oy = 0; oy < c.oh; oy++)
        for (long ox = 0; ox < c.ow; ox++) {
          const float* row = col + ((n * c.oh + oy) * c.ow + ox) * cols;
          for (long ky = 0; ky < c.kh; ky++) {
            const long iy = oy * c.sh - c.top + ky * c.dh;
            if (iy < 0 || iy >= c.h) continue;
            for (long kx = 0; kx < c.kw; kx++) {
              const long ix = ox * c.sw - c.left + kx * c.dw;
              if (ix < 0 || ix >= c.w) continue;
              const float* src = row + (ky * c.kw + kx) * c.ci;
              float* dst = img + (iy * c.w + ix) * c.ci;
              for (long i = c0; i < c1; i++) dst[i] += src[i];
            }
          }
        }
    }
  });
}

// A convolution whose im2col is its input itself (1x1, stride 1, no padding).
bool pointwise(const Conv& c) { return c.kh == 1 && c.kw == 1 && c.sh == 1 && c.sw == 1 && c.top == 0 && c.left == 0; }

float* chunkCol(const Conv& c, const float* x, long n0, long nb) {
  if (pointwise(c)) return const_cast<float*>(x) + n0 * c.h * c.w * c.ci;
  work.resize(std::max<size_t>(work.size(), nb * c.rows() * c.cols()));
  im2col(c, x, n0, nb, work.data());
  return work.data();
}

// C = op(A)·op(B) (+ beta·C), row-major, with the rows of C split between the pool's threads,
// each a single-threaded sgemm (OpenBLAS runs with one thread: its own split of these narrow
// products scaled 1.4x on two cores, this one does better, and each element's sum is the same
// for any split). Small products stay on the calling thread.
void gemmRows(bool ta, bool tb, long m, long n, long k, const float* a, long lda, const float* b, long ldb, float beta, float* c) {
  const int parts = m * n * k < (1L << 18) ? 1 : static_cast<int>(std::min<long>(pool.size(), m));
  const auto rows = [&](int part) {
    const auto [r0, r1] = share(m, part, parts);
    if (r0 == r1) return;
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, r1 - r0, n, k, 1.f, ta ? a + r0 : a + r0 * lda,
                lda, b, ldb, beta, c + r0 * n, n);
  };
  if (parts == 1) return rows(0);
  pool.run([&](int part) {
    if (part < parts) rows(part);
  });
}

void conv2d(const Conv& c, const float* x, const float* f, float* y) {
  const long per = imagesPerChunk(c);
  for (long n0 = 0; n0 < c.n; n0 += per) {
    const long nb = std::min(per, c.n - n0);
    const float* col = chunkCol(c, x, n0, nb);
    gemmRows(false, false, nb * c.rows(), c.co, c.cols(), col, c.cols(), f, c.co, 0.f, y + n0 * c.rows() * c.co);
  }
}

void backpropInput(const Conv& c, const float* dy, const float* f, float* dx) {
  const long per = imagesPerChunk(c);
  for (long n0 = 0; n0 < c.n; n0 += per) {
    const long nb = std::min(per, c.n - n0);
    float* col = dx + n0 * c.h * c.w * c.ci;
    if (!pointwise(c)) {
      work.resize(std::max<size_t>(work.size(), nb * c.rows() * c.cols()));
      col = work.data();
    }
    gemmRows(false, true, nb * c.rows(), c.cols(), c.co, dy + n0 * c.rows() * c.co, c.co, f, c.co, 0.f, col);
    if (!pointwise(c)) col2im(c, col, n0, nb, dx);
  }
}

void backpropFilter(const Conv& c, const float* x, const float* dy, float* df) {
  const long per = imagesPerChunk(c);
  for (long n0 = 0; n0 < c.n; n0 += per) {
    const long nb = std::min(per, c.n - n0);
    const float* col = chunkCol(c, x, n0, nb);
    gemmRows(true, false, c.cols(), c.co, nb * c.rows(), col, c.cols(), dy + n0 * c.rows() * c.co, c.co, n0 == 0 ? 0.f : 1.f, df);
  }
}

// Leaky ReLU (kind 0: out = x > 0 ? x : alpha·x) and its input gradient (kind 1: out = dy·(x > 0 ? 1 : alpha)),
// as a multiply by a select between constants, which the compiler vectorises (a select between
// products it does not: the product not taken might trap).
void leakyRange(int kind, const float* __restrict x, const float* __restrict dy, float* __restrict out, long n, float alpha) {
  const float* __restrict v = kind == 0 ? x : dy;
  for (long i = 0; i < n; i++) out[i] = v[i] * (x[i] > 0.f ? 1.f : alpha);
}

void leaky(int kind, const float* x, const float* dy, float* out, long n, float alpha) {
  pool.run([=](int part) {
    const auto [begin, end] = share(n, part, pool.size());
    leakyRange(kind, x + begin, dy + begin, out + begin, end - begin, alpha);
  });
}

// e^x to within 1e-7 relative (Cephes's polynomial after x = n·ln 2 + r), written without
// branches or library calls so that a loop of it vectorises; +inf above ln(FLT_MAX), 0 below
// the smallest denormal, NaN for NaN.
inline float expApprox(float x) {
  const float hi = 88.72283905f, lo = -103.97207708f;
  const float xc = x > hi ? hi : (x < lo ? lo : x);
  const float fx = xc * 1.44269504088896341f + 0.5f;
  int32_t n = static_cast<int32_t>(fx);
  n -= static_cast<float>(n) > fx ? 1 : 0;  // floor
  const float fn = static_cast<float>(n);
  const float r = (xc - fn * 0.693359375f) - fn * -2.12194440e-4f;
  float y = 1.9875691500e-4f;
  y = y * r + 1.3981999507e-3f;
  y = y * r + 8.3334519073e-3f;
  y = y * r + 4.1665795894e-2f;
  y = y * r + 1.6666665459e-1f;
  y = y * r + 5.0000001201e-1f;
  y = y * (r * r) + r + 1.f;
  // 2^n as two normal powers of two, so that n from -150 to 128 neither overflows nor flushes early.
  const int32_t h = n >> 1, bits1 = (h + 127) << 23, bits2 = (n - h + 127) << 23;
  float s1, s2;
  std::memcpy(&s1, &bits1, sizeof s1);
  std::memcpy(&s2, &bits2, sizeof s2);
  const float v = y * s1 * s2;
  return x > hi ? std::numeric_limits<float>::infinity() : (x < lo ? 0.f : v);
}

void expAll(const float* x, float* out, long n) {
  const int parts = n < (1L << 14) ? 1 : pool.size();
  const auto range = [&](int part) {
    const auto [i0, i1] = share(n, part, parts);
    const float* __restrict in = x;
    float* __restrict o = out;
    for (long i = i0; i < i1; i++) o[i] = expApprox(in[i]);
  };
  if (parts == 1) return range(0);
  pool.run(range);
}

// out = a op b (0 +, 1 −, 2 ×, 3 ÷) where one operand, `small` (s values), repeats along the
// other, `big` (n values, a multiple of s): the same shape, a channel vector, or a scalar.
// `smallFirst` says the small one is a. Parts split the elements.
template <class F>
void repeatRange(long i0, long i1, const float* __restrict big, const float* __restrict small, long s, float* __restrict out, F f) {
  if (s == 1) {
    const float v = small[0];
    for (long i = i0; i < i1; i++) out[i] = f(big[i], v);
    return;
  }
  for (long i = i0; i < i1;) {
    const long j = i % s, len = std::min(s - j, i1 - i);
    for (long t = 0; t < len; t++) out[i + t] = f(big[i + t], small[j + t]);
    i += len;
  }
}

template <class F>
void binaryAs(const float* big, const float* small, long n, long s, float* out, F f) {
  const int parts = n < (1L << 15) ? 1 : pool.size();
  const auto range = [&](int part) {
    const auto [i0, i1] = share(n, part, parts);
    repeatRange(i0, i1, big, small, s, out, f);
  };
  if (parts == 1) return range(0);
  pool.run(range);
}

void binary(int op, const float* big, const float* small, long n, long s, bool smallFirst, float* out) {
  // With the operands as (big, small), a op b is f(big, small) or f(small, big).
  switch (op * 2 + smallFirst) {
    case 0: case 1: return binaryAs(big, small, n, s, out, [](float p, float q) { return p + q; });
    case 2: return binaryAs(big, small, n, s, out, [](float p, float q) { return p - q; });
    case 3: return binaryAs(big, small, n, s, out, [](float p, float q) { return q - p; });
    case 4: case 5: return binaryAs(big, small, n, s, out, [](float p, float q) { return p * q; });
    case 6: return binaryAs(big, small, n, s, out, [](float p, float q) { return p / q; });
    case 7: return binaryAs(big, small, n, s, out, [](float p, float q) { return q / p; });
  }
}

// out[c] = scale · Σ_r x[r, c] for x as [rows, cols] (sums and means over leading axes), each
// column summed in row order in double precision: parts split the columns, so the result is
// the same for any number of threads.
void reduceRows(const float* x, float* out, long rows, long cols, double scale) {
  pool.run([=](int part) {
    const auto [c0, c1] = share(cols, part, pool.size());
    if (c0 == c1) return;
    std::vector<double> acc(c1 - c0, 0.0);
    double* __restrict a = acc.data();
    for (long r = 0; r < rows; r++) {
      const float* __restrict row = x + r * cols + c0;
      for (long c = 0; c < c1 - c0; c++) a[c] += row[c];
    }
    for (long c = c0; c < c1; c++) out[c] = static_cast<float>(a[c - c0] * scale);
  });
}

// ---- N-API glue -------------------------------------------------------------------

// A call's arguments, read in order. The first that is missing or of the wrong type throws a
// TypeError in JavaScript; from then on `ok()` is false and the call returns without work.
class Args {
 public:
  Args(napi_env env, napi_callback_info info, size_t count) : env_(env), argv_(count) {
    size_t argc = count;
    if (napi_get_cb_info(env, info, &argc, argv_.data(), nullptr, nullptr) != napi_ok || argc != count) fail("wrong number of arguments");
  }
  bool ok() const { return ok_; }
  float* floats(size_t* length) {
    napi_typedarray_type type;
    napi_value buffer;
    size_t offset;
    void* raw = nullptr;
    if (ok_ && (napi_get_typedarray_info(env_, next(), &type, length, &raw, &buffer, &offset) != napi_ok || type != napi_float32_array))
      fail("expected a Float32Array");
    return static_cast<float*>(raw);
  }
  long integer() {
    int64_t v = 0;
    if (ok_ && napi_get_value_int64(env_, next(), &v) != napi_ok) fail("expected an integer");
    return static_cast<long>(v);
  }
  double number() {
    double v = 0;
    if (ok_ && napi_get_value_double(env_, next(), &v) != napi_ok) fail("expected a number");
    return v;
  }
  bool flag() {
    bool v = false;
    if (ok_ && napi_get_value_bool(env_, next(), &v) != napi_ok) fail("expected a boolean");
    return v;
  }
  /** An array of `count` integers. */
  void integers(long* out, uint32_t count) {
    if (!ok_) return;
    napi_value array = next();
    uint32_t length = 0;
    if (napi_get_array_length(env_, array, &length) != napi_ok || length != count) return fail("expected an array of integers of the right length");
    for (uint32_t i = 0; i < count; i++) {
      napi_value e;
      int64_t v;
      if (napi_get_element(env_, array, i, &e) != napi_ok || napi_get_value_int64(env_, e, &v) != napi_ok) return fail("expected an integer");
      out[i] = static_cast<long>(v);
    }
  }
  /** Throws a RangeError (operands that do not fit together); returns what the call returns. */
  napi_value reject(const char* message) {
    napi_throw_range_error(env_, nullptr, message);
    return nullptr;
  }

 private:
  napi_value next() { return argv_[next_++]; }
  void fail(const char* message) {
    if (ok_) napi_throw_type_error(env_, nullptr, message);
    ok_ = false;
  }
  napi_env env_;
  std::vector<napi_value> argv_;
  size_t next_ = 0;
  bool ok_ = true;
};

// conv(kind, a, b, out, [n, h, w, ci, kh, kw, co, oh, ow, sh, sw, dh, dw, top, left])
// kind 0: y = conv2d(x=a, filter=b); 1: dx from (dy=a, filter=b); 2: dfilter from (x=a, dy=b).
napi_value ConvCall(napi_env env, napi_callback_info info) {
  Args in(env, info, 5);
  const long kind = in.integer();
  size_t la, lb, lo;
  const float* a = in.floats(&la);
  const float* b = in.floats(&lb);
  float* out = in.floats(&lo);
  long g[15];
  in.integers(g, 15);
  if (!in.ok()) return nullptr;
  const Conv c{g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7], g[8], g[9], g[10], g[11], g[12], g[13], g[14]};
  const size_t xs = c.n * c.h * c.w * c.ci, fs = c.kh * c.kw * c.ci * c.co, ys = c.n * c.oh * c.ow * c.co;
  const size_t want[3][3] = {{xs, fs, ys}, {ys, fs, xs}, {xs, ys, fs}};
  if (kind < 0 || kind > 2 || la != want[kind][0] || lb != want[kind][1] || lo != want[kind][2])
    return in.reject("convolution operands do not match the geometry");
  if (kind == 0) conv2d(c, a, b, out);
  else if (kind == 1) backpropInput(c, a, b, out);
  else backpropFilter(c, a, b, out);
  return nullptr;
}

// gemm(a, b, c, [batch, m, n, k, transA, transB, batchStrideA, batchStrideB]): c[i] = op(a[i]) op(b[i]),
// a stride of 0 broadcasting that operand over the batch.
napi_value GemmCall(napi_env env, napi_callback_info info) {
  Args in(env, info, 4);
  size_t la, lb, lc;
  const float* a = in.floats(&la);
  const float* b = in.floats(&lb);
  float* c = in.floats(&lc);
  long g[8];
  in.integers(g, 8);
  if (!in.ok()) return nullptr;
  const long batch = g[0], m = g[1], n = g[2], k = g[3], sa = g[6], sb = g[7];
  const bool ta = g[4] != 0, tb = g[5] != 0;
  if (lc != size_t(batch * m * n) || la < size_t((batch - 1) * sa + m * k) || lb < size_t((batch - 1) * sb + k * n))
    return in.reject("matrix operands do not match their sizes");
  for (long i = 0; i < batch; i++) gemmRows(ta, tb, m, n, k, a + i * sa, ta ? m : k, b + i * sb, tb ? k : n, 0.f, c + i * m * n);
  return nullptr;
}

// leaky(kind, x, dy, out, alpha): see `leaky` (dy is ignored, and may be x, for kind 0).
napi_value LeakyCall(napi_env env, napi_callback_info info) {
  Args in(env, info, 5);
  const long kind = in.integer();
  size_t lx, ldy, lo;
  const float* x = in.floats(&lx);
  const float* dy = in.floats(&ldy);
  float* out = in.floats(&lo);
  const double alpha = in.number();
  if (!in.ok()) return nullptr;
  if ((kind != 0 && kind != 1) || lx != lo || (kind == 1 && ldy != lo)) return in.reject("leaky: operands of different sizes");
  leaky(static_cast<int>(kind), x, dy, out, static_cast<long>(lo), static_cast<float>(alpha));
  return nullptr;
}

// reduceRows(x, out, rows, scale): see `reduceRows` (cols is out's length).
napi_value ReduceRowsCall(napi_env env, napi_callback_info info) {
  Args in(env, info, 4);
  size_t lx, lo;
  const float* x = in.floats(&lx);
  float* out = in.floats(&lo);
  const long rows = in.integer();
  const double scale = in.number();
  if (!in.ok()) return nullptr;
  if (rows < 1 || lx != size_t(rows) * lo) return in.reject("reduceRows: x is not rows × out");
  reduceRows(x, out, rows, static_cast<long>(lo), scale);
  return nullptr;
}

// binary(op, big, small, out, smallFirst): see `binary`.
napi_value BinaryCall(napi_env env, napi_callback_info info) {
  Args in(env, info, 5);
  const long op = in.integer();
  size_t n, sn, on;
  const float* big = in.floats(&n);
  const float* small = in.floats(&sn);
  float* out = in.floats(&on);
  const bool smallFirst = in.flag();
  if (!in.ok()) return nullptr;
  if (op < 0 || op > 3 || sn == 0 || n % sn != 0 || on != n) return in.reject("binary: the small operand does not repeat along the big one");
  binary(static_cast<int>(op), big, small, static_cast<long>(n), static_cast<long>(sn), smallFirst, out);
  return nullptr;
}

// exp(x, out): out = e^x (see `expApprox`).
napi_value ExpCall(napi_env env, napi_callback_info info) {
  Args in(env, info, 2);
  size_t n, on;
  const float* x = in.floats(&n);
  float* out = in.floats(&on);
  if (!in.ok()) return nullptr;
  if (n != on) return in.reject("exp: operands of different sizes");
  expAll(x, out, static_cast<long>(n));
  return nullptr;
}

napi_value SetThreads(napi_env env, napi_callback_info info) {
  Args in(env, info, 1);
  const long n = in.integer();
  if (!in.ok()) return nullptr;
  openblas_set_num_threads(1);  // the pool splits the products (gemmRows)
  pool.resize(static_cast<int>(std::max(1L, std::min(n, 64L))));
  return nullptr;
}

napi_value Describe(napi_env env, napi_callback_info) {
  const std::string s = openblas_get_config();
  napi_value out;
  napi_create_string_utf8(env, s.c_str(), s.size(), &out);
  return out;
}

napi_value Init(napi_env env, napi_value exports) {
  const napi_property_descriptor props[] = {
      {"conv", nullptr, ConvCall, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"gemm", nullptr, GemmCall, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"leaky", nullptr, LeakyCall, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"reduceRows", nullptr, ReduceRowsCall, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"binary", nullptr, BinaryCall, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"exp", nullptr, ExpCall, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setThreads", nullptr, SetThreads, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"describe", nullptr, Describe, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
