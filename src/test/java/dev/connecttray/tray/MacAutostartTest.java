package dev.connecttray.tray;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

class MacAutostartTest {
    private static final Path LAUNCHER = Path.of("/Applications/Connect Tray & Co <beta>.app/Contents/MacOS/Connect Tray");

    @TempDir
    Path home;

    @Test
    void thePlistRunsTheLauncherOnceAtLogin() throws Exception {
        MacAutostart autostart = MacAutostart.forUser(home, LAUNCHER);

        Map<String, Object> plist = parse(autostart.plist());

        assertThat(plist).containsEntry("Label", "dev.connecttray")
                .containsEntry("ProgramArguments", List.of(LAUNCHER.toString()))
                .containsEntry("RunAtLoad", true)
                .containsEntry("KeepAlive", false)
                .containsEntry("LimitLoadToSessionType", "Aqua");
        assertThat(autostart.file()).isEqualTo(home.resolve("Library/LaunchAgents/dev.connecttray.plist"));
    }

    @Test
    void enablingWritesThePlistAndDisablingDeletesIt() throws IOException {
        MacAutostart autostart = MacAutostart.forUser(home, LAUNCHER);
        assertThat(autostart.isEnabled()).isFalse();

        autostart.setEnabled(true);
        assertThat(autostart.isEnabled()).isTrue();
        assertThat(autostart.file()).hasContent(autostart.plist());

        autostart.setEnabled(false);
        assertThat(autostart.isEnabled()).isFalse();
        assertThat(autostart.file()).doesNotExist();
        assertThat(autostart.file().getParent()).isEmptyDirectory();
    }

    /** The top-level dict of an XML property list, with strings, booleans and arrays of strings. */
    private static Map<String, Object> parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setValidating(false);
        var builder = factory.newDocumentBuilder();
        // Read the DTD from nowhere: the test must not fetch apple.com.
        builder.setEntityResolver((publicId, systemId) -> new InputSource(new ByteArrayInputStream(new byte[0])));
        Element root = builder.parse(new InputSource(new StringReader(xml))).getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("plist");
        Element dict = children(root).get(0);
        assertThat(dict.getTagName()).isEqualTo("dict");
        Map<String, Object> result = new LinkedHashMap<>();
        List<Element> entries = children(dict);
        for (int i = 0; i < entries.size(); i += 2) {
            assertThat(entries.get(i).getTagName()).isEqualTo("key");
            result.put(entries.get(i).getTextContent(), value(entries.get(i + 1)));
        }
        return result;
    }

    private static Object value(Element e) {
        return switch (e.getTagName()) {
            case "string" -> e.getTextContent();
            case "true" -> true;
            case "false" -> false;
            case "array" -> children(e).stream().map(MacAutostartTest::value).toList();
            default -> throw new AssertionError("unexpected plist element " + e.getTagName());
        };
    }

    private static List<Element> children(Element parent) {
        List<Element> elements = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) elements.add(e);
        }
        return elements;
    }
}
