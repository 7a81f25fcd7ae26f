"""Static files for production: WhiteNoise's compressed, hashed storage, leaving source-map
comments alone. The vendored console assets (accounts_graphql/static/graphiql/) name source maps
that are not shipped, and they must stay byte-identical: the console loads them with Subresource
Integrity hashes."""
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    patterns = tuple(
        (extension, tuple(p for p in rules if "sourceMappingURL" not in str(p)))
        for extension, rules in CompressedManifestStaticFilesStorage.patterns
    )
