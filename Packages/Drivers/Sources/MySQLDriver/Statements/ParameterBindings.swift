import CMariaDB

/// The `MYSQL_BIND` array for a prepared statement's parameters and the memory it points into, kept alive
/// until the statement has executed and freed in `deinit`.
///
/// Every `DatabaseValue` case binds with a native protocol type (see TYPE_MAPPING.md), except `.array`
/// (MariaDB has no array type) and non-finite doubles (MariaDB stores no NaN or infinity), which throw
/// `.invalidValue`.
final class ParameterBindings {
    let binds: UnsafeMutablePointer<MYSQL_BIND>
    let count: Int
    private var storage: [UnsafeMutableRawPointer] = []

    init(_ values: [DatabaseValue]) throws(DatabaseError) {
        count = values.count
        binds = .allocate(capacity: max(count, 1))
        binds.initialize(repeating: MYSQL_BIND(), count: max(count, 1))
        for (index, value) in values.enumerated() {
            try bind(value, at: index)
        }
    }

    deinit {
        for pointer in storage { pointer.deallocate() }
        binds.deinitialize(count: max(count, 1))
        binds.deallocate()
    }

    private func bind(_ value: DatabaseValue, at index: Int) throws(DatabaseError) {
        let position = index + 1
        switch value {
        case .null:
            binds[index].buffer_type = MYSQL_TYPE_NULL
        case .integer(let v):
            store(v, at: index, type: MYSQL_TYPE_LONGLONG)
        case .double(let v):
            guard v.isFinite else {
                throw .mysqlDriver(.invalidValue, "parameter \(position): MariaDB cannot store NaN or infinity")
            }
            store(v, at: index, type: MYSQL_TYPE_DOUBLE)
        case .bool(let b):
            store(Int8(b ? 1 : 0), at: index, type: MYSQL_TYPE_TINY)
        case .decimal(let s):
            storeBytes(Array(s.utf8), at: index, type: MYSQL_TYPE_NEWDECIMAL)
        case .text(let s), .json(let s), .uuid(let s):
            storeBytes(Array(s.utf8), at: index, type: MYSQL_TYPE_STRING)
        case .blob(let bytes):
            storeBytes(bytes, at: index, type: MYSQL_TYPE_BLOB)
        case .date(let s):
            try storeTime(at: index, type: MYSQL_TYPE_DATE, kind: "date") { () throws(TemporalParser.Failure) in
                try TemporalParser.date(s)
            }
        case .time(let s):
            try storeTime(at: index, type: MYSQL_TYPE_TIME, kind: "time") { () throws(TemporalParser.Failure) in
                try TemporalParser.time(s)
            }
        case .timestamp(let s):
            try storeTime(at: index, type: MYSQL_TYPE_DATETIME, kind: "timestamp") { () throws(TemporalParser.Failure) in
                try TemporalParser.timestamp(s, withZone: false)
            }
        case .timestampWithTimeZone(let s):
            try storeTime(at: index, type: MYSQL_TYPE_DATETIME, kind: "timestamptz") { () throws(TemporalParser.Failure) in
                try TemporalParser.timestamp(s, withZone: true)
            }
        case .array:
            throw .mysqlDriver(.invalidValue, "parameter \(position): MariaDB has no array type; bind the elements separately or as JSON text")
        }
    }

    private func allocate(_ byteCount: Int) -> UnsafeMutableRawPointer {
        let pointer = UnsafeMutableRawPointer.allocate(byteCount: max(byteCount, 1), alignment: 8)
        storage.append(pointer)
        return pointer
    }

    private func store<T: BitwiseCopyable>(_ value: T, at index: Int, type: enum_field_types) {
        let pointer = allocate(MemoryLayout<T>.size)
        pointer.storeBytes(of: value, as: T.self)
        binds[index].buffer_type = type
        binds[index].buffer = pointer
        binds[index].buffer_length = UInt(MemoryLayout<T>.size)
    }

    private func storeBytes(_ bytes: [UInt8], at index: Int, type: enum_field_types) {
        let pointer = allocate(bytes.count)
        bytes.withUnsafeBytes { source in
            if let base = source.baseAddress, !source.isEmpty { pointer.copyMemory(from: base, byteCount: source.count) }
        }
        let length = allocate(MemoryLayout<UInt>.size)
        length.storeBytes(of: UInt(bytes.count), as: UInt.self)
        binds[index].buffer_type = type
        binds[index].buffer = pointer
        binds[index].buffer_length = UInt(bytes.count)
        binds[index].length = length.assumingMemoryBound(to: UInt.self)
    }

    private func storeTime(
        at index: Int, type: enum_field_types, kind: String,
        _ parse: () throws(TemporalParser.Failure) -> MYSQL_TIME
    ) throws(DatabaseError) {
        do {
            store(try parse(), at: index, type: type)
        } catch {
            throw .mysqlDriver(.invalidValue, "parameter \(index + 1) is not a valid \(kind): \(error.reason)")
        }
    }
}
