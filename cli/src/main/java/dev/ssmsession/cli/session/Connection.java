package dev.ssmsession.cli.session;

import java.net.URI;
import java.util.Optional;

/**
 * How to reach Session Manager: the global options. Empty values fall back to the AWS SDK's own chains
 * ({@code AWS_PROFILE}, {@code AWS_REGION}, {@code AWS_ENDPOINT_URL_SSM}…) inside the client library.
 *
 * @param endpointUrl the SSM API endpoint ({@code --endpoint-url}, as for {@code aws ssm})
 * @param kmsEndpoint only set by {@code demo}, whose local KMS is not where the SDK would look
 * @param credentials only set by {@code demo}; otherwise the default credential chain (or the profile) applies
 * @param isolated ignore the process environment ({@code AWS_ENDPOINT_URL_*}, {@code HTTPS_PROXY}…): {@code demo}
 *     talks to its own loopback testkit, which a user's proxy or endpoint settings must not redirect
 */
public record Connection(Optional<String> profile, Optional<String> region, Optional<URI> endpointUrl,
        Optional<URI> kmsEndpoint, Optional<StaticCredentials> credentials, boolean isolated) {

    public Connection(Optional<String> profile, Optional<String> region, Optional<URI> endpointUrl) {
        this(profile, region, endpointUrl, Optional.empty(), Optional.empty(), false);
    }

    /** Fixed credentials (the local testkit's); {@code sessionToken} may be null. {@link #toString()} hides secrets. */
    public record StaticCredentials(String accessKeyId, String secretAccessKey, String sessionToken) {
        @Override
        public String toString() {
            return "StaticCredentials[accessKeyId=" + accessKeyId + ", secretAccessKey=***, sessionToken=***]";
        }
    }
}
