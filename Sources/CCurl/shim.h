#ifndef SEMCACHE_CCURL_SHIM_H
#define SEMCACHE_CCURL_SHIM_H
#include <curl/curl.h>
#endif
