import CBLAS

/// The products behind `@` and its derivatives, over row-major (m×k)·(k×n) slices of flat
/// buffers (a vector on the left is one row, on the right one column; `Op.matmulDims`):
///
///     forward   C  = A · B
///     tangent   Ċ  = Ȧ · B + A · Ḃ
///     VJP of A  Ā += Ḡ · Bᵀ
///     VJP of B  B̄ += Aᵀ · Ḡ
///
/// The engine runs them through OpenBLAS (`cblas_dgemm`, or `cblas_dgemv` when one side is a
/// single row or column), with the transposes passed as flags, never copied. `Kernel.loops`
/// is the plain triple loop they replaced: the reference a property test
/// (MatrixProductTests) holds BLAS to.
struct MatrixProduct {
    enum Kernel { case blas, loops }

    let m: Int, k: Int, n: Int
    var kernel: Kernel = .blas

    typealias In = UnsafePointer<Double>
    typealias Out = UnsafeMutablePointer<Double>

    /// C (m×n) = A (m×k) · B (k×n).
    func forward(_ a: In, _ b: In, into c: Out) {
        gemm(false, false, m, n, k, a, b, c, accumulate: false)
    }

    /// C (m×n) += A (m×k) · B (k×n).
    func forwardAdding(_ a: In, _ b: In, into c: Out) {
        gemm(false, false, m, n, k, a, b, c, accumulate: true)
    }

    /// Ċ = Ȧ · B + A · Ḃ (the product is bilinear).
    func tangent(_ a: In, _ ta: In, _ b: In, _ tb: In, into c: Out) {
        gemm(false, false, m, n, k, ta, b, c, accumulate: false)
        gemm(false, false, m, n, k, a, tb, c, accumulate: true)
    }

    /// Ā (m×k) += Ḡ (m×n) · Bᵀ.
    func adjointA(_ g: In, _ b: In, into out: Out) {
        gemm(false, true, m, k, n, g, b, out, accumulate: true)
    }

    /// B̄ (k×n) += Aᵀ · Ḡ (m×n).
    func adjointB(_ a: In, _ g: In, into out: Out) {
        gemm(true, false, k, n, m, a, g, out, accumulate: true)
    }

    /// OpenBLAS's pthread build would start a worker per core: one thread keeps the sums in one
    /// order from run to run (results are bit-for-bit repeatable) and leaves the other core to
    /// the explorer's screen and to whatever else the machine runs. gradstep's products are
    /// small (a layer of a network a student draws), where threads cost more than they save.
    private static let singleThreaded: Void = { openblas_set_num_threads(1) }()

    /// C (rows×cols) = op(X) · op(Y), plus C's old value when `accumulate`; op(X) is rows×inner,
    /// op(Y) inner×cols, and a flag means the stored matrix is the transpose of op's.
    private func gemm(_ tx: Bool, _ ty: Bool, _ rows: Int, _ cols: Int, _ inner: Int,
                      _ x: In, _ y: In, _ c: Out, accumulate: Bool) {
        switch kernel {
        case .loops: Self.loops(tx, ty, rows, cols, inner, x, y, c, accumulate: accumulate)
        case .blas: Self.blas(tx, ty, rows, cols, inner, x, y, c, accumulate: accumulate)
        }
    }

    private static func blas(_ tx: Bool, _ ty: Bool, _ rows: Int, _ cols: Int, _ inner: Int,
                             _ x: In, _ y: In, _ c: Out, accumulate: Bool) {
        _ = singleThreaded
        let beta = accumulate ? 1.0 : 0.0
        // Leading dimensions of the matrices as stored (row-major: the stored row's length).
        let ldx = Int32(tx ? rows : inner), ldy = Int32(ty ? inner : cols)
        let flag = { (t: Bool) in t ? CblasTrans : CblasNoTrans }
        if cols == 1 {
            // C is a column: op(X) · y, y's inner numbers contiguous whether or not flagged.
            let (sr, sc) = tx ? (inner, rows) : (rows, inner)
            cblas_dgemv(CblasRowMajor, flag(tx), Int32(sr), Int32(sc), 1, x, ldx, y, 1, beta, c, 1)
        } else if rows == 1 {
            // C is a row: Cᵀ = op(Y)ᵀ · xᵀ, so Y goes in with the opposite flag.
            let (sr, sc) = ty ? (cols, inner) : (inner, cols)
            cblas_dgemv(CblasRowMajor, flag(!ty), Int32(sr), Int32(sc), 1, y, ldy, x, 1, beta, c, 1)
        } else {
            cblas_dgemm(CblasRowMajor, flag(tx), flag(ty), Int32(rows), Int32(cols), Int32(inner),
                        1, x, ldx, y, ldy, beta, c, Int32(cols))
        }
    }

    /// The reference: one dot product per entry of C, reading X and Y through the flags.
    private static func loops(_ tx: Bool, _ ty: Bool, _ rows: Int, _ cols: Int, _ inner: Int,
                              _ x: In, _ y: In, _ c: Out, accumulate: Bool) {
        for i in 0..<rows {
            for j in 0..<cols {
                var s = 0.0
                for q in 0..<inner {
                    s += x[tx ? q * rows + i : i * inner + q] * y[ty ? j * inner + q : q * cols + j]
                }
                c[i * cols + j] = accumulate ? c[i * cols + j] + s : s
            }
        }
    }
}
