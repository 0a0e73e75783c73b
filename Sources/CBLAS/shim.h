// OpenBLAS's CBLAS interface for Swift. Only GraphCore imports this (the matrix product's
// kernels, MatrixProduct.swift).
//
// Debian's libopenblas-dev puts cblas.h under /usr/include/x86_64-linux-gnu (and its pthread
// variant's directory, which pkg-config names); the same header declares
// openblas_set_num_threads, which GraphCore calls once to keep the products on one thread.
#ifndef GRADSTEP_CBLAS_SHIM_H
#define GRADSTEP_CBLAS_SHIM_H

#include <cblas.h>

#endif
