// Placeholder so the skeleton builds; replaced by the layer's real sources.
enum SemanticCacheModule {}
