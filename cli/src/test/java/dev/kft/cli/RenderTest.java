package dev.kft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kft.events.DatasetPrepared.AugmentationReport;
import dev.kft.events.DatasetPrepared.OperationCount;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class RenderTest {

  @Test
  void theAugmentationReportSaysWhatEachOperationMade() {
    TreeMap<String, OperationCount> counts = new TreeMap<>();
    counts.put("random_swap", new OperationCount(40, 38, 90));
    counts.put("synonym_replacement", new OperationCount(41, 35, 52));
    assertEquals(
        "; augmentation made random_swap 38 of 40 (90 words), synonym_replacement 35 of 41 (52"
            + " words) (segmentation auto, synonyms from hanlp:CoreSynonym.txt)",
        Render.augmentation(
            new AugmentationReport(AugmentationReport.SHIPPED_LEXICON, "auto", counts)));
    assertEquals("", Render.augmentation(null));
  }
}
