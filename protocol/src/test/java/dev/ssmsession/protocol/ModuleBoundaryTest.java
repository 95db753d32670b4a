package dev.ssmsession.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssmsession.protocol.message.ClientMessage;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Exports;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What module-info exports, as compiled: the API packages, never an {@code internal} one. */
@Tag("pure")
class ModuleBoundaryTest {
    @Test
    void exportsTheApiPackagesOnly() throws IOException {
        ModuleDescriptor d = descriptor();
        assertThat(d.name()).isEqualTo("dev.ssmsession.protocol");
        assertThat(d.exports()).noneMatch(Exports::isQualified);
        assertThat(d.exports().stream().map(Exports::source)).containsExactlyInAnyOrder(
                "dev.ssmsession.protocol.channel", "dev.ssmsession.protocol.crypto", "dev.ssmsession.protocol.handshake",
                "dev.ssmsession.protocol.json", "dev.ssmsession.protocol.message", "dev.ssmsession.protocol.payload", "dev.ssmsession.protocol.smux");
        assertThat(d.opens()).allSatisfy(o -> assertThat(o.targets()).containsExactly("com.fasterxml.jackson.databind"));
    }

    private static ModuleDescriptor descriptor() throws IOException {
        Path root;
        try {
            root = Path.of(ClientMessage.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (Files.isDirectory(root)) {
            try (InputStream in = Files.newInputStream(root.resolve("module-info.class"))) {
                return ModuleDescriptor.read(in);
            }
        }
        try (JarFile jar = new JarFile(root.toFile()); InputStream in = jar.getInputStream(jar.getEntry("module-info.class"))) {
            return ModuleDescriptor.read(in);
        }
    }
}
