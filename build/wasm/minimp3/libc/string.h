/* linernotes: the three functions minimp3 takes from <string.h>, as compiler builtins (bulk memory). */
#ifndef LINERNOTES_STRING_H
#define LINERNOTES_STRING_H
#include <stddef.h>
#define memcpy(d, s, n) __builtin_memcpy((d), (s), (n))
#define memmove(d, s, n) __builtin_memmove((d), (s), (n))
#define memset(d, c, n) __builtin_memset((d), (c), (n))
#endif
