/// The methods every dbm JSON-RPC server answers itself, whatever the application registers.
public enum BuiltinMethods {
    /// Their descriptions, in lifecycle order, as they appear first in the OpenRPC document.
    public static var descriptors: [MethodDescriptor] {
        [
            MethodDescriptor(InitializeMethod.self),
            MethodDescriptor(notification: InitializedNotification.self),
            MethodDescriptor(ShutdownMethod.self),
            MethodDescriptor(notification: ExitNotification.self),
            MethodDescriptor(notification: CancelRequestNotification.self),
            MethodDescriptor(DiscoverMethod.self),
        ]
    }
}
