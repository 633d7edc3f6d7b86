@_exported import SQLiteDriver
@_exported import PostgreSQLDriver
@_exported import MySQLDriver
@_exported import DatabaseDriver
