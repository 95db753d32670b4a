package dev.ssmsession.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Exports;
import java.lang.module.ModuleFinder;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * The library's boundary as compiled: what {@code module-info} exports to everyone, and that no signature of the
 * exported package names a type of an {@code internal} one. Adding an export, or a public method taking or returning
 * an internal type, fails here first.
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
                List.of(ModuleLayer.boot().configuration()), ModuleFinder.of(), List.of("dev.ssmsession.client"));
        assertThat(c.findModule("dev.ssmsession.protocol")).isPresent();
    }

    /** Public and protected members of the exported package's public classes: no internal type in or out. */
    @Test
    void noApiSignatureNamesAnInternalType() throws IOException, ClassNotFoundException {
        Path dir = codeSource(SessionManager.class);
        List<String> leaks = new ArrayList<>();
        List<Class<?>> types = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir.resolve("dev/ssmsession/client"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = f.getFileName().toString();
                types.add(Class.forName("dev.ssmsession.client." + name.substring(0, name.length() - ".class".length()),
                        false, getClass().getClassLoader()));
            }
        }
        assertThat(types).contains(SessionManager.class, SessionManager.Builder.class, Session.class);
        for (Class<?> type : types) {
            if (!visible(type)) {
                continue;
            }
            List<Class<?>> seen = new ArrayList<>();
            seen.add(type.getSuperclass());
            seen.addAll(List.of(type.getInterfaces()));
            for (Method m : type.getDeclaredMethods()) {
                if (api(m.getModifiers()) && !m.isSynthetic()) {
                    seen.add(m.getReturnType());
                    seen.addAll(List.of(m.getParameterTypes()));
                }
            }
            for (Constructor<?> c : type.getDeclaredConstructors()) {
                if (api(c.getModifiers())) {
                    seen.addAll(List.of(c.getParameterTypes()));
                }
            }
            for (Field f : type.getDeclaredFields()) {
                if (api(f.getModifiers())) {
                    seen.add(f.getType());
                }
            }
            seen.stream().filter(t -> t != null && t.getPackageName().contains(".internal"))
                    .forEach(t -> leaks.add(type.getName() + " → " + t.getName()));
        }
        assertThat(leaks).isEmpty();
    }

    /** A public class reachable from outside: public itself and, if nested, in public classes all the way out. */
    private static boolean visible(Class<?> type) {
        for (Class<?> t = type; t != null; t = t.getEnclosingClass()) {
            if (!Modifier.isPublic(t.getModifiers()) || t.isAnonymousClass() || t.isLocalClass()) {
                return false;
            }
        }
        return true;
    }

    private static boolean api(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
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
}
