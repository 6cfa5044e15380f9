package dev.connecttray;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** --version names what the pom builds and bundles, not numbers written down a second time. */
class VersionTest {

    private static String pom(String element) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document pom = factory.newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        Element project = pom.getDocumentElement();
        if (element.equals("version")) return child(project, "version").getTextContent().strip();
        return child(child(project, "properties"), element).getTextContent().strip();
    }

    /** The element's own child named {@code name} (not one nested deeper, as in a dependency). */
    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) return e;
        }
        throw new AssertionError("pom.xml has no <" + name + "> in <" + parent.getTagName() + ">");
    }

    @Test
    void theLibrespotVersionIsThePomsProperty() throws Exception {
        assertThat(Main.Version.librespot()).isEqualTo(pom("librespot.version")).matches("\\d+\\.\\d+\\.\\d+");
    }

    @Test
    void theVersionLineNamesTheAppAndTheLibraryVersionsFromThePom() throws Exception {
        String[] lines = new Main.Version().getVersion();
        assertThat(lines[0]).isEqualTo("connect-tray " + pom("version"));
        assertThat(lines[1]).startsWith("librespot-java " + pom("librespot.version") + ", Java ");
    }
}
