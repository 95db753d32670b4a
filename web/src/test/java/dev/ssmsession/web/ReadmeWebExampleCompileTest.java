package dev.ssmsession.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's {@code ```java web} blocks (the library example of the browser terminal) compile against this module,
 * as the client's ReadmeExamplesCompileTest does for the plain {@code ```java} blocks, which cannot see this module.
 * Each block is a class body's members.
 */
class ReadmeWebExampleCompileTest {
    static final String IMPORTS = String.join("\n",
            "import dev.ssmsession.client.*;",
            "import dev.ssmsession.web.*;",
            "import java.io.*;",
            "import java.net.*;",
            "import java.nio.ByteBuffer;",
            "import java.util.*;",
            "");
    static final String PROVIDED = "    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(\"readme\");\n";

    @TempDir
    Path classes;

    static Path readme() {
        for (Path d = Path.of(System.getProperty("user.dir")).toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("README.md")) && Files.isRegularFile(d.resolve("web/pom.xml"))) {
                return d.resolve("README.md");
            }
        }
        throw new IllegalStateException("README.md of the project not found");
    }

    static List<String> blocks(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equals("```java web")) {
                StringBuilder code = new StringBuilder();
                for (i++; i < lines.size() && !lines.get(i).strip().equals("```"); i++) {
                    code.append(lines.get(i)).append('\n');
                }
                out.add(code.toString());
            }
        }
        return out;
    }

    @Test
    void theWebExamplesCompile() throws IOException {
        List<String> blocks = blocks(Files.readAllLines(readme(), StandardCharsets.UTF_8));
        assertThat(blocks).as("```java web blocks in README.md").isNotEmpty();
        List<JavaFileObject> units = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            String name = "ReadmeWebExample" + i;
            String source = IMPORTS + "class " + name + " {\n" + PROVIDED + blocks.get(i) + "}\n";
            units.add(new SimpleJavaFileObject(URI.create("string:///" + name + ".java"), JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return source;
                }
            });
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            boolean ok = javac.getTask(null, files, diagnostics, List.of("-classpath", classpath, "-d", classes.toString(),
                    "-proc:none", "-implicit:none"), null, units).call();
            List<String> errors = new ArrayList<>();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() == Diagnostic.Kind.ERROR) {
                    errors.add(d.getSource().getName() + " line " + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT));
                }
            }
            assertThat(errors).as("compile errors in the README's web examples").isEmpty();
            assertThat(ok).isTrue();
        }
    }

    @Test
    void onlyTheWebBlocksAreTaken() {
        assertThat(blocks(List.of("```java", "a();", "```", "```java web", "class X {}", "```")))
                .containsExactly("class X {}\n");
    }
}
