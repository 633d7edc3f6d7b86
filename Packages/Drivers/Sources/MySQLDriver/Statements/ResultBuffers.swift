import CMariaDB

/// The `MYSQL_BIND` array a prepared statement fetches result rows into, and the buffers behind it.
///
/// Fixed-size columns (integers, floats, temporals) get a buffer of their exact size. Variable-length
/// columns (strings, decimals, blobs) start with a small buffer; when a value does not fit, `decode`
/// fetches it whole with `mysql_stmt_fetch_column` into a grown buffer, which later rows then reuse.
final class ResultBuffers {
    private let columns: [ColumnDescriptor]
    private let binds: UnsafeMutablePointer<MYSQL_BIND>
    private let lengths: UnsafeMutablePointer<UInt>
    private let nulls: UnsafeMutablePointer<my_bool>
    private let errors: UnsafeMutablePointer<my_bool>
    private var buffers: [UnsafeMutableRawPointer]
    private var capacities: [Int]
    /// True when a buffer grew since the binds were last handed to the statement.
    private(set) var needsRebind = false

    private static let initialVariableCapacity = 256

    init(columns: [ColumnDescriptor]) {
        self.columns = columns
        let n = max(columns.count, 1)
        binds = .allocate(capacity: n)
        binds.initialize(repeating: MYSQL_BIND(), count: n)
        lengths = .allocate(capacity: n)
        lengths.initialize(repeating: 0, count: n)
        nulls = .allocate(capacity: n)
        nulls.initialize(repeating: 0, count: n)
        errors = .allocate(capacity: n)
        errors.initialize(repeating: 0, count: n)
        buffers = []
        capacities = []
        for (i, column) in columns.enumerated() {
            let (type, size, unsigned) = Self.layout(for: column)
            let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 8)
            buffers.append(buffer)
            capacities.append(size)
            binds[i].buffer_type = type
            binds[i].buffer = buffer
            binds[i].buffer_length = UInt(size)
            binds[i].is_unsigned = unsigned ? 1 : 0
            binds[i].length = lengths + i
            binds[i].is_null = nulls + i
            binds[i].error = errors + i
        }
    }

    deinit {
        for buffer in buffers { buffer.deallocate() }
        let n = max(columns.count, 1)
        binds.deinitialize(count: n); binds.deallocate()
        lengths.deallocate(); nulls.deallocate(); errors.deallocate()
    }

    /// Hands the binds to the statement (again after a buffer grew).
    func bind(to statement: PreparedStatement) throws(DatabaseError) {
        guard !columns.isEmpty else { return }
        if mysql_stmt_bind_result(statement.raw, binds) != 0 { throw statement.lastError() }
        needsRebind = false
    }

    /// The protocol type, buffer size and signedness to fetch a column with.
    private static func layout(for column: ColumnDescriptor) -> (enum_field_types, Int, Bool) {
        switch column.decoding {
        case .signedInteger, .tinyIntBool:
            return (MYSQL_TYPE_LONGLONG, 8, false)
        case .unsignedInteger:
            return (MYSQL_TYPE_LONGLONG, 8, true)
        case .float:
            return (MYSQL_TYPE_FLOAT, 4, false)
        case .double:
            return (MYSQL_TYPE_DOUBLE, 8, false)
        case .date, .time, .datetime, .timestampUTC:
            return (column.fieldType, MemoryLayout<MYSQL_TIME>.size, false)
        case .null:
            return (MYSQL_TYPE_NULL, 8, false)
        case .bitBool, .bitInteger, .blob:
            return (MYSQL_TYPE_BLOB, min(max(Int(column.length), 8), initialVariableCapacity), false)
        case .decimal, .text, .json, .uuid:
            return (MYSQL_TYPE_STRING, min(max(Int(column.length), 8), initialVariableCapacity), false)
        }
    }

    /// The current row's value in column `i`; fetches the rest of a value that did not fit.
    func decode(_ i: Int, statement: PreparedStatement) throws(DatabaseError) -> DatabaseValue {
        if nulls[i] != 0 { return .null }
        let column = columns[i]
        let buffer = buffers[i]
        switch column.decoding {
        case .signedInteger:
            return .integer(buffer.load(as: Int64.self))
        case .unsignedInteger:
            return TextValueDecoder.integerOrDecimal(buffer.load(as: UInt64.self))
        case .tinyIntBool:
            let v = buffer.load(as: Int64.self)
            return v == 0 ? .bool(false) : v == 1 ? .bool(true) : .integer(v)
        case .float:
            return .double(Double("\(buffer.load(as: Float.self))") ?? Double(buffer.load(as: Float.self)))
        case .double:
            return .double(buffer.load(as: Double.self))
        case .date, .time, .datetime, .timestampUTC:
            return TemporalFormatter.value(buffer.load(as: MYSQL_TIME.self), as: column.decoding, fractionDigits: column.fractionDigits)
        case .null:
            return .null
        case .bitBool, .bitInteger, .blob, .decimal, .text, .json, .uuid:
            let bytes = try variableBytes(i, statement: statement)
            return Self.value(bytes, as: column.decoding)
        }
    }

    /// The bytes of a variable-length value, refetched into a larger buffer when truncated.
    private func variableBytes(_ i: Int, statement: PreparedStatement) throws(DatabaseError) -> UnsafeBufferPointer<UInt8> {
        let length = Int(lengths[i])
        if length > capacities[i] {
            let capacity = max(length, capacities[i] * 2)
            buffers[i].deallocate()
            let grown = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
            buffers[i] = grown
            capacities[i] = capacity
            binds[i].buffer = grown
            binds[i].buffer_length = UInt(capacity)
            needsRebind = true
            if mysql_stmt_fetch_column(statement.raw, binds + i, UInt32(i), 0) != 0 { throw statement.lastError() }
        }
        return UnsafeBufferPointer(start: buffers[i].assumingMemoryBound(to: UInt8.self), count: length)
    }

    private static func value(_ bytes: UnsafeBufferPointer<UInt8>, as decoding: ValueDecoding) -> DatabaseValue {
        switch decoding {
        case .bitBool: .bool(TextValueDecoder.bigEndian(bytes) != 0)
        case .bitInteger: TextValueDecoder.integerOrDecimal(TextValueDecoder.bigEndian(bytes))
        case .blob: .blob(Array(bytes))
        case .decimal: .decimal(String(decoding: bytes, as: UTF8.self))
        case .json: .json(String(decoding: bytes, as: UTF8.self))
        case .uuid: .uuid(String(decoding: bytes, as: UTF8.self).lowercased())
        default: .text(String(decoding: bytes, as: UTF8.self))
        }
    }
}
