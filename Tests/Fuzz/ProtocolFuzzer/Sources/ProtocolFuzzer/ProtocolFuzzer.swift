import JSONRPC

/// Params shaped like dbm's: decoding arbitrary JSON into them must throw or succeed, never trap.
struct SampleParams: Decodable {
    let query: String
    let params: JSONValue?
    let limit: Int?
    let flags: [String: Bool]?
}

/// One fuzz input: it must parse or be refused with an error, never trap, hang or grow without bound.
func fuzzOne(_ bytes: UnsafeRawBufferPointer) {
    guard let value = try? JSONValue(parsing: bytes) else { return }
    _ = value.serialized()
    if let message = try? RPCMessage(validating: value), case .request(let request) = message {
        _ = try? MethodRegistry.decodeParams(SampleParams.self, from: request.params)
    }
    _ = try? MethodRegistry.decodeParams(SampleParams.self, from: value)
}

/// libFuzzer's entry point.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let start else { return 0 }
    fuzzOne(UnsafeRawBufferPointer(start: start, count: count))
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafeRawPointer?, Int) -> CInt) -> CInt

/// SwiftPM links executables with `--defsym main=<Module>_main` (so tests can rename the entry point);
/// under `-parse-as-library` Swift emits no such symbol, so define it and hand over to libFuzzer's driver.
@_cdecl("ProtocolFuzzer_main")
public func protocolFuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { start, count in fuzzerTestOneInput(start, count) }
}
