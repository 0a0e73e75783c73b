import GraphCore

// Convolution, pooling, bias_add and reshape in generated code. Their kernels are loops over
// flat, row-major buffers (as in GraphCore's `WindowGeometry`), so each program defines the
// helpers it uses, written out below for Python (NumPy programs call the same functions on
// flat lists) and C, and a statement calls one helper on whole variables.

/// A call of one window helper: which loop, its operands (variables of the program), the
/// form of the result, and the integers that give the geometry.
struct WindowCall {
    enum Kind: String, CaseIterable {
        /// y = x ⋆ w; geometry n, c, h, w, out, kh, kw, sh, sw, ph, pw.
        case conv
        /// x̄ = ḡ ⋆ᵀ w (operands ḡ, w); the same geometry.
        case convInput = "conv_input"
        /// w̄ = x ⋆ ḡ (operands ḡ, x); the same geometry.
        case convWeight = "conv_weight"
        /// Each window's maximum; geometry n, c, h, w, kh, kw, sh, sw, ph, pw (the padding −∞).
        case maxpool
        /// ḡ to each window's first maximum (operands ḡ, x); the same geometry.
        case maxpoolBack = "maxpool_back"
        case avgpool
        /// ḡ/(kh·kw) to every element of each window in the image (operand ḡ); the same
        /// geometry. The padding's zeros count in the divisor, as PyTorch's default.
        case avgpoolBack = "avgpool_back"
        /// x + b[channel]; geometry inner (elements per channel), channels.
        case biasAdd = "bias_add"
        /// Σ ḡ per channel (operand ḡ); the same geometry.
        case biasBack = "bias_back"
        /// The same elements in another form (no geometry).
        case reshape
        /// Row idx[i] of x for each index (operands x, idx); geometry count, rows, width.
        case gather
        /// Row i of ḡ added into row idx[i] (operands ḡ, idx); the same geometry.
        case gatherBack = "gather_back"
        /// Positions start ..< start + k of the middle axis of x seen as (p, d, q); geometry
        /// p, d, q, start, k (as every axis helper's).
        case sliceAlong = "slice_along"
        /// A slice's adjoint put back in its positions, 0 elsewhere (operand ḡ).
        case sliceBack = "slice_back"
        /// a (p, d, q) and b (p, k, q) joined along the middle axis (operands a, b).
        case concatAlong = "concat_along"
        /// Σ along the middle axis of x (p, d, q), one sum per (p, q).
        case sumAlong = "sum_along"
        /// The sum's adjoint repeated d times along the axis (operand ḡ).
        case sumBack = "sum_back"
    }

    var kind: Kind
    var operands: [ArrayExpr]
    var form: Form
    var geometry: [Int]

    /// A pool's window for LaTeX's subscript, `3\times 3,\ \text{stride } 2,\ \text{padding } 1`
    /// (each pair written once when its two axes agree); nil for the other helpers.
    var latexWindow: String? {
        guard [.maxpool, .maxpoolBack, .avgpool, .avgpoolBack].contains(kind), geometry.count == 10 else { return nil }
        let g = geometry
        func pair(_ a: Int, _ b: Int) -> String { a == b ? "\(a)" : "(\(a), \(b))" }
        var text = "\(g[4])\\times \(g[5]),\\ \\text{stride } \(pair(g[6], g[7]))"
        if g[8] != 0 || g[9] != 0 { text += ",\\ \\text{padding } \(pair(g[8], g[9]))" }
        return text
    }

    /// The operands' variable names, then the geometry, as one argument list.
    func arguments(_ name: (ArrayExpr) -> String) -> [String] {
        operands.map(name) + geometry.map(String.init)
    }

    /// The Python argument list: variables by name, a one-element constant written inline
    /// as its number (which `flat` takes as a list of one).
    var pythonArguments: String {
        arguments { t in
            if case .number(let x) = t { return x.pythonFloat }
            return t.variable
        }.joined(separator: ", ")
    }
}

extension Op {
    /// The forward and VJP calls of a convolution, pooling, bias or reshape entry.
    func windowRule(_ x: Operands, entry e: TapeEntry, _ ea: TapeEntry, _ eb: TapeEntry) -> CodeRule {
        let (a, b, g) = (x.a, x.b, x.g)
        func call(_ kind: WindowCall.Kind, _ operands: [ArrayExpr], _ form: Form, _ geometry: [Int]) -> ArrayExpr {
            .window(WindowCall(kind: kind, operands: operands, form: form, geometry: geometry))
        }
        let y = Form(e.shape)
        switch self {
        case .conv1d, .conv2d:
            let k = WindowGeometry(self, x: ea.shape, weight: eb.shape, window: e.window)
            let geo = [k.n, k.c, k.h, k.w, k.out, k.kh, k.kw, k.sh, k.sw, k.ph, k.pw]
            return CodeRule(forward: call(.conv, [a, b], y, geo),
                            vjp: [call(.convInput, [g, b], a.form, geo), call(.convWeight, [g, a], b.form, geo)])
        case .maxpool2d, .avgpool2d:
            let k = WindowGeometry(self, x: ea.shape, weight: nil, window: e.window)
            let geo = [k.n, k.c, k.h, k.w, k.kh, k.kw, k.sh, k.sw, k.ph, k.pw]
            if self == .maxpool2d {
                return CodeRule(forward: call(.maxpool, [a], y, geo), vjp: [call(.maxpoolBack, [g, a], a.form, geo)])
            }
            return CodeRule(forward: call(.avgpool, [a], y, geo), vjp: [call(.avgpoolBack, [g], a.form, geo)])
        case .biasAdd:
            let (inner, channels) = e.biasLayout
            return CodeRule(forward: call(.biasAdd, [a, b], y, [inner, channels]),
                            vjp: [call(.reshape, [g], a.form, []), call(.biasBack, [g], b.form, [inner, channels])])
        case .reshape:
            return CodeRule(forward: call(.reshape, [a], y, []), vjp: [call(.reshape, [g], a.form, [])])
        case .gather:
            // The indices are positions: their adjoint (when an input holds them) is 0.
            let (rows, width) = e.gatherLayout(ea)
            let geo = [eb.count, rows, width]
            return CodeRule(forward: call(.gather, [a, b], y, geo),
                            vjp: [call(.gatherBack, [g, b], a.form, geo), .spread(0, like: b.variable, b.form)])
        case .along(let f):
            let (p, d, q, k) = e.axisLayout(ea), start = e.window.start
            switch f {
            case .slice:
                let geo = [p, d, q, start, k]
                return CodeRule(forward: call(.sliceAlong, [a], y, geo), vjp: [call(.sliceBack, [g], a.form, geo)])
            case .concat:
                // Each operand's adjoint is its part of ḡ: a slice of ḡ along the axis.
                let db = eb.count / Swift.max(p * q, 1)
                return CodeRule(forward: call(.concatAlong, [a, b], y, [p, d, q, 0, db]),
                                vjp: [call(.sliceAlong, [g], a.form, [p, d + db, q, 0, d]),
                                      call(.sliceAlong, [g], b.form, [p, d + db, q, d, db])])
            case .sum:
                let geo = [p, d, q, 0, 1]
                return CodeRule(forward: call(.sumAlong, [a], y, geo), vjp: [call(.sumBack, [g], a.form, geo)])
            }
        // Rules.swift sends only the eight ops above here.
        case .input, .param, .constant, .add, .sub, .mul, .div, .pow, .max, .min, .leakyRelu, .select, .compare,
             .neg, .unary, .stopGradient, .matmul, .sum, .mean, .transpose, .softmax, .crossEntropy, .mse, .logsumexp, .logSoftmax,
             .batchNorm, .layerNorm, .dropout:
            preconditionFailure("\(name) is not a window op")
        }
    }
}

enum WindowHelpers {
    /// Python functions over flat lists of numbers (row-major), each returning a flat list.
    static func python(_ used: Set<WindowCall.Kind>) -> [String] {
        var out = [
            "",
            "def flat(v):",
            "    \"\"\"The numbers of a scalar, list or nested list (or NumPy array), row-major, as a flat list.\"\"\"",
            "    if hasattr(v, \"ravel\"):",
            "        return [float(u) for u in v.ravel()]",
            "    if isinstance(v, list):",
            "        return [u for row in v for u in flat(row)]",
            "    return [float(v)]",
            "",
            "",
            "def shaped(v, dims):",
            "    \"\"\"A flat list as nested lists of the extents `dims` (outermost first); no extents, a number.\"\"\"",
            "    if not dims:",
            "        return v[0]",
            "    if len(dims) == 1:",
            "        return list(v)",
            "    step = len(v) // dims[0]",
            "    return [shaped(v[k * step:(k + 1) * step], dims[1:]) for k in range(dims[0])]",
            "",
        ]
        let conv = """

            def conv_windows(n, c, h, w, o, kh, kw, sh, sw, ph, pw):
                \"\"\"Every (output index, input index, weight index) product of a cross-correlation with zero padding.\"\"\"
                oh, ow = (h + 2 * ph - kh) // sh + 1, (w + 2 * pw - kw) // sw + 1
                for b in range(n):
                    for f in range(o):
                        for i in range(oh):
                            for j in range(ow):
                                for ch in range(c):
                                    for p in range(kh):
                                        ii = i * sh + p - ph
                                        if 0 <= ii < h:
                                            for q in range(kw):
                                                jj = j * sw + q - pw
                                                if 0 <= jj < w:
                                                    yield ((b * o + f) * oh + i) * ow + j, ((b * c + ch) * h + ii) * w + jj, ((f * c + ch) * kh + p) * kw + q


            def conv(x, w, *geometry):
                \"\"\"y[b, f, i, j] = Σ x[b, c, i·sh + p − ph, j·sw + q − pw] · w[f, c, p, q].\"\"\"
                x, w = flat(x), flat(w)
                n, c, h, wd, o, kh, kw, sh, sw, ph, pw = geometry
                y = [0.0] * (n * o * ((h + 2 * ph - kh) // sh + 1) * ((wd + 2 * pw - kw) // sw + 1))
                for k, i, p in conv_windows(*geometry):
                    y[k] += x[i] * w[p]
                return y


            def conv_input(g, w, *geometry):
                \"\"\"The VJP for the input: each output's adjoint back to the inputs its window read, times the kernel.\"\"\"
                g, w = flat(g), flat(w)
                n, c, h, wd = geometry[:4]
                x_bar = [0.0] * (n * c * h * wd)
                for k, i, p in conv_windows(*geometry):
                    x_bar[i] += g[k] * w[p]
                return x_bar


            def conv_weight(g, x, *geometry):
                \"\"\"The VJP for the weight: each output's adjoint times the inputs its window read.\"\"\"
                g, x = flat(g), flat(x)
                c, o, kh, kw = geometry[1], geometry[4], geometry[5], geometry[6]
                w_bar = [0.0] * (o * c * kh * kw)
                for k, i, p in conv_windows(*geometry):
                    w_bar[p] += g[k] * x[i]
                return w_bar

            """
        let pool = """

            def pool_windows(n, c, h, w, kh, kw, sh, sw, ph, pw):
                \"\"\"Each output index with the input indices of its kh × kw window inside the image, row by row (the padding holds none).\"\"\"
                oh, ow = (h + 2 * ph - kh) // sh + 1, (w + 2 * pw - kw) // sw + 1
                out = 0
                for plane in range(n * c):
                    for i in range(oh):
                        for j in range(ow):
                            rows = [r for r in range(i * sh - ph, i * sh - ph + kh) if 0 <= r < h]
                            cols = [q for q in range(j * sw - pw, j * sw - pw + kw) if 0 <= q < w]
                            yield out, [(plane * h + r) * w + q for r in rows for q in cols]
                            out += 1


            def first_max(x, window):
                \"\"\"The window's first maximum in scan order (PyTorch's choice at a tie).\"\"\"
                best = window[0]
                for i in window:
                    if x[i] > x[best]:
                        best = i
                return best

            """
        let helpers: [WindowCall.Kind: String] = [
            .maxpool: """

                def maxpool(x, *geometry):
                    x = flat(x)
                    return [x[first_max(x, window)] for _, window in pool_windows(*geometry)]

                """,
            .maxpoolBack: """

                def maxpool_back(g, x, *geometry):
                    g, x = flat(g), flat(x)
                    x_bar = [0.0] * len(x)
                    for k, window in pool_windows(*geometry):
                        x_bar[first_max(x, window)] += g[k]
                    return x_bar

                """,
            .avgpool: """

                def avgpool(x, *geometry):
                    \"\"\"Each window's sum over all kh·kw cells, the padding's zeros counted (count_include_pad=True).\"\"\"
                    x, size = flat(x), geometry[4] * geometry[5]
                    return [sum(x[i] for i in window) / size for _, window in pool_windows(*geometry)]

                """,
            .avgpoolBack: """

                def avgpool_back(g, *geometry):
                    g = flat(g)
                    n, c, h, w, kh, kw = geometry[:6]
                    x_bar = [0.0] * (n * c * h * w)
                    for k, window in pool_windows(*geometry):
                        for i in window:
                            x_bar[i] += g[k] / (kh * kw)
                    return x_bar

                """,
            .biasAdd: """

                def bias_add(x, b, inner, channels):
                    \"\"\"x + b[channel], the channel of element k being (k // inner) % channels.\"\"\"
                    x, b = flat(x), flat(b)
                    return [u + b[(k // inner) % channels] for k, u in enumerate(x)]

                """,
            .reshape: """

                def reshape(x):
                    \"\"\"The same elements, row-major (the caller gives them their new form).\"\"\"
                    return flat(x)

                """,
            .gather: """

                def gather_row(u, rows):
                    \"\"\"The row an index names (negative ones count from the end), or None for a bad index.\"\"\"
                    if u != int(u) or not -rows <= u < rows:
                        return None
                    return int(u) % rows


                def gather(x, idx, count, rows, width):
                    \"\"\"Row idx[i] of x (rows × width, row-major) for each index, one after another; NaN for a bad index.\"\"\"
                    x, idx = flat(x), flat(idx)
                    y = []
                    for u in idx:
                        r = gather_row(u, rows)
                        y += [float("nan")] * width if r is None else x[r * width:(r + 1) * width]
                    return y

                """,
            .gatherBack: """

                def gather_back(g, idx, count, rows, width):
                    \"\"\"Row i of g added into row idx[i]: a row gathered twice receives both.\"\"\"
                    g, idx = flat(g), flat(idx)
                    x_bar = [0.0] * (rows * width)
                    for i, u in enumerate(idx):
                        r = gather_row(u, rows)
                        if r is not None:
                            for j in range(width):
                                x_bar[r * width + j] += g[i * width + j]
                    return x_bar

                """,
            .sliceAlong: """

                def slice_along(x, p, d, q, start, k):
                    \"\"\"Positions start … start + k − 1 of the middle axis of x seen as (p, d, q), row-major.\"\"\"
                    x = flat(x)
                    return [u for row in range(p) for u in x[(row * d + start) * q:(row * d + start + k) * q]]

                """,
            .sliceBack: """

                def slice_back(g, p, d, q, start, k):
                    \"\"\"The slice's adjoint in the positions it came from, 0 elsewhere.\"\"\"
                    g = flat(g)
                    x_bar = [0.0] * (p * d * q)
                    for row in range(p):
                        x_bar[(row * d + start) * q:(row * d + start + k) * q] = g[row * k * q:(row + 1) * k * q]
                    return x_bar

                """,
            .concatAlong: """

                def concat_along(a, b, p, d, q, start, k):
                    \"\"\"a (p, d, q) and b (p, k, q) joined along the middle axis.\"\"\"
                    a, b = flat(a), flat(b)
                    return [u for row in range(p) for u in a[row * d * q:(row + 1) * d * q] + b[row * k * q:(row + 1) * k * q]]

                """,
            .sumAlong: """

                def sum_along(x, p, d, q, start, k):
                    \"\"\"Σ along the middle axis of x seen as (p, d, q), from the first position on.\"\"\"
                    x = flat(x)
                    return [sum(x[(row * d + i) * q + j] for i in range(d)) for row in range(p) for j in range(q)]

                """,
            .sumBack: """

                def sum_back(g, p, d, q, start, k):
                    \"\"\"The sum's adjoint repeated along the axis it summed.\"\"\"
                    g = flat(g)
                    return [g[row * q + j] for row in range(p) for i in range(d) for j in range(q)]

                """,
            .biasBack: """

                def bias_back(g, inner, channels):
                    g = flat(g)
                    b_bar = [0.0] * channels
                    for k, u in enumerate(g):
                        b_bar[(k // inner) % channels] += u
                    return b_bar

                """,
        ]
        if !used.isDisjoint(with: [.conv, .convInput, .convWeight]) { out += conv.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
        if !used.isDisjoint(with: [.maxpool, .maxpoolBack, .avgpool, .avgpoolBack]) {
            out += pool.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        }
        for kind in WindowCall.Kind.allCases where used.contains(kind) {
            if let text = helpers[kind] { out += text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
        }
        return out
    }

    /// C functions that add their result into `out` (the caller zeroes a new variable).
    static func c(_ used: Set<WindowCall.Kind>) -> [String] {
        // Typed, so the type checker does not try every `String.init` on each of the texts below.
        func lines(_ text: String) -> [String] {
            text.split(separator: "\n", omittingEmptySubsequences: false).map { (line: Substring) -> String in String(line) }
        }
        var out: [String] = []
        if !used.isDisjoint(with: [.conv, .convInput, .convWeight]) {
            out += lines("""
                /* Every product of a cross-correlation with zero padding: mode 0 adds x·w into y (out = y),
                 * 1 adds g·w into x̄ (a = g, out = x̄), 2 adds g·x into w̄ (a = g, b = x, out = w̄). */
                static void conv_loop(int mode, const double *a, const double *b, double *out,
                                      int n, int c, int h, int w, int o, int kh, int kw, int sh, int sw, int ph, int pw) {
                    int oh = (h + 2 * ph - kh) / sh + 1, ow = (w + 2 * pw - kw) / sw + 1;
                    for (int bb = 0; bb < n; bb++) for (int f = 0; f < o; f++)
                    for (int i = 0; i < oh; i++) for (int j = 0; j < ow; j++)
                    for (int ch = 0; ch < c; ch++) for (int p = 0; p < kh; p++) {
                        int ii = i * sh + p - ph;
                        if (ii < 0 || ii >= h) continue;
                        for (int q = 0; q < kw; q++) {
                            int jj = j * sw + q - pw;
                            if (jj < 0 || jj >= w) continue;
                            int k = ((bb * o + f) * oh + i) * ow + j, xi = ((bb * c + ch) * h + ii) * w + jj;
                            int wi = ((f * c + ch) * kh + p) * kw + q;
                            if (mode == 0) out[k] += a[xi] * b[wi];
                            else if (mode == 1) out[xi] += a[k] * b[wi];
                            else out[wi] += a[k] * b[xi];
                        }
                    }
                }

                """)
        }
        if !used.isDisjoint(with: [.maxpool, .maxpoolBack, .avgpool, .avgpoolBack]) {
            out += lines("""
                /* Each kh × kw window, sh rows and sw columns apart, over the image padded by ph rows and pw
                 * columns: mode 0 max (the padding −∞), 1 mean over all kh·kw cells (the padding's zeros
                 * counted) (out = y); mode 2 sends g to the window's first maximum, 3 spreads g/(kh·kw) over
                 * its cells in the image (out = x̄). */
                static void pool_loop(int mode, const double *x, const double *g, double *out, int n, int c, int h, int w,
                                      int kh, int kw, int sh, int sw, int ph, int pw) {
                    int oh = (h + 2 * ph - kh) / sh + 1, ow = (w + 2 * pw - kw) / sw + 1, m = 0;
                    for (int plane = 0; plane < n * c; plane++) for (int i = 0; i < oh; i++) for (int j = 0; j < ow; j++, m++) {
                        int r0 = i * sh - ph, c0 = j * sw - pw, best = -1;
                        double total = 0;
                        for (int r = r0 < 0 ? 0 : r0; r < r0 + kh && r < h; r++) for (int q = c0 < 0 ? 0 : c0; q < c0 + kw && q < w; q++) {
                            int at = (plane * h + r) * w + q;
                            if (mode == 0 || mode == 2) { if (best < 0 || x[at] > x[best]) best = at; }
                            else if (mode == 1) total += x[at];
                            else out[at] += g[m] / (kh * kw);
                        }
                        if (mode == 0) out[m] += x[best];
                        else if (mode == 1) out[m] += total / (kh * kw);
                        else if (mode == 2) out[best] += g[m];
                    }
                }

                """)
        }
        if !used.isDisjoint(with: [.biasAdd, .biasBack, .reshape]) {
            out += lines("""
                /* mode 0: out[k] += x[k] + b[(k / inner) % channels]; 1: out[(k / inner) % channels] += x[k];
                 * 2: out[k] += x[k] (a reshape: the same elements, row-major). */
                static void channel_loop(int mode, const double *x, const double *b, double *out, int count, int inner, int channels) {
                    for (int k = 0; k < count; k++) {
                        if (mode == 0) out[k] += x[k] + b[(k / inner) % channels];
                        else if (mode == 1) out[(k / inner) % channels] += x[k];
                        else out[k] += x[k];
                    }
                }

                """)
        }
        if !used.isDisjoint(with: [.gather, .gatherBack]) {
            out += lines("""
                /* mode 0: row i of out += row idx[i] of x (NaN for a bad index); 1: row i of x (the adjoint) added
                 * into row idx[i] of out. Negative positions count from the end, as NumPy's. */
                static void gather_loop(int mode, const double *x, const double *idx, double *out, int count, int rows, int width) {
                    for (int i = 0; i < count; i++) {
                        double u = idx[i];
                        int bad = u != floor(u) || u < -rows || u >= rows;
                        int r = bad ? 0 : (int)u < 0 ? (int)u + rows : (int)u;
                        for (int j = 0; j < width; j++) {
                            if (mode == 0) out[i * width + j] += bad ? NAN : x[r * width + j];
                            else if (!bad) out[r * width + j] += x[i * width + j];
                        }
                    }
                }

                """)
        }
        if !used.isDisjoint(with: [.sliceAlong, .sliceBack, .concatAlong, .sumAlong, .sumBack]) {
            out += lines("""
                /* Along the middle axis of a (p, d, q) tensor: mode 0 adds positions start … start + k − 1
                 * of a into out (p, k, q); 1 adds a (p, k, q) into those positions of out (p, d, q); 2 adds
                 * Σ along the axis into out (p, q); 3 adds a (p, q) into every position of out; 4 adds a
                 * (p, d, q) and b (p, k, q) joined along the axis into out (p, d + k, q). */
                static void axis_loop(int mode, const double *a, const double *b, double *out, int p, int d, int q, int start, int k) {
                    for (int row = 0; row < p; row++) for (int j = 0; j < q; j++) {
                        if (mode == 0 || mode == 1) for (int i = 0; i < k; i++) {
                            int at = (row * d + start + i) * q + j, to = (row * k + i) * q + j;
                            if (mode == 0) out[to] += a[at]; else out[at] += a[to];
                        }
                        if (mode == 2 || mode == 3) for (int i = 0; i < d; i++) {
                            if (mode == 2) out[row * q + j] += a[(row * d + i) * q + j];
                            else out[(row * d + i) * q + j] += a[row * q + j];
                        }
                        if (mode == 4) for (int i = 0; i < d + k; i++)
                            out[(row * (d + k) + i) * q + j] += i < d ? a[(row * d + i) * q + j] : b[(row * k + i - d) * q + j];
                    }
                }

                """)
        }
        return out
    }

    /// The C statement that adds `call` into the buffer at `out`; `pointer` gives a variable's
    /// first element's address.
    static func cStatement(_ call: WindowCall, into out: String, _ pointer: (ArrayExpr) -> String) -> String {
        let p = call.operands.map(pointer), geo = call.geometry.map(String.init).joined(separator: ", ")
        let count = call.operands.first?.form.count ?? 0
        switch call.kind {
        case .conv: return "conv_loop(0, \(p[0]), \(p[1]), \(out), \(geo));"
        case .convInput: return "conv_loop(1, \(p[0]), \(p[1]), \(out), \(geo));"
        case .convWeight: return "conv_loop(2, \(p[0]), \(p[1]), \(out), \(geo));"
        case .maxpool: return "pool_loop(0, \(p[0]), NULL, \(out), \(geo));"
        case .avgpool: return "pool_loop(1, \(p[0]), NULL, \(out), \(geo));"
        case .maxpoolBack: return "pool_loop(2, \(p[1]), \(p[0]), \(out), \(geo));"
        case .avgpoolBack: return "pool_loop(3, NULL, \(p[0]), \(out), \(geo));"
        case .biasAdd: return "channel_loop(0, \(p[0]), \(p[1]), \(out), \(count), \(geo));"
        case .biasBack: return "channel_loop(1, \(p[0]), NULL, \(out), \(count), \(geo));"
        case .reshape: return "channel_loop(2, \(p[0]), NULL, \(out), \(count), 1, 1);"
        case .gather: return "gather_loop(0, \(p[0]), \(p[1]), \(out), \(geo));"
        case .gatherBack: return "gather_loop(1, \(p[0]), \(p[1]), \(out), \(geo));"
        case .sliceAlong: return "axis_loop(0, \(p[0]), NULL, \(out), \(geo));"
        case .sliceBack: return "axis_loop(1, \(p[0]), NULL, \(out), \(geo));"
        case .sumAlong: return "axis_loop(2, \(p[0]), NULL, \(out), \(geo));"
        case .sumBack: return "axis_loop(3, \(p[0]), NULL, \(out), \(geo));"
        case .concatAlong: return "axis_loop(4, \(p[0]), \(p[1]), \(out), \(geo));"
        }
    }
}
