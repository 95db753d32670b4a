package dev.ssmsession.testkit;

import static org.assertj.core.api.Assertions.assertThat;

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

/** What module-info exports, as compiled: the testkit's API package alone. */
@Tag("pure")
class ModuleBoundaryTest {
    @Test
    void exportsTheApiPackageOnly() throws IOException {
        ModuleDescriptor d = descriptor();
        assertThat(d.name()).isEqualTo("dev.ssmsession.testkit");
        assertThat(d.exports()).noneMatch(Exports::isQualified);
        assertThat(d.exports().stream().map(Exports::source)).containsExactly("dev.ssmsession.testkit");
        assertThat(d.opens()).isEmpty();
    }

    private static ModuleDescriptor descriptor() throws IOException {
        Path root;
        try {
            root = Path.of(LocalSessionManager.class.getProtectionDomain().getCodeSource().getLocation().toURI());
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
