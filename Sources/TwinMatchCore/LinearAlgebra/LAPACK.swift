import CTwinBLAS

/// The LAPACK routines the engine needs, in double precision, on column-major or symmetric data.
public enum LAPACK {
    /// Solves `A x = b` for a symmetric positive definite `A` (`n × n`, any layout since it is symmetric)
    /// with a Cholesky factorisation (`dposv`).
    public static func solveSPD(_ a: [Double], n: Int, _ b: [Double]) throws -> [Double] {
        precondition(a.count == n * n && b.count == n)
        guard n > 0 else { return [] }
        var a = a, b = b
        var nn = Int32(n), nrhs: Int32 = 1, lda = Int32(n), ldb = Int32(n), info: Int32 = 0
        var uplo = CChar(UInt8(ascii: "U"))
        dposv_(&uplo, &nn, &nrhs, &a, &lda, &b, &ldb, &info, 1)
        guard info == 0 else { throw LinearAlgebraError.lapack(routine: "dposv", info: Int(info)) }
        return b
    }

    /// Eigen-decomposition of a symmetric `n × n` matrix (`dsyevd`): eigenvalues ascending and the
    /// eigenvectors as columns of a column-major `n × n` array (equivalently, rows of a row-major one).
    public static func symmetricEigen(_ a: [Double], n: Int) throws -> (values: [Double], vectors: [Double]) {
        precondition(a.count == n * n)
        guard n > 0 else { return ([], []) }
        var a = a
        var w = [Double](repeating: 0, count: n)
        var jobz = CChar(UInt8(ascii: "V")), uplo = CChar(UInt8(ascii: "U"))
        var nn = Int32(n), lda = Int32(n), info: Int32 = 0
        var lwork: Int32 = -1, liwork: Int32 = -1
        var workSize = 0.0
        var iworkSize: Int32 = 0
        dsyevd_(&jobz, &uplo, &nn, &a, &lda, &w, &workSize, &lwork, &iworkSize, &liwork, &info, 1, 1)
        guard info == 0 else { throw LinearAlgebraError.lapack(routine: "dsyevd", info: Int(info)) }
        lwork = Int32(workSize)
        liwork = iworkSize
        var work = [Double](repeating: 0, count: Int(lwork))
        var iwork = [Int32](repeating: 0, count: Int(liwork))
        dsyevd_(&jobz, &uplo, &nn, &a, &lda, &w, &work, &lwork, &iwork, &liwork, &info, 1, 1)
        guard info == 0 else { throw LinearAlgebraError.lapack(routine: "dsyevd", info: Int(info)) }
        return (w, a)
    }
}
