#ifndef SEMCACHE_CCURL_SHIM_H
#define SEMCACHE_CCURL_SHIM_H

/* The typed wrappers below are the type check; curl's macro-based checker only sees variables here. */
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>

/*
 * curl_easy_setopt, curl_multi_setopt and curl_easy_getinfo are variadic, which Swift cannot call.
 * One static inline wrapper per argument kind gives Swift a typed entry point for each.
 */

/* Write and header callbacks share this signature (CURLOPT_WRITEFUNCTION, CURLOPT_HEADERFUNCTION). */
typedef size_t (*semcache_curl_data_callback)(char *data, size_t size, size_t count, void *context);
/* CURLOPT_XFERINFOFUNCTION. */
typedef int (*semcache_curl_xferinfo_callback)(void *context, curl_off_t download_total, curl_off_t download_now,
                                               curl_off_t upload_total, curl_off_t upload_now);

static inline CURLcode semcache_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode semcache_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode semcache_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode semcache_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode semcache_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode semcache_easy_setopt_data_callback(CURL *handle, CURLoption option,
                                                          semcache_curl_data_callback value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode semcache_easy_setopt_xferinfo_callback(CURL *handle, CURLoption option,
                                                              semcache_curl_xferinfo_callback value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLMcode semcache_multi_setopt_long(CURLM *handle, CURLMoption option, long value) {
    return curl_multi_setopt(handle, option, value);
}

static inline CURLcode semcache_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode semcache_easy_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode semcache_easy_getinfo_string(CURL *handle, CURLINFO info, char **value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode semcache_easy_getinfo_pointer(CURL *handle, CURLINFO info, void **value) {
    return curl_easy_getinfo(handle, info, value);
}

/* Macros built from other macros do not import into Swift. */
static const long semcache_curl_global_default = CURL_GLOBAL_DEFAULT;
static const int semcache_curlpause_cont = CURLPAUSE_CONT;
static const size_t semcache_curl_writefunc_pause = CURL_WRITEFUNC_PAUSE;
static const size_t semcache_curl_error_size = CURL_ERROR_SIZE;

#endif
