#ifndef SEMCACHE_CBLAS_SHIM_H
#define SEMCACHE_CBLAS_SHIM_H
#include <cblas.h>
#endif
