package dev.kft.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

@Tag("unit")
class ConfusionMatrixSvgTest {

  @Test
  void isWellFormedSvgWithLabelsAndCounts() throws Exception {
    String svg =
        ConfusionMatrixSvg.render(
            List.of("负面", "正面", "<中性>"),
            new long[][] {{50, 3, 0}, {4, 120, 1}, {0, 0, 0}},
            "eval step 200 & more");
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    Document doc =
        factory
            .newDocumentBuilder()
            .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    assertEquals("svg", doc.getDocumentElement().getLocalName());
    assertEquals(9, doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "rect").getLength());
    NodeList texts = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "text");
    List<String> content = new ArrayList<>();
    for (int i = 0; i < texts.getLength(); i++) {
      content.add(texts.item(i).getTextContent());
    }
    assertEquals(2, content.stream().filter("负面"::equals).count(), "row and column label");
    assertEquals(2, content.stream().filter("<中性>"::equals).count(), "escaped, read back");
    assertEquals(1, content.stream().filter("120"::equals).count());
    assertEquals("eval step 200 & more", content.get(0));
  }
}
