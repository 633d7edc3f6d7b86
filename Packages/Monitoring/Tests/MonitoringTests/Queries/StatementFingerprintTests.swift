import DatabaseDriver
import Monitoring
import XCTest

final class StatementFingerprintTests: XCTestCase {
    func testLiteralsBecomePlaceholdersAndIdentifiersStay() {
        let a = StatementFingerprint("SELECT id, \"total 2\" FROM orders2 WHERE customer_id = 42 AND note = 'it''s' AND x > -1.5e3", dialect: .postgresql)
        XCTAssertEqual(a.text, "SELECT id, \"total 2\" FROM orders2 WHERE customer_id = ? AND note = ? AND x > -?")
        let c = StatementFingerprint("SELECT id, \"total 2\" FROM orders2  WHERE customer_id = 7 -- a comment\n AND note = 'x' AND x > -2", dialect: .postgresql)
        XCTAssertEqual(a.fingerprint, c.fingerprint, "same statement up to literals, white space and comments")
        XCTAssertEqual(a.fingerprint.count, 16)
    }

    func testPlaceholdersAreKept() {
        XCTAssertEqual(StatementFingerprint("SELECT * FROM t WHERE a = $1 AND b = $12", dialect: .postgresql).text, "SELECT * FROM t WHERE a = $1 AND b = $12")
        XCTAssertEqual(StatementFingerprint("SELECT * FROM t WHERE a = ? AND b = ?2 AND c = :name", dialect: .sqlite).text, "SELECT * FROM t WHERE a = ? AND b = ?2 AND c = :name")
    }

    func testSecretsInLiteralsNeverReachTheText() {
        let pg = StatementFingerprint("ALTER ROLE app PASSWORD 's3cr3t' /* rotate 's3cr3t' */", dialect: .postgresql)
        XCTAssertEqual(pg.text, "ALTER ROLE app PASSWORD ?")
        let escaped = StatementFingerprint("SELECT E'a\\'s3cr3t', $$s3cr3t$$, $tag$ s3cr3t $ $tag$, x'0A', 0x1F", dialect: .postgresql)
        XCTAssertEqual(escaped.text, "SELECT ?, ?, ?, ?, ?")
        let my = StatementFingerprint("CREATE USER 'u'@'%' IDENTIFIED BY \"s3cr3t\" # note s3cr3t", dialect: .mysql)
        XCTAssertEqual(my.text, "CREATE USER ?@? IDENTIFIED BY ?")
        XCTAssertEqual(StatementFingerprint("SELECT 'a\\'s3cr3t' FROM `t1`", dialect: .mysql).text, "SELECT ? FROM `t1`")
    }

    func testLongTextIsCutButFingerprintCoversAll() {
        let long = "SELECT " + Array(repeating: "col", count: 3000).joined(separator: ", ") + " FROM t"
        let a = StatementFingerprint(long, dialect: .sqlite), b = StatementFingerprint(long + " WHERE x = 1", dialect: .sqlite)
        XCTAssertTrue(a.text.hasSuffix("…"))
        XCTAssertLessThanOrEqual(a.text.utf8.count, StatementFingerprint.maxLength + 3)
        XCTAssertNotEqual(a.fingerprint, b.fingerprint)
    }
}
