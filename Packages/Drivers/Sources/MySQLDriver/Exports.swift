@_exported import DatabaseDriver
