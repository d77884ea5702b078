import Testing
@testable import SemanticCache

private let team = CachePartition(namespace: "team", credential: "Bearer sk-alice", shared: false)

private func analyse(_ body: String, _ endpoint: CacheEndpoint = .chatCompletions, partition: CachePartition = team) throws(RequestAnalysisError) -> CacheRequest {
    try CacheRequest.analyse(endpoint: endpoint, body: Array(body.utf8), partition: partition)
}

private func chat(_ extra: String = "", last: String = #""What is the capital of France?""#, model: String = "gpt-4o") -> String {
    #"{"model":"\#(model)","temperature":0,"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":\#(last)}]\#(extra)}"#
}

@Suite struct CacheEndpointTests {
    @Test(arguments: [
        ("POST", "/v1/chat/completions", CacheEndpoint.chatCompletions),
        ("POST", "/v1/completions", .completions),
        ("POST", "/v1/embeddings", .embeddings),
        ("POST", "/v1/messages", .anthropicMessages),
        ("POST", "/v1/chat/completions?api-version=2024-06-01", .chatCompletions),
        ("POST", "/v1/messages?beta=true", .anthropicMessages),
        ("POST", "/v1/responses", .responses),
    ])
    func matchesTheCachedEndpoints(method: String, path: String, expected: CacheEndpoint) {
        #expect(CacheEndpoint(method: method, path: path) == expected)
    }

    @Test(arguments: [
        ("GET", "/v1/chat/completions"), ("post", "/v1/chat/completions"), ("PUT", "/v1/messages"),
        ("POST", "/v1/chat/completions/"), ("POST", "/v1/models"), ("POST", "/chat/completions"),
        ("POST", "/v1/chat/completionsX"), ("POST", "/V1/chat/completions"), ("POST", ""), ("POST", "?/v1/messages"),
        ("GET", "/v1/responses/resp_1"), ("DELETE", "/v1/responses/resp_1"), ("GET", "/v1/responses/resp_1/input_items"),
        ("POST", "/v1/responses/resp_1/cancel"), ("POST", "/v1/responses/input_tokens"), ("GET", "/v1/responses"),
    ])
    func passesEverythingElseThrough(method: String, path: String) {
        #expect(CacheEndpoint(method: method, path: path) == nil)
    }

    @Test func ignoredFieldsAreTheDocumentedOnes() {
        #expect(CacheEndpoint.chatCompletions.ignoredFields == [
            "stream", "stream_options", "user", "metadata", "store", "service_tier", "safety_identifier",
            "prompt_cache_key", "prompt_cache_retention",
        ])
        #expect(CacheEndpoint.completions.ignoredFields == ["stream", "stream_options", "user"])
        #expect(CacheEndpoint.embeddings.ignoredFields == ["user", "encoding_format"])
        #expect(CacheEndpoint.anthropicMessages.ignoredFields == ["stream", "metadata", "service_tier"])
        #expect(CacheEndpoint.responses.ignoredFields == [
            "stream", "stream_options", "user", "safety_identifier", "metadata", "store", "service_tier",
            "prompt_cache_key", "prompt_cache_retention",
        ])
        #expect(!CacheEndpoint.embeddings.supportsStreaming)
    }
}

@Suite struct CacheKeyTests {
    @Test func hexRoundTrip() throws {
        let key = try analyse(chat()).exactKey
        #expect(key.hex.count == 64)
        #expect(key.hex.allSatisfy { "0123456789abcdef".contains($0) })
        #expect(CacheKey(hex: key.hex) == key)
        #expect(CacheKey(hex: key.hex.uppercased()) == key)
        #expect(CacheKey(bytes: key.bytes) == key)
        #expect(key.bytes.count == 32)
        #expect(key.prefix(12) == String(key.hex.prefix(12)))
        #expect(key.prefix(100) == key.hex)
        #expect(key.prefix(-1) == "")
        #expect(key.description == key.hex)
    }

    @Test func rejectsMalformedInput() {
        #expect(CacheKey(hex: "abc") == nil)
        #expect(CacheKey(hex: String(repeating: "g", count: 64)) == nil)
        #expect(CacheKey(bytes: [1, 2, 3]) == nil)
    }

    @Test func ordersByBytes() {
        let low = CacheKey(bytes: [UInt8](repeating: 0, count: 31) + [1])!
        let high = CacheKey(bytes: [1] + [UInt8](repeating: 0, count: 31))!
        #expect(low < high)
        #expect(low.hex < high.hex)
    }
}

@Suite struct CacheRequestTests {
    @Test func exposesTheRequestFields() throws {
        let request = try analyse(chat(#","stream":true,"stream_options":{"include_usage":true}"#))
        #expect(request.endpoint == .chatCompletions)
        #expect(request.model == "gpt-4o")
        #expect(request.isStream)
        #expect(request.wantsStreamUsage)
        #expect(!request.omitsStreamUsage)
        #expect(!request.asksForRandomness)
        #expect(request.semanticText == "What is the capital of France?")
        #expect(request.body["messages"]?[1]?["role"] == "user")
        #expect(request.partition == team)
        let plain = try analyse(chat())
        #expect(!plain.isStream)
        #expect(!plain.wantsStreamUsage)
        #expect(!plain.omitsStreamUsage)
        #expect(try analyse(chat(#","stream":true"#)).omitsStreamUsage)
        #expect(try !analyse(#"{"model":"m","max_tokens":5,"stream":true,"messages":[{"role":"user","content":"x"}]}"#, .anthropicMessages).omitsStreamUsage)
    }

    @Test func keyIgnoresSpellingWhitespaceAndOrder() throws {
        let compact = try analyse(#"{"model":"gpt-4o","temperature":0,"messages":[{"role":"user","content":"hi"}]}"#)
        let spaced = try analyse("""
            {
              "messages" : [ { "content" : "h\\u0069", "role" : "user" } ],
              "temperature" : 0.0e0,
              "model" : "gpt-4o"
            }
            """)
        #expect(compact.exactKey == spaced.exactKey)
        #expect(compact.contextKey == spaced.contextKey)
    }

    @Test(arguments: [
        #","stream":true"#, #","stream":false"#, #","stream":true,"stream_options":{"include_usage":true}"#,
        #","user":"u-42""#, #","metadata":{"trace":"abc"}"#, #","store":true"#, #","service_tier":"flex""#,
        #","safety_identifier":"hash""#, #","prompt_cache_key":"k""#, #","prompt_cache_retention":"24h""#,
        #","\u0073tream":true"#, #","user":null"#,
    ])
    func ignoredFieldsDoNotChangeTheKey(extra: String) throws {
        let base = try analyse(chat())
        let withField = try analyse(chat(extra))
        #expect(withField.exactKey == base.exactKey)
        #expect(withField.contextKey == base.contextKey)
    }

    @Test(arguments: [
        #","top_p":0.5"#, #","seed":7"#, #","n":2"#, #","max_tokens":10"#, #","max_completion_tokens":10"#,
        #","logprobs":true"#, #","stop":["\n"]"#, #","response_format":{"type":"json_object"}"#,
        #","tools":[{"type":"function","function":{"name":"f","parameters":{}}}]"#, #","tool_choice":"none""#,
        #","frequency_penalty":0.1"#, #","presence_penalty":0.1"#, #","logit_bias":{"50256":-100}"#,
        #","reasoning_effort":"low""#, #","parallel_tool_calls":false"#, #","unknown_future_field":1"#,
    ])
    func everyOtherFieldChangesTheKey(extra: String) throws {
        let base = try analyse(chat())
        let withField = try analyse(chat(extra))
        #expect(withField.exactKey != base.exactKey)
        #expect(withField.contextKey != base.contextKey)
    }

    @Test func keyDependsOnModelTemperatureMessagesAndEndpoint() throws {
        let base = try analyse(chat())
        #expect(try analyse(chat(model: "gpt-4o-mini")).exactKey != base.exactKey)
        #expect(try analyse(chat().replacingOccurrences(of: "\"temperature\":0", with: "\"temperature\":0.1")).exactKey != base.exactKey)
        #expect(try analyse(chat(last: #""What is the capital of Spain?""#)).exactKey != base.exactKey)
        let anthropic = #"{"model":"gpt-4o","max_tokens":5,"temperature":0,"messages":[{"role":"user","content":"hi"}]}"#
        #expect(try analyse(anthropic, .anthropicMessages).exactKey != analyse(anthropic, .chatCompletions).exactKey)
    }

    @Test func fieldsIgnoredElsewhereStayInTheKeyOfEndpointsThatDoNotDocumentThem() throws {
        let prompt = #"{"model":"gpt-3.5-turbo-instruct","prompt":"Say hi","temperature":0"#
        #expect(try analyse(prompt + "}", .completions).exactKey != analyse(prompt + #","metadata":{"a":"b"}}"#, .completions).exactKey)
        #expect(try analyse(prompt + "}", .completions).exactKey == analyse(prompt + #","user":"u"}"#, .completions).exactKey)
        let embedding = #"{"model":"text-embedding-3-small","input":"hi""#
        #expect(try analyse(embedding + "}", .embeddings).exactKey != analyse(embedding + #","stream":false}"#, .embeddings).exactKey)
    }

    @Test func repeatedKeysUseTheLastValueEverywhere() throws {
        let repeated = try analyse(#"{"model":"gpt-4o","temperature":1,"messages":[{"role":"user","content":"hi"}],"temperature":0}"#)
        let single = try analyse(#"{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"temperature":0}"#)
        #expect(!repeated.asksForRandomness)
        #expect(repeated.exactKey == single.exactKey)
    }

    @Test func partitionSeparatesNamespacesAndCredentials() throws {
        let body = chat()
        let alice = try analyse(body)
        let bob = try analyse(body, partition: CachePartition(namespace: "team", credential: "Bearer sk-bob", shared: false))
        let otherNamespace = try analyse(body, partition: CachePartition(namespace: "other", credential: "Bearer sk-alice", shared: false))
        let anonymous = try analyse(body, partition: CachePartition(namespace: "team", credential: nil, shared: false))
        let sharedAlice = try analyse(body, partition: CachePartition(namespace: "team", credential: "Bearer sk-alice", shared: true))
        let sharedBob = try analyse(body, partition: CachePartition(namespace: "team", credential: "Bearer sk-bob", shared: true))
        let keys = [alice, bob, otherNamespace, anonymous, sharedAlice].map(\.exactKey)
        #expect(Set(keys).count == keys.count)
        #expect(sharedAlice.exactKey == sharedBob.exactKey)
        #expect(Set([alice, bob, otherNamespace, anonymous, sharedAlice].compactMap(\.contextKey)).count == 5)
        // Length-prefixed namespaces: "ab" + "c…" cannot collide with "a" + "bc…".
        let split1 = CachePartition(namespace: "a", credential: nil, shared: true)
        let split2 = CachePartition(namespace: "a\nshared\n", credential: nil, shared: true)
        #expect(try analyse(body, partition: split1).exactKey != analyse(body, partition: split2).exactKey)
    }

    @Test func theRawCredentialIsNeverKept() {
        let secret = "Bearer sk-very-secret-value"
        let partition = CachePartition(namespace: "team", credential: secret, shared: false)
        #expect(!partition.description.contains("secret"))
        #expect(!String(reflecting: partition).contains("secret"))
        #expect(!String(describing: Mirror(reflecting: partition).children.map(\.value)).contains("secret"))
        #expect(partition.credentialDigest != nil)
        #expect(CachePartition(namespace: "team", credential: secret, shared: true).credentialDigest == nil)
        #expect(partition == CachePartition(namespace: "team", credential: secret, shared: false))
        #expect(partition != CachePartition(namespace: "team", credential: secret + "x", shared: false))
        #expect(CachePartition(namespace: "t", credential: nil, shared: false).description.contains("no credential"))
    }

    @Test(arguments: [
        // (extra members, endpoint, asks for randomness)
        (#""temperature":0"#, CacheEndpoint.chatCompletions, false),
        (#""temperature":0.0"#, .chatCompletions, false),
        (#""temperature":-0"#, .chatCompletions, false),
        (#""temperature":0,"n":3"#, .chatCompletions, false),
        (#""temperature":0,"top_p":0.5"#, .chatCompletions, false),
        (#""max_completion_tokens":50"#, .chatCompletions, false),
        (#""temperature":null"#, .chatCompletions, false),
        (#""top_p":1"#, .chatCompletions, false),
        (#""n":1"#, .chatCompletions, false),
        (#""temperature":1"#, .chatCompletions, true),
        (#""temperature":1e-9"#, .chatCompletions, true),
        (#""temperature":1e-400"#, .chatCompletions, true),
        (#""temperature":"0""#, .chatCompletions, true),
        (#""temperature":false"#, .chatCompletions, true),
        (#""top_p":0.9"#, .chatCompletions, true),
        (#""temperature":null,"top_p":0.9"#, .chatCompletions, true),
        (#""n":2"#, .chatCompletions, true),
        (#""temperature":0.7,"n":2"#, .chatCompletions, true),
        (#""best_of":3"#, .completions, true),
        (#""temperature":0,"best_of":3"#, .completions, false),
        (#""temperature":0"#, .completions, false),
        (#""max_tokens":9"#, .completions, false),
        (#""temperature":0"#, .anthropicMessages, false),
        (#""thinking":{"type":"enabled","budget_tokens":1024}"#, .anthropicMessages, false),
        (#""temperature":0.7"#, .anthropicMessages, true),
        (#""top_k":40"#, .anthropicMessages, true),
        (#""top_k":1"#, .anthropicMessages, false),
        (#""temperature":0,"top_k":40"#, .anthropicMessages, false),
        (#""top_p":0.95"#, .anthropicMessages, true),
        (#""temperature":5"#, .embeddings, false),
        (#""dimensions":256"#, .embeddings, false),
        (#""reasoning":{"effort":"low"}"#, .responses, false),
        (#""temperature":0.7"#, .responses, true),
        (#""top_p":0.9"#, .responses, true),
    ])
    func samplingRule(extra: String, endpoint: CacheEndpoint, expected: Bool) throws {
        let body = switch endpoint {
        case .chatCompletions: #"{"model":"m","messages":[{"role":"user","content":"x"}],\#(extra)}"#
        case .completions: #"{"model":"m","prompt":"x",\#(extra)}"#
        case .anthropicMessages: #"{"model":"m","max_tokens":9,"messages":[{"role":"user","content":"x"}],\#(extra)}"#
        case .embeddings: #"{"model":"m","input":["x","y"],\#(extra)}"#
        case .responses: #"{"model":"m","input":"x",\#(extra)}"#
        }
        #expect(try analyse(body, endpoint).asksForRandomness == expected)
    }

    @Test(arguments: [
        // (body, endpoint, expected semantic text)
        (#"{"model":"m","temperature":0,"messages":[{"role":"user","content":"Hello there"}]}"#, CacheEndpoint.chatCompletions, "Hello there"),
        (#"{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]}]}"#, .chatCompletions, "a\nb"),
        (#"{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"a"},{"type":"image_url","image_url":{"url":"x"}}]}]}"#, .chatCompletions, nil),
        (#"{"model":"m","messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{}}]}]}"#, .chatCompletions, nil),
        (#"{"model":"m","messages":[{"role":"user","content":[{"type":"file","file":{}}]}]}"#, .chatCompletions, nil),
        (#"{"model":"m","messages":[{"role":"user","content":[]}]}"#, .chatCompletions, nil),
        (#"{"model":"m","messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"yo"}]}"#, .chatCompletions, nil),
        (#"{"model":"m","messages":[{"role":"tool","tool_call_id":"c","content":"42"}]}"#, .chatCompletions, nil),
        (#"{"model":"m","messages":[{"role":"user","content":"  \n\t "}]}"#, .chatCompletions, nil),
        (#"{"model":"m","messages":[{"role":"user","content":null}]}"#, .chatCompletions, nil),
        (#"{"model":"m","messages":[{"role":"user"}]}"#, .chatCompletions, nil),
        (#"{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":7}]}]}"#, .chatCompletions, nil),
        (#"{"model":"m","prompt":"Once upon"}"#, .completions, "Once upon"),
        (#"{"model":"m","prompt":["a","b"]}"#, .completions, nil),
        (#"{"model":"m","prompt":[1,2,3]}"#, .completions, nil),
        (#"{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"Bonjour"}]}"#, .anthropicMessages, "Bonjour"),
        (#"{"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"text","text":"x","cache_control":{"type":"ephemeral"}}]}]}"#, .anthropicMessages, "x"),
        (#"{"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":"1"}]}]}"#, .anthropicMessages, nil),
        (#"{"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"text","text":"x"},{"type":"document","source":{}}]}]}"#, .anthropicMessages, nil),
        (#"{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"The answer is"}]}"#, .anthropicMessages, nil),
        (#"{"model":"m","input":"embed me"}"#, .embeddings, nil),
    ] as [(String, CacheEndpoint, String?)])
    func semanticText(body: String, endpoint: CacheEndpoint, expected: String?) throws {
        let request = try analyse(body, endpoint)
        #expect(request.semanticText == expected)
        #expect((request.contextKey == nil) == (expected == nil))
    }

    @Test func contextKeyIsTheSameWhenOnlyTheNewestUserTextDiffers() throws {
        let first = try analyse(chat(last: #""What is the capital of France?""#))
        let second = try analyse(chat(last: #""Tell me France's capital city""#))
        #expect(first.exactKey != second.exactKey)
        #expect(first.contextKey != nil)
        #expect(first.contextKey == second.contextKey)
        #expect(first.contextKey != first.exactKey)
        let parts1 = try analyse(chat(last: #"[{"type":"text","text":"a"},{"type":"text","text":"b"}]"#))
        let parts2 = try analyse(chat(last: #"[{"type":"text","text":"c"},{"type":"text","text":"d"}]"#))
        #expect(parts1.contextKey == parts2.contextKey)
        let prompt1 = try analyse(#"{"model":"m","prompt":"one","temperature":0}"#, .completions)
        let prompt2 = try analyse(#"{"model":"m","prompt":"two","temperature":0}"#, .completions)
        #expect(prompt1.contextKey == prompt2.contextKey)
    }

    @Test func contextKeyChangesWithEverythingElse() throws {
        let base = try analyse(chat())
        let variants = [
            chat(model: "gpt-4o-mini"),
            chat().replacingOccurrences(of: "Be brief.", with: "Be verbose."),
            chat().replacingOccurrences(of: "\"temperature\":0", with: "\"temperature\":0.2"),
            chat(#","tools":[{"type":"function","function":{"name":"f","parameters":{}}}]"#),
            chat().replacingOccurrences(of: #"{"role":"system","content":"Be brief."},"#, with: #"{"role":"system","content":"Be brief."},{"role":"user","content":"earlier"},{"role":"assistant","content":"ok"},"#),
            chat(last: #"[{"type":"text","text":"What is the capital of France?"}]"#),  // shape of the last message
            chat(#","max_tokens":3"#),
        ]
        for variant in variants {
            #expect(try analyse(variant).contextKey != base.contextKey, "\(variant)")
        }
        #expect(try analyse(chat(), partition: CachePartition(namespace: "x", credential: "Bearer sk-alice", shared: false)).contextKey != base.contextKey)
        #expect(try analyse(chat(), partition: CachePartition(namespace: "team", credential: "Bearer sk-bob", shared: false)).contextKey != base.contextKey)
        // A text part's other fields stay in the context.
        let cached = try analyse(#"{"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"text","text":"x","cache_control":{"type":"ephemeral"}}]}]}"#, .anthropicMessages)
        let uncached = try analyse(#"{"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"text","text":"x"}]}]}"#, .anthropicMessages)
        #expect(cached.contextKey != uncached.contextKey)
    }

    @Test(arguments: [
        ("", "not valid JSON"),
        ("{\"model\":", "not valid JSON"),
        ("[1]", "must be a JSON object"),
        ("\"text\"", "must be a JSON object"),
        (#"{"messages":[{"role":"user","content":"x"}]}"#, "no 'model' field"),
        (#"{"model":5,"messages":[{"role":"user","content":"x"}]}"#, "'model' in the request body must be a string"),
        (#"{"model":"m"}"#, "no 'messages' field"),
        (#"{"model":"m","messages":{}}"#, "'messages' in the request body must be an array"),
        (#"{"model":"m","messages":[]}"#, "must not be empty"),
        (#"{"model":"m","messages":["hi"]}"#, "'messages[0]' in the request body must be an object"),
        (#"{"model":"m","messages":[{"content":"x"}]}"#, "no 'messages[0].role' field"),
        (#"{"model":"m","messages":[{"role":"user","content":"x"}],"stream":"yes"}"#, "'stream' in the request body must be a boolean or null"),
        (#"{"model":"m","messages":[{"role":"user","content":"x"}],"stream_options":{"include_usage":1}}"#, "stream_options.include_usage"),
        (#"{"model":"m","messages":[{"role":"user","content":"x"}],"user":5}"#, "'user' in the request body must be a string or null"),
        (#"{"model":"m","messages":[{"role":"user","content":"x"}],"metadata":"x"}"#, "'metadata'"),
    ])
    func malformedChatBodiesSayWhatIsWrong(body: String, message: String) {
        #expect(throws: RequestAnalysisError.self) { try analyse(body) }
        do {
            _ = try analyse(body)
        } catch {
            #expect(error.description.contains(message), "\(error.description)")
        }
    }

    @Test func malformedBodiesOfOtherEndpoints() {
        #expect(throws: RequestAnalysisError.self) { try analyse(#"{"model":"m","messages":[{"role":"user","content":"x"}]}"#, .anthropicMessages) }
        #expect(throws: RequestAnalysisError.self) { try analyse(#"{"model":"m"}"#, .completions) }
        #expect(throws: RequestAnalysisError.self) { try analyse(#"{"model":"m","prompt":5}"#, .completions) }
        #expect(throws: RequestAnalysisError.self) { try analyse(#"{"model":"m"}"#, .embeddings) }
        #expect(throws: RequestAnalysisError.self) { try analyse(#"{"input":"x"}"#, .embeddings) }
        #expect(throws: RequestAnalysisError.self) { try analyse([0xFF, 0xFE].map { String(UnicodeScalar($0)) }.joined()) }
        #expect(throws: RequestAnalysisError.self) {
            try CacheRequest.analyse(endpoint: .chatCompletions, body: [0x7B, 0xFF, 0x7D], partition: team)
        }
        #expect(throws: RequestAnalysisError.self) {
            try analyse(String(repeating: "[", count: 10_000))
        }
    }
}
