package dev.ssmsession.testkit;

/**
 * Fake AWS credentials the local Session Manager hands out for clients to sign with. They are
 * worthless outside the testkit, but are still kept out of {@link #toString()} like real ones.
 */
public record TestkitCredentials(String accessKeyId, String secretAccessKey, String sessionToken) {
    @Override
    public String toString() {
        return "TestkitCredentials[accessKeyId=" + accessKeyId + ", secretAccessKey=<hidden>, sessionToken=<hidden>]";
    }
}
