import JSONRPC
import Logging

/// The answer to one message, as far as the reader thread knows it.
enum DispatchOutcome {
    /// Notifications and stray responses are not answered.
    case noAnswer
    /// Answered on the spot (errors, lifecycle methods).
    case answer(RPCResponse)
    /// Running in a task that yields the answer.
    case running(Task<RPCResponse, Never>)
}

extension ConnectionLoop {
    /// Handles one parsed message or batch.
    func dispatch(_ value: JSONValue) {
        guard case .array(let elements) = value else {
            switch process(value, answerWhenDone: true) {
            case .answer(let response): connection.writer.send(response)
            case .noAnswer, .running: break
            }
            return
        }
        guard !elements.isEmpty else {
            connection.writer.send(RPCResponse(id: .null, error: .invalidRequest("empty batch")))
            return
        }
        dispatchBatch(elements)
    }

    /// Runs a batch: every element concurrently, answered together as one array once all are done.
    /// A batch of notifications only gets no answer at all.
    private func dispatchBatch(_ elements: [JSONValue]) {
        var answered: [RPCResponse] = []
        var running: [Task<RPCResponse, Never>] = []
        for element in elements {
            switch process(element, answerWhenDone: false) {
            case .noAnswer: break
            case .answer(let response): answered.append(response)
            case .running(let task): running.append(task)
            }
            if ending != nil { break }
        }
        if running.isEmpty {
            if !answered.isEmpty { connection.writer.sendBatch(answered) }
            return
        }
        let connection = self.connection
        connection.inFlight.enter()
        Task {
            var responses = answered
            for task in running { responses.append(await task.value) }
            await connection.writer.sendBatchCoalescing(responses)
            connection.inFlight.leave()
        }
    }

    /// Validates and routes one message object.
    /// - Parameter answerWhenDone: whether a running request writes its own answer (single requests) or
    ///   leaves it to the batch.
    private func process(_ value: JSONValue, answerWhenDone: Bool) -> DispatchOutcome {
        let message: RPCMessage
        do {
            message = try RPCMessage(validating: value)
        } catch {
            logger.warning("Invalid request", metadata: ["error": "\(error.error.message)"])
            return .answer(error.response)
        }
        switch message {
        case .request(let request):
            return handle(request, answerWhenDone: answerWhenDone)
        case .notification(let notification):
            handle(notification)
            return .noAnswer
        case .response(let response):
            logger.debug("Ignoring a response; this server sends no requests", metadata: ["id": "\(response.id)"])
            return .noAnswer
        }
    }

    private func handle(_ request: RPCRequest, answerWhenDone: Bool) -> DispatchOutcome {
        if let rejection = lifecycle.rejection(forRequest: request.method) {
            return .answer(RPCResponse(id: request.id, error: rejection))
        }
        switch request.method {
        case InitializeMethod.name: return .answer(initialize(request))
        case ShutdownMethod.name: return .answer(shutdown(request))
        case DiscoverMethod.name: return .answer(RPCResponse(id: request.id, result: connection.discoveryDocument()))
        default: break
        }
        guard let method = connection.registry.method(named: request.method) else {
            return .answer(RPCResponse(id: request.id, error: .methodNotFound(request.method)))
        }
        return .running(start(request, method: method, answerWhenDone: answerWhenDone))
    }

    private func handle(_ notification: RPCNotification) {
        guard lifecycle.admits(notification: notification.method) else {
            logger.debug("Dropping a notification in this phase", metadata: [
                "method": "\(notification.method)", "phase": "\(lifecycle.phase)",
            ])
            return
        }
        switch notification.method {
        case ExitNotification.name: exit()
        case CancelRequestNotification.name: cancelRequest(notification)
        case InitializedNotification.name: logger.debug("Client initialized")
        default:
            guard let registered = connection.registry.notification(named: notification.method) else {
                if !notification.method.hasPrefix("$/") {
                    logger.debug("Ignoring an unknown notification", metadata: ["method": "\(notification.method)"])
                }
                return
            }
            start(notification, registered: registered)
        }
    }

    /// Starts a request in its own task. The task answers -32800 if the request was cancelled, whatever the
    /// handler did; otherwise the handler's result, its ``RPCError``, or the mapped error.
    ///
    /// When no later message is buffered (a client waiting for this answer), the task starts immediately on
    /// this thread and runs here until its first suspension: a call that never suspends (most cheap ones)
    /// is answered without waking another thread, which halves the round trip. Handlers therefore must not
    /// block before their first `await`. When the client is pipelining, requests start on the cooperative
    /// pool instead, so both cores share the work.
    private func start(_ request: RPCRequest, method: RegisteredMethod, answerWhenDone: Bool) -> Task<RPCResponse, Never> {
        let connection = self.connection
        let cancellation = CancellationState()
        let writer = connection.writer
        let context = RequestContext(
            id: request.id, method: request.method, progressToken: ProgressReporter.token(in: request.params),
            cancellation: cancellation, notificationSink: { writer.send($0) })
        let token = connection.inFlight.register(request.id, cancellation: cancellation)
        connection.inFlight.enter()
        let body: @Sendable () async -> RPCResponse = {
            var response: RPCResponse
            do {
                switch try await method.invokeOutput(params: request.params, context: context) {
                case .value(let value): response = RPCResponse(id: request.id, result: value)
                case .serialized(let bytes): response = RPCResponse(id: request.id, serializedResult: bytes)
                }
            } catch let error as RPCError {
                response = RPCResponse(id: request.id, error: error)
            } catch {
                response = RPCResponse(id: request.id, error: connection.configuration.errorMapper(error))
            }
            if cancellation.isCancelled || Task.isCancelled {
                response = RPCResponse(id: request.id, error: .requestCancelled)
            }
            connection.inFlight.finish(request.id, token: token)
            if answerWhenDone {
                // Alone, answer at once; with other tasks running, let their answers share the write.
                if connection.inFlight.activeTaskCount > 1 {
                    await writer.sendCoalescing(response)
                } else {
                    writer.send(response)
                }
            }
            connection.inFlight.leave()
            return response
        }
        let task = inputDrained ? Task.immediate(operation: body) : Task(operation: body)
        connection.inFlight.attach(task, to: request.id, token: token)
        return task
    }

    /// Runs a notification handler in its own task; failures are logged, never answered.
    private func start(_ notification: RPCNotification, registered: RegisteredNotification) {
        let connection = self.connection
        let writer = connection.writer
        let context = NotificationContext(method: notification.method, notificationSink: { writer.send($0) })
        connection.inFlight.enter()
        Task {
            do {
                try await registered.invoke(params: notification.params, context: context)
            } catch {
                connection.logger.error("Notification handler failed", metadata: [
                    "method": "\(notification.method)", "error": "\(error)",
                ])
            }
            connection.inFlight.leave()
        }
    }
}
