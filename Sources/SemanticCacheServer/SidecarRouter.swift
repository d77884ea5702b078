import SemanticCache

/// Sends `/_semcache/*` and `/metrics` to the admin API (after the access check) and everything
/// else through the cache pipeline.
struct SidecarRouter: Sendable {
    let pipeline: CachePipeline
    let admin: AdminAPI
    let access: AdminAccess

    /// The pipeline's decision for a non-admin request, made without waiting; nil for admin routes.
    func prepare(_ request: IncomingRequest) -> Preparation? {
        AdminAPI.handles(request) ? nil : pipeline.prepare(request)
    }

    func handle(_ request: IncomingRequest, writer: some ResponseWriter) async {
        guard AdminAPI.handles(request) else {
            await pipeline.handle(request, writer: writer)
            return
        }
        if !AdminAPI.isDashboardPage(request), let refusal = access.refusal(for: request) {
            try? await refusal.write(to: writer)
            return
        }
        await admin.handle(request, writer: writer)
    }
}
