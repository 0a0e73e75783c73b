// A convolution and its two VJPs as matrix products (im2col), the way NumPy code and most
// frameworks compute them: each image's windows are unrolled into a matrix X_col of
// (C·kh·kw) rows and (oh·ow) columns, row (c, p, q) holding x[c, i·sh + p − ph, j·sw + q − pw]
// for every output position (i, j) (0 in the padding), so that with W the (out × C·kh·kw)
// weight matrix
//
//     forward   Y_n  += W · X_col(n)
//     VJP of w  W̄   += Σ_n Ḡ_n · X_col(n)ᵀ
//     VJP of x  x̄   += col2im(Wᵀ · Ḡ_n)        (each column entry sent back to where it came from)
//
// and the products go to OpenBLAS through `MatrixProduct`. The plain loops of
// `forEachProduct` stay the reference (ConvolutionKernelTests holds this path to them) and
// still run small convolutions, where unrolling costs more than the product saves.

extension WindowGeometry {
    /// How a convolution is computed: unrolled into matrix products, or the plain loops.
    enum ConvolutionKernel { case im2col, loops }

    /// Below this many multiply-adds per evaluation the plain loops run: the unrolled matrix
    /// costs an allocation and a copy of C·kh·kw·oh·ow numbers per image, which a convolution
    /// of a few hundred products (a student's 4×4 image) does not earn back. The CNN row of
    /// `GradstepBench --tensor-only` (389,376 multiply-adds) is far above it.
    static let minimumIm2colWork = 4_096

    /// The kernel for this convolution: `.im2col` when it is large enough to pay.
    var convolutionKernel: ConvolutionKernel {
        (work(of: .conv2d) ?? Int.max) >= Self.minimumIm2colWork ? .im2col : .loops
    }

    /// Rows of the unrolled matrix: one per weight of an output channel (c, p, q).
    private var columnRows: Int { c * kh * kw }

    /// y += x ⋆ w (the cross-correlation of `forEachProduct`). Used for the primal and, being
    /// bilinear, for its tangent ẏ = ẋ ⋆ w + x ⋆ ẇ.
    func correlate(_ x: UnsafeMutablePointer<Double>, _ wt: UnsafeMutablePointer<Double>,
                   into y: UnsafeMutablePointer<Double>, kernel: ConvolutionKernel? = nil) {
        switch kernel ?? convolutionKernel {
        case .loops:
            forEachProduct { yi, xi, wi in y[yi] += x[xi] * wt[wi] }
        case .im2col:
            let product = MatrixProduct(m: out, k: columnRows, n: oh * ow)
            forEachUnrolledImage(x) { b, columns in
                product.forwardAdding(wt, columns, into: y + b * out * oh * ow)
            }
        }
    }

    /// The VJP for the input: x̄ += ḡ ⋆ᵀ w, each output's adjoint sent back to the inputs its
    /// window read, weighted by the kernel (a transposed convolution).
    func correlateBackInput(_ g: UnsafeMutablePointer<Double>, _ wt: UnsafeMutablePointer<Double>,
                            into xBar: UnsafeMutablePointer<Double>, kernel: ConvolutionKernel? = nil) {
        switch kernel ?? convolutionKernel {
        case .loops:
            forEachProduct { yi, xi, wi in xBar[xi] += g[yi] * wt[wi] }
        case .im2col:
            let product = MatrixProduct(m: out, k: columnRows, n: oh * ow)
            withColumns { columns in
                for b in 0..<n {
                    columns.update(repeating: 0, count: columnRows * oh * ow)
                    product.adjointB(wt, g + b * out * oh * ow, into: columns)  // Wᵀ · Ḡ_n
                    fold(columns, into: xBar + b * c * h * w)
                }
            }
        }
    }

    /// The VJP for the weight: w̄[o, c, p, q] += Σ_{n, i, j} ḡ[n, o, i, j] · x[n, c, i·sh + p − ph, j·sw + q − pw].
    func correlateBackWeight(_ g: UnsafeMutablePointer<Double>, _ x: UnsafeMutablePointer<Double>,
                             into wBar: UnsafeMutablePointer<Double>, kernel: ConvolutionKernel? = nil) {
        switch kernel ?? convolutionKernel {
        case .loops:
            forEachProduct { yi, xi, wi in wBar[wi] += g[yi] * x[xi] }
        case .im2col:
            let product = MatrixProduct(m: out, k: columnRows, n: oh * ow)
            forEachUnrolledImage(x) { b, columns in
                product.adjointA(g + b * out * oh * ow, columns, into: wBar)  // Ḡ_n · X_colᵀ
            }
        }
    }

    /// Lends a scratch buffer for one image's unrolled matrix.
    private func withColumns(_ body: (UnsafeMutablePointer<Double>) -> Void) {
        let count = columnRows * oh * ow
        let columns = UnsafeMutablePointer<Double>.allocate(capacity: Swift.max(count, 1))
        defer { columns.deallocate() }
        body(columns)
    }

    /// Calls `body(n, X_col(n))` for each image n of the batch at `x`, unrolled.
    private func forEachUnrolledImage(_ x: UnsafeMutablePointer<Double>,
                                      _ body: (Int, UnsafeMutablePointer<Double>) -> Void) {
        withColumns { columns in
            for b in 0..<n {
                unroll(x + b * c * h * w, into: columns)
                body(b, columns)
            }
        }
    }

    /// Calls `body(row, i, start, lo, hi)` for every row (c, p, q) of the unrolled matrix and
    /// output row i: the matrix entries (row, i, j) for j in lo..<hi read the image at
    /// start + j·sw; the others fall in the zero padding. `start` is nil when the whole output
    /// row does (its input row is padding).
    @inline(__always)
    private func forEachColumnRun(_ body: (_ row: Int, _ i: Int, _ start: Int?, _ lo: Int, _ hi: Int) -> Void) {
        let (oh, ow) = (self.oh, self.ow)
        for ch in 0..<c { for p in 0..<kh { for q in 0..<kw {
            let row = (ch * kh + p) * kw + q
            // jj = j·sw + q − pw lies in 0..<w for j in lo..<hi.
            let lo = Swift.min(ow, Swift.max(0, (pw - q + sw - 1) / sw))
            let hi = Swift.max(lo, Swift.min(ow, (w - 1 + pw - q) >= 0 ? (w - 1 + pw - q) / sw + 1 : 0))
            for i in 0..<oh {
                let ii = i * sh + p - ph
                if ii >= 0 && ii < h {
                    body(row, i, (ch * h + ii) * w + q - pw, lo, hi)
                } else {
                    body(row, i, nil, ow, ow)
                }
            }
        } } }
    }

    /// im2col: one image (c × h × w at `x`) into its (C·kh·kw) × (oh·ow) matrix.
    private func unroll(_ x: UnsafePointer<Double>, into columns: UnsafeMutablePointer<Double>) {
        let ow = self.ow, sw = self.sw
        forEachColumnRun { row, i, start, lo, hi in
            let line = columns + (row * oh + i) * ow
            for j in 0..<lo { line[j] = 0 }
            if let start { for j in lo..<hi { line[j] = x[start + j * sw] } }
            for j in hi..<ow { line[j] = 0 }
        }
    }

    /// col2im, the adjoint of `unroll`: adds each entry of the matrix into the image element it
    /// was read from (padding entries go nowhere).
    private func fold(_ columns: UnsafePointer<Double>, into xBar: UnsafeMutablePointer<Double>) {
        let ow = self.ow, sw = self.sw
        forEachColumnRun { row, i, start, lo, hi in
            guard let start else { return }
            let line = columns + (row * oh + i) * ow
            for j in lo..<hi { xBar[start + j * sw] += line[j] }
        }
    }
}
