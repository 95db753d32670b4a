package dev.ssmsession.client.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code ```java} block of the README compiles against the library and the testkit, so no example can rot.
 * A block is compiled as the body of a method that may throw (statements), or as the body of a class when it
 * declares members itself (annotations or modifiers at the start of a line). What the examples may take for
 * granted is in {@link #IMPORTS} and {@link #PROVIDED}; keep it to what a reader would guess.
 */
class ReadmeExamplesCompileTest {
    static final String IMPORTS = String.join("\n",
            "import dev.ssmsession.client.*;",
            "import dev.ssmsession.testkit.*;",
            "import java.io.*;",
            "import java.net.*;",
            "import java.nio.file.*;",
            "import java.sql.Connection;",
            "import java.sql.DriverManager;",
            "import java.time.*;",
            "import java.util.*;",
            "import java.util.concurrent.*;",
            "import org.junit.jupiter.api.*;",
            "import org.junit.jupiter.api.extension.*;",
            "import software.amazon.awssdk.auth.credentials.*;",
            "import static java.nio.charset.StandardCharsets.UTF_8;",
            "import static org.assertj.core.api.Assertions.assertThat;",
            "");
    /** Members of the class around each example. */
    static final String PROVIDED = "    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(\"readme\");\n";
    private static final Pattern MEMBER_LINE = Pattern.compile("(?m)^(@|static |private |public |void )");

    /** One {@code ```java} block and the README line of its first line. */
    record Example(int line, String code) {
    }

    @TempDir
    Path classes;

    static Path readme() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("README.md")) && Files.isRegularFile(d.resolve("client/pom.xml"))) {
                return d.resolve("README.md");
            }
        }
        throw new IllegalStateException("README.md of the project not found above " + dir);
    }

    static List<Example> examples(List<String> lines) {
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equals("```java")) {
                int first = i + 1;
                StringBuilder code = new StringBuilder();
                for (i = first; i < lines.size() && !lines.get(i).strip().equals("```"); i++) {
                    code.append(lines.get(i)).append('\n');
                }
                out.add(new Example(first + 1, code.toString()));
            }
        }
        return out;
    }

    /** The compilation unit for one example; its code starts on line {@code IMPORTS lines + 3}. */
    static String wrap(String className, Example e) {
        boolean members = MEMBER_LINE.matcher(e.code()).find();
        String open = members ? "" : "    void example() throws Exception {\n";
        String close = members ? "" : "    }\n";
        return IMPORTS + "class " + className + " {\n" + PROVIDED + open + e.code() + close + "}\n";
    }

    static int codeOffset(Example e) {
        int importLines = (int) IMPORTS.chars().filter(c -> c == '\n').count();
        boolean members = MEMBER_LINE.matcher(e.code()).find();
        return importLines + 2 + (members ? 0 : 1);   // class line, PROVIDED line, method line
    }

    @Test
    void everyJavaExampleInTheReadmeCompiles() throws IOException {
        List<Example> examples = examples(Files.readAllLines(readme(), StandardCharsets.UTF_8));
        assertThat(examples).as("```java blocks in README.md").hasSizeGreaterThanOrEqualTo(7);

        List<JavaFileObject> units = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            String name = "ReadmeExample" + i;
            String source = wrap(name, examples.get(i));
            units.add(new SimpleJavaFileObject(URI.create("string:///" + name + ".java"), JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return source;
                }
            });
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("a JDK's compiler").isNotNull();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            boolean ok = javac.getTask(null, files, diagnostics, List.of("-classpath", classpath, "-d", classes.toString(),
                    "-proc:none", "-implicit:none"), null, units).call();
            List<String> errors = new ArrayList<>();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() == Diagnostic.Kind.ERROR) {
                    int index = Integer.parseInt(d.getSource().getName().replaceAll("\\D", ""));
                    Example e = examples.get(index);
                    long readmeLine = e.line() + d.getLineNumber() - 1 - codeOffset(e);
                    errors.add("README.md line " + readmeLine + ": " + d.getMessage(Locale.ROOT));
                }
            }
            assertThat(errors).as("compile errors in README examples").isEmpty();
            assertThat(ok).isTrue();
        }
    }

    @Test
    void statementsGoInAMethodAndMembersInTheClass() {
        assertThat(wrap("A", new Example(1, "int x = 1;\n"))).contains("void example() throws Exception {\nint x = 1;\n");
        assertThat(wrap("B", new Example(1, "@Test\nvoid t() { }\n"))).doesNotContain("void example()");
        assertThat(examples(List.of("x", "```java", "a();", "```", "```bash", "b", "```")))
                .containsExactly(new Example(3, "a();\n"));
    }

}
