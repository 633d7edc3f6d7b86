#ifndef DBM_CSQLITE_SHIM_H
#define DBM_CSQLITE_SHIM_H
#include <sqlite3.h>

/* SQLITE_TRANSIENT is a macro casting -1 to a function pointer, which Swift cannot import. */
static inline sqlite3_destructor_type dbm_sqlite_transient(void) { return SQLITE_TRANSIENT; }
/* sqlite3_db_config is variadic; the options dbm uses take (int, int*). */
static inline int dbm_sqlite_db_config_int(sqlite3 *db, int op, int value, int *out) {
    return sqlite3_db_config(db, op, value, out);
}
#endif
