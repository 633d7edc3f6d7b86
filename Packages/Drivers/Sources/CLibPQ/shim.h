#ifndef DBM_CLIBPQ_SHIM_H
#define DBM_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
