// The C surface TwinMatch uses: CBLAS, a few Fortran LAPACK routines, and OpenBLAS introspection.
// Debian's OpenBLAS ships no LAPACKE, so the Fortran entry points are declared here directly
// (gfortran passes the length of each CHARACTER argument as a trailing hidden size_t).
#ifndef TWINMATCH_SHIM_H
#define TWINMATCH_SHIM_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <cblas.h>
#include <stddef.h>

// Cholesky solve of a symmetric positive definite system A X = B (double precision).
void dposv_(const char *uplo, const int *n, const int *nrhs, double *a, const int *lda,
            double *b, const int *ldb, int *info, size_t uplo_len);

// Eigen-decomposition of a symmetric matrix, divide and conquer (double precision).
void dsyevd_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda, double *w,
             double *work, const int *lwork, int *iwork, const int *liwork, int *info,
             size_t jobz_len, size_t uplo_len);

// OpenBLAS introspection, looked up at run time so that any BLAS behind libblas.so.3 works.
static inline const char *twinmatch_openblas_corename(void) {
    char *(*f)(void) = (char *(*)(void))dlsym(RTLD_DEFAULT, "openblas_get_corename");
    return f ? f() : NULL;
}
static inline const char *twinmatch_openblas_config(void) {
    char *(*f)(void) = (char *(*)(void))dlsym(RTLD_DEFAULT, "openblas_get_config");
    return f ? f() : NULL;
}
static inline int twinmatch_openblas_threads(void) {
    int (*f)(void) = (int (*)(void))dlsym(RTLD_DEFAULT, "openblas_get_num_threads");
    return f ? f() : 1;
}
static inline void twinmatch_openblas_set_threads(int n) {
    void (*f)(int) = (void (*)(int))dlsym(RTLD_DEFAULT, "openblas_set_num_threads");
    if (f) f(n);
}

// The path of the shared library that provides cblas_sgemm.
static inline const char *twinmatch_blas_library(void) {
    Dl_info info;
    void *symbol = dlsym(RTLD_DEFAULT, "cblas_sgemm");
    if (symbol && dladdr(symbol, &info) && info.dli_fname) return info.dli_fname;
    return NULL;
}

#endif
