// Users of SQLiteDriver get the engine-independent vocabulary (values, errors, the connection protocol).
@_exported import DatabaseDriver
