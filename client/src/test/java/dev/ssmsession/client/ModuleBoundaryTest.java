package dev.ssmsession.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Exports;
import java.lang.module.ModuleFinder;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The library's boundary as compiled: what {@code module-info} exports to everyone, and that no public method of
 * the API hands out a type of an {@code internal} package. Adding an export, or a public method returning an internal
 * type, fails here first.
 */
@Tag("pure")
class ModuleBoundaryTest {
    @Test
    void exportsOnlyTheApiPackage() throws IOException {
        ModuleDescriptor d = descriptorOf(SessionManager.class);
        assertThat(d.name()).isEqualTo("dev.ssmsession.client");
        assertThat(d.exports().stream().filter(e -> !e.isQualified()).map(Exports::source))
                .containsExactly("dev.ssmsession.client");
        assertThat(d.exports().stream().filter(Exports::isQualified)
                .collect(Collectors.toMap(Exports::source, Exports::targets)))
                .isEqualTo(Map.of("dev.ssmsession.client.internal", Set.of("dev.ssmsession.doctor")));
        assertThat(d.opens()).isEmpty();
    }

    /** Every module the declaration requires is one the build provides under that name (automatic ones too). */
    @Test
    void resolvesAgainstTheBuildsDependencies() throws IOException {
        Path here = codeSource(SessionManager.class);
        List<Path> path = Stream.concat(Stream.of(here, codeSource(dev.ssmsession.protocol.message.ClientMessage.class)),
                Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                        .map(Path::of).filter(p -> p.toString().endsWith(".jar")))
                .distinct().toList();
        Configuration c = Configuration.resolve(ModuleFinder.of(path.toArray(Path[]::new)),
                List.of(ModuleLayerBoot.configuration()), ModuleFinder.of(), List.of("dev.ssmsession.client"));
        assertThat(c.findModule("dev.ssmsession.protocol")).isPresent();
    }

    @Test
    void noPublicMethodOfTheManagerReturnsAnInternalType() {
        for (Class<?> type : List.of(SessionManager.class, SessionManager.Builder.class, Session.class)) {
            for (Method m : type.getMethods()) {
                if (Modifier.isPublic(m.getModifiers())) {
                    assertThat(m.getReturnType().getPackageName()).as(m.toString()).doesNotContain("internal");
                    for (Class<?> p : m.getParameterTypes()) {
                        assertThat(p.getPackageName()).as(m.toString()).doesNotContain("internal");
                    }
                }
            }
        }
    }

    static ModuleDescriptor descriptorOf(Class<?> type) throws IOException {
        Path root = codeSource(type);
        if (Files.isDirectory(root)) {
            try (InputStream in = Files.newInputStream(root.resolve("module-info.class"))) {
                return ModuleDescriptor.read(in);
            }
        }
        try (JarFile jar = new JarFile(root.toFile()); InputStream in = jar.getInputStream(jar.getEntry("module-info.class"))) {
            return ModuleDescriptor.read(in);
        }
    }

    /** target/classes, or the jar, the class was loaded from. */
    static Path codeSource(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class ModuleLayerBoot {
        static Configuration configuration() {
            return ModuleLayer.boot().configuration();
        }
    }
}
