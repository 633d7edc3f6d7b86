#ifndef DBM_CMARIADB_SHIM_H
#define DBM_CMARIADB_SHIM_H
#include <mysql.h>
#include <errmsg.h>
#include <mysqld_error.h>

/// Adds one connection attribute (`program_name`, ...) sent to the server at connect.
/// `mysql_optionsv` is variadic, which Swift cannot call; this fixes its two extra arguments.
static inline int dbm_mysql_add_connect_attribute(MYSQL *mysql, const char *key, const char *value) {
    return mysql_optionsv(mysql, MYSQL_OPT_CONNECT_ATTR_ADD, key, value);
}
#endif
