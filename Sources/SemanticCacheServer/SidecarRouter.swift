import SemanticCache

/// Sends `/_semcache/*` to the admin API and everything else through the cache pipeline.
struct SidecarRouter: Sendable {
    let pipeline: CachePipeline
    let admin: AdminAPI

    func handle(_ request: IncomingRequest, writer: some ResponseWriter) async {
        if request.path.hasPrefix(AdminAPI.prefix) {
            try? await admin.respond(to: request).write(to: writer)
        } else {
            await pipeline.handle(request, writer: writer)
        }
    }
}
