import CLibPQ

/// A statement's values in the form `PQsendQueryParams` takes: one type OID, format and buffer each.
///
/// Values are sent as text except blobs, which go in binary as `bytea`. Kinds with exactly one
/// PostgreSQL type are sent with that type (`int4`/`int8` by size, as an integer literal would be typed;
/// `float8`, `numeric`, `bool`, `bytea`, `date`, `time`/`timetz`, `timestamp`, `timestamptz`, `uuid`).
/// Text, JSON, arrays and null are sent untyped, so the server infers the type from the context, as it
/// does for a quoted literal: a text value fits an enum, `varchar` or `jsonb` column alike.
struct BoundParameters {
    private(set) var types: [Oid] = []
    private(set) var formats: [Int32] = []
    private(set) var lengths: [Int32] = []
    /// Where each value starts in `storage`; `nil` for SQL null.
    private var offsets: [Int?] = []
    private var storage: [UInt8] = []

    /// libpq's limit: the protocol counts parameters in 16 bits.
    static let maximumCount = 65_535

    /// - Throws: `.invalidValue` for text containing a NUL byte (PostgreSQL text cannot hold one), and
    ///   `.parameterMismatch` for more than 65535 values. Messages name the parameter, never its value.
    init(_ values: [DatabaseValue]) throws(DatabaseError) {
        guard values.count <= Self.maximumCount else {
            throw DatabaseError(.parameterMismatch,
                "\(values.count) parameters were given; PostgreSQL accepts at most \(Self.maximumCount)",
                engine: PostgreSQLErrors.engine)
        }
        types.reserveCapacity(values.count)
        formats.reserveCapacity(values.count)
        lengths.reserveCapacity(values.count)
        offsets.reserveCapacity(values.count)
        for (index, value) in values.enumerated() {
            try append(value, number: index + 1)
        }
    }

    var count: Int { types.count }

    private mutating func append(_ value: DatabaseValue, number: Int) throws(DatabaseError) {
        switch value {
        case .null:
            types.append(0)
            formats.append(0)
            lengths.append(0)
            offsets.append(nil)
        case .blob(let bytes):
            types.append(TypeOID.bytea)
            formats.append(1)
            lengths.append(Int32(bytes.count))
            offsets.append(storage.count)
            storage.append(contentsOf: bytes)
        default:
            let text = value.textRepresentation ?? ""
            if text.utf8.contains(0) {
                throw DatabaseError(.invalidValue,
                    "parameter $\(number) (\(value.kind.rawValue)) contains a NUL byte, which PostgreSQL text cannot hold",
                    engine: PostgreSQLErrors.engine)
            }
            types.append(Self.typeOID(for: value))
            formats.append(0)
            lengths.append(Int32(text.utf8.count))
            offsets.append(storage.count)
            storage.append(contentsOf: text.utf8)
            storage.append(0)
        }
    }

    /// The type a value is declared with; 0 lets the server infer it.
    static func typeOID(for value: DatabaseValue) -> Oid {
        switch value {
        case .integer(let v): Int32(exactly: v) != nil ? TypeOID.int4 : TypeOID.int8
        case .double: TypeOID.float8
        case .decimal: TypeOID.numeric
        case .bool: TypeOID.bool
        case .blob: TypeOID.bytea
        case .date: TypeOID.date
        case .time(let text): hasZoneOffset(time: text) ? TypeOID.timetz : TypeOID.time
        case .timestamp: TypeOID.timestamp
        case .timestampWithTimeZone: TypeOID.timestamptz
        case .uuid: TypeOID.uuid
        case .null, .text, .json, .array: 0
        }
    }

    /// True for `HH:MM:SS[.ffffff]` followed by `+HH[:MM]` or `-HH[:MM]`.
    private static func hasZoneOffset(time: String) -> Bool {
        time.utf8.dropFirst().contains { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") }
    }

    /// Calls `body` with the arrays `PQsendQueryParams` takes (all `nil` when there are no values).
    func withUnsafeArguments<R>(
        _ body: (
            _ count: Int32, _ types: UnsafePointer<Oid>?, _ values: UnsafePointer<UnsafePointer<CChar>?>?,
            _ lengths: UnsafePointer<Int32>?, _ formats: UnsafePointer<Int32>?
        ) -> R
    ) -> R {
        if types.isEmpty { return body(0, nil, nil, nil, nil) }
        return storage.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }
            // An empty blob still needs a non-null pointer, or libpq would send SQL null.
            let empty: UnsafePointer<CChar> = Self.emptyValue
            let pointers: [UnsafePointer<CChar>?] = offsets.map { offset in
                guard let offset else { return nil }
                guard let base else { return empty }
                return base + offset
            }
            return types.withUnsafeBufferPointer { t in
                pointers.withUnsafeBufferPointer { v in
                    lengths.withUnsafeBufferPointer { l in
                        formats.withUnsafeBufferPointer { f in
                            body(Int32(types.count), t.baseAddress, v.baseAddress, l.baseAddress, f.baseAddress)
                        }
                    }
                }
            }
        }
    }

    /// A static empty C string for zero-length values.
    private static var emptyValue: UnsafePointer<CChar> {
        UnsafeRawPointer(StaticString("").utf8Start).assumingMemoryBound(to: CChar.self)
    }
}

/// Object ids of the built-in types the driver binds.
enum TypeOID {
    static let bool: Oid = 16
    static let bytea: Oid = 17
    static let int8: Oid = 20
    static let int4: Oid = 23
    static let float8: Oid = 701
    static let date: Oid = 1082
    static let time: Oid = 1083
    static let timestamp: Oid = 1114
    static let timestamptz: Oid = 1184
    static let timetz: Oid = 1266
    static let numeric: Oid = 1700
    static let uuid: Oid = 2950
}
