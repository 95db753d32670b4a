package dev.ssmsession.client.internal;

import software.amazon.awssdk.profiles.ProfileFile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The shared config and credentials files as the AWS CLI finds them: {@code AWS_CONFIG_FILE} and
 * {@code AWS_SHARED_CREDENTIALS_FILE} from the given environment, else {@code ~/.aws/config} and
 * {@code ~/.aws/credentials}. Lets a missing profile be named as such instead of surfacing later
 * as a missing region or missing credentials.
 */
final class ProfileFiles {
    private final Path config;
    private final Path credentials;
    private final boolean overridden;

    private ProfileFiles(Path config, Path credentials, boolean overridden) {
        this.config = config;
        this.credentials = credentials;
        this.overridden = overridden;
    }

    static ProfileFiles of(Map<String, String> env) {
        Path home = Path.of(System.getProperty("user.home"));
        String c = blankToNull(env.get("AWS_CONFIG_FILE"));
        String k = blankToNull(env.get("AWS_SHARED_CREDENTIALS_FILE"));
        return new ProfileFiles(c != null ? expand(c, home) : home.resolve(".aws").resolve("config"),
                k != null ? expand(k, home) : home.resolve(".aws").resolve("credentials"), c != null || k != null);
    }

    /** True when the environment named other files than the SDK's defaults would find on its own. */
    boolean overridden() {
        return overridden;
    }

    /** Both files merged (a missing file counts as empty); empty if one cannot be parsed. */
    Optional<ProfileFile> load() {
        try {
            ProfileFile.Aggregator all = ProfileFile.aggregator();
            if (Files.isRegularFile(credentials)) {
                all.addFile(ProfileFile.builder().content(credentials).type(ProfileFile.Type.CREDENTIALS).build());
            }
            if (Files.isRegularFile(config)) {
                all.addFile(ProfileFile.builder().content(config).type(ProfileFile.Type.CONFIGURATION).build());
            }
            return Optional.of(all.build());
        } catch (RuntimeException e) {
            return Optional.empty();  // the SDK reports an unreadable file itself, when it reads it
        }
    }

    /** False only when both files could be read and neither has the profile. */
    boolean mayHave(String profile) {
        return load().map(f -> f.profile(profile).isPresent()).orElse(true);
    }

    /** "~/.aws/config or ~/.aws/credentials", with the paths actually used. */
    String describe() {
        return shown(config) + " or " + shown(credentials);
    }

    String configShown() {
        return shown(config);
    }

    private static String shown(Path p) {
        Path home = Path.of(System.getProperty("user.home"));
        return p.startsWith(home) ? "~/" + home.relativize(p).toString().replace('\\', '/') : p.toString();
    }

    private static Path expand(String p, Path home) {
        return p.startsWith("~/") ? home.resolve(p.substring(2)) : Path.of(p);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
