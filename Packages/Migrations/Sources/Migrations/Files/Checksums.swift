import Crypto
import Foundation

/// The checksums kept in history tables.
public enum Checksums {
    /// Lower-case hex SHA-256 of the bytes: what the toolkit's history records for each file.
    public static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// Flyway's checksum of a SQL file: CRC-32 over the UTF-8 bytes of each line, without line breaks and
    /// without a leading byte-order mark, read as a signed 32-bit integer. Writing the same value as Flyway
    /// keeps `flyway validate` happy on a database the toolkit migrated.
    public static func flywayCRC32(_ text: String) -> Int32 {
        var crc: UInt32 = 0xFFFF_FFFF
        var body = Substring(text)
        if body.first == "\u{FEFF}" { body = body.dropFirst() }
        var utf8 = Array(body.utf8)
        // Java's readLine treats \r\n, \r and \n as line ends and drops them; hashing lines back to back is
        // the same as hashing the text with every line break removed.
        utf8.removeAll { $0 == 0x0A || $0 == 0x0D }
        for byte in utf8 {
            crc = crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        }
        return Int32(bitPattern: crc ^ 0xFFFF_FFFF)
    }

    private static let crcTable: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }
}
