package dev.ssmsession.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * ssm-session-bom has no parent (it would leak the parent's dependency management into every importer), so nothing
 * keeps it in step by itself: this does. Every published module (one that does not set maven.deploy.skip) is pinned
 * in it, nothing else is, and its version is the reactor's.
 */
class BomTest {
    private static final Path ROOT = Path.of(System.getProperty("ssmsession.root", ".."));

    @Test
    void bomPinsExactlyThePublishedModulesAtTheReactorVersion() throws Exception {
        Document parent = parse(ROOT.resolve("pom.xml"));
        Document bom = parse(ROOT.resolve("bom/pom.xml"));

        List<String> published = new ArrayList<>();
        for (Element module : children(child(parent.getDocumentElement(), "modules"), "module")) {
            Document pom = parse(ROOT.resolve(module.getTextContent().trim()).resolve("pom.xml"));
            Element project = pom.getDocumentElement();
            boolean pomOnly = "pom".equals(text(project, "packaging"));
            Element properties = child(project, "properties");
            boolean skipped = properties != null && "true".equals(text(properties, "maven.deploy.skip"));
            if (!pomOnly && !skipped) {
                published.add(text(project, "artifactId"));
            }
        }
        List<String> pinned = new ArrayList<>();
        Element managed = child(child(bom.getDocumentElement(), "dependencyManagement"), "dependencies");
        for (Element dependency : children(managed, "dependency")) {
            assertThat(text(dependency, "groupId")).isEqualTo(text(parent.getDocumentElement(), "groupId"));
            assertThat(text(dependency, "version")).isEqualTo("${project.version}");
            pinned.add(text(dependency, "artifactId"));
        }

        assertThat(published).contains("ssm-session-protocol", "ssm-session-client", "ssm-session-testkit");
        assertThat(pinned).as("modules in bom/pom.xml").containsExactlyInAnyOrderElementsOf(published);
        assertThat(text(bom.getDocumentElement(), "version")).as("bom version")
                .isEqualTo(text(parent.getDocumentElement(), "version"));
        assertThat(child(bom.getDocumentElement(), "parent")).as("bom parent").isNull();
    }

    private static Document parse(Path pom) throws Exception {
        assertThat(pom).isRegularFile();
        try (var in = Files.newInputStream(pom)) {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
        }
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                found.add(e);
            }
        }
        return found;
    }

    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? null : e.getTextContent().trim();
    }
}
